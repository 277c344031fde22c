import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../src/contracts/alerts.ts';
import type { Incident } from '../src/contracts/incidents.ts';
import {
  ADULT_FEATURES,
  ADULT_PRODUCTION,
  ADULT_REFERENCE,
  type LoggedPrediction,
  outcomesNdjson,
  predictionsNdjson,
  readCsv,
  referenceCsv,
} from '../src/governance/monitoring/monitoring-fixture.ts';
import { verifyState } from '../src/platform/audit/state-verify.ts';
import { ENGINES } from './support/engines.ts';
import { type HttpReceiver, startHttpReceiver } from './support/http-receiver.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-03-02T00:00:00.000Z');
const PER_DAY = 240;

/** Day `d`'s prediction log: validated-population rows, or (drifted) the younger production rows. */
function dayLog(d: number, drifted: boolean): LoggedPrediction[] {
  const { rows } = readCsv(drifted ? ADULT_PRODUCTION : ADULT_REFERENCE);
  return Array.from({ length: PER_DAY }, (_, i) => {
    const row = rows[(d * PER_DAY + i) % rows.length] as Record<string, string>;
    return {
      prediction_id: `e2e-${d}-${i}`,
      timestamp: new Date(START + d * DAY + Math.floor((i * DAY) / PER_DAY)).toISOString(),
      label: row.label as string,
      row,
    };
  });
}

/**
 * Monitoring end to end, through the API and the real scheduler tick with a manual clock:
 * predictions stream in day by day (outcomes a few days later), the tick computes each closed
 * window, an age-drift alert fires after two drifted days and reaches a local webhook receiver
 * through the plan's route, a steward triages it into an incident, the owner acknowledges and
 * mitigates, the drift ends, the alert resolves (the receiver hears that too) and the incident is
 * resolved; time to detect and to resolve are computed from the record, and the KPIs agree.
 */
