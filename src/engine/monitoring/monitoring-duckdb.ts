import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * The process's DuckDB instances for monitoring (in memory, UTC): one for windows and compaction
 * (DuckDB's threads), one for ingestion and the id indexes (one thread).
 */

const instances = new Map<string, Promise<DuckDBInstance>>();

/** A process-wide in-memory DuckDB instance (UTC) with `threads` worker threads (default: DuckDB's). */
function sharedInstance(threads?: number): Promise<DuckDBInstance> {
  const key = String(threads ?? 'default');
  let instance = instances.get(key);
  if (!instance) {
    instance = (async () => {
      const created = await DuckDBInstance.create(':memory:', {
        preserve_insertion_order: 'false',
        ...(threads ? { threads: String(threads) } : {}),
      });
      const conn = await created.connect();
      await conn.run("SET GLOBAL TimeZone = 'UTC'");
      conn.closeSync();
      return created;
    })();
    instances.set(key, instance);
    instance.catch(() => instances.delete(key));
  }
  return instance;
}

/**
 * The process's DuckDB instance for monitoring work (in memory, UTC), created on first use and
 * shared by every window and compaction: creating an instance costs tens of milliseconds, far
 * more than the work on a day's window. Each piece of work gets its own connection; what it
 * creates is temporary (connection-scoped), so concurrent work never sees another's tables.
 */
export function monitoringDuckDb(): Promise<DuckDBInstance> {
  return sharedInstance();
}

/**
 * The process's DuckDB instance for ingestion (and the id indexes), with one worker thread: a
 * batch (10,000 NDJSON lines, a Parquet file of 100,000 rows) is too small for DuckDB to share
 * out, and on two cores a second thread only doubled the CPU a batch costs (measured: parse and
 * write of 10,000 lines 15-30 CPU-ms with one thread, 30-49 with two). Batches of different
 * deployments still run side by side, on connections of their own.
 */
export function ingestDuckDb(): Promise<DuckDBInstance> {
  return sharedInstance(1);
}

async function withConnection<T>(
  instance: Promise<DuckDBInstance>,
  work: (conn: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const conn = await (await instance).connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    return await work(conn);
  } finally {
    conn.closeSync();
  }
}

/** Runs one piece of work on its own connection to the shared instance (UTC), closed afterwards. */
export function withDuckDb<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withConnection(monitoringDuckDb(), work);
}

/** The same on the ingestion instance. */
export function withIngestDuckDb<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withConnection(ingestDuckDb(), work);
}
