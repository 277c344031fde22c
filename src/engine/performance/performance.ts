import type { DuckDBConnection } from '@duckdb/node-api';
import type { PerformanceResult } from '../../contracts/validation-evidence.ts';
import { count, num, queryRows } from '../drift/sql.ts';
import type { ScoredView } from './scored-rows.ts';

/** log_loss clips probabilities to [EPS, 1 − EPS] (sklearn's historical eps). */
export const LOG_LOSS_EPS = 1e-15;
/** Bins of the expected calibration error. */
export const ECE_BINS = 10;
/** At most this many points of the ROC and precision-recall curves are kept for the report. */
export const CURVE_POINTS = 200;

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/**
 * Binary classification metrics exactly as scikit-learn defines them, computed with DuckDB
 * aggregates over the scored view (no per-row JS objects).
 */
export async function computePerformance(
  conn: DuckDBConnection,
  scored: ScoredView,
  names: { label: string; score: string; weight?: string },
): Promise<PerformanceResult> {
  const v = scored.view;
  const pc = `greatest(least(__p, 1 - ${LOG_LOSS_EPS}), ${LOG_LOSS_EPS})`;
  const [t] = await queryRows(
    conn,
    `SELECT count(*) AS n, sum(__w) AS sw,
      coalesce(sum(__w) FILTER (WHERE __y = 1 AND __yhat = 1), 0) AS tp,
      coalesce(sum(__w) FILTER (WHERE __y = 0 AND __yhat = 1), 0) AS fp,
      coalesce(sum(__w) FILTER (WHERE __y = 1 AND __yhat = 0), 0) AS fn,
      coalesce(sum(__w) FILTER (WHERE __y = 0 AND __yhat = 0), 0) AS tn,
      sum(__w * -(CASE WHEN __y = 1 THEN ln(${pc}) ELSE ln(1 - ${pc}) END)) AS ll,
      sum(__w * (__p - __y) * (__p - __y)) AS bs
     FROM ${v}`,
  );
  const n = count(t?.n);
  const sw = num(t?.sw) ?? 0;
  const tp = num(t?.tp) ?? 0;
  const fp = num(t?.fp) ?? 0;
  const fn = num(t?.fn) ?? 0;
  const tn = num(t?.tn) ?? 0;
  const pos = tp + fn;
  const neg = tn + fp;
  const precision = ratio(tp, tp + fp) ?? 0; // sklearn zero_division: 0
  const recall = ratio(tp, pos) ?? 0;
  const perClassRecall = [ratio(tn, neg), ratio(tp, pos)].filter((r): r is number => r !== null);
  const balanced =
    perClassRecall.length > 0 ? perClassRecall.reduce((a, b) => a + b, 0) / perClassRecall.length : null;
  const f1Denominator = 2 * tp + fp + fn;
  const curves = await rankMetrics(conn, v, pos, neg);
  const calibration = await calibrationBins(conn, v);
  const ece =
    sw > 0
      ? calibration.count.reduce(
          (acc, c, i) =>
            acc + (c / sw) * Math.abs((calibration.prob_true[i] ?? 0) - (calibration.prob_pred[i] ?? 0)),
          0,
        )
      : null;
  const oneClass = pos === 0 || neg === 0;
  return {
    label: names.label,
    score: names.score,
    positive_label: scored.positiveLabel,
    threshold: scored.threshold,
    weight: names.weight ?? null,
    count: n,
    accuracy: ratio(tp + tn, sw),
    balanced_accuracy: balanced,
    precision,
    recall,
    f1: f1Denominator > 0 ? (2 * tp) / f1Denominator : 0,
    roc_auc: curves.rocAuc,
    average_precision: curves.averagePrecision,
    log_loss: ratio(num(t?.ll) ?? 0, sw),
    brier_score: ratio(num(t?.bs) ?? 0, sw),
    ece,
    confusion_matrix: { tn, fp, fn, tp },
    calibration_curve: calibration,
    ...(await curvePoints(conn, v, pos, neg)),
    note: oneClass
      ? 'only one class in the label: roc_auc and average_precision are undefined (sklearn raises or warns)'
      : null,
  };
}

