import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type KyselyPlugin, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type AuditLinker, auditLinker } from './audit-linker.ts';
import type { Database } from './schema.ts';

/** Which engine a store runs on. SQL that differs between them branches on this, nowhere else. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * How much of a PostgreSQL write transaction holds the writers' lock (SQLite always serialises the
 * whole transaction with `BEGIN IMMEDIATE`).
 * - `whole` (the default): taken first, so the transaction runs as if alone among writers; every
 *   read it decides from is current until it commits.
 * - `audit`: not taken for audit events: they go to the chain's outbox (`audit_pending`) in the
 *   transaction and are linked into the chain after it commits, before `write` returns, by a short
 *   pass that holds the lock (`linkAudit`). Taken only if the transaction calls `lockWriters`, and
 *   then held to commit. What the transaction reads may be changed by writers that commit
 *   meanwhile: use it only for a write whose decisions are kept by constraints, by conditional
 *   updates, or are re-read after `lockWriters`, and that does not read the audit chain after
 *   appending (its own events are not there until it has committed) (docs/ARCHITECTURE.md, "The
 *   writers' lock").
 */
export type WriteLock = 'whole' | 'audit';

/** An open store: Kysely for queries, `write` for serialised write transactions. */
export interface Db {
  readonly dialect: Dialect;
  readonly kysely: Kysely<Database>;
  /**
   * Runs `fn` in one write transaction: `BEGIN IMMEDIATE` on SQLite, a transaction holding the
   * writers' advisory lock on PostgreSQL (for all of it; with `{ lock: 'audit' }` only from a
   * `lockWriters` call, its audit events going to the outbox and linked after commit, before this
   * returns). Writers of the audit chain are serialised so that it never forks; every state change
   * and its audit event commit together or not at all.
   * Do not call `write` inside `write`.
   */
  write<T>(fn: (tx: Kysely<Database>) => Promise<T>, options?: { lock?: WriteLock }): Promise<T>;
  /**
   * Links every committed audit event still in the outbox into the chain (PostgreSQL; 0 on SQLite,
   * which has no outbox): resolves when a pass that started after the call is done, with how many
   * events it linked. Run at start, periodically, and before anything reads the chain as a whole.
   */
  linkAudit(): Promise<number>;
  /** The raw better-sqlite3 handle (SQLite only), for bulk reads where Kysely's per-row cost matters. */
  readonly sqlite: SQLite.Database | undefined;
  /** The pg pool (PostgreSQL only). */
  readonly pgPool: pg.Pool | undefined;
  close(): Promise<void>;
}

/** The advisory lock key every PostgreSQL write transaction holds (arbitrary, fixed). */
const WRITERS_LOCK = 74_200_001;

/** A PostgreSQL write transaction: whether it holds the writers' lock yet, and what it has done. */
interface WriteState {
  /** True once the writers' lock is held (to commit). */
  locked: boolean;
  /** True once an audit event went to the outbox: the transaction's events are linked after commit. */
  deferred: boolean;
  /** The first audit action appended (what `ASSAY_WRITE_STATS` reports the transaction as). */
  label: string | null;
  statements: number;
  statementsLocked: number;
  /** performance.now() when the lock was requested and when it was granted. */
  lockAsked: number;
  lockGot: number;
  /** performance.now() at the commit of a transaction that deferred events (0 otherwise). */
  committed: number;
}

/** The write state of each open PostgreSQL write transaction, by its Kysely transaction object. */
const writeStates = new WeakMap<object, WriteState>();

/**
 * Takes the writers' lock in `tx` if it does not hold it yet: a no-op on SQLite (the whole
 * transaction is serialised) and once the lock is held. A `whole` write takes it here first; a
 * service in an `audit` write calls it before reads that must be current against every other
 * writer (a re-check under the lock). Its own statement, so that the reads after it (READ
 * COMMITTED: a snapshot per statement) see every writer that committed before.
 */
export async function lockWriters(tx: Kysely<Database>): Promise<void> {
  const state = writeStates.get(tx);
  if (!state || state.locked) return;
  state.lockAsked = performance.now();
  await sql`SELECT pg_advisory_xact_lock(${WRITERS_LOCK})`.execute(tx);
  state.lockGot = performance.now();
  state.locked = true;
}

/**
 * Whether an audit event appended in `tx` goes to the chain's outbox (`audit_pending`) instead of
 * straight into the chain: true in a PostgreSQL write that does not hold the writers' lock
 * (`{ lock: 'audit' }`), and for every later event of a transaction that has deferred one (so its
 * events stay in order), which is then linked after it commits, before `write` returns. False on
 * SQLite and under the lock: the caller appends to the chain itself.
 */
