import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { LifecycleExceptionsTable } from '../../platform/db/tables/lifecycle-exceptions.ts';

// The exceptions feature's table: lifecycle_exceptions.

/** Exceptions with their model's key and (when scoped to one) their version's label. */
function exceptionQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('lifecycle_exceptions')
    .innerJoin('models', 'models.id', 'lifecycle_exceptions.model_id')
    .leftJoin('model_versions', 'model_versions.id', 'lifecycle_exceptions.version_id')
    .selectAll('lifecycle_exceptions')
    .select(['models.key as model_key', 'model_versions.label as version_label']);
}

/** An exception row with its model's key and (when scoped to one) its version's label. */
export type ExceptionRow = LifecycleExceptionsTable & { model_key: string; version_label: string | null };

/** An exception by id. */
export function exceptionById(tx: Kysely<Database>, id: string): Promise<ExceptionRow | undefined> {
  return exceptionQuery(tx).where('lifecycle_exceptions.id', '=', id).executeTakeFirst();
}

/**
 * A page of exceptions, newest request first (one row more than `limit`): of the `visible` models
 * only (null: all), of one model key when asked, and in one state: `approved` is approved and not
 * yet ended at `nowIso`, `expired` approved and ended by then.
 */
export function exceptionPage(
  tx: Kysely<Database>,
  q: {
    visible: readonly string[] | null;
    modelKey?: string | undefined;
    state?: string | undefined;
    nowIso: string;
    limit: number;
    offset: number;
  },
): Promise<ExceptionRow[]> {
  let query = exceptionQuery(tx);
  if (q.visible !== null) query = query.where('lifecycle_exceptions.model_id', 'in', [...q.visible]);
  if (q.modelKey) query = query.where('models.key', '=', q.modelKey);
  if (q.state === 'expired')
    query = query
      .where('lifecycle_exceptions.state', '=', 'approved')
      .where('lifecycle_exceptions.until', '<=', q.nowIso);
  else if (q.state === 'approved')
    query = query
      .where('lifecycle_exceptions.state', '=', 'approved')
      .where('lifecycle_exceptions.until', '>', q.nowIso);
  else if (q.state) query = query.where('lifecycle_exceptions.state', '=', q.state);
  return query
    .orderBy('lifecycle_exceptions.requested_at', 'desc')
    .orderBy('lifecycle_exceptions.id', 'desc')
    .limit(q.limit + 1)
    .offset(q.offset)
    .execute();
}

export async function insertException(tx: Kysely<Database>, row: LifecycleExceptionsTable): Promise<void> {
  await tx.insertInto('lifecycle_exceptions').values(row).execute();
}

/** Approved exceptions of `modelIds` valid after `nowIso`, latest end first. */
export function validExceptions(
  tx: Kysely<Database>,
  modelIds: readonly string[],
  nowIso: string,
): Promise<LifecycleExceptionsTable[]> {
  return tx
    .selectFrom('lifecycle_exceptions')
    .selectAll()
    .where('model_id', 'in', [...modelIds])
    .where('state', '=', 'approved')
    .where('until', '>', nowIso)
    .orderBy('until', 'desc')
    .orderBy('id')
    .execute();
}

/** Writes `patch` if the row version is still `expected` (bumping it); false otherwise. */
export async function updateException(
  tx: Kysely<Database>,
  id: string,
  patch: Partial<LifecycleExceptionsTable>,
  expected: number,
): Promise<boolean> {
  const res = await tx
    .updateTable('lifecycle_exceptions')
    .set({ ...patch, row_version: expected + 1 })
    .where('id', '=', id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
