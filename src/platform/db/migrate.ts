import { type Kysely, sql } from 'kysely';
import type { Db, Dialect } from './database.ts';
import { migrations } from './migrations/index.ts';

/** One schema step. `up` gets the dialect because a few column types differ between engines. */
export interface Migration {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

const MIGRATIONS_LOCK = 74_200_002;

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its own transaction,
 * in name order. On PostgreSQL an advisory lock keeps two starting servers from racing.
 * Returns the names applied.
 */
export async function migrateToLatest(db: Db, list: readonly Migration[] = migrations): Promise<string[]> {
  const k = db.kysely;
  await k.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute();
  const applied: string[] = [];
  const run = async () => {
    const done = new Set(
      (await k.selectFrom('schema_migrations').select('name').execute()).map((r) => r.name),
    );
    for (const m of [...list].sort((a, b) => a.name.localeCompare(b.name))) {
      if (done.has(m.name)) continue;
      await db.write(async (tx) => {
        await m.up(tx, db.dialect);
        await tx
          .insertInto('schema_migrations')
          .values({ name: m.name, applied_at: new Date().toISOString() })
          .execute();
      });
      applied.push(m.name);
    }
  };
  if (db.dialect === 'postgres') {
    await k.connection().execute(async (conn) => {
      await sql`SELECT pg_advisory_lock(${MIGRATIONS_LOCK})`.execute(conn);
      try {
        // The lock is per session; the migrations themselves run on other pooled connections,
        // which is fine: only another migrator would wait on this lock.
        await run();
      } finally {
        await sql`SELECT pg_advisory_unlock(${MIGRATIONS_LOCK})`.execute(conn);
      }
    });
  } else {
    await run();
  }
  return applied;
}
