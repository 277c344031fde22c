import type { Kysely } from 'kysely';
import type { Model, ModelDetail, ModelListItem, ModelListQuery } from '../../contracts/inventory.ts';
import { GLOBAL_READ_ROLES, type Principal } from '../../platform/auth/roles.ts';
import { userIdOf } from '../../platform/auth/users.queries.ts';
import { encodeCursor } from '../../platform/db/cursor.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import type { LifecycleGuard } from './lifecycle-guard.ts';
import { modelListRows, toModelView } from './models.store.ts';

// The inventory list: one page of models as a principal may see them, with each model's open
// findings, next periodic review date and the exception in force, and the cursor of the next page.

/** The next periodic review date of each of some models (set by the composition root from the reviews module). */
export type NextReviewDateSource = (modelIds: readonly string[]) => Promise<Map<string, string>>;

/** What a list page adds to the rows: the detail view, review dates and exceptions (when wired). */
export interface ModelListDeps {
  detail: (model: Model) => ModelDetail;
  nextReviewDates: NextReviewDateSource | null;
  guard: LifecycleGuard | null;
}

/** A page of the inventory as `principal` may see it. */
export async function modelListPage(
  k: Kysely<Database>,
  principal: Principal,
  query: ModelListQuery,
  deps: ModelListDeps,
): Promise<{ items: ModelListItem[]; nextCursor: string | null }> {
  const visibleTo = GLOBAL_READ_ROLES.has(principal.role) ? null : principal.userId;
  let ownerId: string | null | undefined;
  if (query.owner) {
    ownerId = (await userIdOf(k, query.owner)) ?? null;
  }
  const rows = await modelListRows(k, query, visibleTo, ownerId);
  const page = rows.slice(0, query.limit);
  const reviewDates = deps.nextReviewDates ? await deps.nextReviewDates(page.map((r) => r.id)) : new Map();
  const exceptions = deps.guard
    ? await deps.guard.exceptionsOf(
        k,
        page.map((r) => r.id),
      )
    : new Map();
  const items = page.map((r): ModelListItem => {
    const relations = r.owner_username
      ? [{ user_id: r.owner_id ?? '', username: r.owner_username, relation: 'owner' }]
      : [];
    return {
      ...deps.detail(toModelView(r, relations)),
      exception: exceptions.get(r.id) ?? null,
      openFindings: r.openFindings,
      nextReviewDate: r.status === 'retired' ? null : (reviewDates.get(r.id) ?? null),
    };
  });
  const last = page[page.length - 1];
  const sortValue = (r: ModelsTable): string | number | null => {
    switch (query.sort) {
      case 'tier':
        return r.tier === null ? 99 : Number(r.tier);
      case 'updatedAt':
        return r.updated_at;
      case 'createdAt':
        return r.created_at;
      default:
        return r[query.sort];
    }
  };
  return {
    items,
    nextCursor: rows.length > query.limit && last ? encodeCursor(sortValue(last), last.id) : null,
  };
}
