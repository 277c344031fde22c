import type { Kysely } from 'kysely';
import { GLOBAL_READ_ROLES, type Principal } from '../../platform/auth/roles.ts';
import type { Database } from '../../platform/db/schema.ts';

/** Model ids a principal may see: null for roles that read everything, else the models they relate to. */
export async function visibleModelIds(tx: Kysely<Database>, principal: Principal): Promise<string[] | null> {
  if (GLOBAL_READ_ROLES.has(principal.role)) return null;
  const rows = await tx
    .selectFrom('model_relations')
    .select('model_id')
    .where('user_id', '=', principal.userId)
    .execute();
  return [...new Set(rows.map((r) => r.model_id))];
}
