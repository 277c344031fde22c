import { z } from 'zod';
import { AlertRoute } from './monitoring-signals.ts';

/**
 * Production monitoring: the monitoring plan document (`assay.monitoring-plan/v1`, YAML or JSON),
 * ingestion manifests, and the time series of check results per deployment × check × window.
 */

export const CHECK_KINDS = [
  'drift',
  'data_quality',
  'volume',
  'performance',
  'estimated_performance',
] as const;
export const checkKindSchema = z.enum(CHECK_KINDS);
export type CheckKind = z.infer<typeof checkKindSchema>;

/** Metrics each kind of check can watch (read off the engine's evidence of the window). */
export const CHECK_METRICS: Record<CheckKind, readonly string[]> = {
  drift: [
    'psi',
    'ks_statistic',
    'ks_pvalue',
    'wasserstein_normed',
    'js_distance',
    'chi2_pvalue',
    'drift_share',
  ],
  data_quality: ['missing_share', 'new_category_share', 'schema_changes', 'duplicate_share'],
  volume: ['rows'],
  performance: [
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
  ],
  estimated_performance: ['roc_auc', 'accuracy', 'precision', 'recall', 'f1', 'specificity'],
};

/** The feature name a drift check uses for the model's own score (or prediction) column. */
export const PREDICTION_FEATURE = '@prediction';

export const windowSizeSchema = z.enum(['hour', 'day', 'week']);
export type WindowSize = z.infer<typeof windowSizeSchema>;

const isoTime = z.iso.datetime({ offset: true });
const column = z.string().min(1).max(200);

/** One check of a plan: a metric, thresholds, and how many bad windows in a row fire it. */
export const planCheckSchema = z.strictObject({
  /** Unique in the plan; default `<kind>:<feature or metric>` (e.g. `drift:age`, `performance:roc_auc`). */
  name: z.string().min(1).max(120).optional(),
  kind: checkKindSchema,
  metric: z.string().min(1).max(60),
  /** The column (drift and data-quality checks); `@prediction` for drift of the score. */
  feature: column.nullable().optional(),
  warning: z.number().nullable().optional(),
  critical: z.number().nullable().optional(),
  /** Which side of a threshold is bad (default: `below` for p-values and performance scores, else `above`). */
  direction: z.enum(['above', 'below']).optional(),
  /** Consecutive bad windows before the alert fires (default 1). */
  forWindows: z.number().int().min(1).max(100).default(1),
  /** Performance: fewer labelled rows in the window than this give `no_data` (default 100). */
  minLabelledRows: z.number().int().min(1).optional(),
});
export type PlanCheckInput = z.input<typeof planCheckSchema>;

/** The monitoring plan document, one per deployment (versioned like the policy). */
export const monitoringPlanDocumentSchema = z.strictObject({
  schema: z.literal('assay.monitoring-plan/v1').optional(),
  /** How ingested rows name their columns. */
  columns: z
    .strictObject({
      predictionId: column.default('prediction_id'),
      timestamp: column.default('timestamp'),
      score: column.nullable().optional(),
      prediction: column.nullable().optional(),
      label: column.default('label'),
      positiveLabel: z.string().max(200).nullable().optional(),
      threshold: z.number().gt(0).lt(1).optional(),
    })
    .default({ predictionId: 'prediction_id', timestamp: 'timestamp', label: 'label' }),
  /** The features watched (default: every ingested column that has no other role). */
  features: z.array(column).max(2000).optional(),
  categorical: z.array(column).max(2000).optional(),
  /** What windows are compared with. */
  baseline: z.discriminatedUnion('type', [
    /** The reference dataset ingested with `assay monitor ingest --reference`. */
    z.strictObject({ type: z.literal('reference') }),
    /** Production rows of a fixed period (e.g. the first month after go-live). */
    z.strictObject({ type: z.literal('fixed'), from: isoTime, to: isoTime }),
    /** The N windows before each window. */
    z.strictObject({ type: z.literal('trailing'), windows: z.number().int().min(1).max(90) }),
    /**
     * A validation run's input (evidence pushed by `assay validate --push`): its reference (or its
     * data). The file ingested with --reference must be that file: its SHA-256 is the one the run
     * recorded (resolved into `sha256` when the plan is applied).
     */
    z.strictObject({
      type: z.literal('validation'),
      evidence: z.string().min(1).max(100),
      input: z.enum(['reference', 'data']).default('reference'),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
    }),
  ]),
  window: windowSizeSchema.default('day'),
  schedule: z
    .strictObject({
      /** The first window starts here (default: the window of the first ingested prediction). */
      start: isoTime.optional(),
      /** A window is computed this long after it closes (late rows still arrive). Default 0. */
      delayMinutes: z.number().int().min(0).max(10_080).default(0),
    })
    .default({ delayMinutes: 0 }),
  checks: z.array(planCheckSchema).min(1).max(500),
  alerting: z
    .strictObject({
      routes: z.array(AlertRoute).max(20).default([]),
      repeatIntervalSeconds: z.number().int().positive().default(14_400),
      runbookUrl: z.string().url().nullable().optional(),
    })
    .default({ routes: [], repeatIntervalSeconds: 14_400 }),
});
export type MonitoringPlanDocument = z.infer<typeof monitoringPlanDocumentSchema>;

