import { z } from 'zod';
import { pageQuery } from './identity.ts';
import { modelKeySchema } from './inventory.ts';
import { severitySchema } from './policy.ts';
import { ACCEPTANCE_STATES } from './vocabulary.ts';

/** Finding states: open → in_remediation → ready_for_verification → closed, or risk_accepted. */
export const findingStateSchema = z.enum([
  'open',
  'in_remediation',
  'ready_for_verification',
  'closed',
  'risk_accepted',
]);
export type FindingState = z.infer<typeof findingStateSchema>;

/** What moves a finding. `accept_risk` and `reopen` are done by risk acceptances, not by this API. */
export const findingEventSchema = z.enum([
  'start_remediation',
  'submit_for_verification',
  'verify',
  'reject_verification',
  'accept_risk',
  'reopen',
]);
export type FindingEvent = z.infer<typeof findingEventSchema>;

/** A finding as the API shows it; `overdue` is derived from the clock at read time. */
export const findingSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  versionLabel: z.string(),
  reviewId: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  severity: severitySchema,
  state: findingStateSchema,
  owner: z.string(),
  remediator: z.string().nullable(),
  remediationPlan: z.string().nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  closureEvidenceId: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  repeatOf: z.string().nullable(),
  policyVersion: z.number().int(),
  openedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  rowVersion: z.number().int(),
  /** The validation run's suggestion this finding was adopted from (adopting it again returns this finding). */
  adoptedFrom: z.object({ evidenceId: z.string(), suggestionId: z.string() }).nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

/** POST /api/v1/models/{key}/versions/{label}/findings. */
export const findingCreateSchema = z.strictObject({
  title: z.string().trim().min(3).max(300),
  description: z.string().trim().min(1).max(10_000),
  category: z.string().min(1).max(64),
  severity: severitySchema,
  owner: z.string().min(1).max(100),
  reviewId: z.string().min(1).max(100).optional(),
  repeatOf: z.string().min(1).max(100).optional(),
  /**
   * Adopts a suggestion recorded in validation evidence of this version (`suggested_findings` of
   * its evidence.json): adopting the same one again returns the finding it became (200), no second.
   */
  suggestion: z
    .strictObject({ evidenceId: z.string().min(1).max(100), suggestionId: z.string().min(1).max(200) })
    .optional(),
});
export type FindingCreate = z.infer<typeof findingCreateSchema>;

/** POST /api/v1/findings/{id}/transition. */
export const findingTransitionSchema = z.strictObject({
  event: z.enum(['start_remediation', 'submit_for_verification', 'verify', 'reject_verification']),
  remediationPlan: z.string().trim().min(1).max(10_000).optional(),
  closureEvidenceId: z.string().min(1).max(100).optional(),
  note: z.string().max(2000).optional(),
});
export type FindingTransition = z.infer<typeof findingTransitionSchema>;

/** GET /api/v1/findings. */
export const findingListQuerySchema = z.strictObject({
  modelKey: modelKeySchema.optional(),
  state: findingStateSchema.optional(),
  severity: severitySchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  ...pageQuery,
});
export type FindingListQuery = z.infer<typeof findingListQuerySchema>;

/** A risk acceptance: for one or more findings, requested by one person, approved by another. */
export const acceptanceStateSchema = z.enum(ACCEPTANCE_STATES);
export type AcceptanceState = z.infer<typeof acceptanceStateSchema>;

export const acceptanceSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  findingIds: z.array(z.string()),
  rationale: z.string(),
  state: acceptanceStateSchema,
  requestedBy: z.string(),
  requestedAt: z.string(),
  approvedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string(),
  expiredAt: z.string().nullable(),
  rowVersion: z.number().int(),
});
export type Acceptance = z.infer<typeof acceptanceSchema>;

/** POST /api/v1/risk-acceptances. */
export const acceptanceCreateSchema = z.strictObject({
  findingIds: z.array(z.string().min(1).max(100)).min(1).max(100),
  rationale: z.string().trim().min(10).max(10_000),
  expiresAt: z.iso.datetime({ offset: true }),
});
export type AcceptanceCreate = z.infer<typeof acceptanceCreateSchema>;

/** POST /api/v1/risk-acceptances/{id}/approve|reject. */
export const acceptanceDecisionSchema = z.strictObject({ note: z.string().max(2000).optional() });

/** GET /api/v1/risk-acceptances. */
export const acceptanceListQuerySchema = z.strictObject({
  state: acceptanceStateSchema.optional(),
  modelKey: modelKeySchema.optional(),
  ...pageQuery,
});
export type AcceptanceListQuery = z.infer<typeof acceptanceListQuerySchema>;
