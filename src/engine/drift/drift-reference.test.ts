import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadCsvAsText, readReferenceCases } from '../../../test/support/fixture-tables.ts';
import type { ColumnInfo } from '../table.ts';
import { columnDrift, computeDrift, DEFAULT_DRIFT_THRESHOLDS } from './drift.ts';

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

const FIELDS = [
  'reference_count',
  'current_count',
  'ks_statistic',
  'ks_pvalue',
  'ks_method',
  'wasserstein_distance',
  'reference_std',
  'wasserstein_normed',
  'psi',
  'chi2_statistic',
  'chi2_pvalue',
  'chi2_dof',
  'js_distance',
  'categories',
];
const STATISTICS = ['ks_statistic', 'ks_pvalue', 'wasserstein_normed', 'psi', 'chi2_pvalue', 'js_distance'];

function compare(what: string, actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  for (const field of FIELDS) {
    if (field in expected) expectClose(actual[field], expected[field], `${what}.${field}`);
    else if (STATISTICS.includes(field) && field in actual) {
      // SciPy had nothing to compute (an empty sample): the engine must say null, not 0
      expect(actual[field], `${what}.${field}`).toBeNull();
    }
  }
  const edges = expected.psi_edges as number[] | undefined;
  if (edges) {
    const got = actual.psi_edges as number[];
    expect(got.length, `${what} edges`).toBe(edges.length);
    for (const [i, e] of edges.entries()) expectClose(got[i], e, `${what}.psi_edges[${i}]`);
  }
}

describe('drift matches SciPy/NumPy reference values', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (const [c, typed] of readReferenceCases().flatMap((c) => [[c, false] as const, [c, true] as const])) {
    it(`case ${c.name}${typed ? ' (typed columns)' : ' (text columns)'}`, async () => {
      const kinds: ColumnInfo[] = Object.entries(c.kinds).map(([name, kind]) => ({ name, kind }));
      const reference = await loadCsvAsText(conn, c.reference, kinds, typed);
      const current = await loadCsvAsText(conn, c.current, kinds, typed);
      const result = await computeDrift(conn, reference, current, kinds);
      expect(Object.keys(result.features)).toEqual(Object.keys(c.features));
      for (const [column, expected] of Object.entries(c.features)) {
        compare(
          `${c.name}.${column}`,
          result.features[column] as unknown as Record<string, unknown>,
          expected,
        );
        if (c.kinds[column] === 'numeric') {
          // computeDrift shares its scans across columns; columnDrift reads one column alone:
          // both must give SciPy's numbers
          const info: ColumnInfo = { name: column, kind: 'numeric' };
          const streamed = await columnDrift(conn, reference, current, info, DEFAULT_DRIFT_THRESHOLDS, 20);
          compare(`${c.name}.${column} (streamed)`, streamed as unknown as Record<string, unknown>, expected);
        }
      }
    });
  }
});
