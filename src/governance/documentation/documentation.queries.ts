import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { DatasheetsTable, ModelCardsTable } from '../../platform/db/tables/documentation.ts';
import type { DatasetsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';
import type { VersionEvidenceFact } from './documentation-rules.ts';

// Read model of model cards and datasheets: the revision reads the documentation services use and
// other features (compliance) read through, instead of querying these tables themselves; and the
// facts of other features a card or datasheet is drafted from and judged against (a version's
// evidence, datasets, open findings and conditions; the models that use a dataset).

/** Which revision to read: a number, the latest published, or the latest of any status. */
export interface RevisionSelector {
  revision?: number | undefined;
  publishedOnly?: boolean | undefined;
}

export type CardRow = ModelCardsTable & { model_key: string; model_name: string; version_label: string };
export type DatasheetRow = DatasheetsTable & { dataset_name: string };

/** How a selector reads in a message (" revision 3", " (published)", or nothing). */
export function describeRevision(sel: RevisionSelector): string {
  if (sel.revision !== undefined) return ` revision ${sel.revision}`;
  return sel.publishedOnly ? ' (published)' : '';
}

function cardQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('model_cards')
    .innerJoin('models', 'models.id', 'model_cards.model_id')
    .innerJoin('model_versions', 'model_versions.id', 'model_cards.version_id')
    .selectAll('model_cards')
    .select([
      'models.key as model_key',
      'models.name as model_name',
      'model_versions.label as version_label',
    ]);
}

/** One card revision of a version (the latest matching the selector), or undefined. */
export async function cardRow(
  tx: Kysely<Database>,
  versionId: string,
  sel: RevisionSelector = {},
): Promise<CardRow | undefined> {
  let q = cardQuery(tx).where('model_cards.version_id', '=', versionId);
  if (sel.revision !== undefined) q = q.where('model_cards.revision', '=', sel.revision);
  if (sel.publishedOnly) q = q.where('model_cards.status', '=', 'published');
  return q.orderBy('model_cards.revision', 'desc').limit(1).executeTakeFirst();
}

function datasheetQuery(tx: Kysely<Database>) {
  return tx
    .selectFrom('datasheets')
    .innerJoin('datasets', 'datasets.id', 'datasheets.dataset_id')
    .selectAll('datasheets')
    .select(['datasets.name as dataset_name']);
}

/** One datasheet revision of a dataset (the latest matching the selector), or undefined. */
export async function datasheetRow(
  tx: Kysely<Database>,
  datasetId: string,
  sel: RevisionSelector = {},
): Promise<DatasheetRow | undefined> {
  let q = datasheetQuery(tx).where('datasheets.dataset_id', '=', datasetId);
  if (sel.revision !== undefined) q = q.where('datasheets.revision', '=', sel.revision);
  if (sel.publishedOnly) q = q.where('datasheets.status', '=', 'published');
  return q.orderBy('datasheets.revision', 'desc').limit(1).executeTakeFirst();
}

/** The latest published datasheet of each of the given datasets. */
export async function publishedDatasheetRows(
  tx: Kysely<Database>,
  datasetIds: readonly string[],
): Promise<Map<string, DatasheetRow>> {
  if (datasetIds.length === 0) return new Map();
  const rows = await datasheetQuery(tx)
    .where('datasheets.dataset_id', 'in', [...datasetIds])
    .where('datasheets.status', '=', 'published')
    .orderBy('datasheets.revision', 'asc')
    .execute();
  return new Map(rows.map((r) => [r.dataset_id, r]));
}

/** A version row by id. */
export function versionRowById(
  tx: Kysely<Database>,
  versionId: string,
): Promise<ModelVersionsTable | undefined> {
  return tx.selectFrom('model_versions').selectAll().where('id', '=', versionId).executeTakeFirst();
}

