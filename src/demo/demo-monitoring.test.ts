import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../test/support/test-server.ts';
import type { Alert, Silence } from '../contracts/alerts.ts';
import type { Incident } from '../contracts/incidents.ts';
import type { MonitoringSeries } from '../contracts/monitoring.ts';
import { streamAuditEvents } from '../platform/audit/audit-trail.ts';
import { verifyAuditChain } from '../platform/audit/audit-verify.ts';
import { verifyState } from '../platform/audit/state-verify.ts';
import { DEMO_MONITORED, DEMO_MONITORING_DAYS } from './demo-monitoring.ts';
import { seedDemoPortfolio } from './seed.ts';

const NOW = '2026-11-01T00:00:00.000Z';

/**
 * The demo's production monitoring, read through the API a console reads: plans on the production
 * deployments, 90 daily windows computed from the resampled census traffic, alerts in every state
 * (firing, acknowledged, silenced, resolved, triaged into a finding) and one incident from
 * detection to its post-incident action. The server's own schedule finds nothing left to compute.
 */
describe.each(ENGINES)('demo monitoring on %s', (engine) => {
  let t: TestServer;
  let dataDir = '';
  const deployments = new Map<string, string>();
  let alerts: Alert[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-demo-mon-'));
    t = await startTestServer(engine, NOW, { dataDir });
    await seedDemoPortfolio(t.store.db, t.services.identity, new Date(NOW), undefined, {
      monitoringDir: path.join(dataDir, 'monitoring'),
    });
    for (const m of DEMO_MONITORED) {
      const deps = (await t.call('GET', `/api/v1/models/${m.model}/deployments?active=true`)).json() as {
        items: { id: string; environment: string }[];
      };
      const prod = deps.items.find((d) => d.environment === 'production');
      if (!prod) throw new Error(`no production deployment of ${m.model}`);
      deployments.set(m.model, prod.id);
    }
    alerts = ((await t.call('GET', '/api/v1/alerts?limit=500')).json() as { items: Alert[] }).items;
  }, 900_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives each monitored production deployment a plan and 90 daily windows with label completeness', async () => {
    for (const m of DEMO_MONITORED) {
      const dep = deployments.get(m.model)!;
      const plan = await t.call('GET', `/api/v1/deployments/${dep}/monitoring/plan`);
      expect(plan.statusCode).toBe(200);
      const series = (
        await t.call('GET', `/api/v1/deployments/${dep}/monitoring/series`)
      ).json() as MonitoringSeries;
      const volume = series.series.find((x) => x.check === 'volume:rows')!;
      const windows = volume.points;
      expect(windows).toHaveLength(DEMO_MONITORING_DAYS);
      expect(windows[windows.length - 1]!.end).toBe('2026-10-31T00:00:00.000Z');
      expect(windows.every((w) => (w.value ?? 0) > 0)).toBe(true);
      // labels arrive a week late: the last week has none, earlier windows are complete
      expect(windows.slice(-6).every((w) => w.labelCompleteness === 0)).toBe(true);
      expect(windows.slice(0, 60).every((w) => w.labelCompleteness === 1)).toBe(true);
      // every check has its 90 points
      for (const s of series.series) expect(s.points, s.check).toHaveLength(DEMO_MONITORING_DAYS);
    }
  });

  it('has alerts in every state', () => {
    const of = (model: string, check: string) =>
      alerts.filter((a) => a.deploymentId === deployments.get(model) && a.check === check);
    // firing, unacknowledged: the income model's age drift of the last days
    const age = of('income-propensity', 'drift:age');
    expect(age.some((a) => a.state === 'firing' && a.acknowledgedAt === null && !a.silenced)).toBe(true);
    // resolved by itself: the episode two months ago
    expect(age.some((a) => a.state === 'resolved' && a.triage === null)).toBe(true);
    // acknowledged and assigned: churn's score drift
    const scores = of('churn-retail-banking', 'drift:@prediction').find((a) => a.state === 'firing');
    expect(scores?.acknowledgedBy).toBe('olivia.chen');
    expect(scores?.assignee).toBe('dev.priya');
    // silenced: churn's new occupation
    const newCategory = of('churn-retail-banking', 'data_quality:occupation:new_category_share');
    expect(newCategory.some((a) => a.state === 'firing' && a.silenced)).toBe(true);
    // triaged into a finding (and resolved since): churn's traffic drop
    const volume = of('churn-retail-banking', 'volume:rows');
    expect(volume.some((a) => a.state === 'resolved' && a.triage === 'finding' && a.triageRef)).toBe(true);
    // triaged into the incident: the income model's missing occupations
    const missing = of('income-propensity', 'data_quality:occupation:missing_share');
    expect(missing.some((a) => a.state === 'resolved' && a.triage === 'incident')).toBe(true);
  });

  it('has a silence with its reason and expiry', async () => {
    const silences = ((await t.call('GET', '/api/v1/alert-silences')).json() as { items: Silence[] }).items;
    expect(silences).toHaveLength(1);
    expect(silences[0]!.active).toBe(true);
    expect(silences[0]!.reason).toMatch(/on purpose/);
    expect(Date.parse(silences[0]!.endsAt)).toBeGreaterThan(Date.parse(NOW));
  });

  it('has one incident from detection to a post-incident action, with MTTD and MTTR computed', async () => {
    const list = ((await t.call('GET', '/api/v1/incidents')).json() as { items: Incident[] }).items;
    expect(list).toHaveLength(1);
    const incident = (await t.call('GET', `/api/v1/incidents/${list[0]!.id}`)).json() as Incident &
      Record<string, unknown>;
    expect(incident.state).toBe('resolved');
    const times = ['impactBeganAt', 'detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt'].map((k) =>
      Date.parse(String(incident[k])),
    );
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    // impact began at the first bad window's start; the alert fired after that day's run
    expect(incident.impactBeganAt).toBe('2026-10-22T00:00:00.000Z');
    expect(incident.detectedAt.slice(0, 13)).toBe('2026-10-23T01');
    const timeline = JSON.stringify(incident);
    expect(timeline).toMatch(/Root cause/);
    expect(timeline).toMatch(/Contract test on the CRM export/);
    const metrics = (await t.call('GET', '/api/v1/metrics')).json() as {
      monitoring: Record<string, unknown>;
    };
    expect(metrics.monitoring).toBeDefined();
    expect(JSON.stringify(metrics.monitoring)).toMatch(/mttd|MTTD/i);
  });

  it('leaves nothing for the server schedule to compute, from segments under its data directory', async () => {
    expect(await t.services.monitoringRuns.runDue()).toEqual([]);
  });

  it('keeps the audit trail verifiable, and the monitoring state matches its snapshots', async () => {
    const r = await verifyAuditChain(streamAuditEvents(t.store.db));
    expect(r.ok).toBe(true);
    const state = await verifyState(t.store.db);
    expect(state.mismatches).toEqual([]);
    expect(state.types.filter((x) => x.table === null).map((x) => x.entityType)).toEqual([]);
    const compared = Object.fromEntries(state.types.map((x) => [x.entityType, x.compared]));
    for (const type of ['monitoring_plan', 'monitoring_batch', 'monitoring_window', 'alert', 'incident'])
      expect(compared[type], type).toBeGreaterThan(0);
  });
});
