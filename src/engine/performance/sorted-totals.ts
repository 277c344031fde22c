import type { PerformanceResult } from '../../contracts/validation-evidence.ts';
import type { ScoreTotals } from './calibration.ts';

/**
 * What performance's first query sums over the scored rows (count, weight, the confusion matrix
 * at the threshold, log loss and Brier sums), as numbers.
 */
export interface ScoredSums {
  n: number;
  sw: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  ll: number;
  bs: number;
}

/** A compensated (Neumaier) sum: as exact as the terms allow, whatever their order. */
class Sum {
  private s = 0;
  private c = 0;
  add(x: number): void {
    const t = this.s + x;
    this.c += Math.abs(this.s) >= Math.abs(x) ? this.s - t + x : x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
}

/**
 * The sums and the calibration bins of unweighted scored rows from their per-distinct-score
 * totals (the score's sorted sample with its label classes), instead of two passes over the rows:
 * counts are exact; log loss, Brier and the bins' mean scores are compensated sums, equal to
 * DuckDB's (multi-threaded, in no fixed order) but for the last bits. Null when some row has no
 * label class (the scored rows have one by construction; then the caller queries).
 */
export function sumsOfTotals(
  totals: ScoreTotals,
  threshold: number,
  eps: number,
  bins: number,
): { sums: ScoredSums; calibration: PerformanceResult['calibration_curve'] } | null {
  let n = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  const ll = new Sum();
  const bs = new Sum();
  const binRows = new Float64Array(bins);
  const binPos = new Float64Array(bins);
  const binScore = Array.from({ length: bins }, () => new Sum());
  for (let k = 0; k < totals.score.length; k++) {
    const p = totals.score[k] as number;
    const pos = totals.pos[k] as number;
    const neg = totals.neg[k] as number;
    const rows = totals.rows[k] as number;
    if (pos + neg !== rows) return null;
    n += rows;
    if (p >= threshold) {
      tp += pos;
      fp += neg;
    } else {
      fn += pos;
      tn += neg;
    }
    const pc = Math.max(Math.min(p, 1 - eps), eps);
    if (pos > 0) {
      ll.add(pos * -Math.log(pc));
      bs.add(pos * (p - 1) * (p - 1));
    }
    if (neg > 0) {
      ll.add(neg * -Math.log(1 - pc));
      bs.add(neg * p * p);
    }
    const b = Math.min(Math.floor(p * bins), bins - 1);
    binRows[b] = (binRows[b] as number) + rows;
    binPos[b] = (binPos[b] as number) + pos;
    (binScore[b] as Sum).add(rows * p);
  }
  const calibration = {
    bin: [] as number[],
    prob_true: [] as number[],
    prob_pred: [] as number[],
    count: [] as number[],
  };
  for (let b = 0; b < bins; b++) {
    const w = binRows[b] as number;
    if (!(w > 0)) continue;
    calibration.bin.push(b);
    calibration.count.push(w);
    calibration.prob_true.push((binPos[b] as number) / w);
    calibration.prob_pred.push((binScore[b] as Sum).value / w);
  }
  return { sums: { n, sw: n, tp, fp, fn, tn, ll: ll.value, bs: bs.value }, calibration };
}
