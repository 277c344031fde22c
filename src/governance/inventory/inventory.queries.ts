import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';

// Read model: model and version rows other features read inside their own transaction, without the
// permission checks of ModelsService (the system acting, or after the caller was authorized).

/** The relations of a model with the related users' names (who owns, develops, validates it). */
export { modelRelations } from './models.store.ts';

/** A model by key. */
export function modelRowByKey(tx: Kysely<Database>, key: string): Promise<ModelsTable | undefined> {
  return tx.selectFrom('models').selectAll().where('key', '=', key).executeTakeFirst();
}

/** A version of a model by label. */
export function versionRowByLabel(
  tx: Kysely<Database>,
  modelId: string,
  label: string,
): Promise<ModelVersionsTable | undefined> {
  return tx
    .selectFrom('model_versions')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('label', '=', label)
    .executeTakeFirst();
}

/** A model by id, which must exist (Kysely's NoResultError otherwise). */
export function modelRowById(tx: Kysely<Database>, id: string): Promise<ModelsTable> {
  return tx.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** The label of a version, which must exist (Kysely's NoResultError otherwise). */
export async function versionLabelOf(tx: Kysely<Database>, versionId: string): Promise<string> {
  return (
    await tx
      .selectFrom('model_versions')
      .select('label')
      .where('id', '=', versionId)
      .executeTakeFirstOrThrow()
  ).label;
}

/** A running or ended deployment of a model (id, version, end). */
export function deploymentOfModel(tx: Kysely<Database>, modelId: string, deploymentId: string) {
  return tx
    .selectFrom('deployments')
    .select(['id', 'version_id', 'ended_at'])
    .where('id', '=', deploymentId)
    .where('model_id', '=', modelId)
    .executeTakeFirst();
}

/** A model by key, which must exist (Kysely's NoResultError otherwise). */
export function modelRowByKeyOrThrow(tx: Kysely<Database>, key: string): Promise<ModelsTable> {
  return tx.selectFrom('models').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
}

/** A version by id, which must exist (Kysely's NoResultError otherwise). */
export function versionRowById(tx: Kysely<Database>, id: string): Promise<ModelVersionsTable> {
  return tx.selectFrom('model_versions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/**
 * The versions a lifecycle move may rest on, newest first: the one labelled `label` when given
 * (none when the model has no such version), otherwise every active version of the model.
 */
export function lifecycleCandidateVersions(
  tx: Kysely<Database>,
  modelId: string,
  label: string | undefined,
): Promise<ModelVersionsTable[]> {
  let q = tx.selectFrom('model_versions').selectAll().where('model_id', '=', modelId);
  q = label ? q.where('label', '=', label) : q.where('status', '=', 'active');
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}
