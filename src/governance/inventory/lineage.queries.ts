import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

// Read model: lineage and "as of" reads. Datasets by id, which versions use which datasets, and the
// model's snapshots replayed from the audit trail. It never writes.

/** Datasets by id, by name. */
export function datasetRowsByIds(k: Kysely<Database>, ids: readonly string[]) {
  return k
    .selectFrom('datasets')
    .selectAll()
    .where('id', 'in', [...ids])
    .orderBy('name')
    .execute();
}

/** The models and versions that use any of `datasetIds`, with the usage. */
export function datasetUses(k: Kysely<Database>, datasetIds: readonly string[]) {
  return k
    .selectFrom('version_datasets as vd')
    .innerJoin('model_versions as v', 'v.id', 'vd.version_id')
    .innerJoin('models as m', 'm.id', 'v.model_id')
    .select(['m.key', 'm.name', 'v.label', 'vd.usage'])
    .where('vd.dataset_id', 'in', [...datasetIds])
    .orderBy('m.key')
    .orderBy('v.label')
    .execute();
}

/** The latest snapshot of a model at or before `when` (its audit event's after_json). */
export function modelSnapshotAt(k: Kysely<Database>, modelId: string, when: string) {
  return k
    .selectFrom('audit_events')
    .select('after_json')
    .where('entity_type', '=', 'model')
    .where('entity_id', '=', modelId)
    .where('at', '<=', when)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest snapshot of each deployment of a model at or before `when`. */
export function deploymentSnapshotsAt(k: Kysely<Database>, modelId: string, when: string) {
  const latestPerDeployment = k
    .selectFrom('audit_events')
    .select((eb) => [eb.fn.max('seq').as('seq')])
    .where('model_id', '=', modelId)
    .where('entity_type', '=', 'deployment')
    .where('at', '<=', when)
    .groupBy('entity_id');
  return k.selectFrom('audit_events').select('after_json').where('seq', 'in', latestPerDeployment).execute();
}

/** The audit events of one model, newest first: `limit + 1` of them before sequence `before`. */
export function modelEventsPage(k: Kysely<Database>, modelId: string, limit: number, before?: number) {
  let q = k.selectFrom('audit_events').selectAll().where('model_id', '=', modelId);
  if (before !== undefined) q = q.where('seq', '<', before);
  return q
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
}
