import { ksTwoSamplePValue } from './kolmogorov.ts';
import { countAtMost, type SortedSample } from './sorted-sample.ts';
import { linearQuantile, populationStabilityIndex } from './statistics.ts';

/** Raw numeric drift statistics of one column (the decision is made by the caller). */
export interface NumericDriftStats {
  referenceCount: number;
  currentCount: number;
  ksStatistic: number | null;
  ksPvalue: number | null;
  ksMethod: 'exact' | 'asymp' | null;
  wassersteinDistance: number | null;
  wassersteinNormed: number | null;
  referenceStd: number | null;
  psi: number | null;
  psiEdges: number[];
  histogram: { edges: number[]; reference: number[]; current: number[] };
}

const DECILES = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i / 10);

/** The drift statistics of two sorted samples. */
export function numericDriftOfSamples(
  ref: SortedSample,
  cur: SortedSample,
  histogramBins: number,
): NumericDriftStats {
  const n1 = ref.n;
  const n2 = cur.n;
  const empty: NumericDriftStats = {
    referenceCount: n1,
    currentCount: n2,
    ksStatistic: null,
    ksPvalue: null,
    ksMethod: null,
    wassersteinDistance: null,
    wassersteinNormed: null,
    referenceStd: null,
    psi: null,
    psiEdges: [],
    histogram: { edges: [], reference: [], current: [] },
  };
  if (n1 === 0 || n2 === 0) return empty;
  // one merge over the union of values: ECDF differences at every value (KS) and their
  // integral between consecutive values (Wasserstein), as scipy's searchsorted formulation
  let i = 0;
  let j = 0;
  let cr = 0;
  let cc = 0;
  let maxDiff = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  // Neumaier-compensated sum of the Wasserstein areas (inline: this loop runs per value)
  let wSum = 0;
  let wComp = 0;
  let previousX = 0;
  let previousAbs = 0;
  let first = true;
  const rv = ref.values;
  const cv = cur.values;
  const rn = rv.length;
  const cn = cv.length;
  const rc = ref.counts;
  const ccounts = cur.counts;
  if (!rc && !ccounts) {
    // the common case (every value, not grouped), while both samples have values left: the same
    // steps as the loop below, with a run of one value (most values of a high-cardinality
    // column) recognised in one comparison instead of a call
    while (i < rn && j < cn) {
      const a = rv[i] as number;
      const b = cv[j] as number;
      // as the loop below picks x (Math.min would order -0 and +0 differently)
      // biome-ignore lint/complexity/useMathMinMax: the same choice of x as the general loop
      const x = a <= b ? a : b;
      if (a === x) {
        i++;
        if (i < rn && rv[i] === x) i = runEnd(rv, i, x);
      }
      if (b === x) {
        j++;
        if (j < cn && cv[j] === x) j = runEnd(cv, j, x);
      }
      const diff = i / n1 - j / n2;
      if (diff > maxDiff) maxDiff = diff;
      if (diff < minDiff) minDiff = diff;
      if (!first) {
        const term = previousAbs * (x - previousX);
        const t = wSum + term;
        if (Math.abs(wSum) >= Math.abs(term)) wComp += wSum - t + term;
        else wComp += term - t + wSum;
        wSum = t;
      }
      first = false;
      previousX = x;
      previousAbs = Math.abs(diff);
    }
    cr = i;
    cc = j;
  }
  while (i < rn || j < cn) {
    const x =
      j >= cn || (i < rn && (rv[i] as number) <= (cv[j] as number)) ? (rv[i] as number) : (cv[j] as number);
    if (rc) while (i < rn && rv[i] === x) cr += rc[i++] as number;
    else {
      i = runEnd(rv, i, x);
      cr = i;
    }
    if (ccounts) while (j < cn && cv[j] === x) cc += ccounts[j++] as number;
    else {
      j = runEnd(cv, j, x);
      cc = j;
    }
    const diff = cr / n1 - cc / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
    if (!first) {
      const term = previousAbs * (x - previousX);
      const t = wSum + term;
      if (Math.abs(wSum) >= Math.abs(term)) wComp += wSum - t + term;
      else wComp += term - t + wSum;
      wSum = t;
    }
    first = false;
    previousX = x;
    previousAbs = Math.abs(diff);
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  const ks = ksTwoSamplePValue(n1, n2, Math.max(minS, maxDiff));
  const std = populationStd(ref);
  const w = wSum + wComp;
  const edges = decileEdges(ref);
  return {
    ...empty,
    ksStatistic: ks.statistic,
    ksPvalue: ks.pvalue,
    ksMethod: ks.method,
    wassersteinDistance: w,
    wassersteinNormed: w / Math.max(std, 0.001),
    referenceStd: std,
    psi: populationStabilityIndex(binCounts(ref, edges), binCounts(cur, edges)),
    psiEdges: edges,
    histogram: equalWidthHistogram(ref, cur, histogramBins),
  };
}

/**
 * The end of the run of `x` that starts at `start` in ascending `values` (the first index whose
 * value is not `x`; `start` itself when values[start] is not `x`): one step for a value that
 * occurs once, a galloping then binary search over long runs of a repeated value, so that columns
 * with few distinct values are merged in far fewer steps than values.
 */
export function runEnd(values: Float64Array, start: number, x: number): number {
  const n = values.length;
  if (start >= n || values[start] !== x) return start;
  if (start + 1 >= n || values[start + 1] !== x) return start + 1;
  let lo = start + 1; // values[lo] === x
  let step = 2;
  let hi = start + step;
  while (hi < n && values[hi] === x) {
    lo = hi;
    step *= 2;
    hi = start + step;
  }
  if (hi > n) hi = n;
  // values[lo] === x; values[hi] !== x or hi === n
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] === x) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

