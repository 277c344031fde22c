import { z } from 'zod';
import { pageQuery } from './identity.ts';
import { modelKeySchema } from './inventory.ts';
import { evidenceTypeSchema, gateSchema } from './policy.ts';
import { REVIEW_API_EVENTS, REVIEW_TYPES } from './vocabulary.ts';

/** Why a review exists. */
export const reviewTypeSchema = z.enum(REVIEW_TYPES);
export type ReviewType = z.infer<typeof reviewTypeSchema>;

/** Review states: draft → submitted → in_validation → decision_pending → closed, or withdrawn. */
export const reviewStateSchema = z.enum([
  'draft',
  'submitted',
  'in_validation',
  'decision_pending',
  'closed',
  'withdrawn',
]);
export type ReviewState = z.infer<typeof reviewStateSchema>;

/** What moves a review between states. `close` is done by a signed decision, not by this API. */
export const reviewEventSchema = z.enum([
  'submit',
  'start_validation',
  'request_decision',
  'return_to_validation',
  'close',
  'withdraw',
]);
export type ReviewEvent = z.infer<typeof reviewEventSchema>;

/** Events the transition endpoint accepts (submit and close have their own paths). */
export const reviewApiEventSchema = z.enum(REVIEW_API_EVENTS);

/** Status of one checklist item, derived from the version's evidence and the clock at read time. */
export const checklistItemStatusSchema = z.enum(['satisfied', 'missing', 'expired']);
export type ChecklistItemStatus = z.infer<typeof checklistItemStatusSchema>;

/** Evidence carried forward into a review: who, when, why. */
export const carriedForwardSchema = z.object({
  id: z.string(),
  reviewId: z.string(),
  evidenceId: z.string(),
  evidenceType: evidenceTypeSchema,
  carriedBy: z.string(),
  reason: z.string(),
  createdAt: z.string(),
});
export type CarriedForward = z.infer<typeof carriedForwardSchema>;

/** One required evidence type and the evidence that satisfies it. */
export const checklistItemSchema = z.object({
  evidenceType: evidenceTypeSchema,
  status: checklistItemStatusSchema,
  /** Unexpired, current evidence of this type on the version. */
  satisfiedBy: z.array(z.string()),
  /** Current but expired evidence of this type. */
  expiredEvidence: z.array(z.string()),
  /** model_card / data_sheet: published cards or datasheets that pass the tier's documentation rules. */
  documents: z.array(z.string()).optional(),
  /** model_card / data_sheet, when no document counts: why (gaps of the documents). */
  documentGaps: z.array(z.string()).optional(),
  /** Evidence from before this review cycle carried forward into it by a validator, with the reason. */
  carriedForward: z.array(carriedForwardSchema).optional(),
  /** Current evidence of this type from an earlier review cycle, which does not count unless carried forward. */
  earlierCycleEvidence: z.array(z.string()).optional(),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

/** The checklist of a review: items and whether all are satisfied. */
export const checklistSchema = z.object({
  gate: gateSchema,
  tier: z.number().int().nullable(),
  policyVersion: z.number().int(),
  /**
   * Evidence counts for this review when attached at or after this time (or named for the review at
   * upload, or carried forward); null: all the version's current evidence counts (an initial review
   * of a version no earlier review has closed on).
   */
  cycleStartsAt: z.string().nullable(),
  complete: z.boolean(),
  items: z.array(checklistItemSchema),
  evaluatedAt: z.string(),
});
export type Checklist = z.infer<typeof checklistSchema>;

/** A review as the API shows it. */
export const reviewSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  versionLabel: z.string(),
  type: reviewTypeSchema,
  gate: gateSchema,
  state: reviewStateSchema,
  reason: z.string().nullable(),
  /** The tier when the review opened (null: the model was untiered and Tier 1's checklist applies). */
  tier: z.number().int().nullable(),
  policyVersion: z.number().int(),
  openedBy: z.string(),
  submittedBy: z.string().nullable(),
  validator: z.string().nullable(),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  rowVersion: z.number().int(),
  allowedEvents: z.array(reviewEventSchema),
});
export type Review = z.infer<typeof reviewSchema>;

/** A review with its checklist. */
export const reviewDetailSchema = reviewSchema.extend({ checklist: checklistSchema });
export type ReviewDetail = z.infer<typeof reviewDetailSchema>;

/** POST /api/v1/models/{key}/versions/{label}/reviews. */
export const reviewCreateSchema = z.strictObject({
  type: reviewTypeSchema,
  gate: gateSchema,
  reason: z.string().trim().max(2000).optional(),
});
export type ReviewCreate = z.infer<typeof reviewCreateSchema>;

/** POST /api/v1/reviews/{id}/carry-forward: count earlier evidence for this review, with a reason. */
export const carryForwardCreateSchema = z.strictObject({
  evidenceId: z.string().min(1).max(100),
  reason: z.string().trim().min(20, 'give a reason of at least 20 characters').max(2000),
});
export type CarryForwardCreate = z.infer<typeof carryForwardCreateSchema>;

/** POST /api/v1/reviews/{id}/validator. */
export const reviewAssignSchema = z.strictObject({ validator: z.string().min(1).max(100) });

/** POST /api/v1/reviews/{id}/transition. */
export const reviewTransitionSchema = z.strictObject({
  event: reviewApiEventSchema,
  note: z.string().max(2000).optional(),
});

/** GET /api/v1/reviews. */
export const reviewListQuerySchema = z.strictObject({
  modelKey: modelKeySchema.optional(),
  state: reviewStateSchema.optional(),
  type: reviewTypeSchema.optional(),
  validator: z.string().max(100).optional(),
  ...pageQuery,
});
export type ReviewListQuery = z.infer<typeof reviewListQuerySchema>;
