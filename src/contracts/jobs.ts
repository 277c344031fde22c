import { z } from 'zod';
import { auditPackageQuerySchema } from './audit-package.ts';
import { modelKeySchema } from './inventory.ts';

/** Kinds of job a caller can request through POST /api/v1/jobs. */
export const JOB_KINDS = ['audit-package.build'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** POST /api/v1/jobs. */
export const jobRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('audit-package.build'),
    params: auditPackageQuerySchema.extend({ model: modelKeySchema }),
  }),
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
