import { z } from 'zod';
import { modelRunSchema } from './explain.ts';
import { dataQualityResultSchema, driftResultSchema } from './validation-drift.ts';

/**
 * The `assay.validation/v1` evidence document written by `assay validate`. Keys use the
 * scikit-learn / Fairlearn names; numbers undefined for the data (e.g. ROC AUC with one class)
 * are `null`, never a silent 0.
 */

/** Confusion matrix of the thresholded score (weighted sums when a weight column is given). */
export const confusionMatrixSchema = z.object({
  tn: z.number(),
  fp: z.number(),
  fn: z.number(),
  tp: z.number(),
});

/** Reliability curve over the ECE bins: bin i holds scores with min(floor(p * 10), 9) = i. */
export const calibrationCurveSchema = z.object({
  bin: z.array(z.number().int()),
  prob_true: z.array(z.number()),
  prob_pred: z.array(z.number()),
  count: z.array(z.number()),
});

/**
 * A confidence interval at `confidence` (0.95 unless `--confidence` says otherwise): Wilson score
 * (a proportion), Newcombe's hybrid score (a difference of two proportions, Newcombe 1998 method
 * 10) or DeLong (ROC AUC, Wald interval on the DeLong variance, clipped to [0, 1]).
 */
export const confidenceIntervalSchema = z.object({
  lower: z.number(),
  upper: z.number(),
  method: z.enum(['wilson', 'newcombe', 'delong']),
});
export type ConfidenceInterval = z.infer<typeof confidenceIntervalSchema>;

/** Intervals of the headline binary metrics (null: undefined for the data, e.g. no positives). */
export const performanceIntervalsSchema = z.object({
  confidence: z.number(),
  accuracy: confidenceIntervalSchema.nullable(),
  precision: confidenceIntervalSchema.nullable(),
  recall: confidenceIntervalSchema.nullable(),
  /** DeLong (fast algorithm of Sun & Xu 2014), with its standard error. */
  roc_auc: confidenceIntervalSchema.extend({ standard_error: z.number() }).nullable(),
  note: z.string().nullable(),
});

/**
 * Logistic recalibration (fit y ~ intercept + slope · logit(score), the score clipped to
 * [1e-15, 1 − 1e-15]; slope 1 and intercept 0 when calibrated) and the Hosmer–Lemeshow test over
 * deciles of risk (pandas qcut of the score into 10 quantile groups, duplicate edges dropped;
 * chi-square with groups − 2 degrees of freedom). Null parts carry the reason in `note`.
 */
export const calibrationFitSchema = z.object({
  intercept: z.number().nullable(),
  slope: z.number().nullable(),
  hosmer_lemeshow_statistic: z.number().nullable(),
  hosmer_lemeshow_pvalue: z.number().nullable(),
  hosmer_lemeshow_dof: z.number().int().nullable(),
  /** The risk groups actually formed (fewer than 10 when score quantiles coincide). */
  hosmer_lemeshow_groups: z.number().int(),
  note: z.string().nullable(),
});
export type CalibrationFit = z.infer<typeof calibrationFitSchema>;

/** Per-class metrics of a multiclass classifier (sklearn precision_recall_fscore_support, zero_division 0). */
export const classMetricsSchema = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  /** Rows (weighted) whose true label is this class. */
  support: z.number(),
});

/** Multiclass details: the classes (sorted as sklearn's unique_labels), the K × K confusion matrix (rows: true). */
export const multiclassResultSchema = z.object({
  classes: z.array(z.string()),
  confusion_matrix: z.array(z.array(z.number())),
  per_class: z.record(z.string(), classMetricsSchema),
  precision_macro: z.number(),
  recall_macro: z.number(),
  f1_macro: z.number(),
  precision_weighted: z.number(),
  recall_weighted: z.number(),
  f1_weighted: z.number(),
});
export type MulticlassResult = z.infer<typeof multiclassResultSchema>;

/**
 * Performance as scikit-learn computes it. `task` says which metrics apply: binary (from a score
 * column, or from a predicted-class column without the score-based metrics), multiclass (from a
 * predicted-class column; precision/recall/f1 are the macro averages) or regression (label
 * continuous: the error metrics). Metrics that do not apply are null.
 */
/** The tasks `assay validate` evaluates (`--task`). */
export const VALIDATION_TASKS = ['binary', 'multiclass', 'regression'] as const;

