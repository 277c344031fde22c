import { z } from 'zod';

/**
 * Drift and data-quality parts of the `assay.validation/v1` evidence document.
 * Keys are snake_case to match the names of the reference libraries (SciPy, Evidently).
 * Numbers that are undefined for the data (e.g. a p-value when a sample is empty) are `null`,
 * never a silent 0; `note` then says why.
 */

/** A small histogram of both samples for the report (proportions of each sample's non-missing values). */
export const driftHistogramSchema = z.object({
  /** Numeric: equal-width bin edges over the combined finite range (bins + 1 edges). */
  edges: z.array(z.number()).nullable(),
  /** Categorical: the category of each bin (most frequent first; the rest pooled as `other_label`). */
  labels: z.array(z.string()).nullable(),
  /** Label of the pooled bin of remaining categories, when there is one. */
  other_label: z.string().nullable(),
  reference: z.array(z.number()),
  current: z.array(z.number()),
});
export type DriftHistogram = z.infer<typeof driftHistogramSchema>;

/** The statistical test that decides `drifted` for a column. */
export const driftTestSchema = z.enum(['ks', 'wasserstein', 'chi2', 'js', 'psi']);
export type DriftTest = z.infer<typeof driftTestSchema>;

const driftCommon = {
  /** Non-missing (and, for numeric columns, finite) values in each sample. */
  reference_count: z.number().int(),
  current_count: z.number().int(),
  /** Missing values left out of the statistics (null, empty string, NaN, ±inf). */
  reference_missing: z.number().int(),
  current_missing: z.number().int(),
  /** Population Stability Index over reference-decile bins (numeric) or categories (categorical). */
  psi: z.number().nullable(),
  /** psi ≥ thresholds.psi (reported; decides `drifted` only when the decider is `psi`). */
  psi_drifted: z.boolean(),
  drifted: z.boolean(),
  /** Which test decided `drifted`, the value it compared and the threshold it was compared to. */
  test: driftTestSchema,
  test_value: z.number().nullable(),
  test_threshold: z.number(),
  histogram: driftHistogramSchema,
  /** Why a statistic is missing or the decision is degenerate (e.g. an empty sample). */
  note: z.string().nullable(),
};

/** Drift of a numeric column (SciPy `ks_2samp`, `wasserstein_distance`, decile PSI). */
export const numericFeatureDriftSchema = z.object({
  kind: z.literal('numeric'),
  ...driftCommon,
  ks_statistic: z.number().nullable(),
  ks_pvalue: z.number().nullable(),
  /** How the KS p-value was computed, as SciPy's method='auto' chose it. */
  ks_method: z.enum(['exact', 'asymp']).nullable(),
  /** scipy.stats.wasserstein_distance(reference, current). */
  wasserstein_distance: z.number().nullable(),
  /** wasserstein_distance / max(population std of reference, 0.001). */
  wasserstein_normed: z.number().nullable(),
  reference_std: z.number().nullable(),
  /** The PSI bin edges e1 < … < ek (unique reference deciles); bins are (−∞,e1], …, (ek,+∞). */
  psi_edges: z.array(z.number()),
});
export type NumericFeatureDrift = z.infer<typeof numericFeatureDriftSchema>;

/** Drift of a categorical column (SciPy `chi2_contingency` on the 2 × k table, `jensenshannon`, PSI). */
export const categoricalFeatureDriftSchema = z.object({
  kind: z.literal('categorical'),
  ...driftCommon,
  chi2_statistic: z.number().nullable(),
  chi2_pvalue: z.number().nullable(),
  chi2_dof: z.number().int().nullable(),
  /** Whether Yates' continuity correction was applied (one degree of freedom). */
  chi2_yates: z.boolean(),
  /** scipy.spatial.distance.jensenshannon of the two category distributions, natural log (a distance). */
  js_distance: z.number().nullable(),
  /** Categories in either sample. */
  categories: z.number().int(),
});
export type CategoricalFeatureDrift = z.infer<typeof categoricalFeatureDriftSchema>;

/** Drift of one column. */
export const featureDriftSchema = z.discriminatedUnion('kind', [
  numericFeatureDriftSchema,
  categoricalFeatureDriftSchema,
]);
export type FeatureDrift = z.infer<typeof featureDriftSchema>;

