import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { loadCsvAsText } from '../../../test/support/fixture-tables.ts';
import type { ColumnInfo } from '../table.ts';
import { computeDrift, DEFAULT_DRIFT_THRESHOLDS } from './drift.ts';

const small = {
  reference: 'test/fixtures/reference/drift/small_reference.csv',
  current: 'test/fixtures/reference/drift/small_current.csv',
};
const large = {
  reference: 'test/fixtures/reference/drift/large_reference.csv',
  current: 'test/fixtures/reference/drift/large_current.csv',
};

describe('drift decisions', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const load = async (pair: { reference: string; current: string }, cols: ColumnInfo[]) => ({
    reference: await loadCsvAsText(conn, pair.reference, cols),
    current: await loadCsvAsText(conn, pair.current, cols),
  });

  it('auto: KS / chi² decide on small references, Wasserstein / JS on large ones', async () => {
    const cols: ColumnInfo[] = [
      { name: 'cont', kind: 'numeric' },
      { name: 'two', kind: 'categorical' },
    ];
    const s = await load(small, cols);
    const r = await computeDrift(conn, s.reference, s.current, cols);
    const cont = r.features.cont;
    expect(cont?.test).toBe('ks');
    expect(cont?.kind === 'numeric' && cont.test_value === cont.ks_pvalue).toBe(true);
    expect(cont?.drifted).toBe((cont?.test_value as number) < 0.05);
    expect(r.features.two?.test).toBe('chi2');
    const bigCols: ColumnInfo[] = [
      { name: 'shift', kind: 'numeric' },
      { name: 'cat', kind: 'categorical' },
    ];
    const b = await load(large, bigCols);
    const rb = await computeDrift(conn, b.reference, b.current, bigCols);
    const shift = rb.features.shift;
    expect(shift?.test).toBe('wasserstein');
    expect(shift?.kind === 'numeric' && shift.test_value === shift.wasserstein_normed).toBe(true);
    expect(shift?.drifted).toBe((shift?.test_value as number) >= 0.1);
    expect(rb.features.cat?.test).toBe('js');
  });

  it('thresholds are configurable and recorded; drift share and dataset verdict follow', async () => {
    const cols: ColumnInfo[] = [
      { name: 'shift', kind: 'numeric' },
      { name: 'same', kind: 'numeric' },
      { name: 'cat', kind: 'categorical' },
    ];
    const b = await load(large, cols);
    const strict = await computeDrift(conn, b.reference, b.current, cols, {
      thresholds: { wasserstein_normed: 0, js_distance: 0, drift_share: 1 },
    });
    expect(strict.drifted_count).toBe(3);
    expect(strict.drift_share).toBe(1);
    expect(strict.dataset_drifted).toBe(true);
    expect(strict.thresholds).toEqual({
      ...DEFAULT_DRIFT_THRESHOLDS,
      wasserstein_normed: 0,
      js_distance: 0,
      drift_share: 1,
    });
    const byPsi = await computeDrift(conn, b.reference, b.current, cols, {
      thresholds: { numeric_test: 'psi', categorical_test: 'psi', psi: 1e9 },
    });
    expect(byPsi.drifted_count).toBe(0);
    expect(byPsi.dataset_drifted).toBe(false);
    expect(Object.values(byPsi.features).every((f) => f.test === 'psi' && f.test_threshold === 1e9)).toBe(
      true,
    );
  });

  it('an empty sample gives null statistics, no drift and a note; prediction drift is separate', async () => {
    const cols: ColumnInfo[] = [
      { name: 'empty_cur', kind: 'numeric' },
      { name: 'cont', kind: 'numeric' },
    ];
    const s = await load(small, cols);
    const r = await computeDrift(conn, s.reference, s.current, [cols[0] as ColumnInfo], {
      prediction: cols[1] as ColumnInfo,
    });
    const empty = r.features.empty_cur;
    expect(empty?.drifted).toBe(false);
    expect(empty?.test_value).toBeNull();
    expect(empty?.note).toMatch(/current/);
    expect(empty?.current_missing).toBe(s.current.rows);
    expect(r.feature_count).toBe(1);
    expect(r.prediction?.column).toBe('cont');
    expect(r.prediction?.drift.kind).toBe('numeric');
  });

  it('histograms hold proportions of each sample', async () => {
    const cols: ColumnInfo[] = [
      { name: 'ties', kind: 'numeric' },
      { name: 'many', kind: 'categorical' },
    ];
    const s = await load(small, cols);
    const r = await computeDrift(conn, s.reference, s.current, cols, { histogramBins: 5 });
    for (const f of Object.values(r.features)) {
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      expect(sum(f.histogram.reference)).toBeCloseTo(1, 12);
      expect(sum(f.histogram.current)).toBeCloseTo(1, 12);
      expect(f.histogram.reference.length).toBeLessThanOrEqual(5);
    }
    expect(r.features.ties?.histogram.edges?.length).toBe(6);
    expect(r.features.many?.histogram.other_label).toBe('(other)');
  });
});
