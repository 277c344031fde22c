import { rename, rm } from 'node:fs/promises';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { count, ident, literal, num, queryRows } from '../duckdb/sql.ts';
import { InputError } from '../load/input-error.ts';
import { type DataFormat, readerSql, sha256File } from '../load/load-table.ts';

/**
 * Append-only Parquet segments of production rows (the telemetry plane: never through the audited
 * write path). A prediction segment holds `__pid` (prediction id, text), `__ts` (epoch ms, UTC),
 * `__batch` (the batch id, time-ordered) and the row's own columns (features, score or prediction);
 * an outcome segment holds `__pid`, `__batch` and `__label`. Windows read them back by time.
 */

/** How ingested rows name the roles (the plan's `columns`). */
export interface SegmentColumns {
  predictionId: string;
  timestamp: string;
  label: string;
}

/** Where an ingested batch comes from: a file, or NDJSON in the streaming API's field names. */
export type SegmentSource = { file: string; format: DataFormat } | { ndjson: string; score: string };

/** What a written segment holds. */
export interface SegmentInfo {
  rows: number;
  /** Epoch ms of the earliest and latest prediction (outcomes: of the predictions they label, when known). */
  from: number | null;
  to: number | null;
  columns: string[];
}

let shared: Promise<DuckDBInstance> | null = null;

/**
 * The process's DuckDB instance for monitoring work (in memory, UTC), created on first use and
 * shared by every ingestion, window and compaction: creating an instance costs tens of
 * milliseconds, far more than the work on a batch of 10,000 rows or a day's window. Each piece of
 * work gets its own connection; what it creates is temporary (connection-scoped), so concurrent
 * work never sees another's tables.
 */
export function monitoringDuckDb(): Promise<DuckDBInstance> {
  if (!shared) {
    shared = (async () => {
      const instance = await DuckDBInstance.create(':memory:', { preserve_insertion_order: 'false' });
      const conn = await instance.connect();
      await conn.run("SET GLOBAL TimeZone = 'UTC'");
      conn.closeSync();
      return instance;
    })();
    shared.catch(() => {
      shared = null;
    });
  }
  return shared;
}

/** Runs one piece of work on its own connection to the shared instance (UTC), closed afterwards. */
export async function withDuckDb<T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const conn = await (await monitoringDuckDb()).connect();
  try {
    await conn.run("SET TimeZone = 'UTC'");
    return await work(conn);
  } finally {
    conn.closeSync();
  }
}

/**
 * The source rows as a relation, with the roles under the plan's names. NDJSON comes in the
 * streaming API's fields: predictionId, timestamp, features {…}, and score or prediction (stored
 * under `source.score`, the plan's column of the model's output).
 */
async function sourceSql(
  conn: DuckDBConnection,
  source: SegmentSource,
  columns: SegmentColumns,
): Promise<string> {
  if ('file' in source) return readerSql(source.format, source.file, false);
  const raw = `read_json(${literal(source.ndjson)}, format = 'newline_delimited')`;
  const names = await columnNames(conn, raw);
  for (const name of ['predictionId', 'timestamp', 'features']) {
    if (!names.includes(name))
      throw new InputError(`field '${name}' is missing from the prediction log lines`);
  }
  const output = ['score', 'prediction'].filter((n) => names.includes(n));
  if (output.length > 1) throw new InputError("give 'score' or 'prediction' in a line, not both");
  const out = output[0] ? [`${ident(output[0])} AS ${ident(source.score)}`] : [];
  return `(SELECT predictionId AS ${ident(columns.predictionId)}, "timestamp" AS ${ident(columns.timestamp)}, ${[...out, 'UNNEST(features)'].join(', ')} FROM ${raw})`;
}

async function columnNames(conn: DuckDBConnection, relation: string): Promise<string[]> {
  const rows = await queryRows(conn, `DESCRIBE SELECT * FROM ${relation}`);
  return rows.map((r) => String(r.column_name));
}