export function defersAuditEvents(tx: Kysely<Database>): boolean {
  const state = writeStates.get(tx);
  if (!state || (state.locked && !state.deferred)) return false;
  state.deferred = true;
  return true;
}

/** Names the write transaction `tx` after the first audit action it appends (for `ASSAY_WRITE_STATS`). */
export function labelWrite(tx: Kysely<Database>, action: string): void {
  const state = writeStates.get(tx);
  if (state && state.label === null) state.label = action;
}

/**
 * `ASSAY_WRITE_STATS=1`: each PostgreSQL write transaction prints one line on standard error,
 * `assay-write {"kind","lock","waitMs","heldMs","linkMs","statements","statementsLocked"}`, where
 * `heldMs` runs from the lock granted to the commit done and `linkMs` is the wait after commit for
 * the pass that links the write's outboxed events; each such pass prints an `assay-link` line
 * (audit-linker.ts). bench/scale-out reads them.
 * `ASSAY_WRITE_LOCK=whole` makes every write take the lock first (for before/after measurements).
 */
const WRITE_STATS = process.env.ASSAY_WRITE_STATS === '1';
const FORCE_WHOLE = process.env.ASSAY_WRITE_LOCK === 'whole';
const statsScope = new AsyncLocalStorage<WriteState>();

/** The function that called `db.write`, from a stack trace (to name writes without audit events). */
function writeCaller(stack: string | undefined): string {
  const frames = (stack ?? '').split('\n').slice(1);
  // Skips this module's own frames (named `write` in the CLI bundle, where file names are chunks).
  const frame =
    frames.find(
      (f) => !/database\.(ts|js|mjs)|\(node:|node_modules|at (?:async )?(?:Object\.)?write /.test(f),
    ) ?? '';
  return /at (?:async )?([^ ]+)/.exec(frame.trim())?.[1] ?? 'unknown';
}

/** Counts the statements of the write transaction in scope (only with `ASSAY_WRITE_STATS=1`). */
const countStatements: KyselyPlugin = {
  transformQuery(args) {
    const state = statsScope.getStore();
    if (state) {
      state.statements++;
      if (state.locked) state.statementsLocked++;
    }
    return args.node;
  },
  transformResult: async (args) => args.result,
};

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
    linkAudit: async () => 0,
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
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(WRITE_STATS ? { plugins: [countStatements] } : {}),
  });
  const linker: AuditLinker = auditLinker(url, WRITERS_LOCK, WRITE_STATS);
  const write = async <T>(fn: (tx: Kysely<Database>) => Promise<T>, lock: WriteLock): Promise<T> => {
    const state: WriteState = {
      locked: false,
      deferred: false,
      label: null,
      statements: 0,
      statementsLocked: 0,
      lockAsked: 0,
      lockGot: 0,
      committed: 0,
    };
    const run = async () => {
      const result = await kysely.transaction().execute(async (tx) => {
        writeStates.set(tx, state);
        if (lock === 'whole') await lockWriters(tx);
        return fn(tx);
      });
      if (state.deferred) {
        state.committed = performance.now();
        await linker.pass().catch((err: Error) => {
          throw new Error(
            `the write committed, but linking its audit events into the chain failed (they stay in audit_pending for the next pass): ${err.message}`,
          );
        });
      }
      return result;
    };
    if (!WRITE_STATS) return run();
    const caller = writeCaller(new Error().stack);
    let ok = false;
    try {
      const result = await statsScope.run(state, run);
      ok = true;
      return result;
    } finally {
      const done = performance.now();
      const committed = state.committed || done;
      process.stderr.write(
        `assay-write ${JSON.stringify({
          kind: state.label ?? `no audit event: ${caller}`,
          lock,
          ok,
          waitMs: state.locked ? +(state.lockGot - state.lockAsked).toFixed(2) : 0,
          heldMs: state.locked ? +(committed - state.lockGot).toFixed(2) : 0,
          linkMs: +(done - committed).toFixed(2),
          statements: state.statements,
          statementsLocked: state.statementsLocked,
        })}\n`,
      );
    }
  };
  return {
    dialect: 'postgres',
    kysely,
    sqlite: undefined,
    pgPool: pool,
    write: (fn, options) => write(fn, FORCE_WHOLE ? 'whole' : (options?.lock ?? 'whole')),
    linkAudit: () => linker.pass(),
    close: async () => {
      await kysely.destroy();
      await linker.close();
    },
  };
}
