import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Model, ModelListQuery, OpenFindingCounts } from '../../contracts/inventory.ts';
import type { ModelRelation } from '../../platform/auth/roles.ts';
import { decodeCursor } from '../../platform/db/cursor.ts';
import type { Database } from '../../platform/db/schema.ts';
import { storeErrorToDomain } from '../../platform/db/store-errors.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError } from '../../platform/errors.ts';
import { containsPattern } from './model-rules.ts';

/** Relations of a model by user. */
export interface RelationRow {
  user_id: string;
  username: string;
  relation: string;
}

/** A model row with its owner's username and its open findings by severity (what the list shows). */
export type ModelListRow = ModelsTable & { owner_username: string | null; openFindings: OpenFindingCounts };

const UNRESOLVED_FINDINGS = ['open', 'in_remediation', 'ready_for_verification'];

const SORT_COLUMN = {
  name: 'models.name',
  key: 'models.key',
  updatedAt: 'models.updated_at',
  createdAt: 'models.created_at',
  status: 'models.status',
  tier: 'models.tier',
} as const;

/** Builds the API view of a model from its row and relations. */
export function toModelView(row: ModelsTable, relations: readonly RelationRow[]): Model {
  const names = (r: string) =>
    relations
      .filter((x) => x.relation === r)
      .map((x) => x.username)
      .sort();
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    purpose: row.purpose,
    intendedUse: row.intended_use,
    intendedUsers: row.intended_users,
    outOfScopeUses: row.out_of_scope_uses,
    type: row.type as Model['type'],
    businessUnit: row.business_unit,
    owner: names('owner')[0] ?? null,
    developers: names('developer'),
    validators: names('validator'),
    vendor: row.vendor === 1,
    vendorName: row.vendor_name,
    genai: row.genai === 1,
    decisionImpact: row.decision_impact,
    status: row.status as Model['status'],
    tier: row.tier === null ? null : Number(row.tier),
    euAiActClass: (row.eu_ai_act_class ?? null) as Model['euAiActClass'],
    tags: JSON.parse(row.tags) as string[],
    links: JSON.parse(row.links) as Model['links'],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    retiredAt: row.retired_at,
    rowVersion: Number(row.row_version),
  };
}

// The models aggregate's tables: models and model_relations (who owns, develops and validates a
// model). Functions take the transaction (or the database) first; `toModelView` is the row→view mapping.

/** A model by key. */
export function modelByKey(tx: Kysely<Database>, key: string): Promise<ModelsTable | undefined> {
  return tx.selectFrom('models').selectAll().where('key', '=', key).executeTakeFirst();
}

