import { z } from 'zod';
import { pageQuery, roleSchema } from './identity.ts';
import { modelKeySchema } from './inventory.ts';
import { euAiActClassSchema } from './policy.ts';

/** What a decision says about a version. */
export const decisionOutcomeSchema = z.enum(['approve', 'approve_with_conditions', 'hold', 'reject']);
export type DecisionOutcome = z.infer<typeof decisionOutcomeSchema>;

/** pending until enough people signed; final after; an approval's validity runs out at expiresAt. */
export const decisionStateSchema = z.enum(['pending', 'final', 'withdrawn', 'voided']);
export type DecisionState = z.infer<typeof decisionStateSchema>;

/**
 * What a signature binds: the exact version (its content), its tier and tiering record (and the
 * approved override in force), its EU AI Act class, the policy version of the tiering, the
 * evidence (by hash) and the open findings. The gate compares every field but the open findings
 * with the state now. Fields marked optional are absent from bindings made before issue 12.
 */
export const decisionBindingSchema = z.object({
  versionId: z.string(),
  versionLabel: z.string(),
  artifactSha256: z.string().nullable(),
  /** SHA-256 of what defines the version: artifact URI and hash, code repository and commit, registry reference, datasets (id, usage, hash). */
  contentSha256: z.string().optional(),
  tier: z.number().int().nullable().optional(),
  tieringId: z.string().nullable().optional(),
  /** The policy version the tiering was scored with. */
  tieringPolicyVersion: z.number().int().nullable().optional(),
  /** The approved tier override in force, if any. */
  tierOverrideId: z.string().nullable().optional(),
  euAiActClass: euAiActClassSchema.nullable().optional(),
  evidence: z.array(
    z.object({ id: z.string(), type: z.string(), sha256: z.string().nullable(), url: z.string().nullable() }),
  ),
  openFindings: z.array(z.object({ id: z.string(), severity: z.string(), state: z.string() })),
  /** SHA-256 of the canonical JSON of the fields above. */
  digest: z.string(),
});
export type DecisionBinding = z.infer<typeof decisionBindingSchema>;

export const signatureSchema = z.object({
  signer: z.string(),
  role: roleSchema,
  signedAt: z.string(),
  note: z.string().nullable(),
  bindingDigest: z.string(),
});
export type Signature = z.infer<typeof signatureSchema>;

export const conditionSchema = z.object({
  id: z.string(),
  decisionId: z.string(),
  text: z.string(),
  owner: z.string(),
  dueAt: z.string(),
  met: z.boolean(),
  metAt: z.string().nullable(),
  metBy: z.string().nullable(),
  overdue: z.boolean(),
  rowVersion: z.number().int(),
});
export type Condition = z.infer<typeof conditionSchema>;

export const signOffNeedSchema = z.object({
  role: roleSchema,
  count: z.number().int(),
  signed: z.number().int(),
});

export const decisionSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  versionLabel: z.string(),
  reviewId: z.string(),
  outcome: decisionOutcomeSchema,
  state: decisionStateSchema,
  rationale: z.string(),
  tier: z.number().int().nullable(),
  policyVersion: z.number().int(),
  proposedBy: z.string(),
  createdAt: z.string(),
  finalizedAt: z.string().nullable(),
  /** When an approval stops being valid (null for hold/reject and before it is final). */
  expiresAt: z.string().nullable(),
  expired: z.boolean(),
  signOff: z.array(signOffNeedSchema),
  signatures: z.array(signatureSchema),
  binding: decisionBindingSchema.nullable(),
  conditions: z.array(conditionSchema),
  rowVersion: z.number().int(),
  /** Withdrawn (while pending) or voided (final, or invalidated by separation of duties): when, who, why. */
  voidedAt: z.string().nullable(),
  voidedBy: z.string().nullable(),
  voidReason: z.string().nullable(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** POST /api/v1/decisions/{id}/withdraw and /void: why, in at least 20 characters. */
export const decisionVoidSchema = z.strictObject({ reason: z.string().trim().min(20).max(2000) });

/** POST /api/v1/reviews/{id}/decisions. */
export const decisionCreateSchema = z.strictObject({
  outcome: decisionOutcomeSchema,
  rationale: z.string().trim().min(3).max(10_000),
  conditions: z
    .array(
      z.strictObject({
        text: z.string().trim().min(3).max(2000),
        owner: z.string().min(1).max(100),
        dueAt: z.iso.datetime({ offset: true }),
      }),
    )
    .max(50)
    .optional(),
});
export type DecisionCreate = z.infer<typeof decisionCreateSchema>;

/** POST /api/v1/decisions/{id}/sign. */
export const decisionSignSchema = z.strictObject({ note: z.string().max(2000).optional() });

/** POST /api/v1/conditions/{id}/met. */
export const conditionMetSchema = z.strictObject({ note: z.string().max(2000).optional() });

/** GET /api/v1/decisions. */
export const decisionListQuerySchema = z.strictObject({
  modelKey: modelKeySchema.optional(),
  state: decisionStateSchema.optional(),
  ...pageQuery,
});
export type DecisionListQuery = z.infer<typeof decisionListQuerySchema>;
