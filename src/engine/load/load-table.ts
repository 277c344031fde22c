import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  count,
  exclusive,
  ident,
  isNumberType,
  literal,
  queryRows,
  returnFreedMemory,
  tempTableName,
} from '../duckdb/sql.ts';
import type { ColumnInfo, LoadedTable } from '../table.ts';
import { findCsvProblem } from './csv-lines.ts';
import { InputError } from './input-error.ts';

/** File formats the loader reads (chosen from the file name's extension). */
export type DataFormat = 'csv' | 'parquet' | 'jsonl';

/** Options of loadTable. */
export interface LoadOptions {
  /** Columns to treat as categorical even when every value is a number. */
  categorical?: string[];
  /** Name of the DuckDB table to create (default: a fresh temporary name). */
  table?: string;
  /** Share of the file read so far (0–1), as the file is hashed beside DuckDB's read. */
  onProgress?: (fraction: number) => void;
  /**
   * Leave a Parquet file where it is: `table` becomes a view that reads the file at each query.
   * Parquet is columnar, so a query reads only its own columns, in parallel, about as fast as
   * from a table, while copying the file into a table costs about three full reads of it. The
   * view's rows have no stable order and no rowid: only for callers that never rely on either.
   */
  parquetView?: boolean;
}

/** The format of a data file from its extension (`.gz` allowed for CSV and JSON lines). */
export function formatOf(file: string): DataFormat {
  const name = file.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv') || name.endsWith('.tsv') || name.endsWith('.txt')) return 'csv';
  if (name.endsWith('.parquet') || name.endsWith('.pq')) {
    if (file.toLowerCase().endsWith('.gz')) {
      throw new InputError(`${file}: gzip around Parquet is not supported (Parquet compresses itself)`);
    }
    return 'parquet';
  }
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson') || name.endsWith('.json')) return 'jsonl';
  throw new InputError(
    `${file}: unknown file format; use .csv, .parquet or .jsonl (optionally .gz for CSV and JSON lines)`,
  );
}

/** Bytes read at a time when hashing a file (one buffer, reused for every read). */
const HASH_READ_BYTES = 1 << 20;

/**
 * SHA-256 of a file, read in pieces into one reused buffer (constant memory), as lowercase hex;
 * `onBytes` gets the bytes read so far, `inspect` each piece read (valid only during the call: the
 * buffer is reused for the next read). A stream of fresh 1 MiB chunks cost ~5× the CPU (each
 * chunk's pages faulted in anew, then collected): 330–360 against 63–75 CPU-ms for a 73 MB file.
 */
export async function sha256File(
  file: string,
  onBytes?: (read: number) => void,
  inspect?: (chunk: Buffer) => void,
): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafeSlow(HASH_READ_BYTES);
    let read = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, HASH_READ_BYTES, null);
      if (bytesRead === 0) break;
      const piece = bytesRead === HASH_READ_BYTES ? buffer : buffer.subarray(0, bytesRead);
      hash.update(piece);
      inspect?.(piece);
      read += bytesRead;
      onBytes?.(read);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export function readerSql(format: DataFormat, file: string, allVarchar: boolean): string {
  const f = literal(file);
  if (format === 'parquet') return `read_parquet(${f})`;
  if (format === 'jsonl') return `read_json(${f}, format = 'newline_delimited')`;
  // skip = 0: the sniffer must never silently drop leading rows; the delimiter comes from the extension.
  const delim = /\.tsv(\.gz)?$/i.test(file) ? "'\\t'" : "','";
  // Only numbers or text: the sniffer must not turn 'yes'/'no' into booleans or reformat dates.
  const types = allVarchar ? 'all_varchar = true' : "auto_type_candidates = ['BIGINT', 'DOUBLE', 'VARCHAR']";
  return `read_csv(${f}, header = true, skip = 0, delim = ${delim}, ${types})`;
}

/**
 * The checks every input passes before it is read: a known format (from the extension), an
 * existing, non-empty file. Callers that load a file late can run them first to fail fast.
 */
export async function checkInputFile(
  file: string,
): Promise<{ absolute: string; format: DataFormat; size: number }> {
  const absolute = path.resolve(file);
  const format = formatOf(absolute);
  let size: number;
  try {
    size = (await stat(absolute)).size;
  } catch {
    throw new InputError(`${file}: no such file`);
  }
  if (size === 0) throw new InputError(`${file}: the file is empty`);
  return { absolute, format, size };
}

