import type { CategoryCounts } from '../scan/table-scan.ts';
import {
  type ChiSquareResult,
  chiSquareContingency,
  jensenShannonDistance,
  populationStabilityIndex,
} from './statistics.ts';

/** Raw categorical drift statistics of one column. */
export interface CategoricalDriftStats {
  referenceCount: number;
  currentCount: number;
  categories: number;
  chi2: ChiSquareResult | null;
  jsDistance: number | null;
  psi: number | null;
  histogram: { labels: string[]; otherLabel: string | null; reference: number[]; current: number[] };
}

const OTHER_LABEL = '(other)';

/** Chi-square, Jensen–Shannon and PSI over the categories of either sample. */
export function categoricalDriftOfCounts(
  reference: CategoryCounts,
  current: CategoryCounts,
  histogramBins: number,
): CategoricalDriftStats {
  // merge the two sorted category lists (both in DuckDB's byte order = code point order)
  const labels: string[] = [];
  const referenceCounts: number[] = [];
  const currentCounts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < reference.values.length || j < current.values.length) {
    const r = reference.values[i];
    const c = current.values[j];
    const order = r === undefined ? 1 : c === undefined ? -1 : compareCodePoints(r, c);
    labels.push((order <= 0 ? r : c) as string);
    referenceCounts.push(order <= 0 ? (reference.counts[i++] as number) : 0);
    currentCounts.push(order >= 0 ? (current.counts[j++] as number) : 0);
  }
  const n1 = reference.total;
  const n2 = current.total;
  const bothPresent = n1 > 0 && n2 > 0;
  return {
    referenceCount: n1,
    currentCount: n2,
    categories: labels.length,
    chi2: bothPresent ? chiSquareContingency(referenceCounts, currentCounts) : null,
    jsDistance: bothPresent ? jensenShannonDistance(referenceCounts, currentCounts) : null,
    psi: bothPresent ? populationStabilityIndex(referenceCounts, currentCounts) : null,
    histogram: topCategories(labels, referenceCounts, currentCounts, n1, n2, histogramBins),
  };
}

/** Orders strings by Unicode code point (the order of their UTF-8 bytes, as DuckDB sorts text). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const x = a.charCodeAt(k);
    const y = b.charCodeAt(k);
    if (x === y) continue;
    // a surrogate (U+D800–DFFF, part of a code point above U+FFFF) sorts after U+E000–FFFF
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy && (x >= 0xe000 || y >= 0xe000)) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The most frequent categories (by combined count) and a pooled rest, as proportions. */
function topCategories(
  labels: string[],
  referenceCounts: number[],
  currentCounts: number[],
  n1: number,
  n2: number,
  bins: number,
): CategoricalDriftStats['histogram'] {
  const order = labels
    .map((_, i) => i)
    .sort((a, b) => {
      const diff =
        (referenceCounts[b] as number) +
        (currentCounts[b] as number) -
        (referenceCounts[a] as number) -
        (currentCounts[a] as number);
      return diff !== 0 ? diff : a - b;
    });
  const keep = labels.length > bins ? order.slice(0, bins - 1) : order;
  const rest = labels.length > bins ? order.slice(bins - 1) : [];
  const share = (c: number, n: number) => (n > 0 ? c / n : 0);
  const reference = keep.map((i) => share(referenceCounts[i] as number, n1));
  const current = keep.map((i) => share(currentCounts[i] as number, n2));
  if (rest.length > 0) {
    reference.push(
      share(
        rest.reduce((s, i) => s + (referenceCounts[i] as number), 0),
        n1,
      ),
    );
    current.push(
      share(
        rest.reduce((s, i) => s + (currentCounts[i] as number), 0),
        n2,
      ),
    );
  }
  return {
    labels: keep.map((i) => labels[i] as string),
    otherLabel: rest.length > 0 ? OTHER_LABEL : null,
    reference,
    current,
  };
}
