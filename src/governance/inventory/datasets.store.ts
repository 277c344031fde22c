import { type Kysely, sql } from 'kysely';
import type { Dataset } from '../../contracts/inventory.ts';
import { decodeCursor } from '../../platform/db/cursor.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { DatasetsTable } from '../../platform/db/tables/inventory.ts';
import { containsPattern } from './model-rules.ts';

// The datasets aggregate's tables: datasets and dataset_parents (lineage: derived-from).

/** The API view of dataset rows (parents and owner names resolved in two queries). */
export async function datasetViews(tx: Kysely<Database>, rows: readonly DatasetsTable[]): Promise<Dataset[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const parents = await tx.selectFrom('dataset_parents').selectAll().where('dataset_id', 'in', ids).execute();
  const ownerIds = [...new Set(rows.map((r) => r.owner_id).filter((x): x is string => x !== null))];
  const owners = ownerIds.length
    ? await tx.selectFrom('users').select(['id', 'username']).where('id', 'in', ownerIds).execute()
    : [];
  const ownerName = new Map(owners.map((o) => [o.id, o.username]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role as Dataset['role'],
    locationUri: r.location_uri,
    sha256: r.sha256,
    schema: r.schema_json ? (JSON.parse(r.schema_json) as Dataset['schema']) : null,
    rowCount: r.row_count === null ? null : Number(r.row_count),
    owner: r.owner_id ? (ownerName.get(r.owner_id) ?? null) : null,
    containsPii: r.contains_pii === 1,
    piiColumns: JSON.parse(r.pii_columns) as string[],
    derivedFrom: parents
      .filter((p) => p.dataset_id === r.id)
      .map((p) => p.parent_id)
      .sort(),
    retentionNote: r.retention_note,
    status: r.status as Dataset['status'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    rowVersion: Number(r.row_version),
  }));
}

/** One dataset by id or by name. */
export function datasetByIdOrName(
  tx: Kysely<Database>,
  idOrName: string,
): Promise<DatasetsTable | undefined> {
  return tx
    .selectFrom('datasets')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .executeTakeFirst();
}

export async function datasetNameTaken(tx: Kysely<Database>, name: string): Promise<boolean> {
  return (
    (await tx.selectFrom('datasets').select('id').where('name', '=', name).executeTakeFirst()) !== undefined
  );
}

export async function insertDataset(tx: Kysely<Database>, row: DatasetsTable): Promise<void> {
  await tx.insertInto('datasets').values(row).execute();
}

/** Writes every column of a changed dataset. */
export async function updateDataset(tx: Kysely<Database>, next: DatasetsTable): Promise<void> {
  const { id, ...rest } = next;
  await tx.updateTable('datasets').set(rest).where('id', '=', id).execute();
}

/** Writes an archived dataset's status, time and row version. */
export async function archiveDataset(tx: Kysely<Database>, next: DatasetsTable): Promise<void> {
  await tx
    .updateTable('datasets')
    .set({ status: next.status, updated_at: next.updated_at, row_version: next.row_version })
    .where('id', '=', next.id)
    .execute();
}

/** A page of datasets by name (one row more than `limit`), filtered, after the keyset cursor. */
export function listDatasetRows(
  tx: Kysely<Database>,
  query: {
    limit: number;
    cursor?: string | undefined;
    q?: string | undefined;
    role?: string | undefined;
    pii?: boolean | undefined;
    status?: string | undefined;
  },
): Promise<DatasetsTable[]> {
  let q = tx.selectFrom('datasets').selectAll();
  if (query.role) q = q.where('role', '=', query.role);
  if (query.status) q = q.where('status', '=', query.status);
  if (query.pii !== undefined) q = q.where('contains_pii', '=', query.pii ? 1 : 0);
  if (query.q) {
    const pattern = containsPattern(query.q.toLowerCase());
    q = q.where(sql<boolean>`lower(name) like ${pattern} escape '\\'`);
  }
  if (query.cursor) {
    const { value, id } = decodeCursor(query.cursor);
    q = q.where(sql<boolean>`(name, id) > (${value}, ${id})`);
  }
  return q
    .orderBy('name')
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
}

/** Ids of all ancestors of the given datasets (recursive, both engines). */
export async function datasetAncestorIds(tx: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    WITH RECURSIVE up(id) AS (
      SELECT parent_id FROM dataset_parents WHERE dataset_id IN (${sql.join(ids)})
      UNION SELECT p.parent_id FROM dataset_parents p JOIN up ON p.dataset_id = up.id
    ) SELECT id FROM up`.execute(tx);
  return rows.rows.map((r) => r.id);
}

/** Ids of all descendants of one dataset. */
export async function datasetDescendantIds(tx: Kysely<Database>, id: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    WITH RECURSIVE down(id) AS (
      SELECT dataset_id FROM dataset_parents WHERE parent_id = ${id}
      UNION SELECT p.dataset_id FROM dataset_parents p JOIN down ON p.parent_id = down.id
    ) SELECT id FROM down`.execute(tx);
  return rows.rows.map((r) => r.id);
}

/** Which of `ids` are datasets. */
export async function existingDatasetIds(tx: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  const found = await tx
    .selectFrom('datasets')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return found.map((f) => f.id);
}

/** Replaces a dataset's parents. */
export async function replaceDatasetParents(
  tx: Kysely<Database>,
  id: string,
  parents: readonly string[],
): Promise<void> {
  await tx.deleteFrom('dataset_parents').where('dataset_id', '=', id).execute();
  if (parents.length)
    await tx
      .insertInto('dataset_parents')
      .values(parents.map((p) => ({ dataset_id: id, parent_id: p })))
      .execute();
}

/** Datasets whose id or name is among `refs` (a bulk import resolves references with it). */
export function datasetsByIdsOrNames(
  tx: Kysely<Database>,
  refs: readonly string[],
): Promise<{ id: string; name: string }[]> {
  return tx
    .selectFrom('datasets')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', 'in', [...refs]), eb('name', 'in', [...refs])]))
    .execute();
}

/** Datasets by name. */
export function datasetsByNames(tx: Kysely<Database>, names: readonly string[]): Promise<DatasetsTable[]> {
  return tx
    .selectFrom('datasets')
    .selectAll()
    .where('name', 'in', [...names])
    .execute();
}

/** A dataset by id (it must exist). */
export function datasetRowById(tx: Kysely<Database>, id: string): Promise<DatasetsTable> {
  return tx.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Every lineage edge (dataset, parent), by parent id. */
export function allDatasetParents(
  tx: Kysely<Database>,
): Promise<{ dataset_id: string; parent_id: string }[]> {
  return tx.selectFrom('dataset_parents').selectAll().orderBy('parent_id').execute();
}
