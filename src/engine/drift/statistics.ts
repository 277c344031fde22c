/**
 * Drift statistics computed from per-bin / per-category counts, with the exact formulas of the
 * reference libraries (SciPy `chi2_contingency`, `jensenshannon`; decile PSI).
 */
import { chiSquareSf } from './special-functions.ts';

/** Smallest proportion PSI uses, so that empty bins do not make it infinite. */
export const PSI_FLOOR = 1e-4;

/** PSI = Σ (cur − ref) · ln(cur / ref) over bins, proportions floored at 1e-4. */
export function populationStabilityIndex(referenceCounts: number[], currentCounts: number[]): number {
  const nRef = sum(referenceCounts);
  const nCur = sum(currentCounts);
  let psi = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const r = Math.max((referenceCounts[i] as number) / nRef, PSI_FLOOR);
    const c = Math.max((currentCounts[i] as number) / nCur, PSI_FLOOR);
    psi += (c - r) * Math.log(c / r);
  }
  return psi;
}

function sum(values: number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Result of a chi-square test of homogeneity on a 2 × k table. */
export interface ChiSquareResult {
  statistic: number;
  pvalue: number;
  dof: number;
  yates: boolean;
}

/**
 * scipy.stats.chi2_contingency on the 2 × k table [reference; current] (Yates' correction when
 * dof = 1). Null when a sample is empty (SciPy raises: an expected frequency is zero).
 */
export function chiSquareContingency(
  referenceCounts: number[],
  currentCounts: number[],
): ChiSquareResult | null {
  const k = referenceCounts.length;
  const rows = [referenceCounts, currentCounts];
  const rowSums = rows.map(sum);
  const total = (rowSums[0] as number) + (rowSums[1] as number);
  const colSums = referenceCounts.map((r, j) => r + (currentCounts[j] as number));
  if (k === 0 || rowSums.some((s) => s === 0) || colSums.some((s) => s === 0)) return null;
  const dof = k - 1;
  if (dof === 0) return { statistic: 0, pvalue: 1, dof: 0, yates: false };
  const yates = dof === 1;
  let statistic = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < k; j++) {
      const expected = ((rowSums[i] as number) * (colSums[j] as number)) / total;
      let observed = (rows[i] as number[])[j] as number;
      if (yates) {
        const diff = expected - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += (observed - expected) ** 2 / expected;
    }
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof, yates };
}

function relativeEntropyTerm(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Number.POSITIVE_INFINITY;
}

/** scipy.spatial.distance.jensenshannon(p, q) with natural log (the distance, sqrt of the divergence). */
export function jensenShannonDistance(referenceCounts: number[], currentCounts: number[]): number | null {
  const sp = sum(referenceCounts);
  const sq = sum(currentCounts);
  if (sp === 0 || sq === 0) return null;
  let left = 0;
  let right = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const p = (referenceCounts[i] as number) / sp;
    const q = (currentCounts[i] as number) / sq;
    const m = (p + q) / 2;
    left += relativeEntropyTerm(p, m);
    right += relativeEntropyTerm(q, m);
  }
  return Math.sqrt((left + right) / 2);
}

/** numpy.quantile (method 'linear') of a sorted sample given as a rank accessor. */
export function linearQuantile(n: number, q: number, valueAtRank: (rank: number) => number): number {
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return valueAtRank(n - 1);
  const previous = Math.floor(virtual);
  const a = valueAtRank(previous);
  const b = valueAtRank(previous + 1);
  const t = virtual - previous;
  const diff = b - a;
  // numpy's _lerp: a + diff·t, but b − diff·(1 − t) when t ≥ 0.5
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
