import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

// Read model: what features check about users inside their own transaction.

/** Whether a user with this username exists. */
export async function usernameExists(tx: Kysely<Database>, username: string): Promise<boolean> {
  return (
    (await tx.selectFrom('users').select('username').where('username', '=', username).executeTakeFirst()) !==
    undefined
  );
}

/** A user's username and role, if the user exists. */
export function userRoleOf(
  tx: Kysely<Database>,
  username: string,
): Promise<{ username: string; role: string } | undefined> {
  return tx
    .selectFrom('users')
    .select(['username', 'role'])
    .where('username', '=', username)
    .executeTakeFirst();
}

/** A user's id, if the user exists. */
export async function userIdOf(tx: Kysely<Database>, username: string): Promise<string | undefined> {
  return (await tx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())?.id;
}

/** The ids and usernames of the users among `usernames` that exist. */
export function usersNamed(tx: Kysely<Database>, usernames: readonly string[]) {
  return tx
    .selectFrom('users')
    .select(['id', 'username'])
    .where('username', 'in', [...usernames])
    .execute();
}
