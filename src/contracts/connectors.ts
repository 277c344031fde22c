import { z } from 'zod';
import { deploymentCreateSchema, versionCreateSchema } from './inventory.ts';

/** One line of the reconciliation report. */
export const reconItemSchema = z.object({
  category: z.enum(['registered_and_deployed', 'registered_not_deployed', 'deployed_not_registered']),
  modelKey: z.string().nullable(),
  name: z.string(),
  sources: z.array(z.object({ source: z.string(), id: z.string() })),
  deployedBecause: z.array(z.string()),
  /** What one-click registration fills in (shadow models only): a POST /api/v1/models body. */
  prefill: z.record(z.string(), z.unknown()).nullable(),
});
export const reconReportSchema = z.object({
  items: z.array(reconItemSchema),
  counts: z.record(z.string(), z.number().int()),
});
export type ReconReport = z.infer<typeof reconReportSchema>;

/**
 * POST /api/v1/connectors/reconciliation/register: a shadow model by its source and id, with
 * overrides. A shadow seen serving (monitoring ingestion) is registered with its deployment: a
 * version (`deployment.version`, default `observed`) deployed under the id that was seen, in
 * `deployment.environment` (default `observed`; `production` passes the production gate like any
 * deployment), so later ingestion for that id lands on it.
 */
export const reconRegisterSchema = z.strictObject({
  source: z.string().min(1).max(100),
  externalId: z.string().min(1).max(500),
  overrides: z.record(z.string(), z.unknown()).default({}),
  deployment: z
    .strictObject({
      version: versionCreateSchema.shape.label.optional(),
      environment: deploymentCreateSchema.shape.environment.optional(),
      endpoint: deploymentCreateSchema.shape.endpoint,
    })
    .optional(),
});
export type ReconRegister = z.input<typeof reconRegisterSchema>;

export const syncResultSchema = z.object({
  runId: z.string(),
  source: z.string(),
  created: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
});

export const registryEntrySchema = z.object({
  source: z.string(),
  externalId: z.string(),
  version: z.string(),
  payloadHash: z.string(),
  artifactUri: z.string().nullable(),
  aliases: z.array(z.string()),
  removedAt: z.string().nullable(),
});
export const registryEntryListSchema = z.object({ items: z.array(registryEntrySchema) });
