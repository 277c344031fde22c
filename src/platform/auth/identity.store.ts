import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { ApiTokensTable, UsersTable } from '../db/tables/platform.ts';

/** SQL for users and API tokens. */
export class IdentityStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The user with this id or username. */
  async findUser(
    by: { id?: string; username?: string },
    tx: Kysely<Database> = this.db,
  ): Promise<UsersTable | undefined> {
    let q = tx.selectFrom('users').selectAll();
    if (by.id !== undefined) q = q.where('id', '=', by.id);
    if (by.username !== undefined) q = q.where('username', '=', by.username);
    return q.executeTakeFirst();
  }

  /** Every user, by username. */
  async listUsers(): Promise<UsersTable[]> {
    return this.db.selectFrom('users').selectAll().orderBy('username').execute();
  }

  /** The number of users (0 on a new store). */
  async countUsers(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertUser(tx: Kysely<Database>, user: UsersTable): Promise<void> {
    await tx.insertInto('users').values(user).execute();
  }

  async updateUser(tx: Kysely<Database>, id: string, patch: Partial<UsersTable>): Promise<void> {
    await tx.updateTable('users').set(patch).where('id', '=', id).execute();
  }

  async insertToken(tx: Kysely<Database>, token: ApiTokensTable): Promise<void> {
    await tx.insertInto('api_tokens').values(token).execute();
  }

  /** The token with this hash together with its user. */
  async findTokenByHash(hash: string): Promise<{ token: ApiTokensTable; user: UsersTable } | undefined> {
    const token = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (!token) return undefined;
    const user = await this.findUser({ id: token.user_id });
    return user ? { token, user } : undefined;
  }

  async findToken(id: string, tx: Kysely<Database> = this.db): Promise<ApiTokensTable | undefined> {
    return tx.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Tokens of one user, or of everyone when userId is undefined. */
  async listTokens(userId?: string): Promise<ApiTokensTable[]> {
    let q = this.db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc');
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    return q.execute();
  }

  async updateToken(tx: Kysely<Database>, id: string, patch: Partial<ApiTokensTable>): Promise<void> {
    await tx.updateTable('api_tokens').set(patch).where('id', '=', id).execute();
  }

  /** Records use without an audit event (it is not a state change anyone governs). */
  async touchToken(id: string, at: string): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