/**
 * Loads a CSV, Parquet or JSON-lines file into a DuckDB table and types its columns: numeric when
 * every non-missing value (not NULL, not blank) parses as a number, else categorical.
 */
export async function loadTable(
  conn: DuckDBConnection,
  file: string,
  options: LoadOptions = {},
): Promise<LoadedTable> {
  const { absolute, format, size } = await checkInputFile(file);
  const table = ident(options.table ?? tempTableName('load'));
  // hashing reads the file on the main thread while DuckDB parses it on its own threads
  const onProgress = options.onProgress;
  // whether the file has a quote character at all (the open-quote check needs one)
  let quoted = false;
  const digest = sha256File(
    absolute,
    onProgress ? (read) => onProgress(Math.min(read / size, 1)) : undefined,
    format === 'csv'
      ? (chunk) => {
          if (!quoted && chunk.indexOf(34) >= 0) quoted = true;
        }
      : undefined,
  );
  digest.catch(() => {});
  let source = readerSql(format, absolute, false);
  const view = format === 'parquet' && options.parquetView === true;
  const create = (allVarchar: boolean) =>
    exclusive(conn, () =>
      conn.run(
        `CREATE OR REPLACE ${view ? 'VIEW' : 'TABLE'} ${table} AS SELECT * FROM ${readerSql(format, absolute, allVarchar)}`,
      ),
    );
  try {
    await create(false);
  } catch (err) {
    const message = (err as Error).message;
    // The CSV sniffer types columns from a sample; a later value of another type needs text columns.
    if (format === 'csv' && /Could not convert|Conversion Error/i.test(message)) {
      try {
        source = readerSql(format, absolute, true);
        await create(true);
      } catch (again) {
        throw await csvError(file, format, absolute, again);
      }
    } else {
      throw await csvError(file, format, absolute, err);
    }
  }
  if (format === 'csv' && !/\.gz$/i.test(absolute)) {
    await digest;
    if (quoted) await refuseOpenQuote(conn, table, file, absolute);
  } else if (format === 'csv') {
    await refuseOpenQuote(conn, table, file, absolute);
  }
  // the parser's buffers are free now: return them before the table is worked on
  await returnFreedMemory(conn);
  const [row] = await queryRows(conn, `SELECT count(*) AS n FROM ${table}`);
  const rows = count(row?.n);
  if (rows === 0) throw new InputError(`${file}: the file has no data rows`);
  const described = await queryRows(conn, `DESCRIBE ${table}`);
  const forced = new Set(options.categorical ?? []);
  const names = described.map((d) => String(d.column_name));
  const unknown = [...forced].filter((c) => !names.includes(c));
  if (unknown.length > 0) throw unknownColumns(file, unknown, names);
  const columns = await typeColumns(
    conn,
    table,
    described.map((d) => ({ name: String(d.column_name), type: String(d.column_type) })),
    forced,
  );
  return { table, path: absolute, rows, columns, sha256: await digest, source, ...(view ? { view } : {}) };
}

/** Drops a loaded table (or the view of a Parquet file loaded with parquetView). */
export async function dropLoaded(conn: DuckDBConnection, table: LoadedTable): Promise<void> {
  await queryRows(conn, `DROP ${table.view ? 'VIEW' : 'TABLE'} ${table.table}`);
}

/** Types described columns: numeric when every non-missing value is a finite number, else categorical. */
export async function typeColumns(
  conn: DuckDBConnection,
  table: string,
  described: { name: string; type: string }[],
  forced: Set<string>,
): Promise<ColumnInfo[]> {
  const toCheck = described.filter((d) => !forced.has(d.name) && d.type === 'VARCHAR');
  const numericText = new Set<string>();
  for (const d of toCheck) {
    const c = ident(d.name);
    // Numeric when no non-blank value fails to parse and at least one is finite. A text column
    // usually fails on its first rows, so the probe stops early instead of parsing every value.
    const [bad] = await queryRows(
      conn,
      `SELECT 1 AS x FROM ${table} WHERE ${c} IS NOT NULL AND TRY_CAST(${c} AS DOUBLE) IS NULL AND TRIM(${c}) <> '' LIMIT 1`,
    );
    if (bad) continue;
    const [finite] = await queryRows(
      conn,
      `SELECT 1 AS x FROM ${table} WHERE isfinite(TRY_CAST(${c} AS DOUBLE)) LIMIT 1`,
    );
    if (finite) numericText.add(d.name);
  }
  return described.map((d) => {
    if (forced.has(d.name)) return { name: d.name, kind: 'categorical' };
    if (isNumberType(d.type)) return { name: d.name, kind: 'numeric' };
    if (d.type === 'VARCHAR' && numericText.has(d.name)) return { name: d.name, kind: 'numeric' };
    return { name: d.name, kind: 'categorical' };
  });
}

