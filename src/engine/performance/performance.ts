import type { DuckDBConnection } from '@duckdb/node-api';
import type { PerformanceResult } from '../../contracts/validation-evidence.ts';
import { count, num, queryRows } from '../duckdb/sql.ts';
import type { NumericColumn } from '../scan/numeric-column.ts';
import { calibrationFit, type ScoreTotals, totalsOfSorted, totalsOfView } from './calibration.ts';
import {
  criticalValue,
  DEFAULT_CONFIDENCE,
  DeLongAccumulator,
  type DeLongResult,
  delongInterval,
  wilson,
} from './intervals.ts';
import type { ScoredView } from './scored-rows.ts';
import { type ScoredSums, sumsOfTotals } from './sorted-totals.ts';

/** log_loss clips probabilities to [EPS, 1 − EPS] (sklearn's historical eps). */
export const LOG_LOSS_EPS = 1e-15;
/** Bins of the expected calibration error. */
export const ECE_BINS = 10;
/** At most this many points of the ROC and precision-recall curves are kept for the report. */
export const CURVE_POINTS = 200;

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** The reasons given, joined; null when there is none. */
export function notes(...reasons: (string | null)[]): string | null {
  const given = reasons.filter((r): r is string => r !== null);
  return given.length > 0 ? given.join('; ') : null;
}

/** The note when every weight is 0: weighted means are 0/0 (scikit-learn raises on them). */
export const ALL_ZERO_WEIGHTS =
  'every weight is 0: the weighted metrics are 0/0, so null (scikit-learn raises "Weights sum to zero, can\'t be normalized")';

/** The metrics of the other tasks, all null: spread first into a task's result. */
export const NO_TASK_METRICS = {
  multiclass: null,
  mean_absolute_error: null,
  mean_squared_error: null,
  root_mean_squared_error: null,
  r2: null,
  mean_absolute_percentage_error: null,
} satisfies Partial<PerformanceResult>;

/**
 * Binary classification metrics exactly as scikit-learn defines them, computed with DuckDB
 * aggregates over the scored view (no per-row JS objects).
 */
export async function computePerformance(
  conn: DuckDBConnection,
  scored: ScoredView,
  names: { label: string; score?: string; prediction?: string; weight?: string },
  options: {
    /**
     * The score column's sorted sample with label classes (positive = the scored view's positive
     * label), when already read: unweighted ROC and precision-recall then come from it.
     */
    sortedScore?: Promise<NumericColumn>;
    /** Confidence level of the intervals (default 0.95). */
    confidence?: number;
  } = {},
): Promise<PerformanceResult> {
  const v = scored.view;
  // Unweighted with a score: the sums, the calibration bins and the per-score totals all come
  // from the score's sorted sample (no pass over the rows); otherwise from queries of the view.
  const sortedScore = scored.hasScore && !scored.weighted ? options.sortedScore : undefined;
  const sortedTotals = sortedScore ? totalsOfSorted(await sortedScore) : null;
  const fromSorted = sortedTotals
    ? sumsOfTotals(sortedTotals, scored.threshold, LOG_LOSS_EPS, ECE_BINS)
    : null;
  const t = fromSorted ? fromSorted.sums : await scoredSums(conn, v);
  const { n, sw, tp, fp, fn, tn } = t;
  const pos = tp + fn;
  const neg = tn + fp;
  const precision = ratio(tp, tp + fp) ?? 0; // sklearn zero_division: 0
  const recall = ratio(tp, pos) ?? 0;
  const perClassRecall = [ratio(tn, neg), ratio(tp, pos)].filter((r): r is number => r !== null);
  const balanced =
    perClassRecall.length > 0 ? perClassRecall.reduce((a, b) => a + b, 0) / perClassRecall.length : null;
  const f1Denominator = 2 * tp + fp + fn;
  // a predicted-class column has no probabilities: the score-based metrics do not apply
  // the calibration query runs while the score's sort (when the curves come from it) finishes
  const calibration = fromSorted
    ? fromSorted.calibration
    : scored.hasScore
      ? await calibrationBins(conn, v)
      : null;
  // the scores' distinct values with their class weights (rows of weight 0 left out, as
  // scikit-learn drops them): the curves, DeLong, the calibration fit and Hosmer–Lemeshow
  const totals = !scored.hasScore ? null : (sortedTotals ?? (await totalsOfView(conn, v)));
  const curves = totals ? rankCurvesOfTotals(totals, pos, neg) : NO_CURVES;
  const ece =
    calibration && sw > 0
      ? calibration.count.reduce(
          (acc, c, i) =>
            acc + (c / sw) * Math.abs((calibration.prob_true[i] ?? 0) - (calibration.prob_pred[i] ?? 0)),
          0,
        )
      : null;
  const oneClass = pos === 0 || neg === 0;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const z = criticalValue(confidence);
  const fit = totals ? calibrationFit(totals) : null;
  return {
    ...NO_TASK_METRICS,
    task: 'binary',
    label: names.label,
    score: names.score ?? null,
    prediction: names.prediction ?? null,
    positive_label: scored.positiveLabel,
    threshold: scored.hasScore ? scored.threshold : null,
    weight: names.weight ?? null,
    count: n,
    accuracy: ratio(tp + tn, sw),
    balanced_accuracy: balanced,
    precision,
    recall,
    f1: f1Denominator > 0 ? (2 * tp) / f1Denominator : 0,
    roc_auc: curves.rocAuc,
    average_precision: curves.averagePrecision,
    log_loss: scored.hasScore ? ratio(t.ll, sw) : null,
    brier_score: scored.hasScore ? ratio(t.bs, sw) : null,
    ece,
    confusion_matrix: { tn, fp, fn, tp },
    calibration_curve: calibration,
    roc_curve: curves.roc_curve,
    precision_recall_curve: curves.precision_recall_curve,
    intervals: {
      confidence,
      accuracy: wilson(tp + tn, sw, z),
      precision: wilson(tp, tp + fp, z),
      recall: wilson(tp, pos, z),
      roc_auc:
        curves.rocAuc !== null && curves.delong ? delongInterval(curves.rocAuc, curves.delong, z) : null,
      note:
        scored.hasScore && !oneClass && !curves.delong
          ? 'roc_auc interval: DeLong needs a weight above 1 in each class'
          : null,
    },
    calibration: fit,
    note: notes(
      n > 0 && sw === 0 ? ALL_ZERO_WEIGHTS : null,
      !scored.hasScore
        ? 'a predicted class has no probabilities: roc_auc, average_precision, log_loss, brier_score, ece and the curves are null'
        : null,
      oneClass && sw > 0 && scored.hasScore
        ? 'only one class in the label: roc_auc and average_precision are undefined (sklearn raises or warns)'
        : null,
    ),
  };
}