describe.each(ENGINES)('monitoring end to end on %s', (engine) => {
  let t: TestServer;
  let rx: HttpReceiver;
  let dep = '';
  const tok: Record<string, string> = {};
  const call = async (who: string, method: string, url: string, body?: unknown, want?: number) => {
    const headers: Record<string, string> =
      typeof body === 'string'
        ? { 'content-type': url.includes('ingest') ? 'text/csv' : 'application/x-ndjson' }
        : {};
    const res = await t.call(method, url, body, tok[who], headers);
    if (want !== undefined) expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(want);
    return res;
  };
  const mon = (suffix: string) => `/api/v1/deployments/${dep}/monitoring${suffix}`;
  /** One simulated day: the day's predictions arrive at its end, the tick runs after the window closed, and again. */
  const playDay = async (d: number, drifted: boolean, outcomesOf: number[] = []) => {
    t.clock.set(new Date(START + (d + 1) * DAY + 10 * 60_000));
    await call('olivia', 'POST', mon('/predictions'), predictionsNdjson(dayLog(d, drifted)), 201);
    if (outcomesOf.length > 0) {
      const logs = outcomesOf.flatMap((o) => dayLog(o, o >= 3 && o <= 4));
      await call('olivia', 'POST', mon('/outcomes'), outcomesNdjson(logs), 201);
    }
    t.clock.set(new Date(START + (d + 1) * DAY + 65 * 60_000));
    await t.services.scheduler.runDueJobs();
    t.clock.advance(5 * 60_000);
    await t.services.scheduler.runDueJobs();
  };
  const alertsOf = async () =>
    (
      (await call('gov', 'GET', `/api/v1/alerts?deploymentId=${dep}`, undefined, 200)).json() as {
        items: Alert[];
      }
    ).items;

  beforeAll(async () => {
    rx = await startHttpReceiver();
    t = await startTestServer(engine, new Date(START).toISOString(), { alertRoutesAllowPrivate: true });
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['gov', 'governance'],
      ]),
    );
    tok.admin = t.adminToken;
    await call('admin', 'POST', '/api/v1/models', {
      key: 'census-e2e',
      name: 'Census income (e2e)',
      type: 'classification',
      owner: 'olivia',
    });
    await call('olivia', 'POST', '/api/v1/models/census-e2e/versions', { label: '1.0.0' }, 201);
    const d = await call(
      'olivia',
      'POST',
      '/api/v1/models/census-e2e/deployments',
      { version: '1.0.0', environment: 'staging' },
      201,
    );
    dep = d.json().id;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('ingests, runs the schedule across days, fires, routes, triages into an incident and resolves it', async () => {
    const plan = `schema: assay.monitoring-plan/v1
columns: { score: score, label: label, positiveLabel: '1' }
features: [${ADULT_FEATURES.join(', ')}]
categorical: [sex, race, occupation]
baseline: { type: reference }
window: day
schedule: { start: ${new Date(START).toISOString()}, delayMinutes: 60 }
checks:
  - { kind: drift, metric: psi, feature: age, warning: 0.1, critical: 0.25, forWindows: 2 }
  - { kind: volume, metric: rows, warning: 100, critical: 10 }
  - { kind: performance, metric: roc_auc, warning: 0.8, critical: 0.7, minLabelledRows: 100 }
alerting:
  routes: [{ type: webhook, url: '${rx.url}/assay-alerts' }]
  repeatIntervalSeconds: 86400
  runbookUrl: https://runbooks.example/census
`;
    await call('olivia', 'PUT', mon('/plan'), { text: plan }, 200);
    await call('olivia', 'POST', mon('/ingest?kind=reference'), referenceCsv(), 201);

    // days 0-2 as validated; days 3-4 drifted (younger people): the second drifted window fires
    for (let d = 0; d < 3; d++) await playDay(d, false);
    expect(await alertsOf()).toEqual([]);
    await playDay(3, true);
    expect(await alertsOf()).toEqual([]);
    await playDay(4, true, [0, 1]);
    const [alert] = await alertsOf();
    expect(alert).toMatchObject({
      check: 'drift:age',
      state: 'firing',
      startsAt: new Date(START + 3 * DAY).toISOString(),
      firedAt: new Date(START + 5 * DAY + 65 * 60_000).toISOString(),
    });
    // the route got it (delivered on the tick after the window's)
    const firing = await rx.waitFor(
      (r) => r.path === '/assay-alerts' && (r.body as { event?: string }).event === 'alert.firing',
    );
    expect((firing.body as { data: { alert: Alert } }).data.alert).toMatchObject({
      id: alert!.id,
      check: 'drift:age',
      runbookUrl: 'https://runbooks.example/census',
    });
    // late outcomes gave the first days their performance
    const series = (await call('olivia', 'GET', mon('/series'), undefined, 200)).json() as {
      series: { check: string; points: { value: number | null; labelCompleteness: number | null }[] }[];
    };
    const perf = series.series.find((s) => s.check === 'performance:roc_auc')!;
    expect(perf.points.slice(0, 2).every((p) => p.labelCompleteness === 1 && p.value !== null)).toBe(true);
    expect(perf.points[2]!.value).toBeNull();

    // triage: a steward opens an incident from the alert; the owner acknowledges and mitigates
    t.clock.advance(30 * 60_000);
    const triaged = (
      await call(
        'gov',
        'POST',
        `/api/v1/alerts/${alert!.id}/triage`,
        { to: 'incident', severity: 'high' },
        200,
      )
    ).json() as Alert;
    expect(triaged.triage).toBe('incident');
    const incidentUrl = `/api/v1/incidents/${triaged.triageRef}`;
    t.clock.advance(30 * 60_000);
    await call('olivia', 'POST', `${incidentUrl}/transition`, { to: 'acknowledged' }, 200);
    t.clock.advance(4 * 3600_000);
    await call(
      'olivia',
      'POST',
      `${incidentUrl}/transition`,
      { to: 'mitigated', note: 'Rolled back the campaign' },
      200,
    );

    // the drift ends: the next window is ok, the alert resolves and the route hears it
    await playDay(5, false, [2, 3, 4]);
    const [after] = await alertsOf();
    expect(after).toMatchObject({ id: alert!.id, state: 'resolved' });
    await rx.waitFor(
      (r) => r.path === '/assay-alerts' && (r.body as { event?: string }).event === 'alert.resolved',
    );
    t.clock.advance(3600_000);
    const resolved = (
      await call('olivia', 'POST', `${incidentUrl}/transition`, { to: 'resolved', note: 'Drift over' }, 200)
    ).json() as Incident;

    // MTTD: impact began at the first drifted window; detection when the alert fired (two days later)
    expect(resolved.impactBeganAt).toBe(alert!.startsAt);
    expect(resolved.detectedAt).toBe(alert!.firedAt);
    const minutes = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 60_000;
    expect(resolved.timeToDetectMinutes).toBe(minutes(alert!.startsAt, alert!.firedAt));
    expect(resolved.timeToDetectMinutes).toBe(2 * 24 * 60 + 65);
    expect(resolved.timeToResolveMinutes).toBe(minutes(resolved.detectedAt, resolved.resolvedAt!));
    // the delivering tick 5 minutes after detection, triage 30 minutes later, acknowledgement 30 after that
    expect(resolved.timeToAcknowledgeMinutes).toBe(65);
    const kpis = (await call('gov', 'GET', '/api/v1/metrics', undefined, 200)).json() as {
      monitoring: { incidents: { resolved: number; mttdMinutes: number; mttrMinutes: number } };
    };
    expect(kpis.monitoring.incidents).toMatchObject({
      resolved: 1,
      mttdMinutes: resolved.timeToDetectMinutes,
      mttrMinutes: resolved.timeToResolveMinutes,
    });
    // every change on the way is in the audit trail, and the stored state matches its snapshots
    const state = await verifyState(t.store.db);
    expect(state.mismatches).toEqual([]);
    const compared = Object.fromEntries(state.types.map((x) => [x.entityType, x.compared]));
    for (const type of ['monitoring_plan', 'monitoring_batch', 'monitoring_window', 'alert', 'incident'])
      expect(compared[type], type).toBeGreaterThan(0);
  }, 300_000);
});
