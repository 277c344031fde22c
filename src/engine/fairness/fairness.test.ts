import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import type { FairnessResult } from '../../contracts/validation-evidence.ts';
import { loadTable } from '../load/load-table.ts';
import { createScoredView } from '../performance/scored-rows.ts';
import { computeFairness, computeFairnessBySpecs, MISSING_GROUP } from './fairness.ts';

const fixture = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference/fairness/expected.json'), 'utf8'),
) as { file: string; threshold: number; columns: Record<string, Record<string, unknown>> };

function expectClose(actual: unknown, expected: unknown, what: string): void {
  if (typeof expected !== 'number') {
    expect(actual, what).toEqual(expected);
    return;
  }
  expect(typeof actual, what).toBe('number');
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-15);
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

describe('fairness matches the pandas (Fairlearn-definition) reference on adult', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const table = await loadTable(conn, path.resolve(REPO_ROOT, fixture.file));
  const scored = await createScoredView(conn, table, {
    label: 'label',
    score: 'score',
    threshold: fixture.threshold,
  });
  for (const [column, expected] of Object.entries(fixture.columns)) {
    it(`by ${column}`, async () => {
      // 'sex+race' is the intersection of two columns
      const spec = column.split('+');
      const result =
        spec.length > 1
          ? ((await computeFairnessBySpecs(conn, scored, [spec]))[column] as FairnessResult)
          : await computeFairness(conn, scored, column);
      const actual = result as unknown as Record<string, unknown>;
      const groups = expected.groups as Record<string, Record<string, unknown>>;
      expect(Object.keys(result.groups).sort()).toEqual(Object.keys(groups).sort());
      for (const [group, metrics] of Object.entries(groups)) {
        for (const [key, value] of Object.entries(metrics)) {
          expectClose(
            (result.groups[group] as unknown as Record<string, unknown>)[key],
            value,
            `${column}.${group}.${key}`,
          );
        }
      }
      for (const [key, value] of Object.entries(expected)) {
        if (key !== 'groups') expectClose(actual[key], value, `${column}.${key}`);
      }
      expect(result.four_fifths_violation).toBe((result.demographic_parity_ratio ?? 1) < 0.8);
      for (const [group, m] of Object.entries(result.groups)) {
        expect(m.too_small, group).toBe(m.count < 30);
        expect(result.small_groups.includes(group)).toBe(m.too_small);
      }
    });
  }
  it('computes every spec in one grouped scan with the same numbers as one at a time', async () => {
    const specs = Object.keys(fixture.columns).map((c) => c.split('+'));
    const together = await computeFairnessBySpecs(conn, scored, specs);
    for (const spec of specs) {
      const alone = await computeFairnessBySpecs(conn, scored, [spec]);
      expect(together[spec.join('+')]).toEqual(alone[spec.join('+')]);
    }
  });
});

describe('fairness edge cases', async () => {
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  it('keeps small and missing groups; a group without positives (negatives) has TPR (FPR) 0, as Fairlearn', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'assay-fair-')), 'f.csv');
    // a: 2 rows both positive labels; b: 2 rows negative labels; missing group: 1 row.
    writeFileSync(file, 'y,s,g\n1,0.9,a\n1,0.1,a\n0,0.8,b\n0,0.2,b\n1,0.7,\n');
    const t = await loadTable(conn, file);
    const v = await createScoredView(conn, t, { label: 'y', score: 's' });
    const r = await computeFairness(conn, v, 'g', { minGroupSize: 2 });
    expect(Object.keys(r.groups)).toEqual(['a', 'b', MISSING_GROUP]);
    // sklearn's confusion_matrix(normalize='true') turns 0/0 into 0, and Fairlearn reports that
    expect(r.groups.b?.true_positive_rate).toBe(0);
    expect(r.groups.a?.false_positive_rate).toBe(0);
    expect(r.small_groups).toEqual([MISSING_GROUP]);
    // TPR a 0.5, b 0, missing 1: difference 1; FPR a 0, b 0.5, missing 0: difference 0.5
    expect(r.equal_opportunity_difference).toBe(1);
    expect(r.equalized_odds_difference).toBe(1);
    expect(r.equalized_odds_ratio).toBe(0);
    expect(r.demographic_parity_ratio).toBe(0.5);
    expect(r.four_fifths_violation).toBe(true);
    expect(r.groups.a?.impact_ratio).toBe(0.5);
  });
});