export const performanceResultSchema = z.object({
  task: z.enum(VALIDATION_TASKS).default('binary'),
  label: z.string(),
  /** The probability column (binary), or null. */
  score: z.string().nullable(),
  /** The predicted class (classification) or value (regression) column, or null. */
  prediction: z.string().nullable().default(null),
  positive_label: z.string().nullable(),
  threshold: z.number().nullable(),
  weight: z.string().nullable(),
  /** Rows (unweighted). */
  count: z.number().int(),
  accuracy: z.number().nullable(),
  balanced_accuracy: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1: z.number().nullable(),
  roc_auc: z.number().nullable(),
  average_precision: z.number().nullable(),
  log_loss: z.number().nullable(),
  brier_score: z.number().nullable(),
  ece: z.number().nullable(),
  /** Binary confusion matrix (null for other tasks; multiclass has its own). */
  confusion_matrix: confusionMatrixSchema.nullable(),
  calibration_curve: calibrationCurveSchema.nullable(),
  /** ROC points over distinct scores (descending), at most CURVE_POINTS of them plus (0, 0); null with one class. */
  roc_curve: z.object({ fpr: z.array(z.number()), tpr: z.array(z.number()) }).nullable(),
  /** Precision-recall points over the same thresholds; null with one class. */
  precision_recall_curve: z
    .object({ precision: z.array(z.number()), recall: z.array(z.number()) })
    .nullable(),
  multiclass: multiclassResultSchema.nullable().default(null),
  mean_absolute_error: z.number().nullable().default(null),
  mean_squared_error: z.number().nullable().default(null),
  root_mean_squared_error: z.number().nullable().default(null),
  r2: z.number().nullable().default(null),
  mean_absolute_percentage_error: z.number().nullable().default(null),
  note: z.string().nullable(),
  /** Confidence intervals of accuracy, precision, recall and ROC AUC (binary only; absent in older evidence). */
  intervals: performanceIntervalsSchema.nullable().optional(),
  /** Calibration slope, intercept and Hosmer–Lemeshow (binary with a score; absent in older evidence). */
  calibration: calibrationFitSchema.nullable().optional(),
});
export type PerformanceResult = z.infer<typeof performanceResultSchema>;

/** The scalar metrics of `performance`, in the order reports and model cards list them. */
export const PERFORMANCE_METRICS = [
  'accuracy',
  'balanced_accuracy',
  'precision',
  'recall',
  'f1',
  'roc_auc',
  'average_precision',
  'log_loss',
  'brier_score',
  'ece',
  'mean_absolute_error',
  'mean_squared_error',
  'root_mean_squared_error',
  'r2',
  'mean_absolute_percentage_error',
] as const satisfies readonly (keyof PerformanceResult)[];

/** Metrics of one group (Fairlearn MetricFrame.by_group). */
export const groupMetricsSchema = z.object({
  count: z.number().int(),
  selection_rate: z.number().nullable(),
  true_positive_rate: z.number().nullable(),
  false_positive_rate: z.number().nullable(),
  accuracy: z.number().nullable(),
  /** selection_rate / the largest selection rate (NYC LL 144 impact ratio). */
  impact_ratio: z.number().nullable(),
  /** count < min_group_size: too small to judge (kept, never dropped). */
  too_small: z.boolean(),
  /** Wilson intervals of the group's rates (null when a rate is undefined); absent in older evidence. */
  intervals: z
    .object({
      selection_rate: confidenceIntervalSchema.nullable(),
      true_positive_rate: confidenceIntervalSchema.nullable(),
      false_positive_rate: confidenceIntervalSchema.nullable(),
      accuracy: confidenceIntervalSchema.nullable(),
    })
    .optional(),
});
export type GroupMetrics = z.infer<typeof groupMetricsSchema>;

/**
 * Newcombe intervals of the disparities that are differences: the difference between the two
 * groups that give max − min (for equalized odds, of the rate, TPR or FPR, that gives it). The
 * two groups are chosen as the extremes, so this is the interval of that pair's difference, not a
 * simultaneous interval over all pairs.
 */
export const disparityIntervalsSchema = z.object({
  demographic_parity_difference: confidenceIntervalSchema.nullable(),
  equalized_odds_difference: confidenceIntervalSchema.nullable(),
  equal_opportunity_difference: confidenceIntervalSchema.nullable(),
});

/** The disparities over a subset of the groups (the groups with count ≥ min_group_size). */
export const judgedDisparitiesSchema = z.object({
  /** The groups included. */
  groups: z.array(z.string()),
  demographic_parity_difference: z.number().nullable(),
  demographic_parity_ratio: z.number().nullable(),
  equalized_odds_difference: z.number().nullable(),
  equalized_odds_ratio: z.number().nullable(),
  equal_opportunity_difference: z.number().nullable(),
  four_fifths_violation: z.boolean(),
  intervals: disparityIntervalsSchema,
  /** Why the disparities are null (fewer than two groups large enough to judge). */
  note: z.string().nullable(),
});

/**
 * Selection rate, TPR and FPR of each group at each threshold (predicted positive: score ≥
 * threshold), from one grouped pass; a rate is null when the group has no rows of its
 * denominator (no positives for TPR, no negatives for FPR).
 */