/** ROC AUC, average precision and the down-sampled ROC and precision-recall curves. */
interface RankCurves {
  rocAuc: number | null;
  averagePrecision: number | null;
  roc_curve: PerformanceResult['roc_curve'];
  precision_recall_curve: PerformanceResult['precision_recall_curve'];
  /** DeLong's variance of the AUC (null when a class has weight ≤ 1). */
  delong: DeLongResult | null;
}

/**
 * sklearn's _binary_clf_curve walked one distinct score at a time, descending, with the weighted
 * TP and FP of each score: sums the ROC trapezoids and the step-wise average precision and keeps
 * every k-th point (and the last) of both curves.
 */
class CurveWalk {
  private ctp = 0;
  private cfp = 0;
  private area = 0;
  private ap = 0;
  private seen = 0;
  private readonly every: number;
  private readonly roc = { fpr: [0], tpr: [0] };
  private readonly pr = { precision: [] as number[], recall: [] as number[] };
  private readonly delong: DeLongAccumulator;

  constructor(
    private readonly pos: number,
    private readonly neg: number,
    private readonly distinct: number,
  ) {
    this.every = Math.max(Math.ceil(distinct / CURVE_POINTS), 1);
    this.delong = new DeLongAccumulator(pos, neg);
  }

  /** The next distinct score (lower than every score before it), with its weighted TP and FP. */
  add(tp: number, fp: number): void {
    const ptp = this.ctp;
    const pfp = this.cfp;
    this.ctp += tp;
    this.cfp += fp;
    const ctp = this.ctp;
    const cfp = this.cfp;
    this.delong.add(tp, fp);
    this.area += ((cfp - pfp) * (ctp + ptp)) / 2;
    if (ctp + cfp > 0) this.ap += (ctp - ptp) * (ctp / (ctp + cfp));
    this.seen++;
    if (this.seen % this.every === 0 || this.seen === this.distinct) {
      this.roc.fpr.push(cfp / this.neg);
      this.roc.tpr.push(ctp / this.pos);
      if (ctp + cfp > 0) {
        this.pr.precision.push(ctp / (ctp + cfp));
        this.pr.recall.push(ctp / this.pos);
      }
    }
  }

  result(): RankCurves {
    return {
      rocAuc: this.area / (this.pos * this.neg),
      averagePrecision: this.ap / this.pos,
      roc_curve: this.roc,
      precision_recall_curve: this.pr,
      delong: this.delong.result(),
    };
  }
}

const NO_CURVES: RankCurves = {
  rocAuc: null,
  averagePrecision: null,
  roc_curve: null,
  precision_recall_curve: null,
  delong: null,
};

/** ROC and precision-recall from the distinct scores (ascending) with their class weights, walked from the top. */
export function rankCurvesOfTotals(totals: ScoreTotals, pos: number, neg: number): RankCurves {
  if (pos <= 0 || neg <= 0) return NO_CURVES;
  const k = totals.score.length;
  const walk = new CurveWalk(pos, neg, k);
  for (let i = k - 1; i >= 0; i--) walk.add(totals.pos[i] as number, totals.neg[i] as number);
  return walk.result();
}

/**
 * ROC and precision-recall from the unweighted scores sorted ascending with their label classes
 * (the scan's sorted sample of the score column, read with the same positive label): the same
 * counts as grouping the scored view, without a query.
 */
export function rankCurvesOfSorted(score: NumericColumn, pos: number, neg: number): RankCurves {
  return rankCurvesOfTotals(totalsOfSorted(score), pos, neg);
}

/** Count, weight, confusion matrix at the threshold, log loss and Brier sums of the scored rows. */
async function scoredSums(conn: DuckDBConnection, view: string): Promise<ScoredSums> {
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
     FROM ${view}`,
  );
  return {
    n: count(t?.n),
    sw: num(t?.sw) ?? 0,
    tp: num(t?.tp) ?? 0,
    fp: num(t?.fp) ?? 0,
    fn: num(t?.fn) ?? 0,
    tn: num(t?.tn) ?? 0,
    ll: num(t?.ll) ?? 0,
    bs: num(t?.bs) ?? 0,
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
     FROM ${view} GROUP BY 1 HAVING sum(__w) > 0 ORDER BY 1`,
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
