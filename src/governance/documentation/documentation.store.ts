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
import type { CardRow, DatasheetRow } from './documentation.queries.ts';

/** Canonical JSON of document content and its SHA-256. */
export function contentDigest(content: unknown): { json: string; sha256: string } {
  const json = canonicalJson(content);
  return { json, sha256: createHash('sha256').update(json).digest('hex') };
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
