import type { DuckDBConnection } from '@duckdb/node-api';

/** A row returned by DuckDB with JS values (BIGINT/HUGEINT become bigint; converted by `num`). */
export type SqlRow = Record<string, unknown>;

const queues = new WeakMap<DuckDBConnection, Promise<void>>();

/**
 * Runs `work` when no other exclusive work is running on the connection. A connection runs one
 * query at a time and a new query invalidates an unfinished streamed result, while the engine
 * starts reads ahead (prefetches) and sorts in a worker meanwhile: every query goes through here.
 * `work` must use the connection directly (not queryRows), or it waits for itself.
 */
export function exclusive<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(conn) ?? Promise.resolve();
  const next = previous.then(work);
  queues.set(
    conn,
    next.then(
      () => undefined,
      () => undefined,
    ),
  );
  return next;
}

/** Runs a query and returns its rows as plain objects. */
export function queryRows(conn: DuckDBConnection, sql: string): Promise<SqlRow[]> {
  return exclusive(conn, async () => (await conn.runAndReadAll(sql)).getRowObjectsJS() as SqlRow[]);
}

/**
 * Hands the memory DuckDB has freed back to the operating system now. DuckDB's allocator (jemalloc
 * on Linux) keeps freed pages for reuse and returns them only after a delay, so a table freed by
 * compressing or dropping it still counts in the process's memory while the next table loads.
 * DuckDB purges every allocator arena when it relaunches its worker threads; changing the thread
 * count and setting it back does that, in a few milliseconds.
 */
export function returnFreedMemory(conn: DuckDBConnection): Promise<void> {
  return exclusive(conn, async () => {
    const reader = await conn.runAndReadAll("SELECT current_setting('threads') AS t");
    const threads = Number(reader.getRowObjectsJS()[0]?.t ?? 1);
    await conn.run(`SET threads = ${threads > 1 ? threads - 1 : 2}`);
    await conn.run(`SET threads = ${threads}`);
  });
}

/** A column name quoted as a DuckDB identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string as a DuckDB literal. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A finite double as an exact DuckDB literal (JS prints the shortest round-tripping form). */
export function doubleLiteral(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}

/** A DuckDB value (number, bigint, null) as a JS number; null stays null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return null;
}

/** Like `num`, but 0 for null (counts of empty sets). */
export function count(value: unknown): number {
  return num(value) ?? 0;
}

/** The numeric value of a column: a double, NULL when missing or not a number. */
export function numericExpr(column: string): string {
  return `TRY_CAST(${ident(column)} AS DOUBLE)`;
}

const INTEGER_TYPE_NAMES =
  'TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT';
const INTEGER_TYPES = new RegExp(`^(${INTEGER_TYPE_NAMES})$`);
const NUMBER_TYPES = new RegExp(`^(${INTEGER_TYPE_NAMES}|FLOAT|DOUBLE|DECIMAL.*)$`);

/** Whether a DuckDB column type stores integers. */
export function isIntegerType(type: string | undefined): boolean {
  return type !== undefined && INTEGER_TYPES.test(type);
}

/** Whether a DuckDB column type stores numbers. */
export function isNumberType(type: string | undefined): boolean {
  return type !== undefined && NUMBER_TYPES.test(type);
}

/** Like numericExpr, but skips the (costly) text parse when DuckDB already stores the column as a number. */
export function typedNumericExpr(column: string, type: string | undefined): string {
  if (type === 'DOUBLE') return ident(column);
  if (isNumberType(type)) return `CAST(${ident(column)} AS DOUBLE)`;
  return numericExpr(column);
}

/**
 * SQL that is true when a text value is blank. `v < '!'` (byte order) holds exactly for the empty
 * string and text whose first byte is a space or control character; only those few reach TRIM
 * (a CASE, because DuckDB evaluates both sides of an AND on every row).
 */
export function blankText(sqlValue: string): string {
  return `(CASE WHEN ${sqlValue} < '!' THEN TRIM(${sqlValue}) = '' ELSE false END)`;
}

/**
 * Which grouping set a row of a `GROUPING SETS ((g0), (g1), …)` query came from:
 * `grouping_id(g0, …, gk-1)` has a 1 bit for every column not grouped, the first the highest.
 */
export function groupingSetIndex(groupingId: number, k: number): number {
  return k - 1 - Math.log2(((2 ** k - 1) ^ groupingId) >>> 0);
}

/** grouping_id is a bit mask per grouping set: at most this many sets a query. */
export const MAX_GROUPING_SETS = 30;

/** DuckDB column types of a table. */
export async function columnTypes(conn: DuckDBConnection, table: string): Promise<Map<string, string>> {
  const rows = await queryRows(conn, `DESCRIBE ${table}`);
  return new Map(rows.map((r) => [String(r.column_name), String(r.column_type)]));
}

/** The categorical value of a column: its text, NULL when missing (NULL or blank). */
export function categoricalExpr(column: string): string {
  const text = `CAST(${ident(column)} AS VARCHAR)`;
  return `(CASE WHEN ${blankText(text)} THEN NULL ELSE ${text} END)`;
}

let tempCounter = 0;

/** A fresh name for a temporary table of this process. */
export function tempTableName(prefix: string): string {
  tempCounter += 1;
  return `__assay_${prefix}_${process.pid}_${tempCounter}`;
}
