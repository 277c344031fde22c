import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { MonitoringSeries, MonitoringWindow } from '../../contracts/monitoring.ts';
import type { CheckSignal } from '../../contracts/monitoring-signals.ts';
import { validate } from '../../engine/validate.ts';
import {
  ADULT_FEATURES,
  adultPlan,
  adultPredictions,
  LOG_COLUMNS,
  outcomesCsv,
  outcomesNdjson,
  predictionsCsv,
  predictionsNdjson,
  referenceCsv,
  toCsv,
} from './monitoring-fixture.ts';

const START = '2026-03-01T00:00:00.000Z';

/**
 * Monitoring through the HTTP API: plans (validated with line and field, versioned, satisfying the
 * checklist), batch and streaming ingestion, late outcomes, scheduled windows whose metrics equal
 * `assay validate` on the same rows, the time series, the window's evidence, the signals handed to
 * the alerts sink, and unknown deployment ids.
 */
describe.each(ENGINES)('monitoring on %s', (engine) => {
  let t: TestServer;
  let dep = '';
  const tok: Record<string, string> = {};
  const signals: CheckSignal[][] = [];
  const preds = adultPredictions(START, 3, 400);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-mon-test-'));
  const call = async (
    who: string,
    method: string,
    url: string,
    body?: unknown,
    want?: number,
    headers?: Record<string, string>,
  ) => {
    const res = await t.call(method, url, body, tok[who], headers);
    if (want !== undefined) expect(res.statusCode, `${method} ${url} as ${who}: ${res.body}`).toBe(want);
    return res;
  };
  const mon = (suffix: string) => `/api/v1/deployments/${dep}/monitoring${suffix}`;

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-02-20T09:00:00.000Z');
    tok.admin = t.adminToken;
    Object.assign(
      tok,
      await t.userTokens([
        ['olivia', 'owner'],
        ['val', 'validator'],
        ['oscar', 'owner'],
      ]),
    );
    await call(
      'admin',
      'POST',
      '/api/v1/models',
      { key: 'adult-income', name: 'Adult income', type: 'classification', owner: 'olivia' },
      201,
    );
    await call('olivia', 'POST', '/api/v1/models/adult-income/versions', { label: '1.0.0' }, 201);
    const d = await call(
      'olivia',
      'POST',
      '/api/v1/models/adult-income/deployments',
      { version: '1.0.0', environment: 'staging' },
      201,
    );
    dep = d.json().id;
    t.services.monitoringRuns.setSignalSink({
      ingestSignals: async (s) => {
        signals.push(s);
      },
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('refuses an invalid plan naming the line and field', async () => {
    const bad = adultPlan().replace('metric: psi', 'metric: pvalue');
    const res = await call('olivia', 'PUT', mon('/plan'), { text: bad }, 400);
    const err = res.json().error;
    expect(err.message).toMatch(/line 13, field checks\.0\.metric/);
    expect(err.details.issues[0]).toMatchObject({ line: 13, field: 'checks.0.metric' });
    const unknown = await call('olivia', 'PUT', mon('/plan'), { text: `${adultPlan()}colour: blue\n` }, 400);
    expect(unknown.json().error.details.issues[0].message).toBe("unknown field 'colour'");
    await call('val', 'PUT', mon('/plan'), { text: adultPlan() }, 403);
    await call('oscar', 'GET', mon('/plan'), undefined, 404);
  });

  it('applies, versions and shows a plan; an active plan satisfies the monitoring_plan checklist item', async () => {
    const first = await call('olivia', 'PUT', mon('/plan'), { text: adultPlan() }, 200);
    expect(first.json()).toMatchObject({ changed: true, plan: { version: 1, active: true } });
    const again = await call('olivia', 'PUT', mon('/plan'), { text: adultPlan() }, 200);
    expect(again.json().changed).toBe(false);
    const shown = await call('val', 'GET', mon('/plan'), undefined, 200);
    expect(shown.json().document.checks).toHaveLength(9);
    const deployments = (
      await call('val', 'GET', '/api/v1/models/adult-income/deployments', undefined, 200)
    ).json();
    const versionId = (Array.isArray(deployments) ? deployments : deployments.items)[0].versionId;
    const standing = await t.services.monitoringPlans.standing(t.store.db.kysely, versionId);
    expect(standing.passing).toEqual([first.json().plan.id]);
  });

  it('ingests the reference and prediction logs (CSV, NDJSON stream), refuses bad rows, recognises re-sent batches', async () => {
    await call('olivia', 'POST', mon('/ingest?kind=reference'), referenceCsv(), 201, {
      'content-type': 'text/csv',
    });
    const day0 = preds.slice(0, 400);
    const res = await call('olivia', 'POST', mon('/ingest'), predictionsCsv(day0), 201, {
      'content-type': 'text/csv',
    });
    expect(res.json().batches[0]).toMatchObject({ kind: 'predictions', rows: 400, from: day0[0]?.timestamp });
    const again = await call('olivia', 'POST', mon('/ingest'), predictionsCsv(day0), 201, {
      'content-type': 'text/csv',
    });
    expect(again.json().duplicate).toBe(true);
    const stream = await call(
      'olivia',
      'POST',
      mon('/predictions'),
      predictionsNdjson(preds.slice(400)),
      201,
      {
        'content-type': 'application/x-ndjson',
      },
    );
    expect(stream.json().batches[0].rows).toBe(800);
    // prediction ids sent again in another batch (other bytes; one of them twice in it) are not
    // stored again: the windows below count 400 a day, as validate on the joined table does
    const resent = preds.slice(350, 450);
    const dup = await call(
      'olivia',
      'POST',
      mon('/predictions'),
      predictionsNdjson([...resent, resent[0]!]),
      201,
      {
        'content-type': 'application/x-ndjson',
      },
    );
    expect(dup.json()).toMatchObject({
      duplicate: false,
      duplicateIds: 101,
      batches: [{ rows: 0, from: null }],
    });
    const broken = toCsv(LOG_COLUMNS, [{ prediction_id: 'x', timestamp: 'not a time', age: 1, score: 0.5 }]);
    const bad = await call('olivia', 'POST', mon('/ingest'), broken, 400, { 'content-type': 'text/csv' });
    expect(bad.json().error.message).toMatch(/no readable timestamp in 'timestamp' \(first: data row 1\)/);
  });

  it('computes due windows with label completeness; outcomes arriving later recompute their windows', async () => {
    t.clock.set('2026-03-04T01:00:00.000Z');
    const run = await call('olivia', 'POST', mon('/run'), {}, 200);
    expect(run.json().windows.map((w: { start: string }) => w.start)).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
    ]);
    // outcomes for days 0 and 1 arrive: by file and by stream
    await call('olivia', 'POST', mon('/ingest?kind=outcomes'), outcomesCsv(preds.slice(0, 400)), 201, {
      'content-type': 'text/csv',
    });
    await call('olivia', 'POST', mon('/outcomes'), outcomesNdjson(preds.slice(400, 700)), 201, {
      'content-type': 'application/x-ndjson',
    });
    const ran = await t.services.monitoringRuns.runDue();
    expect(ran.map((w) => w.start)).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z']);
    const series = (await call('val', 'GET', mon('/series'), undefined, 200)).json() as MonitoringSeries;
    const auc = series.series.find((s) => s.check === 'performance:roc_auc');
    expect(auc?.points.map((p) => p.labelCompleteness)).toEqual([1, 0.75, 0]);
    expect(auc?.points[2]?.severity).toBe('no_data');
    expect(series.series.find((s) => s.check === 'volume:rows')?.points.map((p) => p.value)).toEqual([
      400, 400, 400,
    ]);
  });

  it('window metrics equal `assay validate` on the same rows', async () => {
    const series = (await call('val', 'GET', mon('/series'), undefined, 200)).json() as MonitoringSeries;
    const point = series.series.find((s) => s.check === 'drift:age')?.points[1];
    const w = (
      await call('val', 'GET', mon(`/windows/${point?.windowId}`), undefined, 200)
    ).json() as MonitoringWindow;
    const day = preds.slice(400, 800);
    const data = path.join(tmp, 'day1.csv');
    const labelled = path.join(tmp, 'day1-labelled.csv');
    const ref = path.join(tmp, 'reference.csv');
    const cols = [...ADULT_FEATURES, 'score'];
    fs.writeFileSync(
      data,
      toCsv(
        cols,
        day.map((p) => p.row),
      ),
    );
    fs.writeFileSync(
      labelled,
      toCsv(
        [...cols, 'label'],
        day.slice(0, 300).map((p) => p.row),
      ),
    );
    fs.writeFileSync(ref, toCsv(cols, referenceCsvRows()));
    const now = new Date();
    const byValidate = await validate({
      data,
      reference: ref,
      features: cols,
      categorical: ['sex', 'race', 'occupation'],
      now,
    });
    const perf = await validate({
      data: labelled,
      label: 'label',
      score: 'score',
      positiveLabel: '1',
      features: [],
      categorical: ['sex', 'race', 'occupation'],
      now,
    });
    const value = (check: string) => w.results.find((r) => r.check === check)?.value;
    const drift = byValidate.drift;
    if (!drift) throw new Error('validate computed no drift');
    expect(value('drift:age')).toBe(drift?.features.age?.psi);
    expect(value('drift:@prediction')).toBe(
      (drift.features.score as { wasserstein_normed: number }).wasserstein_normed,
    );
    expect(value('drift:occupation')).toBe(
      (drift.features.occupation as { js_distance: number }).js_distance,
    );
    expect(value('drift:drift_share')).toBe(drift?.drift_share);
    expect(value('data_quality:occupation:missing_share')).toBe(
      byValidate.data_quality?.missing.occupation?.share,
    );
    expect(value('performance:roc_auc')).toBe(perf.performance?.roc_auc);
    expect(w.labelledRows).toBe(300);
    expect(w.evidence).toHaveProperty('drift.drift.features.age.psi', drift?.features.age?.psi);
  });

  it("hands each window's check results to the alerts sink in window order, with the evidence link", () => {
    const all = signals.flat();
    const auc = all.filter((s) => s.check === 'performance:roc_auc');
    expect(auc.map((s) => s.windowStart)).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
      '2026-03-03T00:00:00.000Z',
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
    ]);
    expect(auc[4]).toMatchObject({
      deploymentId: dep,
      forWindows: 2,
      direction: 'below',
      runbookUrl: 'https://runbooks.example/adult',
    });
    expect(auc[4]?.evidence.url).toBe(mon(`/windows/${auc[4]?.evidence.windowId}`));
  });

  it('records unknown deployment ids that send logs', async () => {
    await call(
      'olivia',
      'POST',
      '/api/v1/deployments/shadow-42/monitoring/predictions',
      predictionsNdjson(preds.slice(0, 2)),
      404,
      {
        'content-type': 'application/x-ndjson',
      },
    );
    await call(
      'olivia',
      'POST',
      '/api/v1/deployments/shadow-42/monitoring/predictions',
      predictionsNdjson(preds.slice(0, 3)),
      404,
      {
        'content-type': 'application/x-ndjson',
      },
    );
    const list = await t.services.monitoringIngest.listUnknownDeployments();
    expect(list).toEqual([expect.objectContaining({ deploymentId: 'shadow-42', attempts: 2 })]);
    const api = await call('admin', 'GET', '/api/v1/monitoring/unknown-deployments', undefined, 200);
    expect(api.json().items[0].deploymentId).toBe('shadow-42');
  });
});

function referenceCsvRows(): Record<string, string>[] {
  const lines = referenceCsv().trim().split('\n');
  const header = (lines[0] as string).split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
}
