import { InputError } from '../load/input-error.ts';

/** Scores permutation importance can use (greater is better, as scikit-learn's scorers). */
export const SCORINGS = ['accuracy', 'roc_auc', 'neg_log_loss', 'neg_brier_score'] as const;
export type Scoring = (typeof SCORINGS)[number];

/**
 * The score of predictions against binary labels. `accuracy` predicts the positive class when
 * the score exceeds 0.5 (scikit-learn's argmax of [1 − p, p]: a tie goes to class 0).
 */
export function scoreOf(scoring: Scoring, y: Float64Array, p: Float64Array): number {
  const n = y.length;
  switch (scoring) {
    case 'accuracy': {
      let right = 0;
      for (let i = 0; i < n; i++) if (((p[i] as number) > 1 - (p[i] as number) ? 1 : 0) === y[i]) right++;
      return right / n;
    }
    case 'roc_auc':
      return rocAuc(y, p);
    case 'neg_log_loss': {
      const eps = 2.220446049250313e-16;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const q = Math.min(1 - eps, Math.max(eps, p[i] as number));
        sum += y[i] === 1 ? Math.log(q) : Math.log(1 - q);
      }
      return sum / n;
    }
    case 'neg_brier_score': {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += ((p[i] as number) - (y[i] as number)) ** 2;
      return -sum / n;
    }
  }
}

/** ROC AUC with ties counted half (the Mann–Whitney statistic). */
export function rocAuc(y: Float64Array, p: Float64Array): number {
  const order = Array.from(p.keys()).sort((a, b) => (p[a] as number) - (p[b] as number));
  let positives = 0;
  for (const v of y) positives += v;
  const negatives = y.length - positives;
  if (positives === 0 || negatives === 0) throw new InputError('ROC AUC needs both classes in the label');
  let rankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && p[order[j + 1] as number] === p[order[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k] as number] === 1) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
