/**
 * Confidence-based performance estimation (CBPE) for binary classifiers, after NannyML's published
 * algorithm: an isotonic calibrator fitted on the reference (score → P(y=1)), the expected confusion
 * matrix of a window from its calibrated probabilities, the estimated ROC AUC from the window's
 * scores ranked by the raw score, and sampling-error bands (±3σ, σ = σ_ref / √(n · fraction)) from
 * the reference. `scripts/reference/cbpe_reference.py` implements the same in numpy; the committed
 * fixtures it writes are what the tests compare with.
 *
 * Deviation from NannyML: NannyML calibrates only when 10 stratified random splits of the
 * reference show the calibration lowers the ECE; here the reference is always calibrated unless
 * it has one class or its ROC AUC exceeds 0.999 (NannyML's other two conditions), so results do
 * not hang on a random generator.
 */

import { sortFloat64With } from '../drift/sorted-sample.ts';

export interface ScoredRow {
  score: number;
  label: string | null;
}

export interface CbpeMetric {
  value: number | null;
  samplingError: number | null;
  lower: number | null;
  upper: number | null;
}

export interface CbpeResult {
  calibrated: boolean;
  rows: number;
  positiveLabel: string;
  expected: { tp: number; fp: number; fn: number; tn: number };
  metrics: Record<'roc_auc' | 'accuracy' | 'precision' | 'recall' | 'f1' | 'specificity', CbpeMetric>;
}

/** The positive class: the given one, else '1' or 'true' when present, else the last label in sort order. */
export function positiveOf(labels: string[], given: string | null): string {
  if (given !== null) return given;
  const distinct = [...new Set(labels)].sort();
  for (const p of ['1', '1.0', 'true', 'True']) if (distinct.includes(p)) return p;
  return distinct[distinct.length - 1] ?? '1';
}

/** A fitted isotonic regression: the distinct x ascending and the fitted value at each. */
export interface IsotonicFit {
  xs: number[];
  fitted: number[];
}

/** Isotonic regression (scikit-learn's: equal x averaged first, pool-adjacent-violators, linear interpolation, clipped). */
export function fitIsotonic(x: number[], y: number[]): (v: number) => number {
  const { xs, fitted } = isotonicFit(x, y);
  return (v: number) => {
    if (xs.length === 0) return Number.NaN;
    if (v <= (xs[0] as number)) return fitted[0] as number;
    if (v >= (xs[xs.length - 1] as number)) return fitted[fitted.length - 1] as number;
    let lo = 0;
    let hi = xs.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((xs[mid] as number) <= v) lo = mid;
      else hi = mid;
    }
    return interpolate(xs, fitted, lo, v);
  };
}

/** The fitted value between xs[lo] <= v < xs[lo + 1] (linear interpolation). */
function interpolate(xs: number[], fitted: number[], lo: number, v: number): number {
  const hi = lo + 1;
  const x0 = xs[lo] as number;
  const x1 = xs[hi] as number;
  const t = (v - x0) / (x1 - x0);
  return (fitted[lo] as number) + t * ((fitted[hi] as number) - (fitted[lo] as number));
}

/**
 * The calibrated value of each of `sorted` (ascending), taken from the end: out[k] is the value of
 * sorted[n - 1 - k]. The same numbers as fitIsotonic's function on each value, found by walking
 * the fit once alongside the values instead of a binary search for each (and computed once for a
 * run of equal values).
 */
export function calibrateDescending(fit: IsotonicFit, sorted: Float64Array): Float64Array {
  const { xs, fitted } = fit;
  const n = sorted.length;
  const out = new Float64Array(n);
  const last = xs.length - 1;
  let lo = Math.max(0, last - 1);
  let previous = Number.NaN;
  let value = Number.NaN;
  for (let k = 0; k < n; k++) {
    const v = sorted[n - 1 - k] as number;
    if (v !== previous) {
      previous = v;
      if (last < 0) value = Number.NaN;
      else if (v <= (xs[0] as number)) value = fitted[0] as number;
      else if (v >= (xs[last] as number)) value = fitted[last] as number;
      else {
        // xs[0] < v < xs[last]: the interval xs[lo] <= v < xs[lo + 1], lo only falling as v does
        while ((xs[lo] as number) > v) lo--;
        value = interpolate(xs, fitted, lo, v);
      }
    }
    out[k] = value;
  }
  return out;
}

