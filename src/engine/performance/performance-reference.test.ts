import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../drift/fixture-tables.ts';
import { loadTable } from '../load/load-table.ts';
import { computePerformance } from './performance.ts';
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
  for (const c of fixture.cases) {
    it(`case ${c.name}`, async () => {
      const table = await loadTable(conn, path.resolve(REPO_ROOT, c.file));
      const names = { label: 'label', score: 'score', ...(c.weight ? { weight: c.weight } : {}) };
      const scored = await createScoredView(conn, table, { ...names, threshold: fixture.threshold });
      const result = await computePerformance(conn, scored, names);
      const actual = result as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(c.expected)) {
        if (key === 'confusion_matrix') {
          for (const [cell, v] of Object.entries(value as Record<string, number>)) {
            expectClose(result.confusion_matrix[cell as 'tp'], v, `${c.name}.confusion_matrix.${cell}`);
          }
        } else {
          expectClose(actual[key], value, `${c.name}.${key}`);
        }
      }
    });
  }
});
