import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

// Read model: what other features read of a review inside their own transaction.

/** A review's version and state (evidence named for a review must belong to an open review of its version). */
export function reviewStateOf(
  tx: Kysely<Database>,
  reviewId: string,
): Promise<{ version_id: string; state: string } | undefined> {
  return tx
    .selectFrom('reviews')
    .select(['version_id', 'state'])
    .where('id', '=', reviewId)
    .executeTakeFirst();
}
