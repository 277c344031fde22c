import type { ThresholdSweep } from '../../contracts/validation-evidence.ts';

/** The sweep's thresholds are k / SWEEP_STEPS for k = 0 … SWEEP_STEPS (0, 0.05, …, 1). */
export const SWEEP_STEPS = 20;

/** The thresholds of the sweep, each the double nearest k / 20. */
export const SWEEP_THRESHOLDS: readonly number[] = Array.from(
  { length: SWEEP_STEPS + 1 },
  (_, k) => k / SWEEP_STEPS,
);

/**
 * Each scored row's threshold bin (SQL over `__p` in [0, 1]): the number of thresholds k / 20
 * (k ≥ 1) that its score reaches, so that the row is predicted positive at threshold k exactly
 * when its bin is ≥ k. floor(p · 20) is corrected by one where the product rounds across a
 * threshold. The fairness query groups by it beside the group (one pass for both).
 */
export function sweepBinExpr(): string {
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
 * Collects the (group, bin) sums of the fairness query and turns them into each group's
 * selection rate, TPR and FPR at every threshold (suffix sums over the bins: the rows selected at
 * threshold k are those whose bin is ≥ k). Weighted when the sums are.
 */
export class SweepCollector {
  private readonly groups = new Map<string, Bins>();

  /** One (group, bin) row: its row count and its weight, positive weight and negative weight. */
  add(group: string, bin: number, n: number, sw: number, pos: number, neg: number): void {
    let bins = this.groups.get(group);
    if (!bins) {
      bins = {
        n: 0,
        sw: new Float64Array(SWEEP_STEPS + 1),
        pos: new Float64Array(SWEEP_STEPS + 1),
        neg: new Float64Array(SWEEP_STEPS + 1),
      };
      this.groups.set(group, bins);
    }
    const b = Math.min(Math.max(bin, 0), SWEEP_STEPS);
    bins.n += n;
    bins.sw[b] = (bins.sw[b] as number) + sw;
    bins.pos[b] = (bins.pos[b] as number) + pos;
    bins.neg[b] = (bins.neg[b] as number) + neg;
  }

  result(): ThresholdSweep {
    const groups: ThresholdSweep['groups'] = {};
    for (const [key, bins] of this.groups) groups[key] = sweepOf(bins);
    return { thresholds: [...SWEEP_THRESHOLDS], groups };
  }
}

/** Suffix sums of the bins: the rates at each threshold (null without rows of the denominator). */
function sweepOf(bins: Bins): ThresholdSweep['groups'][string] {
  const selection: (number | null)[] = [];
  const tpr: (number | null)[] = [];
  const fpr: (number | null)[] = [];
  const total = { sw: 0, pos: 0, neg: 0 };
  for (let b = 0; b <= SWEEP_STEPS; b++) {
    total.sw += bins.sw[b] as number;
    total.pos += bins.pos[b] as number;
    total.neg += bins.neg[b] as number;
  }
  let sw = 0;
  let pos = 0;
  let neg = 0;
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
