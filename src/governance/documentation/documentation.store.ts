import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  DATASHEET_SCHEMA,
  type Datasheet,
  type DatasheetContent,
  type DocumentRevision,
  type DocumentStatus,
  MODEL_CARD_SCHEMA,
  type ModelCard,
  type ModelCardContent,
} from '../../contracts/documentation.ts';
import { canonicalJson } from '../../platform/canonical-json.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { DatasheetsTable, ModelCardsTable } from '../../platform/db/tables/documentation.ts';

/** Canonical JSON of document content and its SHA-256. */
export function contentDigest(content: unknown): { json: string; sha256: string } {
  const json = canonicalJson(content);
  return { json, sha256: createHash('sha256').update(json).digest('hex') };
}

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

/** Every card revision of a version, newest first, without content. */
export async function cardRevisionRows(tx: Kysely<Database>, versionId: string): Promise<DocumentRevision[]> {
  const rows = await tx
    .selectFrom('model_cards')
    .select(['id', 'revision', 'status', 'note', 'sha256', 'created_by', 'created_at'])
    .where('version_id', '=', versionId)
    .orderBy('revision', 'desc')
    .execute();
  return rows.map(revisionView);
}

/** Inserts the next revision of a version's card and returns its row. */
export async function insertCardRevision(
  tx: Kysely<Database>,
  row: Omit<ModelCardsTable, 'revision'>,
): Promise<ModelCardsTable> {
  const last = await tx
    .selectFrom('model_cards')
    .select((eb) => eb.fn.max('revision').as('r'))
    .where('version_id', '=', row.version_id)
    .executeTakeFirst();
  const full: ModelCardsTable = { ...row, revision: Number(last?.r ?? 0) + 1 };
  await tx.insertInto('model_cards').values(full).execute();
  return full;
}

export function cardView(row: CardRow): ModelCard {
  return {
    schema: MODEL_CARD_SCHEMA,
    id: row.id,
    modelKey: row.model_key,
    modelName: row.model_name,
    versionLabel: row.version_label,
    revision: Number(row.revision),
    status: row.status as DocumentStatus,
    note: row.note,
    content: JSON.parse(row.content_json) as ModelCardContent,
    sha256: row.sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
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

export async function datasheetRevisionRows(
  tx: Kysely<Database>,
  datasetId: string,
): Promise<DocumentRevision[]> {
  const rows = await tx
    .selectFrom('datasheets')
    .select(['id', 'revision', 'status', 'note', 'sha256', 'created_by', 'created_at'])
    .where('dataset_id', '=', datasetId)
    .orderBy('revision', 'desc')
    .execute();
  return rows.map(revisionView);
}

export async function insertDatasheetRevision(
  tx: Kysely<Database>,
  row: Omit<DatasheetsTable, 'revision'>,
): Promise<DatasheetsTable> {
  const last = await tx
    .selectFrom('datasheets')
    .select((eb) => eb.fn.max('revision').as('r'))
    .where('dataset_id', '=', row.dataset_id)
    .executeTakeFirst();
  const full: DatasheetsTable = { ...row, revision: Number(last?.r ?? 0) + 1 };
  await tx.insertInto('datasheets').values(full).execute();
  return full;
}

export function datasheetView(row: DatasheetRow): Datasheet {
  return {
    schema: DATASHEET_SCHEMA,
    id: row.id,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    revision: Number(row.revision),
    status: row.status as DocumentStatus,
    note: row.note,
    content: JSON.parse(row.content_json) as DatasheetContent,
    sha256: row.sha256,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function revisionView(r: {
  id: string;
  revision: number;
  status: string;
  note: string | null;
  sha256: string;
  created_by: string;
  created_at: string;
}): DocumentRevision {
  return {
    id: r.id,
    revision: Number(r.revision),
    status: r.status as DocumentStatus,
    note: r.note,
    sha256: r.sha256,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}
