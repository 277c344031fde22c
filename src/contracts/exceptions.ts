import { z } from 'zod';
import { pageOf, pageQuery } from './identity.ts';
import { modelExceptionSchema, modelKeySchema } from './inventory.ts';

export { type ModelException, modelExceptionSchema } from './inventory.ts';

/** What a lifecycle exception allows without the decision and gate that normally do. */
export const exceptionAllowanceSchema = z.enum([
  'status_approved',
  'status_production',
  'production_deployment',
]);
export type ExceptionAllowance = z.infer<typeof exceptionAllowanceSchema>;

/** Stored states, plus `expired` (an approved exception whose `until` has passed, read off the clock). */
export const exceptionStateSchema = z.enum(['requested', 'approved', 'rejected', 'revoked', 'expired']);
export type ExceptionState = z.infer<typeof exceptionStateSchema>;

/** POST /api/v1/exceptions: asks for an exception; a second person approves it. */
export const exceptionCreateSchema = z.strictObject({
  modelKey: modelKeySchema,
  /** Required when the exception allows a production deployment (the version that may run). */
  versionLabel: z.string().min(1).max(63).optional(),
  /** An existing deployment the exception covers (it must be of `versionLabel`). */
  deploymentId: z.string().min(1).max(100).optional(),
  allows: z.array(exceptionAllowanceSchema).min(1).max(3),
  reason: z.string().trim().min(20, 'say why in at least 20 characters').max(5_000),
  until: z.iso.datetime({ offset: true }),
});
export type ExceptionCreate = z.infer<typeof exceptionCreateSchema>;

/** POST /api/v1/exceptions/{id}/approve|reject. */
export const exceptionDecisionSchema = z.strictObject({ note: z.string().trim().max(2_000).optional() });

/** POST /api/v1/exceptions/{id}/revoke. */
export const exceptionRevokeSchema = z.strictObject({ reason: z.string().trim().min(10).max(2_000) });

/** GET /api/v1/exceptions. */
export const exceptionListQuerySchema = z.strictObject({
  modelKey: modelKeySchema.optional(),
  state: exceptionStateSchema.optional(),
  ...pageQuery,
});
export type ExceptionListQuery = z.infer<typeof exceptionListQuerySchema>;

/** A lifecycle exception as the API shows it. */
export const exceptionSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  versionLabel: z.string().nullable(),
  deploymentId: z.string().nullable(),
  allows: z.array(exceptionAllowanceSchema),
  reason: z.string(),
  state: exceptionStateSchema,
  /** Approved and not yet expired or revoked. */
  valid: z.boolean(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  until: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  rowVersion: z.number().int(),
});
export type LifecycleException = z.infer<typeof exceptionSchema>;
export const exceptionPageSchema = pageOf(exceptionSchema);

const coveredBy = modelExceptionSchema.nullable();

/** One row per kind of the exception report; every row names its model. */
export const exceptionReportSchema = z.object({
  asOf: z.string(),
  counts: z.object({
    productionWithoutApproval: z.number().int(),
    deploymentsGateDenied: z.number().int(),
    retiredStillDeployed: z.number().int(),
    approvalsOnSupersededTier: z.number().int(),
    overdueConditions: z.number().int(),
    expiredAcceptances: z.number().int(),
    exceptionsInForce: z.number().int(),
  }),
  productionWithoutApproval: z.array(
    z.object({
      modelKey: z.string(),
      modelName: z.string(),
      versionLabel: z.string().nullable(),
      /** no_approval | approval_expired | not_approved (the latest final decision is not an approval) */
      problem: z.enum(['no_approval', 'approval_expired', 'not_approved']),
      decisionId: z.string().nullable(),
      exception: coveredBy,
    }),
  ),
  deploymentsGateDenied: z.array(
    z.object({
      modelKey: z.string(),
      versionLabel: z.string(),
      deploymentId: z.string(),
      environment: z.string(),
      endpoint: z.string().nullable(),
      startedAt: z.string(),
      reasons: z.array(z.string()),
      exception: coveredBy,
    }),
  ),
  retiredStillDeployed: z.array(
    z.object({
      modelKey: z.string(),
      versionLabel: z.string(),
      deploymentId: z.string(),
      environment: z.string(),
      retiredAt: z.string().nullable(),
    }),
  ),
  approvalsOnSupersededTier: z.array(
    z.object({
      modelKey: z.string(),
      versionLabel: z.string(),
      decisionId: z.string(),
      /** The tier the approval bound (its binding; the decision's tier when none was bound). */
      decisionTier: z.number().int().nullable(),
      currentTier: z.number().int().nullable(),
      /** What changed under the approval, as the gate's `binding_changed` reasons name it. */
      changed: z.array(z.enum(['tier', 'tiering', 'tier_override'])),
    }),
  ),
  overdueConditions: z.array(
    z.object({
      modelKey: z.string(),
      versionLabel: z.string(),
      decisionId: z.string(),
      conditionId: z.string(),
      text: z.string(),
      owner: z.string(),
      dueAt: z.string(),
    }),
  ),
  expiredAcceptances: z.array(
    z.object({
      modelKey: z.string(),
      acceptanceId: z.string(),
      state: z.string(),
      expiresAt: z.string(),
      rationale: z.string(),
    }),
  ),
  exceptionsInForce: z.array(
    z.object({
      modelKey: z.string(),
      exceptionId: z.string(),
      versionLabel: z.string().nullable(),
      allows: z.array(exceptionAllowanceSchema),
      until: z.string(),
      reason: z.string(),
      requestedBy: z.string(),
      decidedBy: z.string().nullable(),
    }),
  ),
});
export type ExceptionReport = z.infer<typeof exceptionReportSchema>;
export type ExceptionReportCounts = ExceptionReport['counts'];
