import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadCsvAsText, REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import type { ColumnInfo } from '../table.ts';
import { computeDataQuality } from './data-quality.ts';

interface QualityCase {
  name: string;
  current: string;
  reference: string;
  current_kinds: Record<string, 'numeric' | 'categorical'>;
  reference_kinds: Record<string, 'numeric' | 'categorical'>;
  label: string;
  rows: number;
  columns: number;
  missing: Record<string, number>;
  outliers: Record<string, { q1: number; q3: number; count: number }>;
  constant_columns: string[];
  duplicates: number;
  rows_in_reference: number;
  new_columns: string[];
  missing_columns: string[];
  retyped_columns: string[];
  unseen_categories: Record<string, { distinct: number; rows: number }>;
  positive_label: string;
  feature_auc: Record<string, number>;
}

const cases = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference/drift/expected.json'), 'utf8')) as {
    quality: QualityCase[];
  }
).quality;

function close(actual: number | null | undefined, expected: number, what: string): void {
  expect(actual, what).not.toBeNull();
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-15);
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance,
  );
}

const kindsOf = (k: Record<string, 'numeric' | 'categorical'>): ColumnInfo[] =>
  Object.entries(k).map(([name, kind]) => ({ name, kind }));

describe('data quality matches pandas/NumPy/scikit-learn reference values', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  for (const [c, typed] of cases.flatMap((c) => [[c, false] as const, [c, true] as const])) {
    it(`case ${c.name}${typed ? ' (typed columns)' : ' (text columns)'}`, async () => {
      const current = await loadCsvAsText(conn, c.current, kindsOf(c.current_kinds), typed);
      const reference = await loadCsvAsText(conn, c.reference, kindsOf(c.reference_kinds), typed);
      const q = await computeDataQuality(conn, current, reference, { label: c.label });
      expect(q.rows).toBe(c.rows);
      expect(q.columns).toBe(c.columns);
      for (const [column, missing] of Object.entries(c.missing))
        expect(q.missing[column]?.count, column).toBe(missing);
      for (const [column, o] of Object.entries(c.outliers)) {
        close(q.outliers[column]?.q1, o.q1, `${column}.q1`);
        close(q.outliers[column]?.q3, o.q3, `${column}.q3`);
        expect(q.outliers[column]?.count, `${column} outliers`).toBe(o.count);
      }
      expect(q.constant_columns).toEqual(c.constant_columns);
      expect(q.duplicates.count).toBe(c.duplicates);
      expect(q.leakage.rows_in_reference).toBe(c.rows_in_reference);
      expect(q.schema_changes?.new_columns).toEqual(c.new_columns);
      expect(q.schema_changes?.missing_columns).toEqual(c.missing_columns);
      expect(q.schema_changes?.retyped_columns.map((r) => r.column).sort()).toEqual(c.retyped_columns);
      const unseen = Object.fromEntries(
        Object.entries(q.schema_changes?.unseen_categories ?? {}).map(([k, v]) => [
          k,
          { distinct: v.distinct, rows: v.rows },
        ]),
      );
      expect(unseen).toEqual(c.unseen_categories);
      expect(q.leakage.positive_label).toBe(c.positive_label);
      for (const [column, auc] of Object.entries(c.feature_auc))
        close(q.leakage.feature_auc[column], auc, `auc ${column}`);
      const suspicious = Object.entries(c.feature_auc)
        .filter(([, auc]) => auc >= 0.95)
        .map(([name]) => name);
      expect(q.leakage.suspicious_features).toEqual(suspicious);
    });
  }

  it('without a reference: no schema changes, no overlap', async () => {
    const first = cases[0] as QualityCase;
    const current = await loadCsvAsText(conn, first.current, kindsOf(first.current_kinds));
    const q = await computeDataQuality(conn, current, undefined, {});
    expect(q.schema_changes).toBeNull();
    expect(q.leakage.rows_in_reference).toBeNull();
    expect(q.leakage.note).toMatch(/no label/);
  });
});
