import type { EvidenceType, Gate, PolicyDocument } from '../../contracts/policy.ts';
import type { ChecklistItem, ReviewEvent, ReviewState } from '../../contracts/reviews.ts';
import { ConflictError } from '../../platform/errors.ts';
import { euObligationsFor, type ObligationFacts, obligationEvidence } from '../tiering/eu-obligations.ts';
import { countsForCycle, type ReviewCycle } from './review-cycle-rules.ts';

const TRANSITIONS: Record<ReviewState, Partial<Record<ReviewEvent, ReviewState>>> = {
  draft: { submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { start_validation: 'in_validation', withdraw: 'withdrawn' },
  in_validation: { request_decision: 'decision_pending', withdraw: 'withdrawn' },
  decision_pending: { close: 'closed', return_to_validation: 'in_validation', withdraw: 'withdrawn' },
  closed: {},
  withdrawn: {},
};

/** States a review never leaves. */
export const TERMINAL_REVIEW_STATES: ReadonlySet<ReviewState> = new Set(['closed', 'withdrawn']);

/** The events allowed in a state. */
export function allowedReviewEvents(state: ReviewState): ReviewEvent[] {
  return Object.keys(TRANSITIONS[state]) as ReviewEvent[];
}

/** The state after `event`, or a ConflictError when the state does not allow it. Pure. */
export function nextReviewState(state: ReviewState, event: ReviewEvent): ReviewState {
  const next = TRANSITIONS[state][event];
  if (!next) {
    const allowed = allowedReviewEvents(state);
    throw new ConflictError(
      `a ${state} review cannot ${event.replace(/_/g, ' ')} (allowed: ${allowed.join(', ') || 'nothing'})`,
      { state, event, allowed },
    );
  }
  return next;
}

/**
 * The evidence types a review's checklist requires: the policy's list for the tier and gate, then
 * the evidence of the EU AI Act obligations the policy attaches to the model's classification at
 * that gate (`eu`: the classification in force; null when untiered). An untiered model gets the
 * strictest tier's list, so that skipping tiering never weakens a review.
 */
export function checklistFor(
  policy: PolicyDocument,
  tier: number | null,
  gate: Gate,
  eu: ObligationFacts | null = null,
): EvidenceType[] {
  const tiers = [...policy.tiers].sort((a, b) => a.tier - b.tier);
  const chosen = (tier === null ? tiers[0] : tiers.find((t) => t.tier === tier)) ?? tiers[0];
  return [
    ...new Set([
      ...(chosen?.requiredEvidence[gate] ?? []),
      ...obligationEvidence(euObligationsFor(policy, eu), gate),
    ]),
  ];
}

/** Evidence as a checklist sees it. */
export interface ChecklistEvidence {
  id: string;
  type: EvidenceType;
  validUntil: string | null;
  superseded: boolean;
  /** When it was attached (places it in a review cycle). */
  createdAt?: string | undefined;
  /** The review it was produced for, named at upload. */
  reviewId?: string | null | undefined;
}

/**
 * How the structured documents of a version stand for one evidence type (from the documentation
 * module): model cards for `model_card`, datasheets of its datasets for `data_sheet`.
 */
export interface DocumentStanding {
  /** Ids of the published documents that pass the tier's documentation rules (empty: none counts). */
  passing: string[];
  /** Why the documents do not count, one line each (empty when they do). */
  gaps: string[];
  /** Whether uploaded evidence files of this type still satisfy the item (the policy's uploadedDocumentsCount). */
  uploadsCount: boolean;
}

/** Document standings by evidence type. */
export type ChecklistDocuments = Partial<Record<EvidenceType, DocumentStanding>>;

/**
 * Derives each item's status at `now`: satisfied by current unexpired evidence of its type (or, for
 * types with a document standing, by a passing structured document; uploads count only when the
 * standing allows it), expired when only expired evidence exists, missing otherwise. With a review
 * `cycle`, only evidence of that cycle counts (attached since it started, named for the review, or
 * carried forward); earlier evidence is listed as `earlierCycleEvidence`. Without one (the gate),
 * all current evidence counts. Pure; never stored.
 */
export function checklistStatus(
  required: readonly EvidenceType[],
  evidence: readonly ChecklistEvidence[],
  now: Date,
  documents: ChecklistDocuments = {},
  cycle?: ReviewCycle,
): ChecklistItem[] {
  const current = evidence.filter((e) => !e.superseded);
  return required.map((type) => {
    const doc = documents[type];
    const ofTypeAll = current.filter((e) => e.type === type);
    const uploaded = cycle ? ofTypeAll.filter((e) => countsForCycle(e, cycle)) : ofTypeAll;
    const ofType = doc && !doc.uploadsCount ? [] : uploaded;
    const valid = ofType.filter((e) => e.validUntil === null || Date.parse(e.validUntil) > now.getTime());
    const expired = ofType.filter((e) => !valid.includes(e));
    const byDocument = (doc?.passing.length ?? 0) > 0;
    const item: ChecklistItem = {
      evidenceType: type,
      status: valid.length > 0 || byDocument ? 'satisfied' : expired.length > 0 ? 'expired' : 'missing',
      satisfiedBy: valid.map((e) => e.id),
      expiredEvidence: expired.map((e) => e.id),
    };
    if (doc) {
      const ignored =
        !doc.uploadsCount && uploaded.length > 0
          ? [`uploaded ${type} files do not count for this tier: ${uploaded.map((e) => e.id).join(', ')}`]
          : [];
      item.documents = [...doc.passing];
      item.documentGaps = byDocument ? [] : [...doc.gaps, ...ignored];
    }
    if (cycle && cycle.startsAt !== null) {
      item.carriedForward = cycle.carried.filter((c) => uploaded.some((e) => e.id === c.evidenceId));
      item.earlierCycleEvidence = ofTypeAll.filter((e) => !uploaded.includes(e)).map((e) => e.id);
    }
    return item;
  });
}
