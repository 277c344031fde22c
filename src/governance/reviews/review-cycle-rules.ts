import type { CarriedForward, ReviewType } from '../../contracts/reviews.ts';

/** The review cycle a checklist is judged in: which of the version's evidence counts for it. */
export interface ReviewCycle {
  reviewId: string;
  /** Evidence attached at or after this time counts; null: all the version's current evidence counts. */
  startsAt: string | null;
  /** Earlier evidence a validator carried forward into this review, with the reason. */
  carried: readonly CarriedForward[];
}

/** What a checklist needs to know of a piece of evidence to place it in a cycle. */
export interface CycleEvidence {
  id: string;
  createdAt?: string | undefined;
  /** The review it was produced for, named at upload. */
  reviewId?: string | null | undefined;
}

/**
 * When a review's cycle starts. A periodic, change or incident review asks for fresh evidence: only
 * evidence attached from the moment it opened counts. An initial review counts the version's own
 * evidence from its beginning (evidence attached before the review opened was made for this new
 * version), unless an earlier review of the version already closed: then only evidence attached
 * after that close. Pure.
 */
export function reviewCycleStart(
  review: { type: ReviewType; openedAt: string },
  lastClosedBefore: string | null,
): string | null {
  return review.type === 'initial' ? lastClosedBefore : review.openedAt;
}

/**
 * Whether evidence counts for a review cycle: attached since the cycle started, named for this
 * review at upload, or carried forward into it. Evidence without a creation time counts only when
 * the cycle takes all evidence. Pure.
 */
export function countsForCycle(e: CycleEvidence, cycle: ReviewCycle): boolean {
  if (cycle.startsAt === null) return true;
  if (e.reviewId === cycle.reviewId) return true;
  if (e.createdAt !== undefined && e.createdAt >= cycle.startsAt) return true;
  return cycle.carried.some((c) => c.evidenceId === e.id);
}
