import { z } from 'zod';
import { auditPackageQuerySchema } from './audit-package.ts';
import { modelKeySchema } from './inventory.ts';
import { VALIDATION_TASKS } from './validation-evidence.ts';

/** Kinds of job a caller can request through POST /api/v1/jobs. */
export const JOB_KINDS = ['audit-package.build', 'validation.run'] as const;

/**
 * Kinds the platform records itself (not requestable): a monitoring window computed on the
 * scheduler's tick and a webhook delivery, listed at GET /api/v1/jobs?all=true with their status.
 */
export const SYSTEM_JOB_KINDS = ['monitoring.windows', 'webhook.deliveries'] as const;

const column = z.string().min(1).max(200);
const evidenceId = z.string().min(1).max(100);

/**
 * `validation.run`: `assay validate` on the server's workers. The data (and reference) are evidence
 * files already attached to the model (CSV or Parquet, by filename); the evidence it produces is
 * attached to the version as `assay validate --push` would, once however often the job is delivered.
 */
export const validationJobParamsSchema = z.strictObject({
  model: modelKeySchema,
  version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,62}$/, 'a version label'),
  data: evidenceId,
  reference: evidenceId.optional(),
  label: column.optional(),
  score: column.optional(),
  prediction: column.optional(),
  task: z.enum(VALIDATION_TASKS).optional(),
  threshold: z.number().min(0).max(1).optional(),
  positiveLabel: z.string().min(1).max(200).optional(),
  weight: column.optional(),
  groups: z.array(column).max(20).optional(),
  features: z.array(column).max(1000).optional(),
  categorical: z.array(column).max(1000).optional(),
  minGroupSize: z.number().int().min(1).max(1_000_000_000).optional(),
  confidence: z.number().gt(0).lt(1).optional(),
  /** The open review the run is produced for, recorded on the evidence. */
  reviewId: z.string().min(1).max(100).optional(),
});
export type ValidationJobParams = z.infer<typeof validationJobParamsSchema>;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** POST /api/v1/jobs. */
export const jobRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('audit-package.build'),
    params: auditPackageQuerySchema.extend({ model: modelKeySchema }),
  }),
  z.strictObject({ kind: z.literal('validation.run'), params: validationJobParamsSchema }),
]);
export type JobRequest = z.infer<typeof jobRequestSchema>;

export const jobProgressSchema = z.object({
  stage: z.string(),
  done: z.number().optional(),
  total: z.number().optional(),
  bytes: z.number().optional(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  params: z.record(z.string(), z.unknown()),
  subject: z.string().nullable(),
  status: z.enum(JOB_STATUSES),
  progress: jobProgressSchema.nullable(),
  attempts: z.number().int(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  requestedBy: z.string(),
  worker: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobListQuerySchema = z.strictObject({
  status: z.enum(JOB_STATUSES).optional(),
  kind: z.string().min(1).max(100).optional(),
  /** Everyone's jobs (callers allowed to read all jobs); otherwise the caller's own. */
  all: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JobListQuery = z.infer<typeof jobListQuerySchema>;

export const jobListSchema = z.object({ items: z.array(jobSchema) });
