import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { DatasheetsTable, ModelCardsTable } from '../../platform/db/tables/documentation.ts';

// Read model of model cards and datasheets: the revision reads the documentation service uses and
// other features (compliance) read through, instead of querying these tables themselves.

/** Which revision to read: a number, the latest published, or the latest of any status. */
export interface RevisionSelector {
  revision?: number | undefined;
  publishedOnly?: boolean | undefined;
}

export type CardRow = ModelCardsTable & { model_key: string; model_name: string; version_label: string };
export type DatasheetRow = DatasheetsTable & { dataset_name: string };

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
