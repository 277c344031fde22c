import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import { queryRows } from '../duckdb/sql.ts';
import { loadTable, requireColumn } from '../load/load-table.ts';
import { labelSpecOf } from '../scan/numeric-column.ts';
import { SortPool } from '../scan/sort-pool.ts';
import { TableScan } from '../scan/table-scan.ts';
import { CURVE_POINTS, computePerformance } from './performance.ts';
import { createScoredView } from './scored-rows.ts';

interface PerformanceCase {
  name: string;
  file: string;
  weight: string | null;
  expected: Record<string, unknown>;
}

const fixture = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference/performance/expected.json'), 'utf8'),
) as { threshold: number; cases: PerformanceCase[] };

/** Relative agreement to 1e-9 (absolute 1e-15 near zero). */
function expectClose(actual: unknown, expected: unknown, what: string): void {
  if (typeof expected !== 'number') {
    expect(actual, what).toEqual(expected);
    return;
  }
  expect(typeof actual, what).toBe('number');
  const a = actual as number;
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-15);
  expect(Math.abs(a - expected), `${what}: ${a} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('performance matches scikit-learn reference values', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const sorter = new SortPool();
  afterAll(() => sorter.close());
  for (const c of fixture.cases) {
    it(`case ${c.name}`, async () => {
      const table = await loadTable(conn, path.resolve(REPO_ROOT, c.file));
      const names = { label: 'label', score: 'score', ...(c.weight ? { weight: c.weight } : {}) };
      const scored = await createScoredView(conn, table, { ...names, threshold: fixture.threshold });
      const viaQuery = await computePerformance(conn, scored, names);
      // unweighted, the curves come from the score's sorted sample (as in validate): the same numbers
      let result = viaQuery;
      if (!c.weight) {
        const scan = new TableScan(conn, table, sorter);
        const label = requireColumn(table, 'label');
        scan.setLabel(labelSpecOf(label, (await scan.columnTypes()).get('label'), scored.positiveLabel));
        result = await computePerformance(conn, scored, names, { sortedScore: scan.numeric('score') });
        // the same numbers, but for the floating-point sums: compensated from the sorted sample,
        // DuckDB's plain sums in the query (the last bits differ)
        const summed = (r: typeof result) => ({
          ...r,
          log_loss: null,
          brier_score: null,
          ece: null,
          calibration_curve: r.calibration_curve ? { ...r.calibration_curve, prob_pred: [] } : null,
        });
        expect(summed(result)).toEqual(summed(viaQuery));
        const sums = (r: typeof result) => [
          r.log_loss ?? Number.NaN,
          r.brier_score ?? Number.NaN,
          r.ece ?? Number.NaN,
          ...(r.calibration_curve?.prob_pred ?? []),
        ];
        const ours = sums(result);
        const theirs = sums(viaQuery);
        expect(ours.length).toBe(theirs.length);
        ours.forEach((x, i) => {
          const y = theirs[i] as number;
          expect(Math.abs(x - y), `${c.name} sum ${i}: ${x} vs ${y}`).toBeLessThanOrEqual(
            1e-12 * Math.abs(y),
          );
        });
      }
      const actual = result as unknown as Record<string, unknown>;
      // The curves end at (1, 1); with few distinct scores every point is kept, so the trapezoids give roc_auc.
      expect(result.roc_curve?.fpr.at(-1)).toBeCloseTo(1, 12);
      expect(result.roc_curve?.tpr.at(-1)).toBeCloseTo(1, 12);
      expect(result.precision_recall_curve?.recall.at(-1)).toBeCloseTo(1, 12);
      const roc = result.roc_curve ?? { fpr: [], tpr: [] };
      const [d] = await queryRows(conn, `SELECT count(DISTINCT score) AS n FROM ${table.table}`);
      if (Number(d?.n) <= CURVE_POINTS) {
        let area = 0;
        for (let i = 1; i < roc.fpr.length; i++) {
          area +=
            ((roc.fpr[i] ?? 0) - (roc.fpr[i - 1] ?? 0)) * (((roc.tpr[i] ?? 0) + (roc.tpr[i - 1] ?? 0)) / 2);
        }
        expectClose(area, c.expected.roc_auc, `${c.name}.roc_curve area`);
      } else {
        expect(roc.fpr.length).toBeLessThanOrEqual(CURVE_POINTS + 2);
      }
      for (const [key, value] of Object.entries(c.expected)) {
        if (key === 'confusion_matrix') {
          for (const [cell, v] of Object.entries(value as Record<string, number>)) {
            expectClose(result.confusion_matrix?.[cell as 'tp'], v, `${c.name}.confusion_matrix.${cell}`);
          }
        } else {
          expectClose(actual[key], value, `${c.name}.${key}`);
        }
      }
    });
  }
});
