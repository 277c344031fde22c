import type { DuckDBConnection } from '@duckdb/node-api';
import type { CalibrationFit } from '../../contracts/validation-evidence.ts';
import { chiSquareSf } from '../drift/special-functions.ts';
import { exclusive } from '../duckdb/sql.ts';
import { doubleItems, LABEL_NEGATIVE, LABEL_POSITIVE, type NumericColumn } from '../scan/numeric-column.ts';

/** The score is clipped to [LOGIT_EPS, 1 − LOGIT_EPS] before its logit (as log_loss clips it). */
export const LOGIT_EPS = 1e-15;
/** Hosmer–Lemeshow's deciles of risk. */
export const HOSMER_LEMESHOW_GROUPS = 10;
/** Newton–Raphson iterations of the logistic recalibration before it is declared not converged. */
const MAX_ITERATIONS = 60;
/** A slope beyond this means the fit runs off to infinity (the score separates the classes). */
const DIVERGED = 1e8;

/**
 * The scored rows summed per distinct score, ascending: `rows` (unweighted count of the rows of
 * weight > 0, for the decile edges), `pos` and `neg` (the weight of the positives and negatives
 * at that score).
 */
export interface ScoreTotals {
  score: Float64Array;
  rows: Float64Array;
  pos: Float64Array;
  neg: Float64Array;
}

/** Per-distinct-score totals of the score's sorted sample read with its label classes (unweighted). */
export function totalsOfSorted(column: NumericColumn): ScoreTotals {
  const values = column.sample.values;
  const labels = column.labels;
  if (!labels || column.sample.counts) {
    throw new Error('internal: the calibration needs every score with its label class');
  }
  let distinct = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) distinct++;
  const out = {
    score: new Float64Array(distinct),
    rows: new Float64Array(distinct),
    pos: new Float64Array(distinct),
    neg: new Float64Array(distinct),
  };
  // one run of equal values at a time, its counts kept in locals and written once
  let k = 0;
  let i = 0;
  const n = values.length;
  while (i < n) {
    const v = values[i] as number;
    let p = 0;
    let q = 0;
    const start = i;
    for (; i < n && values[i] === v; i++) {
      const label = labels[i];
      if (label === LABEL_POSITIVE) p++;
      else if (label === LABEL_NEGATIVE) q++;
    }
    out.score[k] = v;
    out.rows[k] = i - start;
    out.pos[k] = p;
    out.neg[k] = q;
    k++;
  }
  return out;
}

/**
 * Per-distinct-score totals from the scored view (weighted when it has weights; rows of weight 0
 * left out): one grouped query, streamed.
 */
export async function totalsOfView(conn: DuckDBConnection, view: string): Promise<ScoreTotals> {
  return exclusive(conn, async () => {
    const result = await conn.run(
      `SELECT __p, CAST(count(*) AS DOUBLE), CAST(sum(__w * __y) AS DOUBLE), CAST(sum(__w * (1 - __y)) AS DOUBLE)
       FROM ${view} WHERE __w > 0 GROUP BY __p ORDER BY __p`,
    );
    const size = Number(result.rowCount);
    const out = {
      score: new Float64Array(size),
      rows: new Float64Array(size),
      pos: new Float64Array(size),
      neg: new Float64Array(size),
    };
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      out.score.set(doubleItems(chunk.getColumnVector(0), m), n);
      out.rows.set(doubleItems(chunk.getColumnVector(1), m), n);
      out.pos.set(doubleItems(chunk.getColumnVector(2), m), n);
      out.neg.set(doubleItems(chunk.getColumnVector(3), m), n);
      n += m;
    }
    return out;
  });
}

/**
 * Calibration slope and intercept and the Hosmer–Lemeshow test, from the scores' distinct values
 * with their class weights (in memory: no query).
 */