/**
 * The 1-based data row number of the first row of the file matching `where` (SQL over the file's
 * columns), or null. Reads the file again with its row order kept (only on error paths).
 */
export async function firstRowWhere(
  conn: DuckDBConnection,
  table: LoadedTable,
  where: string,
): Promise<number | null> {
  const from = table.source ?? table.table;
  return exclusive(conn, async () => {
    const setting = await conn.runAndReadAll("SELECT current_setting('preserve_insertion_order') AS v");
    const previous = Boolean(setting.getRowObjectsJS()[0]?.v);
    await conn.run('SET preserve_insertion_order = true');
    try {
      const reader = await conn.runAndReadAll(
        `SELECT min(rn) AS rn FROM (SELECT row_number() OVER () AS rn, * FROM ${from}) WHERE ${where}`,
      );
      const rn = reader.getRowObjectsJS()[0]?.rn;
      return rn === null || rn === undefined ? null : Number(rn);
    } finally {
      await conn.run(`SET preserve_insertion_order = ${previous}`);
    }
  });
}

/** The error for columns a table does not have, listing the ones it has. */
export function unknownColumns(file: string, unknown: string[], available: string[]): InputError {
  const s = unknown.length > 1 ? 's' : '';
  return new InputError(
    `${file}: unknown column${s} ${unknown.map((c) => `'${c}'`).join(', ')}; available: ${available.join(', ')}`,
  );
}

/** The column named `name` of a loaded table, or an InputError listing the available columns. */
export function requireColumn(table: LoadedTable, name: string): ColumnInfo {
  const found = table.columns.find((c) => c.name === name);
  if (!found) {
    throw unknownColumns(
      table.path,
      [name],
      table.columns.map((c) => c.name),
    );
  }
  return found;
}

/** The CSV delimiter (from the extension, as readerSql chooses it). */
function csvDelimiter(file: string): string {
  return /\.tsv(\.gz)?$/i.test(file) ? '\t' : ',';
}

/**
 * The error for a file DuckDB could not read: DuckDB's message when it names the line; else, for
 * a CSV, the first record pandas refuses, named by its line (DuckDB's sniffer only says it could
 * not detect the dialect when such a record is in its sample).
 */
async function csvError(
  file: string,
  format: DataFormat,
  absolute: string,
  err: unknown,
): Promise<InputError> {
  // DuckDB names the line of a bad row past its sniffing sample itself
  if (format === 'csv' && !/\bLine: \d+/.test(duckdbMessage(err))) {
    const problem = await findCsvProblem(absolute, csvDelimiter(absolute)).catch(() => null);
    if (problem) return new InputError(`${file}: ${problem.message}`);
  }
  return new InputError(`${file}: ${duckdbMessage(err)}`);
}

/**
 * A quoted field left open reads without error when the sniffer takes the quote for text (pandas
 * refuses the file): when a text value starts with a quote, the file is checked as pandas reads it
 * and refused with the line of the open quote.
 */
async function refuseOpenQuote(
  conn: DuckDBConnection,
  table: string,
  file: string,
  absolute: string,
): Promise<void> {
  const text = (await queryRows(conn, `DESCRIBE ${table}`)).filter(
    (d) => String(d.column_type) === 'VARCHAR',
  );
  if (text.length === 0) return;
  const startsWithQuote = text.map((d) => `starts_with(${ident(String(d.column_name))}, '"')`).join(' OR ');
  const [hit] = await queryRows(conn, `SELECT 1 AS x FROM ${table} WHERE ${startsWithQuote} LIMIT 1`);
  if (!hit) return;
  const problem = await findCsvProblem(absolute, csvDelimiter(absolute));
  if (problem) throw new InputError(`${file}: ${problem.message}`);
}

/** DuckDB's reading error without its long list of possible fixes (keeps the line number and the line). */
function duckdbMessage(err: unknown): string {
  const lines = String((err as Error).message).split('\n');
  const cut = lines.findIndex((l) => /^(Possible fixes|The search space used|LINE \d)/.test(l));
  return (cut > 0 ? lines.slice(0, cut) : lines).join(' ').trim();
}
