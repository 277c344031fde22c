import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/** Which engine a store runs on. SQL that differs between them branches on this, nowhere else. */
export type Dialect = 'sqlite' | 'postgres';

/** An open store: Kysely for queries, `write` for serialised write transactions. */
export interface Db {
  readonly dialect: Dialect;
  readonly kysely: Kysely<Database>;
  /**
   * Runs `fn` in one write transaction: `BEGIN IMMEDIATE` on SQLite, a transaction holding the
   * writers' advisory lock on PostgreSQL. Writers are serialised so that the audit chain never
   * forks; every state change and its audit event commit together or not at all.
   * Do not call `write` inside `write`.
   */
  write<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** The raw better-sqlite3 handle (SQLite only), for bulk reads where Kysely's per-row cost matters. */
  readonly sqlite: SQLite.Database | undefined;
  /** The pg pool (PostgreSQL only). */
  readonly pgPool: pg.Pool | undefined;
  close(): Promise<void>;
}

/** The advisory lock key every PostgreSQL write transaction holds (arbitrary, fixed). */
const WRITERS_LOCK = 74_200_001;

// int8 and numeric come back as strings by default; Assay's values fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Options to open a store. */
export interface OpenDatabaseOptions {
  /** A postgres:// URL, or undefined for SQLite. */
  databaseUrl?: string | undefined;
  /** SQLite file path (ignored for PostgreSQL); ':memory:' is allowed. */
  sqlitePath?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

/** Opens SQLite (WAL, synchronous=FULL, busy_timeout, foreign keys) or PostgreSQL. */
export function openDatabase(options: OpenDatabaseOptions): Db {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openSqlite(options.sqlitePath ?? ':memory:');
}

function openSqlite(file: string): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const handle = new SQLite(file);
  handle.pragma('journal_mode = WAL');
  handle.pragma('synchronous = FULL');
  handle.pragma('busy_timeout = 5000');
  handle.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: handle }) });
  return {
    dialect: 'sqlite',
    kysely,
    sqlite: handle,
    pgPool: undefined,
    // Kysely's SQLite driver has a single connection behind a mutex, so holding it for the
    // transaction also keeps other queries of this process out until commit.
    write: (fn) =>
      kysely.connection().execute(async (conn) => {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`COMMIT`.execute(conn);
          return result;
        } catch (err) {
          await sql`ROLLBACK`.execute(conn);
          throw err;
        }
      }),
    close: () => kysely.destroy(),
  };
}

function openPostgres(url: string, poolSize: number): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client dropped by the server (restart, failover, admin kill) must not crash the
  // process; the pool replaces it on the next checkout.
  pool.on('error', (err) => {
    process.stderr.write(`assay: a PostgreSQL connection was closed: ${err.message}\n`);
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    kysely,
    sqlite: undefined,
    pgPool: pool,
    write: (fn) =>
      kysely.transaction().execute(async (tx) => {
        await sql`SELECT pg_advisory_xact_lock(${WRITERS_LOCK})`.execute(tx);
        return fn(tx);
      }),
    close: () => kysely.destroy(),
  };
}