/** ROC AUC (trapezoids over distinct scores, ties as one step) and step-wise average precision. */
async function rankMetrics(
  conn: DuckDBConnection,
  view: string,
  pos: number,
  neg: number,
): Promise<{ rocAuc: number | null; averagePrecision: number | null }> {
  if (pos <= 0 || neg <= 0) return { rocAuc: null, averagePrecision: null };
  // One point per distinct score, descending, with cumulative weighted TP/FP (sklearn's _binary_clf_curve).
  const [r] = await queryRows(
    conn,
    `WITH g AS (SELECT __p AS p, sum(__w * __y) AS tp, sum(__w * (1 - __y)) AS fp FROM ${view} GROUP BY __p),
     c AS (SELECT p, sum(tp) OVER w AS ctp, sum(fp) OVER w AS cfp FROM g
           WINDOW w AS (ORDER BY p DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)),
     d AS (SELECT ctp, cfp, coalesce(lag(ctp) OVER o, 0) AS ptp, coalesce(lag(cfp) OVER o, 0) AS pfp FROM c
           WINDOW o AS (ORDER BY p DESC))
     SELECT sum((cfp - pfp) * (ctp + ptp) / 2) AS area,
            sum(CASE WHEN ctp + cfp > 0 THEN (ctp - ptp) * (ctp / (ctp + cfp)) ELSE 0 END) AS ap FROM d`,
  );
  return {
    rocAuc: (num(r?.area) ?? 0) / (pos * neg),
    averagePrecision: (num(r?.ap) ?? 0) / pos,
  };
}

/** Weighted count, mean label and mean score of each non-empty ECE bin. */
async function calibrationBins(
  conn: DuckDBConnection,
  view: string,
): Promise<PerformanceResult['calibration_curve']> {
  const rows = await queryRows(
    conn,
    `SELECT least(CAST(floor(__p * ${ECE_BINS}) AS INTEGER), ${ECE_BINS - 1}) AS b, sum(__w) AS sw,
       sum(__w * __y) AS sy, sum(__w * __p) AS sp
     FROM ${view} GROUP BY b HAVING sum(__w) > 0 ORDER BY b`,
  );
  const out = {
    bin: [] as number[],
    prob_true: [] as number[],
    prob_pred: [] as number[],
    count: [] as number[],
  };
  for (const row of rows) {
    const w = num(row.sw) ?? 0;
    out.bin.push(count(row.b));
    out.count.push(w);
    out.prob_true.push((num(row.sy) ?? 0) / w);
    out.prob_pred.push((num(row.sp) ?? 0) / w);
  }
  return out;
}

const CUMULATIVE = (view: string) =>
  `WITH g AS (SELECT __p AS p, sum(__w * __y) AS tp, sum(__w * (1 - __y)) AS fp FROM ${view} GROUP BY __p),
   c AS (SELECT sum(tp) OVER w AS ctp, sum(fp) OVER w AS cfp, row_number() OVER w AS rn, count(*) OVER () AS total
         FROM g WINDOW w AS (ORDER BY p DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW))`;

/** Down-sampled ROC and precision-recall curves (every k-th distinct threshold and the last one). */
async function curvePoints(
  conn: DuckDBConnection,
  view: string,
  pos: number,
  neg: number,
): Promise<Pick<PerformanceResult, 'roc_curve' | 'precision_recall_curve'>> {
  if (pos <= 0 || neg <= 0) return { roc_curve: null, precision_recall_curve: null };
  const rows = await queryRows(
    conn,
    `${CUMULATIVE(view)} SELECT ctp, cfp FROM c
     WHERE rn % greatest(CAST(ceil(total / ${CURVE_POINTS}) AS BIGINT), 1) = 0 OR rn = total ORDER BY rn`,
  );
  const roc = { fpr: [0], tpr: [0] };
  const pr = { precision: [] as number[], recall: [] as number[] };
  for (const r of rows) {
    const tp = num(r.ctp) ?? 0;
    const fp = num(r.cfp) ?? 0;
    roc.fpr.push(fp / neg);
    roc.tpr.push(tp / pos);
    if (tp + fp > 0) {
      pr.precision.push(tp / (tp + fp));
      pr.recall.push(tp / pos);
    }
  }
  return { roc_curve: roc, precision_recall_curve: pr };
}
