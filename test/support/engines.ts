import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, type Dialect, openDatabase } from '../../src/platform/db/database.ts';
import { migrateToLatest } from '../../src/platform/db/migrate.ts';

/** The engines the store tests run on in this run: SQLite always, PostgreSQL when reachable. */
export const ENGINES: readonly Dialect[] = process.env.ASSAY_TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/** A migrated, empty store of its own, and how to throw it away. */
export interface TestDb {
  db: Db;
  /** For PostgreSQL, the URL of the throw-away database (for a second connection in a test). */
  url: string | undefined;
  dispose(): Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Opens a new store on `engine`: an in-memory SQLite database, or a new PostgreSQL database
 * created for this test and dropped on dispose. Never touches a developer's own data.
 */
export async function openTestDb(engine: Dialect, options: { sqlitePath?: string } = {}): Promise<TestDb> {
  if (engine === 'sqlite') {
    const db = openDatabase({ sqlitePath: options.sqlitePath ?? ':memory:' });
    await migrateToLatest(db);
    return { db, url: undefined, dispose: () => db.close() };
  }
  const admin = process.env.ASSAY_TEST_DATABASE_URL;
  if (!admin) throw new Error('PostgreSQL tests need ASSAY_TEST_DATABASE_URL');
  const name = `assay_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = withDatabase(admin, name);
  const db = openDatabase({ databaseUrl: url, poolSize: 4 });
  await migrateToLatest(db);
  return {
    db,
    url,
    dispose: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