/** Refuses a batch whose roles are missing or whose ids or times are unreadable, naming the first bad row. */
async function checkRoles(
  conn: DuckDBConnection,
  relation: string,
  names: string[],
  required: string[],
  tsColumn: string | null,
): Promise<void> {
  for (const name of required) {
    if (!names.includes(name))
      throw new InputError(`column '${name}' is missing (columns: ${names.join(', ')})`);
  }
  const bad = [`${ident(required[0] as string)} IS NULL`];
  if (tsColumn) bad.push(`TRY_CAST(CAST(${ident(tsColumn)} AS VARCHAR) AS TIMESTAMPTZ) IS NULL`);
  const rows = await queryRows(
    conn,
    `SELECT count(*) AS n, min(rn) AS first FROM (SELECT row_number() OVER () AS rn, * FROM ${relation}) WHERE ${bad.join(' OR ')}`,
  );
  const n = count(rows[0]?.n);
  if (n > 0) {
    throw new InputError(
      `${n} row(s) have no prediction id${tsColumn ? ` or no readable timestamp in '${tsColumn}'` : ''} (first: data row ${count(rows[0]?.first)})`,
    );
  }
}

/** An earlier prediction segment of the deployment and the time range of its predictions (epoch ms). */
export interface ExistingSegment {
  file: string;
  from: number;
  to: number;
}

/**
 * Writes the predictions of `source` to the Parquet file `out` (written beside and renamed, so a
 * reader never sees half a segment). When the source also has the label column, its labels are
 * written to `outcomesOut` as an outcome segment of the same batch.
 *
 * A prediction id counts once per deployment: a row whose id is already in one of the `existing`
 * segments whose time range overlaps the batch's, or earlier in the same batch, is not stored
 * again (`duplicates` says how many were dropped); the first arrival stands.
 */
export async function writePredictionSegment(options: {
  source: SegmentSource;
  columns: SegmentColumns;
  batchId: string;
  out: string;
  outcomesOut: string;
  /** Reference rows keep their labels inline (`__label`) and need no timestamp. */
  reference?: boolean;
  /** The deployment's prediction segments so far (ids already stored are dropped). */
  existing?: ExistingSegment[];
}): Promise<{ predictions: SegmentInfo & { duplicates: number }; outcomes: SegmentInfo | null }> {
  const { columns, batchId } = options;
  return withDuckDb(async (conn) => {
    const relation = await sourceSql(conn, options.source, columns);
    // a CSV or JSON input is parsed once (parsing is most of the work) and then read as a table;
    // Parquet is cheaper to read again than to copy
    const parsed = 'ndjson' in options.source || options.source.format !== 'parquet';
    await conn.run(`CREATE TEMP ${parsed ? 'TABLE' : 'VIEW'} src AS SELECT * FROM ${relation}`);
    const names = await columnNames(conn, 'src');
    const hasTs = names.includes(columns.timestamp);
    if (options.reference) {
      if (names.length === 0) throw new InputError('the reference has no columns');
    } else {
      await checkRoles(conn, 'src', names, [columns.predictionId, columns.timestamp], columns.timestamp);
    }
    const hasLabel = names.includes(columns.label);
    const pid = names.includes(columns.predictionId)
      ? `CAST(${ident(columns.predictionId)} AS VARCHAR)`
      : 'CAST(row_number() OVER () AS VARCHAR)';
    const ts = hasTs
      ? `epoch_ms(CAST(CAST(${ident(columns.timestamp)} AS VARCHAR) AS TIMESTAMPTZ))`
      : 'NULL::BIGINT';
    const drop = [
      columns.predictionId,
      columns.timestamp,
      ...(options.reference ? [] : [columns.label]),
    ].filter((c) => names.includes(c));
    const rest = drop.length > 0 ? `* EXCLUDE (${drop.map(ident).join(', ')})` : '*';
    const tmp = `${options.out}.part`;
    let select = `SELECT ${pid} AS __pid, ${ts} AS __ts, ${literal(batchId)} AS __batch, ${rest} FROM src`;
    if (!options.reference) {
      const range = await queryRows(conn, `SELECT min(${ts}) AS lo, max(${ts}) AS hi FROM src`);
      const lo = num(range[0]?.lo);
      const hi = num(range[0]?.hi);
      const earlier = (options.existing ?? []).filter(
        (e) => lo !== null && hi !== null && e.from <= hi && e.to >= lo,
      );
      const seen =
        earlier.length > 0
          ? ` WHERE ${pid} NOT IN (SELECT __pid FROM read_parquet(${list(earlier.map((e) => e.file))}, union_by_name = true))`
          : '';
      select = `${select}${seen} QUALIFY row_number() OVER (PARTITION BY ${pid} ORDER BY ${ts}) = 1`;
    }
    await conn.run(`COPY (${select}) TO ${literal(tmp)} (FORMAT parquet)`);
    const stats = await queryRows(
      conn,
      `SELECT count(*) AS n, min(__ts) AS lo, max(__ts) AS hi FROM read_parquet(${literal(tmp)})`,
    );
    const total = count((await queryRows(conn, 'SELECT count(*) AS n FROM src'))[0]?.n);
    const info = {
      rows: count(stats[0]?.n),
      from: num(stats[0]?.lo),
      to: num(stats[0]?.hi),
      columns: names.filter((n) => !drop.includes(n)),
      duplicates: total - count(stats[0]?.n),
    };
    let outcomes: SegmentInfo | null = null;
    if (hasLabel && !options.reference) {
      const otmp = `${options.outcomesOut}.part`;
      await conn.run(
        `COPY (SELECT ${pid} AS __pid, ${literal(batchId)} AS __batch, ${ident(columns.label)} AS __label FROM src WHERE ${ident(columns.label)} IS NOT NULL) TO ${literal(otmp)} (FORMAT parquet)`,
      );
      const o = await queryRows(conn, `SELECT count(*) AS n FROM read_parquet(${literal(otmp)})`);
      outcomes = { rows: count(o[0]?.n), from: info.from, to: info.to, columns: [columns.label] };
      await rename(otmp, options.outcomesOut);
    }
    await rename(tmp, options.out);
    return { predictions: info, outcomes };
  });
}

