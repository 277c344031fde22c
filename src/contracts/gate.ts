import { z } from 'zod';
import { modelKeySchema } from './inventory.ts';

/** Why a gate denies (or, for `allowed`, nothing). Codes are stable for CI scripts. */
export const gateReasonCodeSchema = z.enum([
  'version_not_found',
  'not_approved',
  'approval_expired',
  'evidence_missing',
  'evidence_expired',
  'finding_open',
  'condition_overdue',
  /** The approval's validator or a signer is not independent of the model now (separation of duties). */
  'not_independent',
  /** The EU AI Act class is prohibited: no environment, ever. */
  'eu_prohibited',
  /** Something the approval bound (content, tier, tiering, override, class, policy version, evidence) changed since. */
  'binding_changed',
]);
export type GateReasonCode = z.infer<typeof gateReasonCodeSchema>;

export const gateReasonSchema = z.object({
  code: gateReasonCodeSchema,
  message: z.string(),
  /** What the reason is about: a decision, evidence type, finding or condition id, or the binding field that changed. */
  ref: z.string().nullable(),
});
export type GateReason = z.infer<typeof gateReasonSchema>;

/**
 * Something the gate says beside its decision: `allowed_by_exception` when the gate denies but a
 * valid recorded lifecycle exception lets this version run in production (the decision itself
 * stays the gate's own).
 */
export const gateNoteSchema = z.object({
  code: z.enum(['allowed_by_exception']),
  message: z.string(),
  /** The exception's id. */
  ref: z.string(),
  until: z.string(),
  reason: z.string(),
});
export type GateNote = z.infer<typeof gateNoteSchema>;

/** The gate's answer: `allowed` and `reasons`, and `notes` only when there is one (the CLI prints it as is with --json). */
export const gateResultSchema = z.object({
  allowed: z.boolean(),
  reasons: z.array(gateReasonSchema),
  notes: z.array(gateNoteSchema).optional(),
});
export type GateResult = z.infer<typeof gateResultSchema>;

/** GET /api/v1/gate?model=KEY&version=LABEL&env=production. */
export const gateQuerySchema = z.strictObject({
  model: modelKeySchema,
  version: z.string().min(1).max(63),
  env: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[a-z][a-z0-9_-]*$/)
    .default('production'),
});
export type GateQuery = z.infer<typeof gateQuerySchema>;