/** The versions of a model, oldest first (a card is drafted against the version before). */
export function versionRowsOfModel(tx: Kysely<Database>, modelId: string): Promise<ModelVersionsTable[]> {
  return tx
    .selectFrom('model_versions')
    .selectAll()
    .where('model_id', '=', modelId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The username of a user, or null. */
export async function usernameOf(tx: Kysely<Database>, userId: string): Promise<string | null> {
  const row = await tx.selectFrom('users').select('username').where('id', '=', userId).executeTakeFirst();
  return row?.username ?? null;
}

/** Every evidence item of a version (current and superseded), as completeness reads it. */
export async function versionEvidenceFacts(
  tx: Kysely<Database>,
  versionId: string,
): Promise<VersionEvidenceFact[]> {
  const rows = await tx
    .selectFrom('evidence')
    .select(['id', 'type', 'blob_sha256', 'created_at', 'superseded_at'])
    .where('version_id', '=', versionId)
    .execute();
  return rows.map((e) => ({
    id: e.id,
    type: e.type,
    sha256: e.blob_sha256,
    createdAt: e.created_at,
    superseded: e.superseded_at !== null,
  }));
}

/** The inventory datasets among `ids` and `names` (what a card's data section may cite). */
export async function knownDatasets(
  tx: Kysely<Database>,
  ids: readonly string[],
  names: readonly string[],
): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0 && names.length === 0) return [];
  return tx
    .selectFrom('datasets')
    .select(['id', 'name'])
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('id', 'in', [...ids])] : []),
        ...(names.length ? [eb('name', 'in', [...names])] : []),
      ]),
    )
    .execute();
}

/** Dataset rows by id (by name when `byName`; otherwise in the store's order). */
export function datasetRowsById(
  tx: Kysely<Database>,
  ids: readonly string[],
  byName = false,
): Promise<DatasetsTable[]> {
  if (ids.length === 0) return Promise.resolve([]);
  const q = tx
    .selectFrom('datasets')
    .selectAll()
    .where('id', 'in', [...ids]);
  return (byName ? q.orderBy('name') : q).execute();
}

/** Which datasets a version uses and how (training, evaluation). */
export function versionDatasetUses(
  tx: Kysely<Database>,
  versionId: string,
): Promise<{ dataset_id: string; usage: string }[]> {
  return tx
    .selectFrom('version_datasets')
    .select(['dataset_id', 'usage'])
    .where('version_id', '=', versionId)
    .execute();
}

/** The training and evaluation datasets of a version by name, each once (whose datasheets count). */
export async function datasetsOfVersion(
  tx: Kysely<Database>,
  versionId: string,
): Promise<{ id: string; name: string }[]> {
  const links = await tx
    .selectFrom('version_datasets')
    .innerJoin('datasets', 'datasets.id', 'version_datasets.dataset_id')
    .select(['datasets.id', 'datasets.name'])
    .where('version_datasets.version_id', '=', versionId)
    .where('version_datasets.usage', 'in', ['training', 'evaluation'])
    .orderBy('datasets.name')
    .execute();
  return [...new Map(links.map((l) => [l.id, l])).values()];
}

/** The model versions that use a dataset, by model key and version label. */
export function datasetUses(
  tx: Kysely<Database>,
  datasetId: string,
): Promise<{ key: string; model_id: string; label: string; usage: string; tier: number | null }[]> {
  return tx
    .selectFrom('version_datasets as vd')
    .innerJoin('model_versions as v', 'v.id', 'vd.version_id')
    .innerJoin('models as m', 'm.id', 'v.model_id')
    .select(['m.key', 'm.id as model_id', 'v.label', 'vd.usage', 'm.tier'])
    .where('vd.dataset_id', '=', datasetId)
    .orderBy('m.key')
    .orderBy('v.label')
    .execute();
}

/** The unresolved findings of a version, oldest first. */
export function openFindingsOfVersion(
  tx: Kysely<Database>,
  versionId: string,
): Promise<{ id: string; title: string; severity: string; category: string; state: string }[]> {
  return tx
    .selectFrom('findings')
    .select(['id', 'title', 'severity', 'category', 'state'])
    .where('version_id', '=', versionId)
    .where('state', 'not in', ['closed', 'risk_accepted'])
    .orderBy('created_at')
    .execute();
}

/** The unmet decision conditions of a version, soonest due first. */
export function openConditionsOfVersion(
  tx: Kysely<Database>,
  versionId: string,
): Promise<{ id: string; text: string; owner: string; due_at: string }[]> {
  return tx
    .selectFrom('decision_conditions')
    .select(['id', 'text', 'owner', 'due_at'])
    .where('version_id', '=', versionId)
    .where('met_at', 'is', null)
    .orderBy('due_at')
    .execute();
}
