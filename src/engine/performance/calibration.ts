import type { DuckDBConnection } from '@duckdb/node-api';
import type { CalibrationFit } from '../../contracts/validation-evidence.ts';
import { countAtMost, type SortedSample } from '../drift/sorted-sample.ts';
import { chiSquareSf } from '../drift/special-functions.ts';
import { doubleLiteral, exclusive, num, queryRows } from '../drift/sql.ts';
import { doubleItems, type NumericColumn } from '../scan/numeric-column.ts';

/** The score is clipped to [LOGIT_EPS, 1 − LOGIT_EPS] before its logit (as log_loss clips it). */
export const LOGIT_EPS = 1e-15;
/** Hosmer–Lemeshow's deciles of risk. */
export const HOSMER_LEMESHOW_GROUPS = 10;
/** Newton–Raphson iterations of the logistic recalibration before it is declared not converged. */
const MAX_ITERATIONS = 60;
/** A slope beyond this means the fit runs off to infinity (the score separates the classes). */
const DIVERGED = 1e8;

/**
 * Calibration slope and intercept and the Hosmer–Lemeshow test of the scored view's score
 * (`__p`), label (`__y`) and weight (`__w`). `sortedScore`, the score's sorted sample when already
 * read, gives the decile edges without another sort.
 */
export async function calibrationFit(
  conn: DuckDBConnection,
  view: string,
  sortedScore?: Promise<NumericColumn>,
): Promise<CalibrationFit> {
  const fit = await logisticRecalibration(conn, view);
  const edges = decileEdges(
    sortedScore ? (await sortedScore).sample : { values: await sortedScores(conn, view), counts: null },
  );
  const hl = await hosmerLemeshow(conn, view, edges);
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
 * weight), by Newton–Raphson from (0, 1) with step halving; one aggregate query per iteration.
 */
async function logisticRecalibration(conn: DuckDBConnection, view: string): Promise<Recalibration> {
  const pc = `greatest(least(__p, 1 - ${LOGIT_EPS}), ${LOGIT_EPS})`;
  const source = `(SELECT __w AS w, CAST(__y AS DOUBLE) AS y, ln(${pc} / (1 - ${pc})) AS x FROM ${view} WHERE __w > 0)`;
  const [classes] = await queryRows(
    conn,
    `SELECT count(*) FILTER (WHERE y = 1) AS pos, count(*) FILTER (WHERE y = 0) AS neg,
       min(x) AS lo, max(x) AS hi FROM ${source}`,
  );
  if (!(num(classes?.pos) ?? 0) || !(num(classes?.neg) ?? 0)) {
    return { intercept: null, slope: null, note: 'calibration slope: only one class in the label' };
  }
  if (num(classes?.lo) === num(classes?.hi)) {
    return { intercept: null, slope: null, note: 'calibration slope: the score is constant' };
  }
  const step = async (a: number, b: number) => {
    const eta = `(${doubleLiteral(a)} + ${doubleLiteral(b)} * x)`;
    const [r] = await queryRows(
      conn,
      `SELECT sum(w * m * (1 - m)) AS h00, sum(w * m * (1 - m) * x) AS h01,
         sum(w * m * (1 - m) * x * x) AS h11, sum(w * (y - m)) AS g0, sum(w * (y - m) * x) AS g1,
         sum(w * (y * eta - (greatest(eta, 0) + ln(1 + exp(-abs(eta)))))) AS ll
       FROM (SELECT w, y, x, eta, 1 / (1 + exp(-eta)) AS m FROM (SELECT w, y, x, ${eta} AS eta FROM ${source}))`,
    );
    return {
      h00: num(r?.h00) ?? 0,
      h01: num(r?.h01) ?? 0,
      h11: num(r?.h11) ?? 0,
      g0: num(r?.g0) ?? 0,
      g1: num(r?.g1) ?? 0,
      ll: num(r?.ll) ?? Number.NEGATIVE_INFINITY,
    };
  };
  let a = 0;
  let b = 1;
  let at = await step(a, b);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const det = at.h00 * at.h11 - at.h01 * at.h01;
    if (!(det > 0) || !Number.isFinite(det)) break;
    const da = (at.h11 * at.g0 - at.h01 * at.g1) / det;
    const db = (at.h00 * at.g1 - at.h01 * at.g0) / det;
    let scale = 1;
    let next = await step(a + da, b + db);
    // step halving: never accept a lower likelihood (beyond rounding: near the maximum, the
    // log-likelihood's last digits are noise)
    const floor = at.ll - 1e-12 * Math.abs(at.ll);
    while (next.ll < floor && scale > 1e-6) {
      scale /= 2;
      next = await step(a + scale * da, b + scale * db);
    }
    a += scale * da;
    b += scale * db;
    at = next;
    if (Math.abs(b) > DIVERGED) break;
    // the full Newton step was already tiny: this one took the fit to rounding (quadratic convergence)
    if (scale === 1 && Math.abs(da) <= 1e-8 * (1 + Math.abs(a)) && Math.abs(db) <= 1e-8 * (1 + Math.abs(b))) {
      return { intercept: a, slope: b, note: null };
    }
  }
  return {
    intercept: null,
    slope: null,
    note: 'calibration slope: the logistic fit has no finite maximum (the score separates the classes)',
  };
}