/** Thresholds and rules used to decide drift (defaults documented in docs/validation-evidence.md). */
export const driftThresholdsSchema = z.object({
  /** Numeric: which test decides. `auto`: KS when reference_count ≤ small_sample_max, else Wasserstein. */
  numeric_test: z.enum(['auto', 'ks', 'wasserstein', 'psi']),
  /** Categorical: which test decides. `auto`: chi² when reference_count ≤ small_sample_max, else JS. */
  categorical_test: z.enum(['auto', 'chi2', 'js', 'psi']),
  small_sample_max: z.number().int(),
  /** Drift when p-value < this. */
  ks_pvalue: z.number(),
  /** Drift when p-value < this. */
  chi2_pvalue: z.number(),
  /** Drift when wasserstein_normed ≥ this. */
  wasserstein_normed: z.number(),
  /** Drift when js_distance ≥ this. */
  js_distance: z.number(),
  /** psi_drifted when psi ≥ this. */
  psi: z.number(),
  /** Dataset drifted when drift_share ≥ this. */
  drift_share: z.number(),
});
export type DriftThresholds = z.infer<typeof driftThresholdsSchema>;

/** The `drift` section: per-feature drift, dataset-level share and prediction drift. */
export const driftResultSchema = z.object({
  features: z.record(z.string(), featureDriftSchema),
  feature_count: z.number().int(),
  drifted_count: z.number().int(),
  /** drifted_count / feature_count (0 when there are no features). */
  drift_share: z.number(),
  dataset_drifted: z.boolean(),
  /** Drift of the score (or prediction) column between reference and current; null when absent. */
  prediction: z.object({ column: z.string(), drift: featureDriftSchema }).nullable(),
  thresholds: driftThresholdsSchema,
  /**
   * Features in `features` but not counted in feature_count / drifted_count / drift_share: the
   * data-quality leakage suspects (a copy of the label drifts with the label). Absent when none.
   */
  excluded_features: z.array(z.string()).optional(),
});
export type DriftResult = z.infer<typeof driftResultSchema>;

/** Missing values of one column. */
export const columnMissingSchema = z.object({
  count: z.number().int(),
  share: z.number(),
  /** Of `count`: SQL NULL / empty field, blank string, NaN, ±infinity. */
  null: z.number().int(),
  empty_string: z.number().int(),
  nan: z.number().int(),
  infinite: z.number().int(),
});
export type ColumnMissing = z.infer<typeof columnMissingSchema>;

/** IQR-rule outliers of a numeric column (quartiles as numpy.quantile, linear). */
export const columnOutliersSchema = z.object({
  q1: z.number().nullable(),
  q3: z.number().nullable(),
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  /** Values < lower or > upper. */
  count: z.number().int(),
  share: z.number(),
  /** Present only when a quartile or fence is null: why (a fence beyond the float64 range). */
  note: z.string().optional(),
});
export type ColumnOutliers = z.infer<typeof columnOutliersSchema>;

/** Categories of the current data never seen in the reference. */
export const unseenCategoriesSchema = z.object({
  /** Distinct unseen values and the rows holding them. */
  distinct: z.number().int(),
  rows: z.number().int(),
  /** Up to 20 examples, most frequent first. */
  examples: z.array(z.string()),
});

/** Schema changes of the current data against the reference. */
export const schemaChangesSchema = z.object({
  new_columns: z.array(z.string()),
  missing_columns: z.array(z.string()),
  retyped_columns: z.array(
    z.object({
      column: z.string(),
      reference_kind: z.enum(['numeric', 'categorical']),
      current_kind: z.enum(['numeric', 'categorical']),
    }),
  ),
  unseen_categories: z.record(z.string(), unseenCategoriesSchema),
});
export type SchemaChanges = z.infer<typeof schemaChangesSchema>;

/** Leakage indicators: features that alone predict the label, and rows shared with the reference. */
export const leakageSchema = z.object({
  label: z.string().nullable(),
  positive_label: z.string().nullable(),
  /** max(auc, 1 − auc) of each numeric feature's values as a score against the label (sklearn roc_auc_score). */
  feature_auc: z.record(z.string(), z.number().nullable()),
  /** Features whose feature_auc ≥ thresholds.leakage_auc. */
  suspicious_features: z.array(z.string()),
  /** Current rows equal on every common column to some reference row (null without a reference). */
  rows_in_reference: z.number().int().nullable(),
  rows_in_reference_share: z.number().nullable(),
  note: z.string().nullable(),
});
export type Leakage = z.infer<typeof leakageSchema>;

/** The `data_quality` section. */
export const dataQualityResultSchema = z.object({
  rows: z.number().int(),
  columns: z.number().int(),
  reference_rows: z.number().int().nullable(),
  missing: z.record(z.string(), columnMissingSchema),
  /** Rows identical to an earlier row (pandas `DataFrame.duplicated().sum()`). */
  duplicates: z.object({ count: z.number().int(), share: z.number() }),
  /** Columns with at most one distinct non-missing value. */
  constant_columns: z.array(z.string()),
  outliers: z.record(z.string(), columnOutliersSchema),
  /** Null without a reference. */
  schema_changes: schemaChangesSchema.nullable(),
  leakage: leakageSchema,
  thresholds: z.object({ iqr_multiplier: z.number(), leakage_auc: z.number() }),
});
export type DataQualityResult = z.infer<typeof dataQualityResultSchema>;