/** A model by id. */
export function modelById(tx: Kysely<Database>, id: string): Promise<ModelsTable | undefined> {
  return tx.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The relations of a model, with the related users' names. */
export function modelRelations(tx: Kysely<Database>, modelId: string): Promise<RelationRow[]> {
  return tx
    .selectFrom('model_relations')
    .innerJoin('users', 'users.id', 'model_relations.user_id')
    .select(['model_relations.user_id', 'users.username', 'model_relations.relation'])
    .where('model_relations.model_id', '=', modelId)
    .execute();
}

/** One user's relations to one model. */
export async function relationsOfUser(
  tx: Kysely<Database>,
  modelId: string,
  userId: string,
): Promise<ModelRelation[]> {
  const rows = await tx
    .selectFrom('model_relations')
    .select('relation')
    .where('model_id', '=', modelId)
    .where('user_id', '=', userId)
    .execute();
  return rows.map((r) => r.relation as ModelRelation);
}

export async function insertModel(tx: Kysely<Database>, row: ModelsTable): Promise<void> {
  try {
    await tx.insertInto('models').values(row).execute();
  } catch (err) {
    // The key's unique index is the duplicate check (the id is new): the same 409 as a check first.
    const domain = storeErrorToDomain(err);
    if (domain instanceof ConflictError && domain.details?.rule === 'unique')
      throw new ConflictError(`model '${row.key}' already exists`, { field: 'key' });
    throw err;
  }
}

/** Writes the row if its row_version is still `expected`; false when someone else changed it. */
export async function updateModel(
  tx: Kysely<Database>,
  row: ModelsTable,
  expected: number,
): Promise<boolean> {
  const { id, ...rest } = row;
  const res = await tx
    .updateTable('models')
    .set(rest)
    .where('id', '=', id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The relations of a model just inserted (it has none yet: nothing to delete first). */
export async function insertModelRelations(
  tx: Kysely<Database>,
  modelId: string,
  rows: readonly { user_id: string; relation: string }[],
): Promise<void> {
  if (rows.length)
    await tx
      .insertInto('model_relations')
      .values(rows.map((r) => ({ model_id: modelId, user_id: r.user_id, relation: r.relation })))
      .execute();
}

/** Replaces the relations of a model. */
export async function replaceModelRelations(
  tx: Kysely<Database>,
  modelId: string,
  rows: { user_id: string; relation: string }[],
): Promise<void> {
  await tx.deleteFrom('model_relations').where('model_id', '=', modelId).execute();
  if (rows.length)
    await tx
      .insertInto('model_relations')
      .values(rows.map((r) => ({ model_id: modelId, ...r })))
      .execute();
}

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/**
 * One page of the inventory: filters and visibility in SQL, keyset pagination on (sort value, id).
 * Ids first (the filter and sort touch only narrow values), then one statement reads the page's
 * rows with their owners' names and their open findings by severity (grouped over the findings'
 * model index, for the page's ids only).
 * `visibleTo` limits to models the user relates to (roles without global read).
 */
export async function modelListRows(
  k: Kysely<Database>,
  query: ModelListQuery,
  visibleTo: string | null,
  ownerId: string | null | undefined,
): Promise<ModelListRow[]> {
  const column = SORT_COLUMN[query.sort];
  const dir = query.order === 'desc' ? 'desc' : 'asc';
  // Tier is nullable: sort untiered models last by treating them as tier 99.
  const sortExpr = query.sort === 'tier' ? sql<number>`coalesce(models.tier, 99)` : sql.ref<string>(column);
  const ids = (
    await pageIdsQuery(k, query, visibleTo, ownerId, sortExpr)
      .orderBy(sortExpr, dir)
      .orderBy('models.id', dir)
      .limit(query.limit + 1)
      .execute()
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const count = (severity: string) =>
    sql<number>`sum(case when severity = ${sql.lit(severity)} then 1 else 0 end)`.as(severity);
  const open = k
    .selectFrom('findings')
    .select(['model_id', ...SEVERITIES.map(count)])
    .where('model_id', 'in', ids)
    .where('state', 'in', UNRESOLVED_FINDINGS)
    .groupBy('model_id')
    .as('open');
  const rows = await k
    .selectFrom('models')
    .leftJoin('users as owner', 'owner.id', 'models.owner_id')
    .leftJoin(open, 'open.model_id', 'models.id')
    .selectAll('models')
    .select('owner.username as owner_username')
    .select(SEVERITIES.map((s) => sql<number | string | null>`${sql.ref(`open.${s}`)}`.as(`open_${s}`)))
    .where('models.id', 'in', ids)
    .execute();
  const byId = new Map(
    rows.map(({ open_critical, open_high, open_medium, open_low, ...row }) => [
      row.id,
      {
        ...row,
        openFindings: {
          critical: Number(open_critical ?? 0),
          high: Number(open_high ?? 0),
          medium: Number(open_medium ?? 0),
          low: Number(open_low ?? 0),
        },
      },
    ]),
  );
  return ids.map((id) => byId.get(id)!);
}

/** The ids of the models the list's filters, visibility and cursor select (unordered, unlimited). */
function pageIdsQuery(
  k: Kysely<Database>,
  query: ModelListQuery,
  visibleTo: string | null,
  ownerId: string | null | undefined,
  sortExpr: RawBuilder<string> | RawBuilder<number>,
) {
  let q = k.selectFrom('models').select(['models.id']);
  if (visibleTo) {
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('model_relations as r')
          .select(sql`1`.as('one'))
          .whereRef('r.model_id', '=', 'models.id')
          .where('r.user_id', '=', visibleTo),
      ),
    );
  }
  if (query.status) q = q.where('models.status', '=', query.status);
  if (query.tier !== undefined) q = q.where('models.tier', '=', query.tier);
  if (query.euAiActClass) q = q.where('models.eu_ai_act_class', '=', query.euAiActClass);
  if (ownerId !== undefined) q = q.where('models.owner_id', '=', ownerId ?? '\u0000none');
  if (query.type) q = q.where('models.type', '=', query.type);
  if (query.businessUnit) q = q.where('models.business_unit', '=', query.businessUnit);
  if (query.vendor !== undefined) q = q.where('models.vendor', '=', query.vendor ? 1 : 0);
  if (query.genai !== undefined) q = q.where('models.genai', '=', query.genai ? 1 : 0);
  if (query.tag) {
    // Tags are stored as a JSON array; match the quoted element exactly.
    const pattern = containsPattern(JSON.stringify(query.tag));
    q = q.where(sql<boolean>`models.tags like ${pattern} escape '\\'`);
  }
  if (query.q) {
    const pattern = containsPattern(query.q.toLowerCase());
    q = q.where((eb) =>
      eb.or(
        ['models.key', 'models.name', 'models.description', 'models.purpose'].map(
          (c) => sql<boolean>`lower(${sql.ref(c)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  if (query.cursor) {
    const { value, id } = decodeCursor(query.cursor);
    const op = query.order === 'desc' ? sql`<` : sql`>`;
    q = q.where(sql<boolean>`(${sortExpr}, models.id) ${op} (${value}, ${id})`);
  }
  return q;
}

/** Models by key (a bulk import reads the rows it may change with it). */
export function modelsByKeys(tx: Kysely<Database>, keys: readonly string[]): Promise<ModelsTable[]> {
  return tx
    .selectFrom('models')
    .selectAll()
    .where('key', 'in', [...keys])
    .execute();
}

/** The relations of some models, with the related users' names. */
export function relationsOfModels(
  tx: Kysely<Database>,
  modelIds: readonly string[],
): Promise<(RelationRow & { model_id: string })[]> {
  return tx
    .selectFrom('model_relations')
    .innerJoin('users', 'users.id', 'model_relations.user_id')
    .select([
      'model_relations.model_id',
      'model_relations.user_id',
      'users.username',
      'model_relations.relation',
    ])
    .where('model_relations.model_id', 'in', [...modelIds])
    .execute();
}

/** Writes every column of a model (a bulk import, inside its one transaction). */
export async function overwriteModel(tx: Kysely<Database>, row: ModelsTable): Promise<void> {
  const { id, ...rest } = row;
  await tx.updateTable('models').set(rest).where('id', '=', id).execute();
}
