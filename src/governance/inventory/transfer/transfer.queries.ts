import type { Kysely } from 'kysely';
import { GLOBAL_READ_ROLES, type Principal } from '../../../platform/auth/roles.ts';
import type { Database } from '../../../platform/db/schema.ts';
import type { ModelsTable } from '../../../platform/db/tables/inventory.ts';
import { chunks } from './import-file.ts';

// Read model: what a bulk export reads (models the caller may see, their relations, versions and
// dataset links, every dataset) and the users an import names. It never writes.

/** Models `principal` may see, by key. */
export function visibleModelRows(k: Kysely<Database>, principal: Principal): Promise<ModelsTable[]> {
  let q = k.selectFrom('models').selectAll('models');
  if (!GLOBAL_READ_ROLES.has(principal.role))
    q = q.where('models.id', 'in', (eb) =>
      eb.selectFrom('model_relations').select('model_id').where('user_id', '=', principal.userId),
    );
  return q.orderBy('models.key').execute();
}

/** The relations (with usernames) of `modelIds`. */
export function relationsOfModels(k: Kysely<Database>, modelIds: string[]) {
  return k
    .selectFrom('model_relations')
    .innerJoin('users', 'users.id', 'model_relations.user_id')
    .select([
      'model_relations.model_id',
      'model_relations.user_id',
      'users.username',
      'model_relations.relation',
    ])
    .where('model_relations.model_id', 'in', modelIds)
    .execute();
}

/** The versions of `modelIds`. */
export function versionsOfModels(k: Kysely<Database>, modelIds: string[]) {
  return k.selectFrom('model_versions').selectAll().where('model_id', 'in', modelIds).execute();
}

/** The datasets (id, name) each of `versionIds` uses, with the usage. */
export function datasetLinksOfVersions(k: Kysely<Database>, versionIds: string[]) {
  return k
    .selectFrom('version_datasets')
    .innerJoin('datasets', 'datasets.id', 'version_datasets.dataset_id')
    .select(['version_datasets.version_id', 'version_datasets.usage', 'datasets.id', 'datasets.name'])
    .where('version_datasets.version_id', 'in', versionIds)
    .execute();
}

/** Every dataset, by name then id. */
export function allDatasetRows(k: Kysely<Database>) {
  return k.selectFrom('datasets').selectAll().orderBy('name').orderBy('id').execute();
}

/** Maps usernames to user ids (unknown names are absent). */
export async function userIdsByName(
  tx: Kysely<Database>,
  names: Iterable<string>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const part of chunks([...new Set(names)])) {
    const users = await tx
      .selectFrom('users')
      .select(['id', 'username'])
      .where('username', 'in', part)
      .execute();
    for (const u of users) out.set(u.username, u.id);
  }
  return out;
}