export function calibrationFit(totals: ScoreTotals): CalibrationFit {
  const fit = logisticRecalibration(totals);
  const hl = hosmerLemeshow(totals, decileEdges({ values: totals.score, counts: totals.rows }));
  const notes = [fit.note, hl.note].filter((n): n is string => n !== null);
  return {
    intercept: fit.intercept,
    slope: fit.slope,
    hosmer_lemeshow_statistic: hl.statistic,
    hosmer_lemeshow_pvalue: hl.pvalue,
    hosmer_lemeshow_dof: hl.dof,
    hosmer_lemeshow_groups: hl.groups,
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}

interface Recalibration {
  intercept: number | null;
  slope: number | null;
  note: string | null;
}

/**
 * Maximum likelihood fit of y ~ a + b · logit(p) (weighted: each row's log-likelihood times its
 * weight), by Newton–Raphson from (0, 1) with step halving, over the distinct scores.
 */
function logisticRecalibration(t: ScoreTotals): Recalibration {
  const k = t.score.length;
  const x = new Float64Array(k);
  let pos = 0;
  let neg = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const p = Math.min(Math.max(t.score[i] as number, LOGIT_EPS), 1 - LOGIT_EPS);
    const xi = Math.log(p / (1 - p));
    x[i] = xi;
    const w = (t.pos[i] as number) + (t.neg[i] as number);
    if (w > 0) {
      lo = Math.min(lo, xi);
      hi = Math.max(hi, xi);
    }
    pos += t.pos[i] as number;
    neg += t.neg[i] as number;
  }
  if (!(pos > 0 && neg > 0)) {
    return { intercept: null, slope: null, note: 'calibration slope: only one class in the label' };
  }
  if (!(hi > lo)) return { intercept: null, slope: null, note: 'calibration slope: the score is constant' };
  // the gradient and the Fisher information at (a, b); no logarithm: the safeguard below needs
  // only the gradient
  const at = (a: number, b: number) => {
    let h00 = 0;
    let h01 = 0;
    let h11 = 0;
    let g0 = 0;
    let g1 = 0;
    for (let i = 0; i < k; i++) {
      const wp = t.pos[i] as number;
      const xi = x[i] as number;
      const w = wp + (t.neg[i] as number);
      const m = 1 / (1 + Math.exp(-(a + b * xi)));
      const h = w * m * (1 - m);
      const r = wp - w * m;
      h00 += h;
      h01 += h * xi;
      h11 += h * xi * xi;
      g0 += r;
      g1 += r * xi;
    }
    return { h00, h01, h11, g0, g1 };
  };
  let a = 0;
  let b = 1;
  let cur = at(a, b);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const det = cur.h00 * cur.h11 - cur.h01 * cur.h01;
    if (!(det > 0) || !Number.isFinite(det)) break;
    const da = (cur.h11 * cur.g0 - cur.h01 * cur.g1) / det;
    const db = (cur.h00 * cur.g1 - cur.h01 * cur.g0) / det;
    // a Newton step this small from a point this close takes the fit to rounding (quadratic
    // convergence): taken without evaluating there
    if (Math.abs(da) <= 1e-8 * (1 + Math.abs(a)) && Math.abs(db) <= 1e-8 * (1 + Math.abs(b))) {
      return { intercept: a + da, slope: b + db, note: null };
    }
    // Step halving on the slope along the step: the log-likelihood is concave along the line, so
    // it cannot have fallen while the slope at the new point is at least minus the slope at the
    // start (exact for a quadratic, conservative beyond); a steeper descent halves the step.
    const slope0 = cur.g0 * da + cur.g1 * db;
    let scale = 1;
    let next = at(a + da, b + db);
    while (next.g0 * da + next.g1 * db < -slope0 && scale > 1e-6) {
      scale /= 2;
      next = at(a + scale * da, b + scale * db);
    }
    a += scale * da;
    b += scale * db;
    cur = next;
    if (Math.abs(b) > DIVERGED) break;
  }
  return {
    intercept: null,
    slope: null,
    note: 'calibration slope: the logistic fit has no finite maximum (the score separates the classes)',
  };
}

/** NumPy's `_lerp`: a + (b − a)·t, computed from b when t ≥ ½ (exact at both ends). */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/** A sorted sample: every value (`counts` null) or distinct values with their counts. */
interface Sample {
  values: Float64Array;
  counts: Float64Array | null;
}

