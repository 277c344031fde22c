import type { DuckDBConnection } from '@duckdb/node-api';
import type { ThresholdSweep } from '../../contracts/validation-evidence.ts';
import { count, groupingSetIndex, MAX_GROUPING_SETS, num, queryRows } from '../drift/sql.ts';
import type { ScoredView } from '../performance/scored-rows.ts';

/** The sweep's thresholds are k / SWEEP_STEPS for k = 0 … SWEEP_STEPS (0, 0.05, …, 1). */
export const SWEEP_STEPS = 20;

/** The thresholds of the sweep, each the double nearest k / 20. */
export const SWEEP_THRESHOLDS: readonly number[] = Array.from(
  { length: SWEEP_STEPS + 1 },
  (_, k) => k / SWEEP_STEPS,
);

/** A group spec to sweep: its key in the evidence and the SQL expression of its group value (NULL: missing). */
export interface SweepSpec {
  key: string;
  expr: string;
}

/**
 * Each row's threshold bin: the number of thresholds k / 20 (k ≥ 1) that its score reaches, so
 * that the row is predicted positive at threshold k exactly when its bin is ≥ k. floor(p · 20)
 * is corrected by one where the product rounds across a threshold.
 */
function binExpr(): string {
  const b0 = `CAST(floor(__p * ${SWEEP_STEPS}) AS INTEGER)`;
  return `(${b0} + CASE
    WHEN ${b0} < ${SWEEP_STEPS} AND __p >= CAST(${b0} + 1 AS DOUBLE) / ${SWEEP_STEPS} THEN 1
    WHEN ${b0} > 0 AND __p < CAST(${b0} AS DOUBLE) / ${SWEEP_STEPS} THEN -1
    ELSE 0 END)`;
}

interface Bins {
  n: number;
  sw: Float64Array;
  pos: Float64Array;
  neg: Float64Array;
}

/**
 * Selection rate, TPR and FPR of every group of every spec at each threshold of SWEEP_THRESHOLDS,
 * from one grouped pass (GROUPING SETS over the specs, by group and threshold bin) and suffix
 * sums: the rows selected at threshold k are those whose bin is ≥ k. Weighted when the view has
 * weights. The scored view must have a score (`__p` in [0, 1]).
 */
export async function thresholdSweeps(
  conn: DuckDBConnection,
  scored: ScoredView,
  specs: SweepSpec[],
  missingKey: string,
): Promise<Record<string, ThresholdSweep>> {
  const out: Record<string, ThresholdSweep> = {};
  for (let start = 0; start < specs.length; start += MAX_GROUPING_SETS) {
    const batch = specs.slice(start, start + MAX_GROUPING_SETS);
    const k = batch.length;
    const ids = batch.map((_, i) => `__g${i}`).join(', ');
    const rows = await queryRows(
      conn,
      `SELECT grouping_id(${ids}) AS gid, coalesce(${ids}) AS grp, __bin AS b, count(*) AS n, sum(__w) AS sw,
         sum(__w * __y) AS pos, sum(__w * (1 - __y)) AS neg
       FROM (SELECT ${batch.map((s, i) => `${s.expr} AS __g${i}`).join(', ')}, ${binExpr()} AS __bin, __w, __y
             FROM ${scored.view})
       GROUP BY GROUPING SETS (${batch.map((_, i) => `(__g${i}, __bin)`).join(', ')})
       ORDER BY gid, grp NULLS LAST, __bin`,
    );
    const bySpec = batch.map(() => new Map<string, Bins>());
    for (const r of rows) {
      const groups = bySpec[groupingSetIndex(count(r.gid), k)];
      if (!groups) continue;
      const key = r.grp === null ? missingKey : String(r.grp);
      let bins = groups.get(key);
      if (!bins) {
        bins = {
          n: 0,
          sw: new Float64Array(SWEEP_STEPS + 1),
          pos: new Float64Array(SWEEP_STEPS + 1),
          neg: new Float64Array(SWEEP_STEPS + 1),
        };
        groups.set(key, bins);
      }
      const b = Math.min(Math.max(count(r.b), 0), SWEEP_STEPS);
      bins.n += count(r.n);
      bins.sw[b] = (bins.sw[b] as number) + (num(r.sw) ?? 0);
      bins.pos[b] = (bins.pos[b] as number) + (num(r.pos) ?? 0);
      bins.neg[b] = (bins.neg[b] as number) + (num(r.neg) ?? 0);
    }
    batch.forEach((spec, i) => {
      const groups: ThresholdSweep['groups'] = {};
      for (const [key, bins] of bySpec[i] ?? []) groups[key] = sweepOf(bins);
      out[spec.key] = { thresholds: [...SWEEP_THRESHOLDS], groups };
    });
  }
  return out;
}

/** Suffix sums of the bins: the rates at each threshold. */
function sweepOf(bins: Bins): ThresholdSweep['groups'][string] {
  const selection: (number | null)[] = [];
  const tpr: (number | null)[] = [];
  const fpr: (number | null)[] = [];
  let sw = 0;
  let pos = 0;
  let neg = 0;
  const total = { sw: 0, pos: 0, neg: 0 };
  for (let b = 0; b <= SWEEP_STEPS; b++) {
    total.sw += bins.sw[b] as number;
    total.pos += bins.pos[b] as number;
    total.neg += bins.neg[b] as number;
  }
  for (let t = SWEEP_STEPS; t >= 0; t--) {
    sw += bins.sw[t] as number;
    pos += bins.pos[t] as number;
    neg += bins.neg[t] as number;
    selection[t] = total.sw > 0 ? sw / total.sw : null;
    tpr[t] = total.pos > 0 ? pos / total.pos : null;
    fpr[t] = total.neg > 0 ? neg / total.neg : null;
  }
  return { count: bins.n, selection_rate: selection, true_positive_rate: tpr, false_positive_rate: fpr };
}
