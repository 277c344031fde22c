import { z } from 'zod';

/**
 * Evidence from the model itself: `assay.explain/v1` (written by `assay explain`). Everything is
 * reproducible from the recorded model artifact hash, input hashes and seeds.
 */

/** A model input feature (categorical ones are sent to the model as the code of their category). */
export const modelFeatureSchema = z.object({
  name: z.string(),
  categories: z.array(z.string()).optional(),
});

/** How the model was run: the runner, the artifact's SHA-256 (ONNX), and how many rows it scored. */
export const modelRunSchema = z.object({
  kind: z.enum(['onnx', 'oip', 'command']),
  /** The ONNX file, OIP model URL or command. */
  source: z.string(),
  artifact_sha256: z.string().nullable(),
  evaluations: z.number().int(),
  batch_size: z.number().int(),
  /** ONNX: which code scored the model: Assay's tree-ensemble evaluator or ONNX Runtime. */
  evaluator: z.enum(['assay-tree-ensemble', 'onnxruntime']).optional(),
  evaluator_threads: z.number().int().optional(),
  /** Why ONNX Runtime scored it (the graph is not a tree ensemble Assay's evaluator reproduces). */
  evaluator_note: z.string().optional(),
  features: z.array(modelFeatureSchema),
});
export type ModelRun = z.infer<typeof modelRunSchema>;

export const modelInputSchema = z.object({
  role: z.enum(['data', 'background']),
  path: z.string(),
  sha256: z.string(),
  rows: z.number().int(),
});

/** scikit-learn's permutation_importance: baseline − permuted score per repeat (mean, np.std). */
export const permutationImportanceSchema = z.object({
  scoring: z.enum(['accuracy', 'roc_auc', 'neg_log_loss', 'neg_brier_score']),
  n_repeats: z.number().int(),
  seed: z.number().int(),
  /** The seed numpy draws from `seed` and reuses for every column (as scikit-learn does). */
  column_seed: z.number().int(),
  baseline: z.number(),
  rows: z.number().int(),
  features: z.array(
    z.object({ feature: z.string(), mean: z.number(), std: z.number(), repeats: z.array(z.number()) }),
  ),
});

/** Partial dependence (brute) with ICE curves of some rows. */
export const partialDependenceSchema = z.object({
  feature: z.string(),
  /** Grid values (codes for a categorical feature; `categories` names them). */
  grid: z.array(z.number()),
  categories: z.array(z.string()).optional(),
  average: z.array(z.number()),
  ice: z.array(z.object({ row: z.number().int(), values: z.array(z.number()) })),
});
export type PartialDependenceResult = z.infer<typeof partialDependenceSchema>;

/** Shapley values against a background sample: global mean |φ| and per-row values. */
export const shapSchema = z.object({
  /**
   * exact: enumeration of coalitions; kernel: shap's KernelExplainer; tree: interventional TreeSHAP;
   * tree_path_dependent: shap's tree_path_dependent TreeSHAP (conditional expectations from the
   * trees' node covers; no background: background_rows is 0).
   */
  method: z.enum(['exact', 'kernel', 'tree', 'tree_path_dependent']),
  background_rows: z.number().int(),
  expected_value: z.number(),
  /** Mean |φ| over the explained rows, per feature, greatest first. */
  global: z.array(z.object({ feature: z.string(), mean_abs: z.number() })),
  rows: z.array(z.object({ row: z.number().int(), prediction: z.number(), values: z.array(z.number()) })),
  /** max over rows of |Σφ − (f(x) − E f(b))| (additivity; ~1e-12 when exact). */
  additivity_max_error: z.number(),
  /** kernel: coalitions evaluated per row (shap's nsamples). */
  nsamples: z.number().int().nullable(),
  /**
   * kernel: shap's `l1_reg` feature selection used (num_features(k), aic, bic, auto, a Lasso
   * alpha, or none); null for the other methods; absent in evidence written before it existed.
   */
  l1_reg: z.string().nullable().optional(),
  /** kernel: the most features any explained row kept after the l1 selection. */
  kernel_selected_max: z.number().int().nullable().optional(),
  /** tree: max |ensemble read from the graph − runner's score| on the background (checks the reading). */
  tree_check_max_difference: z.number().nullable(),
});
export type ShapResult = z.infer<typeof shapSchema>;

export const explainEvidenceSchema = z.object({
  schema: z.literal('assay.explain/v1'),
  engine: z.object({ name: z.literal('assay'), version: z.string() }),
  created_at: z.string(),
  inputs: z.array(modelInputSchema),
  model: modelRunSchema,
  config: z.object({
    label: z.string().nullable(),
    positive_label: z.string().nullable(),
    /** Rows of the data used (a seeded sample when the data has more than `max_rows`). */
    rows_used: z.number().int(),
    max_rows: z.number().int(),
    seed: z.number().int(),
    grid_resolution: z.number().int(),
    percentiles: z.tuple([z.number(), z.number()]),
  }),
  permutation_importance: permutationImportanceSchema.nullable(),
  partial_dependence: z.array(partialDependenceSchema),
  shap: shapSchema.nullable(),
  warnings: z.array(z.string()),
});
export type ExplainEvidence = z.infer<typeof explainEvidenceSchema>;
