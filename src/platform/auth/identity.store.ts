import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ApiTokensTable, UsersTable } from '../db/tables/platform.ts';

// SQL for users and API tokens: functions over a Kysely handle (the database or a transaction),
// the same shape as every feature's store.

/** The user with this id or username. */
export async function findUser(
  db: Kysely<Database>,
  by: { id?: string; username?: string },
): Promise<UsersTable | undefined> {
  let q = db.selectFrom('users').selectAll();
  if (by.id !== undefined) q = q.where('id', '=', by.id);
  if (by.username !== undefined) q = q.where('username', '=', by.username);
  return q.executeTakeFirst();
}

/** Every user, by username. */
export async function listUsers(db: Kysely<Database>): Promise<UsersTable[]> {
  return db.selectFrom('users').selectAll().orderBy('username').execute();
}

/** The number of users (0 on a new store). */
export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(tx: Kysely<Database>, user: UsersTable): Promise<void> {
  await tx.insertInto('users').values(user).execute();
}

export async function updateUser(
  tx: Kysely<Database>,
  id: string,
  patch: Partial<UsersTable>,
): Promise<void> {
  await tx.updateTable('users').set(patch).where('id', '=', id).execute();
}

export async function insertToken(tx: Kysely<Database>, token: ApiTokensTable): Promise<void> {
  await tx.insertInto('api_tokens').values(token).execute();
}

/** The token with this hash together with its user: one query (every authenticated request runs it). */
export async function findTokenByHash(
  db: Kysely<Database>,
  hash: string,
): Promise<{ token: ApiTokensTable; user: UsersTable } | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('t')
    .select([
      'u.username as u_username',
      'u.display_name as u_display_name',
      'u.email as u_email',
      'u.role as u_role',
      'u.password_hash as u_password_hash',
      'u.disabled as u_disabled',
      'u.created_at as u_created_at',
      'u.row_version as u_row_version',
    ])
    .where('t.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row) return undefined;
  const {
    u_username,
    u_display_name,
    u_email,
    u_role,
    u_password_hash,
    u_disabled,
    u_created_at,
    u_row_version,
    ...token
  } = row;
  const user: UsersTable = {
    id: token.user_id,
    username: u_username,
    display_name: u_display_name,
    email: u_email,
    role: u_role,
    password_hash: u_password_hash,
    disabled: u_disabled,
    created_at: u_created_at,
    row_version: u_row_version,
  };
  return { token, user };
}

export async function findToken(db: Kysely<Database>, id: string): Promise<ApiTokensTable | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Tokens of one user, or of everyone when userId is undefined. */
export async function listTokens(db: Kysely<Database>, userId?: string): Promise<ApiTokensTable[]> {
  let q = db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc');
  if (userId !== undefined) q = q.where('user_id', '=', userId);
  return q.execute();
}

export async function updateToken(
  tx: Kysely<Database>,
  id: string,
  patch: Partial<ApiTokensTable>,
): Promise<void> {
  await tx.updateTable('api_tokens').set(patch).where('id', '=', id).execute();
}

/** Records use without an audit event (it is not a state change anyone governs). */
export async function touchToken(db: Kysely<Database>, id: string, at: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
