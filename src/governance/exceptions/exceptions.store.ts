import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { LifecycleExceptionsTable } from '../../platform/db/tables/lifecycle-exceptions.ts';

// The exceptions feature's table: lifecycle_exceptions.

/** Exceptions with their model's key and (when scoped to one) their version's label. */
export function exceptionQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('lifecycle_exceptions')
    .innerJoin('models', 'models.id', 'lifecycle_exceptions.model_id')
    .leftJoin('model_versions', 'model_versions.id', 'lifecycle_exceptions.version_id')
    .selectAll('lifecycle_exceptions')
    .select(['models.key as model_key', 'model_versions.label as version_label']);
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
