import type { PolicyDocument } from '../../contracts/policy.ts';
import { addMonths } from '../decisions/sign-off-rules.ts';

/** What decides when an approved version is next reviewed. */
export interface ReviewScheduleFacts {
  /** When the version's latest final approval was signed (finalized). */
  approvedAt: string;
  /** When the version's latest periodic review closed, if one has. */
  lastPeriodicReviewAt: string | null;
  /** The model's current tier (null: untiered). */
  tier: number | null;
}

/** The next periodic review of an approved version. */
export interface PeriodicReviewDue {
  /** Start of the current review cycle: the later of the approval and the last completed periodic review. */
  cycleStart: string;
  /** The policy's `reviewFrequencyMonths` for the tier. */
  frequencyMonths: number;
  /** When the next periodic review is due: cycleStart plus frequencyMonths. */
  dueAt: string;
}

/**
 * The policy's review frequency for a tier. An untiered model, or a tier the policy no longer
 * defines, gets the most frequent review of any tier, so skipping tiering never delays a review.
 */
export function reviewFrequencyMonths(policy: PolicyDocument, tier: number | null): number {
  const chosen = tier === null ? undefined : policy.tiers.find((t) => t.tier === tier);
  return chosen?.reviewFrequencyMonths ?? Math.min(...policy.tiers.map((t) => t.reviewFrequencyMonths));
}

/**
 * When an approved version is next reviewed: the cycle starts at its latest final approval, or at
 * its last completed periodic review when that is later, and the review is due the tier's
 * `reviewFrequencyMonths` after that. Independent of `approvalValidityMonths` (the approval's own
 * expiry, which the gate judges). The inventory, the metrics, the scheduler and the console all
 * read this one rule. Pure.
 */
export function nextPeriodicReview(facts: ReviewScheduleFacts, policy: PolicyDocument): PeriodicReviewDue {
  const cycleStart =
    facts.lastPeriodicReviewAt !== null && facts.lastPeriodicReviewAt > facts.approvedAt
      ? facts.lastPeriodicReviewAt
      : facts.approvedAt;
  const frequencyMonths = reviewFrequencyMonths(policy, facts.tier);
  return {
    cycleStart,
    frequencyMonths,
    dueAt: addMonths(new Date(cycleStart), frequencyMonths).toISOString(),
  };
}

/** Whether a periodic review is overdue at `now` (its due date has passed). Pure. */
export function isPeriodicReviewOverdue(due: PeriodicReviewDue, now: Date): boolean {
  return Date.parse(due.dueAt) <= now.getTime();
}