/** The scores in ascending order, read from the view (when no sorted sample was given). */
async function sortedScores(conn: DuckDBConnection, view: string): Promise<Float64Array> {
  return exclusive(conn, async () => {
    const result = await conn.run(`SELECT __p FROM ${view} ORDER BY __p`);
    const out = new Float64Array(Number(result.rowCount));
    let n = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      out.set(doubleItems(chunk.getColumnVector(0), chunk.rowCount), n);
      n += chunk.rowCount;
    }
    return out;
  });
}

/** NumPy's `_lerp`: a + (b − a)·t, computed from b when t ≥ ½ (exact at both ends). */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/**
 * The edges of pandas `qcut(score, 10, duplicates='drop')`: `numpy.quantile` (method 'linear',
 * NumPy 1.24's index arithmetic) at `numpy.linspace(0, 1, 11)`, duplicates removed.
 */
export function decileEdges(sample: Pick<SortedSample, 'values' | 'counts'>): number[] {
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

/** The k-th smallest value (0-based) of a sorted sample, whether it lists every value or distinct values with counts. */
function orderStatistics(sample: Pick<SortedSample, 'values' | 'counts'>): {
  n: number;
  get: (k: number) => number;
} {
  const { values, counts } = sample;
  if (!counts) return { n: values.length, get: (k) => values[k] as number };
  const ends = new Float64Array(counts.length);
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += counts[i] as number;
    ends[i] = total;
  }
  // the first distinct value whose cumulative count exceeds k
  return { n: total, get: (k) => values[countAtMost(ends, k)] as number };
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
 * include_lowest; empty groups are left out.
 */
async function hosmerLemeshow(
  conn: DuckDBConnection,
  view: string,
  edges: number[],
): Promise<HosmerLemeshow> {
  const bins = Math.max(edges.length - 1, 1);
  const cases = edges
    .slice(1, -1)
    .map((e, i) => `WHEN __p <= ${doubleLiteral(e)} THEN ${i}`)
    .join(' ');
  const group = cases ? `CASE ${cases} ELSE ${bins - 1} END` : '0';
  const rows = await queryRows(
    conn,
    `SELECT ${group} AS __risk_group, sum(__w) AS n, sum(__w * __y) AS o, sum(__w * __p) AS e
     FROM ${view} GROUP BY __risk_group HAVING sum(__w) > 0 ORDER BY __risk_group`,
  );
  const groups = rows.length;
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
  for (const r of rows) {
    const n = num(r.n) ?? 0;
    const o = num(r.o) ?? 0;
    const e = num(r.e) ?? 0;
    const variance = e * (1 - e / n);
    if (!(variance > 0)) {
      return {
        statistic: null,
        pvalue: null,
        dof,
        groups,
        note: 'Hosmer–Lemeshow: a risk group whose scores are all 0 or all 1 has no variance',
      };
    }
    statistic += ((o - e) * (o - e)) / variance;
  }
  return { statistic, pvalue: chiSquareSf(statistic, dof), dof, groups, note: null };
}
