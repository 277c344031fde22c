import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/fixture-tables.ts';
import { ksTwoSamplePValue, kstwoSf } from './kolmogorov.ts';
import { chiSquareSf } from './special-functions.ts';
import {
  chiSquareContingency,
  jensenShannonDistance,
  linearQuantile,
  populationStabilityIndex,
} from './statistics.ts';

const special = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference/drift/expected.json'), 'utf8')) as {
    special: { kstwo_sf: [number, number, number][]; chi2_sf: [number, number, number][] };
  }
).special;

function close(actual: number, expected: number, what: string): void {
  const tolerance = Math.max(1e-9 * Math.abs(expected), 1e-300);
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('distribution tails agree with SciPy to 1e-9', () => {
  it('kstwo.sf on every algorithm branch', () => {
    expect(special.kstwo_sf.length).toBeGreaterThan(50);
    for (const [x, n, p] of special.kstwo_sf) close(kstwoSf(x, n), p, `kstwo.sf(${x}, ${n})`);
  });

  it('chi2.sf from tiny to huge degrees of freedom', () => {
    for (const [x, dof, p] of special.chi2_sf) close(chiSquareSf(x, dof), p, `chi2.sf(${x}, ${dof})`);
  });
});

describe('drift statistics edge cases', () => {
  it('KS p-value is 1 when the lattice statistic rounds to zero, exact at the 10000 switch, asymptotic above', () => {
    expect(ksTwoSamplePValue(50, 70, 0)).toEqual({ statistic: 0, pvalue: 1, method: 'exact' });
    expect(ksTwoSamplePValue(10000, 9000, 0.02).method).toBe('exact');
    expect(ksTwoSamplePValue(10001, 9000, 0.02).method).toBe('asymp');
  });

  it('chi-square: one category has dof 0 and p 1; two categories use Yates; an empty sample is undefined', () => {
    expect(chiSquareContingency([5], [7])).toEqual({ statistic: 0, pvalue: 1, dof: 0, yates: false });
    const yates = chiSquareContingency([10, 20], [20, 10]);
    expect(yates?.yates).toBe(true);
    // |O − E| = 5 everywhere, corrected to 4.5: χ² = 4 · 4.5² / 15
    expect(yates?.statistic).toBeCloseTo((4 * 4.5 ** 2) / 15, 12);
    expect(chiSquareContingency([0, 0], [1, 2])).toBeNull();
  });

  it('PSI floors empty bins at 1e-4 and is 0 for identical distributions', () => {
    expect(populationStabilityIndex([1, 1], [2, 2])).toBe(0);
    const psi = populationStabilityIndex([10, 0], [5, 5]);
    expect(psi).toBeCloseTo((0.5 - 1) * Math.log(0.5 / 1) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4), 12);
  });

  it('Jensen–Shannon distance is bounded by sqrt(ln 2) for disjoint supports', () => {
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(Math.sqrt(Math.LN2), 14);
    expect(jensenShannonDistance([3, 3], [1, 1])).toBe(0);
  });

  it('linear quantile interpolates as numpy (b − diff·(1 − t) above one half)', () => {
    const sorted = [1, 2, 4, 8];
    expect(linearQuantile(4, 0.5, (r) => sorted[r] as number)).toBe(3);
    expect(linearQuantile(4, 0.9, (r) => sorted[r] as number)).toBeCloseTo(6.8, 14);
    expect(linearQuantile(4, 1, (r) => sorted[r] as number)).toBe(8);
  });
});