/**
 * numpy.std (ddof = 0): two passes, mean first, each a Neumaier-compensated sum; a run of equal
 * values enters each sum once, multiplied by its length (or by its counts in a grouped sample).
 */
function populationStd(s: SortedSample): number {
  const v = s.values;
  const c = s.counts;
  const n = v.length;
  // the runs of equal values, as (value, weight) pairs visited in order
  const visit = (term: (value: number) => number): number => {
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < n; ) {
      const x = v[i] as number;
      let weight: number;
      if (c) {
        weight = c[i] as number;
        i++;
      } else {
        const end = runEnd(v, i, x);
        weight = end - i;
        i = end;
      }
      const t0 = term(x) * weight;
      const t = sum + t0;
      if (Math.abs(sum) >= Math.abs(t0)) comp += sum - t + t0;
      else comp += t0 - t + sum;
      sum = t;
    }
    return sum + comp;
  };
  const std = (scale: number): number => {
    const mean = visit((x) => x * scale) / s.n;
    return (
      Math.sqrt(
        visit((x) => {
          const d = x * scale - mean;
          return d * d;
        }) / s.n,
      ) / scale
    );
  };
  const plain = std(1);
  // values near ±1.8e308 overflow the sum of squares (NumPy then gives inf or nan): scaling by a
  // power of two is exact, so the same sums on the scaled values give the true, finite std
  return Number.isFinite(plain) ? plain : std(2 ** -600);
}

/** Number of values ≤ x (weighted by the counts of a grouped sample). */
function countInSampleAtMost(s: SortedSample, cumulative: Float64Array | null, x: number): number {
  const lo = countAtMost(s.values, x);
  if (!cumulative) return lo;
  return lo === 0 ? 0 : (cumulative[lo - 1] as number);
}

function cumulativeCounts(s: SortedSample): Float64Array | null {
  if (!s.counts) return null;
  const out = new Float64Array(s.counts.length);
  let c = 0;
  for (let i = 0; i < s.counts.length; i++) {
    c += s.counts[i] as number;
    out[i] = c;
  }
  return out;
}

/** Unique reference deciles (numpy.quantile, method 'linear'). */
function decileEdges(ref: SortedSample): number[] {
  const cumulative = cumulativeCounts(ref);
  const valueAt = (rank: number): number => {
    if (!cumulative) return ref.values[rank] as number;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > rank) hi = mid;
      else lo = mid + 1;
    }
    return ref.values[lo] as number;
  };
  const edges = DECILES.map((q) => linearQuantile(ref.n, q, valueAt));
  return [...new Set(edges)].sort((a, b) => a - b);
}

/** Counts in the bins (−∞, e1], (e1, e2], …, (ek, +∞). */
function binCounts(s: SortedSample, edges: number[]): number[] {
  const cumulative = cumulativeCounts(s);
  const atMost = edges.map((e) => countInSampleAtMost(s, cumulative, e));
  const counts: number[] = [];
  let previous = 0;
  for (const c of atMost) {
    counts.push(c - previous);
    previous = c;
  }
  counts.push(s.n - previous);
  return counts;
}

/**
 * Proportions of both samples in equal-width bins over the combined range (for the report), with
 * numpy.histogram's semantics: edges e_i = lo + i·(hi − lo)/k (numpy.linspace), a value v is in bin
 * i when e_i ≤ v < e_(i+1), the last bin closed [e_(k−1), hi]. The bins are found by comparing with
 * the reported edges, so every value lies in the bin its edges give it.
 */
function equalWidthHistogram(
  ref: SortedSample,
  cur: SortedSample,
  bins: number,
): { edges: number[]; reference: number[]; current: number[] } {
  const lo = Math.min(ref.values[0] as number, cur.values[0] as number);
  const hi = Math.max(
    ref.values[ref.values.length - 1] as number,
    cur.values[cur.values.length - 1] as number,
  );
  const k = hi > lo ? bins : 1;
  // when hi − lo overflows (values near ±1.8e308) the edges are computed on the halved range
  // (exact: a power of two) and doubled back, so they stay finite
  const scale = Number.isFinite(hi - lo) ? 1 : 0.5;
  const width = hi > lo ? (hi * scale - lo * scale) / k : 1;
  const edges = Array.from({ length: k + 1 }, (_, i) => (i === k ? hi : (i * width + lo * scale) / scale));
  // each bin is a run of the sorted values: the end of bin b (b < k − 1) is the first value at or
  // above edges[b + 1], found by binary search; the last bin takes the rest (it is closed)
  const fill = (s: SortedSample): number[] => {
    const v = s.values;
    const out = new Array<number>(k).fill(0);
    let start = 0;
    for (let b = 0; b < k && start < v.length; b++) {
      let end = v.length;
      if (b < k - 1) {
        const upper = edges[b + 1] as number;
        let lo2 = start;
        let hi2 = v.length;
        while (lo2 < hi2) {
          const mid = (lo2 + hi2) >>> 1;
          if ((v[mid] as number) < upper) lo2 = mid + 1;
          else hi2 = mid;
        }
        end = lo2;
      }
      let c = 0;
      if (s.counts) for (let i = start; i < end; i++) c += s.counts[i] as number;
      else c = end - start;
      out[b] = c;
      start = end;
    }
    return out.map((c) => c / s.n);
  };
  return { edges, reference: fill(ref), current: fill(cur) };
}