/**
 * Writes outcomes (prediction id + label) to an outcome segment. `predictionSegments` are read to
 * find the time range of the predictions they label (null when none has arrived yet).
 */
export async function writeOutcomeSegment(options: {
  source: SegmentSource;
  columns: SegmentColumns;
  batchId: string;
  out: string;
  predictionSegments: string[];
}): Promise<SegmentInfo> {
  const { columns } = options;
  return withDuckDb(async (conn) => {
    const relation =
      'ndjson' in options.source
        ? `(SELECT predictionId AS ${ident(columns.predictionId)}, label AS ${ident(columns.label)} FROM read_json(${literal(options.source.ndjson)}, format = 'newline_delimited'))`
        : readerSql(options.source.format, options.source.file, false);
    await conn.run(`CREATE TEMP TABLE src AS SELECT * FROM ${relation}`);
    const names = await columnNames(conn, 'src');
    await checkRoles(conn, 'src', names, [columns.predictionId, columns.label], null);
    const tmp = `${options.out}.part`;
    await conn.run(
      `COPY (SELECT CAST(${ident(columns.predictionId)} AS VARCHAR) AS __pid, ${literal(options.batchId)} AS __batch, ${ident(columns.label)} AS __label FROM src WHERE ${ident(columns.label)} IS NOT NULL) TO ${literal(tmp)} (FORMAT parquet)`,
    );
    const n = count((await queryRows(conn, `SELECT count(*) AS n FROM read_parquet(${literal(tmp)})`))[0]?.n);
    let from: number | null = null;
    let to: number | null = null;
    if (options.predictionSegments.length > 0) {
      const r = await queryRows(
        conn,
        `SELECT min(p.__ts) AS lo, max(p.__ts) AS hi FROM read_parquet(${list(options.predictionSegments)}, union_by_name = true) p
         SEMI JOIN read_parquet(${literal(tmp)}) o ON p.__pid = o.__pid`,
      );
      from = num(r[0]?.lo);
      to = num(r[0]?.hi);
    }
    await rename(tmp, options.out);
    return { rows: n, from, to, columns: [columns.label] };
  });
}

/** A DuckDB list literal of file paths. */
export function list(files: string[]): string {
  return `[${files.map(literal).join(', ')}]`;
}

/** The SHA-256 of a file (a segment's or an input's bytes). */
export const segmentSha256 = sha256File;

/** Removes a segment file (a batch whose manifest could not be stored). */
export async function removeSegment(file: string): Promise<void> {
  await rm(file, { force: true });
}
