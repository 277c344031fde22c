import { z } from 'zod';
import { modelInputSchema, modelRunSchema } from './explain.ts';
import { judgedBySchema, suggestedFindingSchema } from './validation-evidence.ts';

/**
 * `assay.robustness/v1` (written by `assay stress`): how the model behaves under perturbation, at
 * the edges, on the slices where it fails, against its declared properties and in named scenarios.
 */

/** The effect of one change on the scored rows. */
export const effectSchema = z.object({
  /** Share of rows whose decision (score ≥ threshold) changed (rows left without a score aside). */
  flip_rate: z.number(),
  /** Share of rows the model gave no score (NaN) after the change, e.g. a linear model fed a missing value. */
  no_score_rate: z.number().default(0),
  /** Over the rows scored before and after (null when none was). */
  mean_abs_score_change: z.number().nullable(),
  mean_score_change: z.number().nullable(),
  /** Metric after − metric before (null without a label or when undefined; the AUC when a row has no score). */
  accuracy_change: z.number().nullable(),
  roc_auc_change: z.number().nullable(),
});
export type Effect = z.infer<typeof effectSchema>;

export const counterexampleSchema = z.object({
  row: z.number().int(),
  feature: z.string(),
  /** The feature's two values (codes for categories; `labels` names them) and the scores there. */
  from: z.number(),
  to: z.number(),
  labels: z.tuple([z.string(), z.string()]).optional(),
  score_from: z.number(),
  score_to: z.number(),
});

export const propertyResultSchema = z.object({
  name: z.string(),
  kind: z.enum(['monotonic', 'invariant', 'bounds']),
  feature: z.string().nullable(),
  description: z.string(),
  rows_checked: z.number().int(),
  /** Rows with at least one violation, and their share of the rows checked. */
  violating_rows: z.number().int(),
  violation_rate: z.number(),
  /** The largest violation (score units). */
  worst: z.number(),
  counterexamples: z.array(counterexampleSchema),
  passed: z.boolean(),
});
export type PropertyResult = z.infer<typeof propertyResultSchema>;

export const sliceSchema = z.object({
  conditions: z.array(
    z.object({
      feature: z.string(),
      op: z.enum(['=', 'in']),
      /** A category, or a bin [from, to) of a numeric feature (null: unbounded). */
      value: z.union([z.string(), z.tuple([z.number().nullable(), z.number().nullable()])]),
    }),
  ),
  rows: z.number().int(),
  accuracy: z.number(),
  interval: z.tuple([z.number(), z.number()]),
  mean_log_loss: z.number(),
  relative_drop: z.number(),
});

export const robustnessEvidenceSchema = z.object({
  schema: z.literal('assay.robustness/v1'),
  engine: z.object({ name: z.literal('assay'), version: z.string() }),
  created_at: z.string(),
  inputs: z.array(modelInputSchema),
  model: modelRunSchema,
  config: z.object({
    label: z.string().nullable(),
    positive_label: z.string().nullable(),
    threshold: z.number(),
    rows_used: z.number().int(),
    seed: z.number().int(),
    noise_scales: z.array(z.number()),
    spec: z.string().nullable(),
  }),
  baseline: z.object({
    positive_rate: z.number(),
    mean_score: z.number(),
    accuracy: z.number().nullable(),
    roc_auc: z.number().nullable(),
  }),
  /** Per feature, per perturbation (noise_<pct of std>, missing, extreme_low, extreme_high, category_swap). */
  perturbations: z.record(z.string(), z.record(z.string(), effectSchema)),
  properties: z.array(propertyResultSchema),
  slices: z
    .object({ global_accuracy: z.number(), candidates: z.number().int(), worst: z.array(sliceSchema) })
    .nullable(),
  scenarios: z.array(
    z.object({
      name: z.string(),
      description: z.string().nullable(),
      shift: z.record(z.string(), z.unknown()),
      positive_rate_before: z.number(),
      positive_rate_after: z.number(),
      effect: effectSchema,
    }),
  ),
  /** The numbers policy thresholds address: `robustness.<path>` (see docs/robustness.md). */
  summary: z.record(z.string(), z.unknown()),
  suggested_findings: z.array(suggestedFindingSchema).nullable(),
  judged_by: judgedBySchema.nullable(),
  warnings: z.array(z.string()),
});
export type RobustnessEvidence = z.infer<typeof robustnessEvidenceSchema>;
