import { z } from 'zod';
import { pageOf, pageQuery } from './identity.ts';

/** One event of the hash-chained audit trail. */
export const auditEventSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  modelId: z.string().nullable(),
  requestId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

const iso = z.iso.datetime({ offset: true });

/** GET /api/v1/audit/events query. `action` may end in `*` for a prefix (`model.*`). */
export const auditEventQuerySchema = z.strictObject({
  ...pageQuery,
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(200).optional(),
  modelId: z.string().max(200).optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  from: iso.optional(),
  to: iso.optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type AuditEventQuery = z.infer<typeof auditEventQuerySchema>;
export const auditEventPageSchema = pageOf(auditEventSchema);

/** Where the chain first breaks. */
export const auditBreakSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  reason: z.enum(['hash_mismatch', 'prev_hash_mismatch', 'sequence_gap']),
  message: z.string(),
});

/** GET /api/v1/audit/verify answer. */
export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  lastSeq: z.number().int().nullable(),
  lastHash: z.string(),
  firstBreak: auditBreakSchema.nullable(),
  elapsedMs: z.number(),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;
