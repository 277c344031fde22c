import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { computeFairnessBySpecs } from '../fairness/fairness.ts';
import { loadTable } from '../load/load-table.ts';
import { decileEdges } from './calibration.ts';
import { criticalValue, DeLongAccumulator, newcombe, normalQuantile, wilson } from './intervals.ts';
import { computePerformance } from './performance.ts';
import { createScoredView } from './scored-rows.ts';

describe('interval building blocks', () => {
  it('normal quantiles agree with scipy.stats.norm.ppf', () => {
    // scipy 1.10.1: norm.ppf(0.975), norm.ppf(0.95), norm.ppf(1e-10)
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(criticalValue(0.9)).toBeCloseTo(1.6448536269514722, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(() => criticalValue(1)).toThrow(/strictly between 0 and 1/);
  });

  it('Wilson: no trials give null; no successes give the closed form z²/(n + z²)', () => {
    const z = criticalValue(0.95);
    expect(wilson(0, 0, z)).toBeNull();
    const w = wilson(0, 10, z);
    expect(w?.lower).toBeCloseTo(0, 15);
    expect(w?.upper).toBeCloseTo((z * z) / (10 + z * z), 14);
    expect(newcombe({ successes: 1, trials: 0 }, { successes: 1, trials: 2 }, z)).toBeNull();
  });

  it('DeLong from the sorted walk equals the O(n1 · n0) definition (ties, weights as repeats)', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const rows = Array.from({ length: 120 }, () => {
      const y = random() < 0.3 ? 1 : 0;
      return { y, p: Math.round((0.3 * y + random()) * 10) / 10, w: Math.floor(random() * 3) + 1 };
    });
    // by definition, each row repeated w times
    const pos = rows.filter((r) => r.y === 1).flatMap((r) => Array(r.w).fill(r.p) as number[]);
    const neg = rows.filter((r) => r.y === 0).flatMap((r) => Array(r.w).fill(r.p) as number[]);
    const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
    const v10 = pos.map((x) => neg.reduce((s, y) => s + psi(x, y), 0) / neg.length);
    const v01 = neg.map((y) => pos.reduce((s, x) => s + psi(x, y), 0) / pos.length);
    const auc = v10.reduce((a, b) => a + b, 0) / pos.length;
    const variance = (v: number[], n: number) => v.reduce((s, x) => s + (x - auc) ** 2, 0) / (n - 1);
    const expected = variance(v10, pos.length) / pos.length + variance(v01, neg.length) / neg.length;
    // the walk: distinct scores descending with their weighted class totals
    const scores = [...new Set(rows.map((r) => r.p))].sort((a, b) => b - a);
    const acc = new DeLongAccumulator(pos.length, neg.length);
    for (const s of scores) {
      const at = rows.filter((r) => r.p === s);
      acc.add(
        at.filter((r) => r.y === 1).reduce((t, r) => t + r.w, 0),
        at.filter((r) => r.y === 0).reduce((t, r) => t + r.w, 0),
      );
    }
    const result = acc.result();
    expect(result?.auc).toBeCloseTo(auc, 13);
    expect(result?.variance).toBeCloseTo(expected, 15);
    expect(Math.abs((result?.variance ?? 0) - expected) / expected).toBeLessThan(1e-12);
  });

  it('DeLong needs more than one row of each class', () => {
    const acc = new DeLongAccumulator(1, 5);
    acc.add(1, 0);
    acc.add(0, 5);
    expect(acc.result()).toBeNull();
  });

  it('decile edges follow numpy.quantile and drop duplicates (pandas qcut)', () => {
    // numpy.quantile([1, 2, 3, 4], np.linspace(0, 1, 11))
    expect(decileEdges({ values: Float64Array.of(1, 2, 3, 4), counts: null })).toEqual([
      1, 1.3, 1.6, 1.9000000000000001, 2.2, 2.5, 2.8000000000000003, 3.1, 3.4000000000000004, 3.7, 4,
    ]);
    // eight 0.1 and two 0.5, as distinct values with counts: numpy.quantile gives 0.1 (×8), 0.18000000000000008, 0.5, 0.5
    expect(decileEdges({ values: Float64Array.of(0.1, 0.5), counts: Float64Array.of(8, 2) })).toEqual([
      0.1, 0.18000000000000008, 0.5,
    ]);
  });
});

describe('edge cases of the calibration fit and the judged disparities', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'assay-intervals-'));
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  const run = async (name: string, lines: string[], group?: number) => {
    const file = path.join(dir, `${name}.csv`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const table = await loadTable(conn, file);
    const names = { label: 'label', score: 'score' };
    const scored = await createScoredView(conn, table, names);
    const performance = await computePerformance(conn, scored, names);
    const fairness =
      group !== undefined
        ? await computeFairnessBySpecs(conn, scored, [['g']], { minGroupSize: group })
        : null;
    return { performance, fairness };
  };

  it('a score that separates the classes has no finite recalibration (null with the reason)', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i < 20 ? 0 : 1},${(i + 1) / 50},g${i % 2}`);
    const { performance } = await run('separated', ['label,score,g', ...rows]);
    expect(performance.calibration?.slope).toBeNull();
    expect(performance.calibration?.intercept).toBeNull();
    expect(performance.calibration?.note).toMatch(/no finite maximum/);
    // AUC 1 with a zero DeLong variance: the interval is the point
    expect(performance.intervals?.roc_auc).toMatchObject({ lower: 1, upper: 1, standard_error: 0 });
  });

  it('two distinct scores form two risk groups: Hosmer–Lemeshow is undefined, with the reason', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 3 === 0 ? 1 : 0},${i < 15 ? 0.2 : 0.6},a`);
    const { performance } = await run('two-scores', ['label,score,g', ...rows]);
    expect(performance.calibration?.hosmer_lemeshow_groups).toBe(2);
    expect(performance.calibration?.hosmer_lemeshow_statistic).toBeNull();
    expect(performance.calibration?.note).toMatch(/at least 3/);
    expect(performance.calibration?.slope).not.toBeNull();
  });

  it('a constant score has no recalibration slope', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => `${i % 2},0.4,a`);
    const { performance } = await run('constant', ['label,score,g', ...rows]);
    expect(performance.calibration?.slope).toBeNull();
    expect(performance.calibration?.note).toMatch(/constant/);
  });

  it('with one group large enough, the headline disparities are null with a note; all-groups stay', async () => {
    const rows = Array.from(
      { length: 50 },
      (_, i) => `${i % 2},${((i * 37) % 100) / 100},${i < 40 ? 'big' : 'small'}`,
    );
    const { fairness } = await run('one-large', ['label,score,g', ...rows], 20);
    const f = fairness?.g;
    expect(f?.judged?.groups).toEqual(['big']);
    expect(f?.judged?.demographic_parity_difference).toBeNull();
    expect(f?.judged?.note).toMatch(/fewer than two groups/);
    expect(f?.demographic_parity_difference).not.toBeNull();
    expect(f?.intervals?.demographic_parity_difference?.method).toBe('newcombe');
    expect(f?.small_groups).toEqual(['small']);
  });
});
