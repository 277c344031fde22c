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

/**
 * Committed events not yet linked into the chain (the outbox, PostgreSQL): not tampering, but not
 * yet protected by the chain either (docs/audit-trail.md). Normally none, or some for milliseconds.
 */
export const auditPendingSchema = z.object({
  count: z.number().int(),
  /** The oldest one's time (the writer's clock), and its age when verify looked. */
  oldestAt: z.string().nullable(),
  oldestAgeMs: z.number().nullable(),
});
export type AuditPending = z.infer<typeof auditPendingSchema>;

/** GET /api/v1/audit/verify answer. */
export const auditVerifySchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  lastSeq: z.number().int().nullable(),
  lastHash: z.string(),
  firstBreak: auditBreakSchema.nullable(),
  elapsedMs: z.number(),
  /** Events committed but not yet in the chain when the chain had been read (not part of `ok`). */
  pending: auditPendingSchema.optional(),
});
export type AuditVerify = z.infer<typeof auditVerifySchema>;

/** The signed body of a checkpoint of the audit chain head (a signed tree head, as in Certificate Transparency). */
export const checkpointBodySchema = z.strictObject({
  format: z.literal('assay.audit-checkpoint/v1'),
  /** seq of the chain head when the checkpoint was made. */
  sequence: z.number().int().nonnegative(),
  /** hash of that event (the genesis hash for an empty chain). */
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** id of that event, so a renumbered chain can be named. */
  headEventId: z.string().max(200).nullable(),
  time: iso,
  keyId: z.string().max(200),
});
export type CheckpointBody = z.infer<typeof checkpointBodySchema>;

/** A checkpoint as published (file, webhook, package, API): the body, its signature and the public key. */
export const signedCheckpointSchema = z.object({
  checkpoint: checkpointBodySchema,
  /** Base64 Ed25519 signature over the canonical JSON of `checkpoint`. */
  signature: z.string().max(200),
  /** SPKI PEM of the key that signed it (its id must be `checkpoint.keyId`). */
  publicKeyPem: z.string().max(2000).optional(),
});
export type SignedCheckpoint = z.infer<typeof signedCheckpointSchema>;

/** A stored checkpoint (GET /api/v1/audit/checkpoints). */
export const storedCheckpointSchema = signedCheckpointSchema.extend({
  id: z.string(),
  trigger: z.enum(['schedule', 'manual']),
  createdBy: z.string(),
  /** Where it was published besides the store (directory file path, webhook). */
  published: z.object({ file: z.string().nullable(), error: z.string().nullable() }).optional(),
});
export type StoredCheckpoint = z.infer<typeof storedCheckpointSchema>;
export const checkpointListSchema = z.object({ items: z.array(storedCheckpointSchema) });

/** What one checkpoint says about the chain today. */
export const checkpointCheckSchema = z.object({
  sequence: z.number().int(),
  time: z.string(),
  keyId: z.string(),
  ok: z.boolean(),
  reason: z
    .enum(['holds', 'bad_signature', 'untrusted_key', 'truncated', 'rewritten', 'renumbered', 'chain_broken'])
    .describe('holds when the chain still extends the checkpoint'),
  message: z.string(),
});
export type CheckpointCheck = z.infer<typeof checkpointCheckSchema>;

/** One difference between the audit trail's latest snapshot of an entity and its state table. */
export const stateMismatchSchema = z.object({
  entityType: z.string(),
  entityId: z.string(),
  field: z.string().nullable(),
  kind: z.enum(['field_differs', 'row_missing', 'row_not_audited']),
  audit: z.unknown(),
  table: z.unknown(),
  message: z.string(),
});
export type StateMismatch = z.infer<typeof stateMismatchSchema>;

/** The result of replaying the trail's snapshots against the state tables. */
export const stateVerifySchema = z.object({
  ok: z.boolean(),
  /** Per entity type: entities compared, or why not. */
  types: z.array(
    z.object({
      entityType: z.string(),
      compared: z.number().int(),
      table: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  mismatches: z.array(stateMismatchSchema),
  /** Mismatches beyond those listed. */
  more: z.number().int(),
});
export type StateVerify = z.infer<typeof stateVerifySchema>;

/** POST /api/v1/audit/verify body: the chain, and optionally checkpoints and the state tables. */
export const auditVerifyRequestSchema = z.strictObject({
  checkpoints: z.array(signedCheckpointSchema).max(1000).default([]),
  state: z.boolean().default(false),
});
export type AuditVerifyRequest = z.infer<typeof auditVerifyRequestSchema>;

/** POST /api/v1/audit/verify answer. */
export const auditFullVerifySchema = z.object({
  ok: z.boolean(),
  chain: auditVerifySchema,
  checkpoints: z.array(checkpointCheckSchema),
  state: stateVerifySchema.nullable(),
  /** Events committed but not yet in the chain when the chain had been read (not part of `ok`). */
  pending: auditPendingSchema,
  /** What this run could not detect, given what it was asked to check. */
  limits: z.array(z.string()),
});
export type AuditFullVerify = z.infer<typeof auditFullVerifySchema>;