export const thresholdSweepSchema = z.object({
  thresholds: z.array(z.number()),
  groups: z.record(
    z.string(),
    z.object({
      count: z.number().int(),
      selection_rate: z.array(z.number().nullable()),
      true_positive_rate: z.array(z.number().nullable()),
      false_positive_rate: z.array(z.number().nullable()),
    }),
  ),
});
export type ThresholdSweep = z.infer<typeof thresholdSweepSchema>;

/** Fairness of one group column; differences are max − min over groups, ratios min / max. */
export const fairnessResultSchema = z.object({
  groups: z.record(z.string(), groupMetricsSchema),
  demographic_parity_difference: z.number().nullable(),
  demographic_parity_ratio: z.number().nullable(),
  equalized_odds_difference: z.number().nullable(),
  equalized_odds_ratio: z.number().nullable(),
  equal_opportunity_difference: z.number().nullable(),
  /** demographic_parity_ratio < four_fifths_threshold. */
  four_fifths_violation: z.boolean(),
  small_groups: z.array(z.string()),
  min_group_size: z.number().int(),
  four_fifths_threshold: z.number(),
  /** Present only when a rate, ratio or disparity is null: why (e.g. every selection rate is 0). */
  note: z.string().optional(),
  /** The confidence level of the intervals below and of each group's (absent in older evidence). */
  confidence: z.number().optional(),
  /** Newcombe intervals of the all-groups differences above. */
  intervals: disparityIntervalsSchema.optional(),
  /**
   * The headline disparities: over the groups with count ≥ min_group_size only (the fields above
   * are over every group, small ones included, and stay beside them).
   */
  judged: judgedDisparitiesSchema.optional(),
  /** Per-group rates across thresholds (null with a predicted-class column: no score to sweep). */
  threshold_sweep: thresholdSweepSchema.nullable().optional(),
});
export type FairnessResult = z.infer<typeof fairnessResultSchema>;

/** An input file: its role, path, SHA-256 and row count. */
export const evidenceInputSchema = z.object({
  role: z.enum(['data', 'reference']),
  path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: z.number().int(),
  columns: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical']) })),
});

/** The options the run used (echoed so the evidence can be reproduced). */
export const validationConfigSchema = z.object({
  label: z.string().nullable(),
  score: z.string().nullable(),
  prediction: z.string().nullable().default(null),
  task: z.enum(VALIDATION_TASKS).nullable().default(null),
  threshold: z.number(),
  positive_label: z.string().nullable(),
  weight: z.string().nullable(),
  groups: z.array(z.string()),
  features: z.array(z.string()),
  categorical: z.array(z.string()),
  min_group_size: z.number().int(),
  /** Confidence level of the intervals (absent in older evidence: 0.95). */
  confidence: z.number().optional(),
});
export type ValidationConfig = z.infer<typeof validationConfigSchema>;

/** A breach of a policy validation threshold, proposed as a finding (adopted with one command). */
export const suggestedFindingSchema = z.object({
  /** `<rule id>:<metric path>`, stable for the same evidence and policy. */
  id: z.string(),
  rule: z.string(),
  metric: z.string(),
  value: z.number(),
  op: z.enum(['<', '<=', '>', '>=']),
  threshold: z.number(),
  category: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  title: z.string(),
  description: z.string(),
});
export type SuggestedFinding = z.infer<typeof suggestedFindingSchema>;

/** The policy the suggestions were judged by. */
export const judgedBySchema = z.object({
  policy_version: z.number().int().nullable(),
  policy_sha256: z.string().nullable(),
  source: z.string(),
  tier: z.number().int().nullable(),
});

/** The whole evidence document. */
export const validationEvidenceSchema = z.object({
  schema: z.literal('assay.validation/v1'),
  engine: z.object({ name: z.literal('assay'), version: z.string() }),
  created_at: z.string(),
  inputs: z.array(evidenceInputSchema),
  config: validationConfigSchema,
  performance: performanceResultSchema.nullable(),
  fairness: z.record(z.string(), fairnessResultSchema).nullable(),
  drift: driftResultSchema.nullable(),
  data_quality: dataQualityResultSchema.nullable(),
  /** Policy threshold breaches (when a policy was given or the server's was fetched), else null. */
  suggested_findings: z.array(suggestedFindingSchema).nullable().default(null),
  judged_by: judgedBySchema.nullable().default(null),
  /** `assay validate --scorer`: the model that scored the data (absent when a score column was read). */
  model: modelRunSchema
    .extend({
      score_column: z.string(),
      /** With --score too: the model's scores against that column. */
      reproducibility: z
        .object({
          compared_column: z.string(),
          rows: z.number().int(),
          max_abs_difference: z.number(),
          /** The data line (1 = header) where the difference is largest. */
          worst_line: z.number().int(),
        })
        .nullable(),
    })
    .optional(),
});
export type ValidationEvidence = z.infer<typeof validationEvidenceSchema>;
