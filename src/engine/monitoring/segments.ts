import { readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { count, exclusive, ident, literal, num, queryRows } from '../duckdb/sql.ts';
import { InputError } from '../load/input-error.ts';
import { type DataFormat, readerSql, sha256File } from '../load/load-table.ts';
import {
  addSegment,
  type ExistingSegment,
  type Halves,
  overlappingIds,
  readHalves,
  storedAmong,
} from './id-index.ts';
import { withIngestDuckDb } from './monitoring-duckdb.ts';
import { type NdjsonColumn, ndjsonSchema } from './ndjson-schema.ts';
import { timestampSql } from './segment-time.ts';

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
export type SegmentSource =
  | { file: string; format: DataFormat }
  /** NDJSON: the file, the plan's output column, and the file's bytes when at hand */
  | { ndjson: string; score: string; bytes?: Uint8Array };

/** What a written segment holds. */
export interface SegmentInfo {
  rows: number;
  /** Epoch ms of the earliest and latest prediction (outcomes: of the predictions they label, when known). */
  from: number | null;
  to: number | null;
  columns: string[];
}

export { monitoringDuckDb, withDuckDb } from './monitoring-duckdb.ts';

/** The top-level fields of a prediction log line, and of an outcome line. */
const PREDICTION_FIELDS = ['predictionId', 'timestamp', 'features', 'score', 'prediction'] as const;
const OUTCOME_FIELDS = ['predictionId', 'label'] as const;

/**
 * The `read_json` of an NDJSON batch: with the columns typed by `ndjsonSchema` when it can
 * (DuckDB then skips its own detection, which parses every line once more), else detected by
 * DuckDB. Returns the SQL and the top-level columns with their types when known.
 */
async function readNdjson(
  source: { ndjson: string; bytes?: Uint8Array },
  fields: { keys: readonly string[]; nested?: string; timestampKey?: string },
): Promise<{ sql: string; columns: NdjsonColumn[] | null; nested: NdjsonColumn[] | null }> {
  const bytes = source.bytes ?? (await readFile(source.ndjson));
  const schema = ndjsonSchema(bytes, fields);
  const file = literal(source.ndjson);
  if (!schema || schema.columns.length === 0)
    return { sql: `read_json(${file}, format = 'newline_delimited')`, columns: null, nested: null };
  const columns = schema.columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
  return {
    sql: `read_json(${file}, format = 'newline_delimited', columns = {${columns}})`,
    columns: schema.columns,
    nested: schema.nested,
  };
}

/**
 * Loads the source rows as the temporary relation `src`, with the roles under the plan's names,
 * and returns its column types when they are known without asking DuckDB.
 * NDJSON comes in the streaming API's fields: predictionId, timestamp, features {…}, and score or
 * prediction (stored under `source.score`, the plan's column of the model's output); it is parsed
 * once into a table. A CSV is parsed once into a table too; Parquet is cheaper to read again
 * than to copy (a view).
 */
async function loadSource(
  conn: DuckDBConnection,
  source: SegmentSource,
  columns: SegmentColumns,
): Promise<Map<string, string> | null> {
  if ('file' in source) {
    const table = source.format !== 'parquet';
    await conn.run(
      `CREATE TEMP ${table ? 'TABLE' : 'VIEW'} src AS SELECT * FROM ${readerSql(source.format, source.file, false)}`,
    );
    return null;
  }
  const read = await readNdjson(source, {
    keys: PREDICTION_FIELDS,
    nested: 'features',
    timestampKey: 'timestamp',
  });
  // typed columns: `src` reads the file where it is (the caller materialises the segment's rows
  // once); detected: parsed once into a table (a view would detect again on every read)
  if (!read.columns) await conn.run(`CREATE TEMP TABLE raw AS SELECT * FROM ${read.sql}`);
  const from = read.columns ? read.sql : 'raw';
  const types = read.columns
    ? new Map(read.columns.map((c) => [c.name, c.type]))
    : await columnTypes(conn, 'raw');
  const names = [...types.keys()];
  for (const name of ['predictionId', 'timestamp', 'features']) {
    if (!names.includes(name))
      throw new InputError(`field '${name}' is missing from the prediction log lines`);
  }
  const output = ['score', 'prediction'].filter((n) => names.includes(n));
  if (output.length > 1) throw new InputError("give 'score' or 'prediction' in a line, not both");
  const out = output[0] ? [`${ident(output[0])} AS ${ident(source.score)}`] : [];
  await conn.run(
    `CREATE TEMP VIEW src AS SELECT predictionId AS ${ident(columns.predictionId)}, "timestamp" AS ${ident(columns.timestamp)}, ${[...out, 'UNNEST(features)'].join(', ')} FROM ${from}`,
  );
  if (!read.nested) return null;
  // the view's columns, as DESCRIBE would list them (unless a feature repeats a role's name)
  const known = new Map<string, string>([
    [columns.predictionId, types.get('predictionId') as string],
    [columns.timestamp, types.get('timestamp') as string],
  ]);
  if (output[0]) known.set(source.score, types.get(output[0]) as string);
  for (const f of read.nested) {
    if (known.has(f.name)) return columnTypes(conn, 'src');
    known.set(f.name, f.type);
  }
  return known;
}

async function columnNames(conn: DuckDBConnection, relation: string): Promise<string[]> {
  return [...(await columnTypes(conn, relation)).keys()];
}

async function columnTypes(conn: DuckDBConnection, relation: string): Promise<Map<string, string>> {
  const rows = await queryRows(conn, `DESCRIBE ${relation}`);
  return new Map(rows.map((r) => [String(r.column_name), String(r.column_type)]));
}

/** Refuses a batch whose roles are missing, naming the columns there are. */
function requireColumns(names: string[], required: string[]): void {
  for (const name of required) {
    if (!names.includes(name))
      throw new InputError(`column '${name}' is missing (columns: ${names.join(', ')})`);
  }
}

/** Refuses a batch with `bad` rows (no id, unreadable time), naming the first one. */
async function refuseBadRows(conn: DuckDBConnection, bad: string, tsColumn: string | null): Promise<never> {
  const rows = await queryRows(
    conn,
    `SELECT count(*) AS n, min(rn) AS first FROM (SELECT row_number() OVER () AS rn, * FROM src) WHERE ${bad}`,
  );
  throw new InputError(
    `${count(rows[0]?.n)} row(s) have no prediction id${tsColumn ? ` or no readable timestamp in '${tsColumn}'` : ''} (first: data row ${count(rows[0]?.first)})`,
  );
}

export type { ExistingSegment } from './id-index.ts';

/**
 * Writes the predictions of `source` to the Parquet file `out` (written beside and renamed, so a
 * reader never sees half a segment). When the source also has the label column, its labels are
 * written to `outcomesOut` as an outcome segment of the same batch.
 *
 * A prediction id counts once per deployment: a row whose id is already in one of the `existing`
 * segments whose time range overlaps the batch's, or earlier in the same batch, is not stored
 * again (`duplicates` says how many were dropped); the first arrival stands. The ids of the
 * existing segments are looked up in the deployment's id index (`id-index.ts`, keyed by
 * `indexKey`), not read again from every segment.
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
  /** The deployment's id index (default: the directory of `out`'s kind). */
  indexKey?: string;
}): Promise<{ predictions: SegmentInfo & { duplicates: number }; outcomes: SegmentInfo | null }> {
  const { columns, batchId } = options;
  return withIngestDuckDb(async (conn) => {
    const types = (await loadSource(conn, options.source, columns)) ?? (await columnTypes(conn, 'src'));
    const names = [...types.keys()];
    const hasTs = names.includes(columns.timestamp);
    if (options.reference) {
      if (names.length === 0) throw new InputError('the reference has no columns');
    } else {
      requireColumns(names, [columns.predictionId, columns.timestamp]);
    }
    const hasLabel = names.includes(columns.label);
    const pid = names.includes(columns.predictionId)
      ? `CAST(${ident(columns.predictionId)} AS VARCHAR)`
      : 'CAST(row_number() OVER () AS VARCHAR)';
    const time = hasTs ? timestampSql(columns.timestamp, types.get(columns.timestamp)) : null;
    // a prediction's unreadable time is NULL here and refuses the batch below; a reference's
    // time must read (as before)
    const ts = time ? (options.reference ? time.ts : time.tryTs) : 'NULL::BIGINT';
    const drop = [columns.predictionId, columns.timestamp].filter((c) => names.includes(c));
    const rest = drop.length > 0 ? `* EXCLUDE (${drop.map(ident).join(', ')})` : '*';
    // the segment's rows (and a prediction batch's labels) computed once: a table when the source
    // is NDJSON read where it is, else a view over the source (a CSV's table, or the Parquet file)
    const materialise = 'ndjson' in options.source;
    const segSql = `SELECT ${pid} AS __pid, ${ts} AS __ts, ${literal(batchId)} AS __batch, ${rest} FROM src`;
    await conn.run(`CREATE TEMP ${materialise ? 'TABLE' : 'VIEW'} seg AS ${segSql}`);
    const labelKept = hasLabel && !options.reference;
    const stored = labelKept ? `* EXCLUDE (${ident(columns.label)})` : '*';
    const tmp = `${options.out}.part`;
    let select = `SELECT ${stored} FROM seg`;
    // one pass over the batch: its rows, bad rows, time range and distinct ids (by hash: as many
    // distinct hashes as rows means no id repeats; fewer, a repeat or a collision, and the exact
    // de-duplication below runs)
    let total: number;
    let lo: number | null = null;
    let hi: number | null = null;
    let filtered = false;
    let batchHashes: Halves | null = null;
    if (!options.reference && time) {
      // the batch's id hashes and times, for the checks, the probe and the index: read once into
      // a table when `seg` is a view (a Parquet source: each read decodes the file again); over
      // `seg`'s table (NDJSON), a view (hashing again is cheaper than copying them)
      await conn.run(
        `CREATE TEMP ${materialise ? 'VIEW' : 'TABLE'} keys AS SELECT hash(__pid) AS h, __pid IS NULL OR __ts IS NULL AS bad, __ts FROM seg`,
      );
      const [s] = await queryRows(
        conn,
        'SELECT count(*) AS n, count(*) FILTER (WHERE bad) AS bad, min(__ts) AS lo, max(__ts) AS hi, count(DISTINCT h) AS ids FROM keys',
      );
      if (count(s?.bad) > 0)
        await refuseBadRows(conn, `${ident(columns.predictionId)} IS NULL OR ${time.bad}`, columns.timestamp);
      total = count(s?.n);
      lo = num(s?.lo);
      hi = num(s?.hi);
      const where: string[] = [];
      const earlier =
        lo !== null && hi !== null && options.existing && options.existing.length > 0
          ? await overlappingIds(
              conn,
              options.indexKey ?? path.dirname(options.out),
              options.existing,
              lo,
              hi,
            )
          : null;
      if (earlier) {
        // the batch's hashes looked up in the index and added as the segment's ids, in one pass
        // (held in memory: the cost is the batch's)
        batchHashes = await readHalves(conn, 'keys', 'h');
        const hits = earlier.add(batchHashes, options.out);
        if (hits.length > 0) {
          // candidates, checked against the exact ids of the segments
          await conn.run('CREATE TEMP TABLE hit (h UBIGINT)');
          for (let i = 0; i < hits.length; i += 1000)
            await conn.run(`INSERT INTO hit VALUES (${hits.slice(i, i + 1000).join('), (')})`);
          await conn.run(
            'CREATE TEMP TABLE cand AS SELECT DISTINCT __pid AS pid FROM seg WHERE hash(__pid) IN (SELECT h FROM hit)',
          );
          await conn.run(`CREATE TEMP TABLE dup AS ${storedAmong(earlier.files, 'cand')}`);
          where.push('__pid NOT IN (SELECT __pid FROM dup)');
        }
      }
      if (where.length > 0) select = `${select} WHERE ${where.join(' AND ')}`;
      if (count(s?.ids) < total)
        select = `${select} QUALIFY row_number() OVER (PARTITION BY __pid ORDER BY __ts) = 1`;
      filtered = where.length > 0 || count(s?.ids) < total;
    } else {
      total = count((await queryRows(conn, 'SELECT count(*) AS n FROM seg'))[0]?.n);
    }
    // written on this one-thread instance, a Parquet file of 100,000 rows too: re-encoding one on
    // the multi-threaded instance cost more CPU and more time (measured on two cores: 165-355 ms
    // against 97-104 for the same COPY)
    const written = (
      await exclusive(conn, () => conn.run(`COPY (${select}) TO ${literal(tmp)} (FORMAT parquet)`))
    ).rowsChanged;
    if (written < total) {
      // rows were dropped: the stored range is that of the rows kept
      const [r] = await queryRows(
        conn,
        `SELECT min(__ts) AS lo, max(__ts) AS hi FROM read_parquet(${literal(tmp)})`,
      );
      lo = num(r?.lo);
      hi = num(r?.hi);
    } else if (options.reference && hasTs) {
      const [r] = await queryRows(conn, 'SELECT min(__ts) AS lo, max(__ts) AS hi FROM seg');
      lo = num(r?.lo);
      hi = num(r?.hi);
    }
    const info = {
      rows: written,
      from: lo,
      to: hi,
      columns: names.filter((n) => !drop.includes(n) && !(labelKept && n === columns.label)),
      duplicates: total - written,
    };
    let outcomes: SegmentInfo | null = null;
    if (labelKept) {
      const otmp = `${options.outcomesOut}.part`;
      const n = (
        await exclusive(conn, () =>
          conn.run(
            `COPY (SELECT __pid, __batch, ${ident(columns.label)} AS __label FROM seg WHERE ${ident(columns.label)} IS NOT NULL) TO ${literal(otmp)} (FORMAT parquet)`,
          ),
        )
      ).rowsChanged;
      outcomes = { rows: n, from: info.from, to: info.to, columns: [columns.label] };
      await rename(otmp, options.outcomesOut);
    }
    if (!options.reference && options.existing && !batchHashes) {
      // no earlier segment overlapped (else the probe added the batch's hashes): the ids stored
      // are the batch's hashes when every row was kept, else the file's ids (a prediction batch
      // has its `keys`: the timestamp column is required)
      const ids = !filtered ? await readHalves(conn, 'keys', 'h') : `read_parquet(${literal(tmp)})`;
      await addSegment(conn, options.indexKey ?? path.dirname(options.out), options.out, ids);
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
  return withIngestDuckDb(async (conn) => {
    const relation =
      'ndjson' in options.source
        ? `(SELECT predictionId AS ${ident(columns.predictionId)}, label AS ${ident(columns.label)} FROM ${(await readNdjson(options.source, { keys: OUTCOME_FIELDS })).sql})`
        : readerSql(options.source.format, options.source.file, false);
    await conn.run(`CREATE TEMP TABLE src AS SELECT * FROM ${relation}`);
    const names = await columnNames(conn, 'src');
    requireColumns(names, [columns.predictionId, columns.label]);
    const bad = `${ident(columns.predictionId)} IS NULL`;
    const [b] = await queryRows(conn, `SELECT count(*) AS n FROM src WHERE ${bad}`);
    if (count(b?.n) > 0) await refuseBadRows(conn, bad, null);
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
