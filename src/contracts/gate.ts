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

/** The gate's answer: exactly these two fields (the CLI prints it as is with --json). */
export const gateResultSchema = z.object({ allowed: z.boolean(), reasons: z.array(gateReasonSchema) });
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