export function isotonicFit(x: number[], y: number[]): IsotonicFit {
  const order = x.map((_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  const xs: number[] = [];
  const ys: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const xi = x[i] as number;
    const last = xs.length - 1;
    if (last >= 0 && xs[last] === xi) {
      ys[last] = (ys[last] as number) + (y[i] as number);
      ws[last] = (ws[last] as number) + 1;
    } else {
      xs.push(xi);
      ys.push(y[i] as number);
      ws.push(1);
    }
  }
  // pool adjacent violators over the averages
  const means: number[] = [];
  const weights: number[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    means.push((ys[i] as number) / (ws[i] as number));
    weights.push(ws[i] as number);
    sizes.push(1);
    while (means.length > 1 && (means[means.length - 2] as number) > (means[means.length - 1] as number)) {
      const m2 = means.pop() as number;
      const w2 = weights.pop() as number;
      const s2 = sizes.pop() as number;
      const k = means.length - 1;
      const w1 = weights[k] as number;
      means[k] = ((means[k] as number) * w1 + m2 * w2) / (w1 + w2);
      weights[k] = w1 + w2;
      sizes[k] = (sizes[k] as number) + s2;
    }
  }
  const fitted: number[] = [];
  means.forEach((m, k) => {
    for (let j = 0; j < (sizes[k] as number); j++) fitted.push(m);
  });
  return { xs, fitted };
}

/** ROC AUC with ties averaged (the Mann–Whitney form), for the calibration rule. */
function rocAuc(scores: number[], y: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    for (let k = i; k <= j; k++) ranks[order[k] as number] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const pos = y.reduce((a, b) => a + b, 0);
  const neg = y.length - pos;
  let sum = 0;
  y.forEach((v, i) => {
    if (v === 1) sum += ranks[i] as number;
  });
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function std(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

/** NannyML's ROC AUC sampling-error components: σ of the positives' normalised rank gaps, and the positive share. */
function aucComponents(scores: number[], y: number[]): [number, number] {
  let yy = y;
  let ss = scores;
  if (y.reduce((a, b) => a + b, 0) / y.length > 0.5) {
    yy = y.map((v) => 1 - v);
    ss = scores.map((s) => 1 - s);
  }
  const order = ss.map((_, i) => i).sort((a, b) => (ss[a] as number) - (ss[b] as number) || a - b);
  const sortedY = order.map((i) => yy[i] as number);
  const positiveRanks = [...new Set(sortedY.map((v, r) => v * r))].sort((a, b) => a - b).slice(1);
  const nPos = sortedY.reduce((a, b) => a + b, 0);
  const nNeg = sortedY.length - nPos;
  const ser = positiveRanks.map((rank, i) => (rank - i) / nNeg);
  return [std(ser), nPos / sortedY.length];
}

function band(value: number | null, base: [number, number], n: number): CbpeMetric {
  const [sigma, fraction] = base;
  const se = n > 0 && fraction > 0 && Number.isFinite(sigma) ? sigma / Math.sqrt(n * fraction) : null;
  if (value === null || se === null) return { value, samplingError: se, lower: null, upper: null };
  return {
    value,
    samplingError: se,
    lower: Math.max(0, value - 3 * se),
    upper: Math.min(1, value + 3 * se),
  };
}

/** The finite values of `window`, ascending (radix sort: the same order as a numeric sort). */
function sortedFinite(window: ArrayLike<number>): Float64Array {
  const finite = new Float64Array(window.length);
  let n = 0;
  for (let i = 0; i < window.length; i++) {
    const v = window[i] as number;
    if (Number.isFinite(v)) finite[n++] = v;
  }
  return sortFloat64With(finite.subarray(0, n), undefined, true).values;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/**
 * Estimates a window's performance from its scores, with the calibrator fitted on the reference.
 * With `sorted`, `window` holds only finite scores, ascending (as a caller that sorted them already
 * has them), and is used as it is.
 */
export function cbpeEstimate(
  reference: ScoredRow[],
  window: ArrayLike<number>,
  options: { threshold: number; positiveLabel: string | null; sorted?: boolean },
): CbpeResult | null {
  const labelled = reference.filter((r) => r.label !== null && Number.isFinite(r.score));
  if (labelled.length === 0) return null;
  const positive = positiveOf(
    labelled.map((r) => r.label as string),
    options.positiveLabel,
  );
  const refScores = labelled.map((r) => r.score);
  const refY: number[] = labelled.map((r) => (r.label === positive ? 1 : 0));
  const positives = refY.reduce((a, b) => a + b, 0);
  const singleClass = positives === 0 || positives === refY.length;
  const calibrated = !singleClass && rocAuc(refScores, refY) <= 0.999;
  // The window sorted by the raw score, descending. Ties need no order among themselves: the
  // calibrator is a function of the score, so tied scores have the same probability and every
  // cumulative sum below is the same whichever tied row comes first (NannyML sorts stably).
  const sorted = options.sorted && window instanceof Float64Array ? window : sortedFinite(window);
  const n = sorted.length;
  // p[k]: the calibrated probability of the k-th highest score
  const p = calibrated
    ? calibrateDescending(isotonicFit(refScores, refY), sorted)
    : Float64Array.from({ length: n }, (_, k) => sorted[n - 1 - k] as number);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let k = 0; k < n; k++) {
    const s = sorted[n - 1 - k] as number;
    const pi = p[k] as number;
    if (s >= options.threshold) {
      tp += pi;
      fp += 1 - pi;
    } else {
      fn += pi;
      tn += 1 - pi;
    }
  }
  // estimated ROC AUC: ranked by the raw score (descending), no tie grouping
  let auc: number | null = null;
  if (n > 0) {
    const tps = new Float64Array(n + 1);
    const fps = new Float64Array(n + 1);
    let cum = 0;
    for (let r = 0; r < n; r++) {
      cum += p[r] as number;
      tps[r + 1] = Math.round(cum * 1e5) / 1e5;
      fps[r + 1] = Math.round((r + 1 - cum) * 1e5) / 1e5;
    }
    const tpsLast = tps[n] as number;
    const fpsLast = fps[n] as number;
    if (tpsLast > 0 && fpsLast > 0) {
      auc = 0;
      for (let k = 1; k <= n; k++) {
        auc +=
          (((fps[k] as number) - (fps[k - 1] as number)) / fpsLast) *
          (((tps[k] as number) + (tps[k - 1] as number)) / tpsLast / 2);
      }
    }
  }
  // sampling-error components from the reference (its own predictions at the threshold)
  const refPred = refScores.map((s) => (s >= options.threshold ? 1 : 0));
  const correct = refY.map((y, i) => (y === refPred[i] ? 1 : 0));
  const subset = (keep: (i: number) => boolean): [number, number] => {
    const idx = correct.map((_, i) => i).filter(keep);
    return [std(idx.map((i) => correct[i] as number)), idx.length / correct.length];
  };
  return {
    calibrated,
    rows: n,
    positiveLabel: positive,
    expected: { tp, fp, fn, tn },
    metrics: {
      roc_auc: band(auc, singleClass ? [Number.NaN, 0] : aucComponents(refScores, refY), n),
      accuracy: band(
        n > 0 ? (tp + tn) / n : null,
        subset(() => true),
        n,
      ),
      precision: band(
        ratio(tp, tp + fp),
        subset((i) => refPred[i] === 1),
        n,
      ),
      recall: band(
        ratio(tp, tp + fn),
        subset((i) => refY[i] === 1),
        n,
      ),
      f1: band(
        ratio(2 * tp, 2 * tp + fp + fn),
        subset((i) => refY[i] === 1 || refPred[i] === 1),
        n,
      ),
      specificity: band(
        ratio(tn, tn + fp),
        subset((i) => refY[i] === 0),
        n,
      ),
    },
  };
}
