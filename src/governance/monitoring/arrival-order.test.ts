import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/support/test-server.ts';
import { validate } from '../../engine/validate.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import { adultPredictions, outcomesNdjson, predictionsNdjson, toCsv } from './monitoring-fixture.ts';

const START = '2026-03-01T00:00:00.000Z';
const FEATURES = ['age', 'education_num', 'hr_per_week'];
const PLAN = `columns: { score: score, label: label, positiveLabel: '1' }
features: [${FEATURES.join(', ')}]
baseline: { type: fixed, from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }
window: day
checks:
  - { kind: performance, metric: roc_auc, warning: 0.8, minLabelledRows: 1 }
  - { kind: performance, metric: accuracy, warning: 0.8, minLabelledRows: 1 }
  - { kind: drift, metric: psi, feature: age, warning: 0.1 }
`;

/**
 * Property: whatever order prediction batches and late outcome batches arrive in, and whenever the
 * scheduler (and the compaction job) runs in between, the final window metrics equal `assay validate` on each window's rows
 * of the joined table.
 */
describe('window metrics under random arrival orders', () => {
  let t: TestServer;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-arrival-'));
  const preds = adultPredictions(START, 3, 60);
  const admin: Caller = {
    principal: { userId: 'x', username: 'admin', role: 'admin', scope: 'admin', tokenId: 't' },
    audit: { actor: 'admin', requestId: null },
  };
  const expected: Record<string, { roc: number | null; acc: number | null; psi: number | null }> = {};
  let n = 0;

  beforeAll(async () => {
    t = await startTestServer('sqlite', '2026-02-20T00:00:00.000Z');
    // the oracle: validate on each day's joined rows, against day 0 as the fixed baseline
    const cols = [...FEATURES, 'score'];
    const ref = path.join(tmp, 'ref.csv');
    fs.writeFileSync(
      ref,
      toCsv(
        cols,
        preds.slice(0, 60).map((p) => p.row),
      ),
    );
    for (let d = 0; d < 3; d++) {
      const day = preds.slice(d * 60, d * 60 + 60);
      const file = path.join(tmp, `day${d}.csv`);
      const labelled = path.join(tmp, `day${d}-l.csv`);
      fs.writeFileSync(
        file,
        toCsv(
          cols,
          day.map((p) => p.row),
        ),
      );
      fs.writeFileSync(
        labelled,
        toCsv(
          [...cols, 'label'],
          day.map((p) => p.row),
        ),
      );
      const now = new Date();
      const drift = await validate({ data: file, reference: ref, features: cols, now });
      const perf = await validate({
        data: labelled,
        label: 'label',
        score: 'score',
        positiveLabel: '1',
        features: [],
        now,
      });
      expected[new Date(Date.parse(START) + d * 86_400_000).toISOString()] = {
        roc: perf.performance?.roc_auc ?? null,
        acc: perf.performance?.accuracy ?? null,
        psi: drift.drift?.features.age?.psi ?? null,
      };
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('equals validate on the joined table', async () => {
    const order = fc.record({
      predictionCuts: fc.uniqueArray(fc.integer({ min: 1, max: 179 }), { maxLength: 3 }),
      outcomeCuts: fc.uniqueArray(fc.integer({ min: 1, max: 179 }), { maxLength: 3 }),
      seed: fc.integer(),
      runs: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(order, async ({ predictionCuts, outcomeCuts, seed, runs }) => {
        n++;
        t.clock.set('2026-02-20T00:00:00.000Z');
        const key = `arrival-${n}`;
        await t.call('POST', '/api/v1/models', { key, name: key, type: 'classification' });
        await t.call('POST', `/api/v1/models/${key}/versions`, { label: '1.0.0' });
        const dep = (
          await t.call('POST', `/api/v1/models/${key}/deployments`, {
            version: '1.0.0',
            environment: 'staging',
          })
        ).json().id as string;
        await t.services.monitoringPlans.apply(admin, dep, PLAN);
        // shuffle the rows, cut them into batches, and interleave the two streams by the seed
        const rng = mulberry32(seed);
        const shuffled = [...preds].sort(() => rng() - 0.5);
        const cut = (cuts: number[]) => {
          const edges = [0, ...[...cuts].sort((a, b) => a - b), shuffled.length];
          return edges.slice(1).map((e, i) => shuffled.slice(edges[i], e));
        };
        const sends = [
          ...cut(predictionCuts).map((b) => ({ kind: 'predictions' as const, body: predictionsNdjson(b) })),
          ...cut(outcomeCuts).map((b) => ({ kind: 'outcomes' as const, body: outcomesNdjson(b) })),
        ].sort(() => rng() - 0.5);
        t.clock.set('2026-03-04T00:00:00.000Z');
        for (const [i, s] of sends.entries()) {
          await t.services.monitoringIngest.ingest(admin, dep, s.kind, { ndjson: Buffer.from(s.body) });
          if (runs[i]) {
            // the compaction job merges the segments so far (threshold 1) before the run reads them
            await t.services.monitoringRuns.compaction.compact(dep, admin.audit, 1);
            await t.services.monitoringRuns.run(admin, dep, {});
          }
        }
        await t.services.monitoringRuns.run(admin, dep, {});
        const series = await t.services.monitoringSeries.series(admin, dep, {});
        const byCheck = (name: string) => series.series.find((s) => s.check === name)?.points ?? [];
        for (const [start, want] of Object.entries(expected)) {
          const at = (name: string) => byCheck(name).find((p) => p.start === start)?.value ?? null;
          expect(at('performance:roc_auc')).toBe(want.roc);
          expect(at('performance:accuracy')).toBe(want.acc);
          expect(at('drift:age')).toBe(want.psi);
          expect(byCheck('performance:roc_auc').find((p) => p.start === start)?.labelCompleteness).toBe(1);
        }
      }),
      { numRuns: 3 },
    );
  }, 600_000);
});

/** A small seeded generator (the property's shuffles are reproducible from fast-check's seed). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let r = Math.imul(a ^ (a >>> 15), 1 | a);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