/** A problem of a plan document, with where it is. */
export const planIssueSchema = z.object({
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  field: z.string(),
  message: z.string(),
});
export type PlanIssue = z.infer<typeof planIssueSchema>;

/** PUT /api/v1/deployments/{id}/monitoring/plan */
export const planApplySchema = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(256 * 1024),
});

/** A stored plan version. */
export const monitoringPlanSchema = z.object({
  id: z.string(),
  deploymentId: z.string(),
  modelKey: z.string(),
  version: z.number().int(),
  active: z.boolean(),
  sha256: z.string(),
  text: z.string(),
  document: monitoringPlanDocumentSchema,
  createdBy: z.string(),
  createdAt: z.string(),
});
export type MonitoringPlan = z.infer<typeof monitoringPlanSchema>;

export const ingestKindSchema = z.enum(['predictions', 'outcomes', 'reference']);
export type IngestKind = z.infer<typeof ingestKindSchema>;

/** The audited manifest of one ingested batch (its rows live in a Parquet segment). */
export const batchManifestSchema = z.object({
  id: z.string(),
  deploymentId: z.string(),
  kind: ingestKindSchema,
  seq: z.number().int(),
  sha256: z.string(),
  rows: z.number().int(),
  /** Prediction time range covered (outcomes: of the predictions they label, when known). */
  from: z.string().nullable(),
  to: z.string().nullable(),
  ingestedAt: z.string(),
});
export type BatchManifest = z.infer<typeof batchManifestSchema>;

/** POST /api/v1/deployments/{id}/monitoring/ingest query. */
export const ingestQuerySchema = z.strictObject({
  kind: ingestKindSchema.default('predictions'),
  format: z.enum(['csv', 'parquet', 'jsonl']).optional(),
});

/** POST …/monitoring/run: compute due windows, or backfill a period. */
export const monitoringRunSchema = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
  /** Recompute windows already computed (backfill after a plan change). */
  recompute: z.boolean().default(false),
});
export const monitoringRunResultSchema = z.object({
  windows: z.array(z.object({ id: z.string(), start: z.string(), end: z.string(), rows: z.number().int() })),
});

export const severitySchema = z.enum(['ok', 'warning', 'critical', 'no_data']);

/** One check's result in one window. */
export const checkResultSchema = z.object({
  check: z.string(),
  kind: checkKindSchema,
  metric: z.string(),
  feature: z.string().nullable(),
  value: z.number().nullable(),
  /** CBPE: the sampling-error band (±3σ) of an estimated metric. */
  lower: z.number().nullable(),
  upper: z.number().nullable(),
  warning: z.number().nullable(),
  critical: z.number().nullable(),
  direction: z.enum(['above', 'below']),
  severity: severitySchema,
  note: z.string().nullable(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

/** One computed window. */
export const monitoringWindowSchema = z.object({
  id: z.string(),
  deploymentId: z.string(),
  planId: z.string(),
  planVersion: z.number().int(),
  start: z.string(),
  end: z.string(),
  rows: z.number().int(),
  labelledRows: z.number().int(),
  /** labelledRows / rows (null without rows). */
  labelCompleteness: z.number().nullable(),
  computedAt: z.string(),
  results: z.array(checkResultSchema),
  /** The engine's `assay.validation/v1` evidence of the window (drift, quality, performance). */
  evidence: z.record(z.string(), z.unknown()).nullable(),
  url: z.string(),
});
export type MonitoringWindow = z.infer<typeof monitoringWindowSchema>;

/** GET …/monitoring/series: one series per check. */
export const monitoringSeriesSchema = z.object({
  deploymentId: z.string(),
  planVersion: z.number().int().nullable(),
  series: z.array(
    z.object({
      check: z.string(),
      kind: checkKindSchema,
      metric: z.string(),
      feature: z.string().nullable(),
      points: z.array(
        z.object({
          windowId: z.string(),
          start: z.string(),
          end: z.string(),
          value: z.number().nullable(),
          lower: z.number().nullable(),
          upper: z.number().nullable(),
          warning: z.number().nullable(),
          critical: z.number().nullable(),
          direction: z.enum(['above', 'below']),
          severity: severitySchema,
          labelCompleteness: z.number().nullable(),
          url: z.string(),
        }),
      ),
    }),
  ),
});
export type MonitoringSeries = z.infer<typeof monitoringSeriesSchema>;

export const seriesQuerySchema = z.strictObject({
  from: isoTime.optional(),
  to: isoTime.optional(),
  check: z.string().max(120).optional(),
});

/** A deployment id seen by ingestion that the inventory does not know (shadow models). */
export const unknownDeploymentSchema = z.object({
  deploymentId: z.string(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  attempts: z.number().int(),
});
export type UnknownDeployment = z.infer<typeof unknownDeploymentSchema>;
