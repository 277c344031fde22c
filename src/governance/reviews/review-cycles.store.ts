import type { Kysely } from 'kysely';
import type { CarriedForward, ReviewType } from '../../contracts/reviews.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ReviewCarryForwardsTable } from '../../platform/db/tables/review-cycles.ts';
import { type ReviewCycle, reviewCycleStart } from './review-cycle-rules.ts';

/** The API view of a carry-forward row (with its evidence's type). */
export function carriedForwardView(
  row: ReviewCarryForwardsTable & { evidence_type: string },
): CarriedForward {
  return {
    id: row.id,
    reviewId: row.review_id,
    evidenceId: row.evidence_id,
    evidenceType: row.evidence_type as CarriedForward['evidenceType'],
    carriedBy: row.carried_by,
    reason: row.reason,
    createdAt: row.created_at,
  };
}

/** Evidence carried forward into a review, oldest first. */
export async function carriedForwardRows(tx: Kysely<Database>, reviewId: string): Promise<CarriedForward[]> {
  const rows = await tx
    .selectFrom('review_carry_forwards')
    .innerJoin('evidence', 'evidence.id', 'review_carry_forwards.evidence_id')
    .selectAll('review_carry_forwards')
    .select('evidence.type as evidence_type')
    .where('review_carry_forwards.review_id', '=', reviewId)
    .orderBy('review_carry_forwards.created_at')
    .orderBy('review_carry_forwards.id')
    .execute();
  return rows.map(carriedForwardView);
}

/**
 * The cycle a review judges evidence in (`reviewCycleStart`): for an initial review, the last close
 * of an earlier decided review of the version before this one opened; otherwise when it opened.
 */
export async function reviewCycleOf(
  tx: Kysely<Database>,
  review: { id: string; type: string; version_id: string; created_at: string },
): Promise<ReviewCycle> {
  let lastClosedBefore: string | null = null;
  if (review.type === 'initial') {
    const prior = await tx
      .selectFrom('reviews')
      .select((eb) => eb.fn.max('closed_at').as('closed_at'))
      .where('version_id', '=', review.version_id)
      .where('state', '=', 'closed')
      .where('id', '!=', review.id)
      .where('closed_at', '<=', review.created_at)
      .executeTakeFirst();
    lastClosedBefore = (prior?.closed_at as string | null | undefined) ?? null;
  }
  return {
    reviewId: review.id,
    startsAt: reviewCycleStart(
      { type: review.type as ReviewType, openedAt: review.created_at },
      lastClosedBefore,
    ),
    carried: await carriedForwardRows(tx, review.id),
  };
}

export async function insertCarryForward(tx: Kysely<Database>, row: ReviewCarryForwardsTable): Promise<void> {
  await tx.insertInto('review_carry_forwards').values(row).execute();
}