/**
 * The edges of pandas `qcut(score, 10, duplicates='drop')`: `numpy.quantile` (method 'linear')
 * at `numpy.linspace(0, 1, 11)`, duplicates removed.
 */
export function decileEdges(sample: Sample): number[] {
  const at = orderStatistics(sample);
  const n = at.n;
  if (n === 0) return [];
  const edges: number[] = [];
  for (let i = 0; i <= HOSMER_LEMESHOW_GROUPS; i++) {
    const q = i === HOSMER_LEMESHOW_GROUPS ? 1 : i * (1 / HOSMER_LEMESHOW_GROUPS);
    // numpy's 'linear' method: virtual index (n − 1) · q, then _lerp of its two neighbours
    const virtual = (n - 1) * q;
    let value: number;
    if (virtual >= n - 1) value = at.get(n - 1);
    else if (virtual < 0) value = at.get(0);
    else {
      const previous = Math.floor(virtual);
      value = lerp(at.get(previous), at.get(previous + 1), virtual - previous);
    }
    if (edges.length === 0 || value !== edges[edges.length - 1]) edges.push(value);
  }
  return edges;
}

/** The k-th smallest value (0-based) of a sorted sample. */
function orderStatistics(sample: Sample): { n: number; get: (k: number) => number } {
  const { values, counts } = sample;
  if (!counts) return { n: values.length, get: (k) => values[k] as number };
  const ends = new Float64Array(counts.length);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i] as number;
    ends[i] = total;
  }
  // the first distinct value whose cumulative count exceeds k (binary search)
  const get = (k: number) => {
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((ends[mid] as number) <= k) lo = mid + 1;
      else hi = mid;
    }
    return values[lo] as number;
  };
  return { n: total, get };
}

interface HosmerLemeshow {
  statistic: number | null;
  pvalue: number | null;
  dof: number | null;
  groups: number;
  note: string | null;
}

/**
 * Σ over the risk groups of (O − E)² / (E · (1 − E / N)) — the positives observed O and expected
 * E = Σ p in each group of N rows (weighted sums with weights) — on groups − 2 degrees of freedom.
 * Group i holds the scores in (e_i, e_{i+1}] (the first also e_0), as pandas cut with
 * include_lowest; groups of weight 0 are left out.
 */
function hosmerLemeshow(t: ScoreTotals, edges: number[]): HosmerLemeshow {
  const bins = Math.max(edges.length - 1, 1);
  const n = new Float64Array(bins);
  const o = new Float64Array(bins);
  const e = new Float64Array(bins);
  let g = 0;
  for (let i = 0; i < t.score.length; i++) {
    const p = t.score[i] as number;
    // ascending scores: move to the group whose upper edge is ≥ p
    while (g < bins - 1 && p > (edges[g + 1] as number)) g++;
    const w = (t.pos[i] as number) + (t.neg[i] as number);
    n[g] = (n[g] as number) + w;
    o[g] = (o[g] as number) + (t.pos[i] as number);
    e[g] = (e[g] as number) + w * p;
  }
  let groups = 0;
  for (let i = 0; i < bins; i++) if ((n[i] as number) > 0) groups++;
  const dof = groups - 2;
  if (dof < 1) {
    return {
      statistic: null,
      pvalue: null,
      dof: null,
      groups,
      note: `Hosmer–Lemeshow: ${groups} risk group(s) (the score has too few distinct values); it needs at least 3`,
    };
  }
  let statistic = 0;
  for (let i = 0; i < bins; i++) {
    const ni = n[i] as number;
    if (!(ni > 0)) continue;
    const ei = e[i] as number;
    const oi = o[i] as number;
    const variance = ei * (1 - ei / ni);
    if (!(variance > 0)) {
      return {
        statistic: null,
        pvalue: null,
        dof,
        groups,
        note: 'Hosmer–Lemeshow: a risk group whose scores are all 0 or all 1 has no variance',
      };
    }
    statistic += ((oi - ei) * (oi - ei)) / variance;
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof, groups, note: null };
}
