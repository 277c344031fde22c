import type { Kysely } from 'kysely';
import type { Review, ReviewListQuery, ReviewState } from '../../contracts/reviews.ts';
import { decodeTextCursor, encodeCursor } from '../../platform/db/cursor.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ReviewsTable } from '../../platform/db/tables/workflow-reviews.ts';
import { allowedReviewEvents } from './review-rules.ts';

/** A review row with its model key and version label. */
export type ReviewRow = ReviewsTable & { model_key: string; version_label: string };

/** The API view of a review row. `validator_id` holds the validator's username. */
export function reviewView(row: ReviewRow): Review {
  const state = row.state as ReviewState;
  return {
    id: row.id,
    modelKey: row.model_key,
    versionLabel: row.version_label,
    type: row.type as Review['type'],
    gate: row.gate as Review['gate'],
    state,
    reason: row.reason,
    tier: row.tier === null ? null : Number(row.tier),
    policyVersion: Number(row.policy_version),
    openedBy: row.opened_by,
    submittedBy: row.submitted_by,
    validator: row.validator_id,
    outcome: row.outcome,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    closedAt: row.closed_at,
    rowVersion: Number(row.row_version),
    allowedEvents: allowedReviewEvents(state),
  };
}

function baseQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('reviews')
    .innerJoin('models', 'models.id', 'reviews.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'reviews.version_id')
    .selectAll('reviews')
    .select(['models.key as model_key', 'model_versions.label as version_label']);
}

/** One review row by id. */
export function reviewRowById(tx: Kysely<Database>, id: string): Promise<ReviewRow | undefined> {
  return baseQuery(tx).where('reviews.id', '=', id).executeTakeFirst();
}

/** The open (non-terminal) reviews of a version. */
export function openReviewRows(tx: Kysely<Database>, versionId: string): Promise<ReviewRow[]> {
  return baseQuery(tx)
    .where('reviews.version_id', '=', versionId)
    .where('reviews.state', 'not in', ['closed', 'withdrawn'])
    .execute();
}

/** Writes a changed review if its row version is still `expected`. */
export async function updateReviewRow(
  tx: Kysely<Database>,
  next: ReviewsTable,
  expected: number,
): Promise<boolean> {
  const { id, ...rest } = next;
  const res = await tx
    .updateTable('reviews')
    .set(rest)
    .where('id', '=', id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * A page of reviews, newest first. `visibleModelIds` (when given) limits the list to models the
 * caller may see.
 */
export async function listReviewRows(
  tx: Kysely<Database>,
  query: ReviewListQuery,
  visibleModelIds: readonly string[] | null,
): Promise<{ rows: ReviewRow[]; nextCursor: string | null }> {
  let q = baseQuery(tx);
  if (visibleModelIds !== null) {
    if (visibleModelIds.length === 0) return { rows: [], nextCursor: null };
    q = q.where('reviews.model_id', 'in', [...visibleModelIds]);
  }
  if (query.modelKey) q = q.where('models.key', '=', query.modelKey);
  if (query.state) q = q.where('reviews.state', '=', query.state);
  if (query.type) q = q.where('reviews.type', '=', query.type);
  if (query.validator) q = q.where('reviews.validator_id', '=', query.validator);
  if (query.cursor) {
    const { value: at, id } = decodeTextCursor(query.cursor, 'querystring.cursor');
    q = q.where((eb) =>
      eb.or([
        eb('reviews.created_at', '<', at),
        eb.and([eb('reviews.created_at', '=', at), eb('reviews.id', '<', id)]),
      ]),
    );
  }
  const rows = await q
    .orderBy('reviews.created_at', 'desc')
    .orderBy('reviews.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    rows: page,
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.created_at, last.id) : null,
  };
}

export async function insertReview(tx: Kysely<Database>, row: ReviewsTable): Promise<void> {
  await tx.insertInto('reviews').values(row).execute();
}
