import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/support/engines.ts';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import type { MonitoringSeries } from '../../contracts/monitoring.ts';
import { ADULT_FEATURES, adultPredictions, predictionsCsv, referenceCsv } from './monitoring-fixture.ts';

/**
 * A plan whose baseline is a validation run's reference (evidence pushed by `assay validate --push`
 * records its inputs with their SHA-256): applying it resolves the hash, the reference ingested must
 * be that very file, and windows are compared with it.
 */
describe.each(ENGINES)('a validation run as the monitoring baseline on %s', (engine) => {
  let t: TestServer;
  let dep = '';
  const reference = referenceCsv();
  const sha = createHash('sha256').update(reference).digest('hex');
  const mon = (suffix: string) => `/api/v1/deployments/${dep}/monitoring${suffix}`;
  const csv = { 'content-type': 'text/csv' };
  const evidence = async (inputs: string[]) => {
    const res = await t.call('POST', '/api/v1/models/census/versions/1.0.0/evidence', {
      type: 'validation_report',
      title: 'Validation of census 1.0.0',
      externalUrl: 'https://mrm.example/census/1.0.0/validation',
      producedBy: { tool: 'assay-validate', version: '0.1.0' },
      inputs,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const plan = (evidenceId: string, extra = '') => `schema: assay.monitoring-plan/v1
columns: { score: score, label: label, positiveLabel: '1' }
features: [${ADULT_FEATURES.join(', ')}]
categorical: [sex, race, occupation]
baseline: { type: validation, evidence: '${evidenceId}'${extra} }
window: day
checks:
  - { kind: drift, metric: psi, feature: age, warning: 0.1, critical: 0.25 }
`;

  beforeAll(async () => {
    t = await startTestServer(engine, '2026-03-05T00:00:00.000Z');
    await t.call('POST', '/api/v1/models', { key: 'census', name: 'Census', type: 'classification' });
    await t.call('POST', '/api/v1/models/census/versions', { label: '1.0.0' });
    const d = await t.call('POST', '/api/v1/models/census/deployments', {
      version: '1.0.0',
      environment: 'staging',
    });
    dep = d.json().id;
  }, 60_000);
  afterAll(async () => t?.close());

  it('resolves the run reference, refuses other files as the reference, and compares windows with it', async () => {
    const withoutReference = await evidence([`data:holdout.csv sha256:${'a'.repeat(64)} rows:6032`]);
    const refused = await t.call('PUT', mon('/plan'), { text: plan(withoutReference) });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/records no reference input/);
    const missing = await t.call('PUT', mon('/plan'), { text: plan('no-such-evidence') });
    expect(missing.statusCode).toBe(400);

    const run = await evidence([
      `data:holdout.csv sha256:${'a'.repeat(64)} rows:6032`,
      `reference:reference.csv sha256:${sha} rows:6032`,
    ]);
    const wrongHash = await t.call('PUT', mon('/plan'), { text: plan(run, `, sha256: ${'b'.repeat(64)}`) });
    expect(wrongHash.statusCode).toBe(400);
    expect(wrongHash.json().error.message).toMatch(/baseline\.sha256/);
    const applied = await t.call('PUT', mon('/plan'), { text: plan(run) });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json().plan.document.baseline).toEqual({
      type: 'validation',
      evidence: run,
      input: 'reference',
      sha256: sha,
    });

    // another file is not the run's reference; the run's own file is
    const other = await t.call('POST', mon('/ingest?kind=reference'), `${reference}\n`, undefined, csv);
    expect(other.statusCode).toBe(400);
    expect(other.json().error.message).toMatch(/baseline is the reference of validation run/);
    const ok = await t.call('POST', mon('/ingest?kind=reference'), reference, undefined, csv);
    expect(ok.statusCode, ok.body).toBe(201);

    const preds = adultPredictions('2026-03-01T00:00:00.000Z', 2, 300);
    expect((await t.call('POST', mon('/ingest'), predictionsCsv(preds), undefined, csv)).statusCode).toBe(
      201,
    );
    const computed = await t.call('POST', mon('/run'), {});
    expect(computed.statusCode, computed.body).toBe(200);
    expect(computed.json().windows.length).toBeGreaterThanOrEqual(2);
    const series = (await t.call('GET', mon('/series'))).json() as MonitoringSeries;
    const psi = series.series.find((s) => s.check === 'drift:age')!;
    // the production file's people are younger than the validated population
    expect(psi.points.slice(0, 2).every((p) => p.value !== null && p.value > 0.1)).toBe(true);
  }, 120_000);
});
