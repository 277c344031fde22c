import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValidationEvidence } from '../../contracts/validation-evidence.ts';
import { type SortedSample, sortFloat64With } from '../drift/sorted-sample.ts';
import { count, exclusive, ident, queryRows, tempTableName } from '../duckdb/sql.ts';
import { InputError } from '../load/input-error.ts';
import { doubleItems } from '../scan/numeric-column.ts';
import { validate } from '../validate.ts';
import { type CbpeResult, cbpeEstimate, type ScoredRow } from './cbpe.ts';
import { list, monitoringDuckDb, withDuckDb } from './segments.ts';

/** The baseline rows of a window: the reference segments, or production rows of a period. */
export type BaselineRows =
  | { type: 'reference'; files: string[] }
  | { type: 'period'; from: number; to: number };

/** What one window is computed from. */
export interface WindowInput {
  predictions: string[];
  outcomes: string[];
  baseline: BaselineRows;
  /** Epoch ms, [start, end). */
  start: number;
  end: number;
  label: string;
  score: string | null;
  prediction: string | null;
  positiveLabel: string | null;
  threshold: number | null;
  features: string[] | null;
  categorical: string[];
  /** Compute performance on the labelled rows when there are at least this many (null: never). */
  performanceMinRows: number | null;
  /** Estimate performance with CBPE (binary classifier with a score). */
  estimate: boolean;
  now: Date;
}

/** A computed window: counts and the engine's evidence of its rows. */
export interface WindowComputation {
  rows: number;
  labelledRows: number;
  /** `assay validate` of the window against the baseline (drift, data quality); null without rows. */
  drift: ValidationEvidence | null;
  /** `assay validate` of the labelled rows with the label (performance); null when too few. */
  performance: ValidationEvidence | null;
  cbpe: CbpeResult | null;
  note: string | null;
}

/** The window's rows with their labels joined (the newest label of a prediction id wins). */
function joinedSql(
  predictions: string[],
  outcomes: string[],
  from: number,
  to: number,
  label: string,
): string {
  const preds = `read_parquet(${list(predictions)}, union_by_name = true)`;
  const where = `p.__ts >= ${from} AND p.__ts < ${to}`;
  if (outcomes.length === 0) {
    return `SELECT p.* EXCLUDE (__batch), NULL AS ${ident(label)} FROM ${preds} p WHERE ${where}`;
  }
  const outs = `read_parquet(${list(outcomes)}, union_by_name = true)`;
  return `SELECT p.* EXCLUDE (__batch), o.__label AS ${ident(label)} FROM ${preds} p
    LEFT JOIN (SELECT __pid, arg_max(__label, __batch) AS __label FROM ${outs} GROUP BY __pid) o USING (__pid)
    WHERE ${where}`;
}

/** A relation of the window's run: its defining SQL and how the evidence names it. */
interface WindowRelation {
  /** What `validate` reads: a query over the tables below or the segments. */
  sql: string;
  /** The digest recorded as the input's SHA-256: of the query over the segments it stands for. */
  sha256: string;
  name: string;
}

/** The window's rows and baseline as relations of the shared instance (see prepareRelations). */
interface PreparedWindow {
  rows: number;
  labelled: number;
  referenceRows: number;
  current: WindowRelation;
  /** The labelled rows' output and label (null without labels). */
  labelledRel: WindowRelation | null;
  reference: WindowRelation;
  /** The baseline's scores and labels for CBPE (null when it has no label or no score column). */
  referenceScores: string | null;
  /** Tables of the shared instance to drop afterwards. */
  tables: string[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Makes the window's rows and its baseline readable by `validate` in the shared instance, without
 * exporting them to files: with outcomes, the join of the window's prediction segments with their
 * labels is computed once into a table of the instance's own catalog (visible to `validate`'s
 * connection; its temporary tables would not be); without outcomes, the window is a query over the
 * segments, read in place as a Parquet input is. The baseline, small or a join too, is a table.
 */
async function prepareRelations(conn: DuckDBConnection, input: WindowInput): Promise<PreparedWindow> {
  const { label } = input;
  const tables: string[] = [];
  const table = () => {
    const name = `memory.main.${ident(tempTableName('window'))}`;
    tables.push(name);
    return name;
  };
  const interval = `${new Date(input.start).toISOString()}/${new Date(input.end).toISOString()}`;
  let rows: number;
  let labelled: number;
  let current: WindowRelation;
  let labelledRel: WindowRelation | null = null;
  let w: string | null = null;
  try {
    if (input.outcomes.length === 0) {
      // no labels: the window's rows are read straight from the segments
      const preds = `read_parquet(${list(input.predictions)}, union_by_name = true)`;
      const sql = `SELECT * EXCLUDE (__pid, __ts, __batch) FROM ${preds} WHERE __ts >= ${input.start} AND __ts < ${input.end}`;
      rows = count((await queryRows(conn, `SELECT count(*) AS n FROM (${sql})`))[0]?.n);
      labelled = 0;
      current = { sql, sha256: sha256(sql), name: `window ${interval}` };
    } else {
      w = table();
      const joined = joinedSql(input.predictions, input.outcomes, input.start, input.end, label);
      await conn.run(`CREATE TABLE ${w} AS ${joined}`);
      const [c] = await queryRows(conn, `SELECT count(*) AS n, count(${ident(label)}) AS l FROM ${w}`);
      rows = count(c?.n);
      labelled = count(c?.l);
      const digest = sha256(joined);
      current = {
        sql: `SELECT * EXCLUDE (__pid, __ts, ${ident(label)}) FROM ${w}`,
        sha256: digest,
        name: `window ${interval}`,
      };
      // Performance reads only the output and the label: the labelled rows' other columns would
      // make its `validate` work through their data quality for nothing (the drift run has it).
      const output = input.score ?? input.prediction;
      const wcols = (await queryRows(conn, `DESCRIBE ${w}`)).map((c) => String(c.column_name));
      const cols =
        output && wcols.includes(output) ? `${ident(output)}, ${ident(label)}` : '* EXCLUDE (__pid, __ts)';
      labelledRel = {
        sql: `SELECT ${cols} FROM ${w} WHERE ${ident(label)} IS NOT NULL`,
        sha256: sha256(`${joined} -- labelled`),
        name: `window ${interval}, labelled rows`,
      };
    }
    const b = input.baseline;
    const r = table();
    let defining: string;
    if (b.type === 'reference') {
      defining = `SELECT * EXCLUDE (__pid, __ts, __batch) FROM read_parquet(${list(b.files)}, union_by_name = true)`;
    } else if (input.predictions.length > 0) {
      defining = `SELECT * EXCLUDE (__pid, __ts) FROM (${joinedSql(input.predictions, input.outcomes, b.from, b.to, label)})`;
    } else {
      defining = `SELECT * FROM (${current.sql}) LIMIT 0`;
    }
    await conn.run(`CREATE TABLE ${r} AS ${defining}`);
    const rcols = (await queryRows(conn, `DESCRIBE ${r}`)).map((c) => String(c.column_name));
    const dropLabel = rcols.includes(label) ? ` EXCLUDE (${ident(label)})` : '';
    const referenceRows = count((await queryRows(conn, `SELECT count(*) AS n FROM ${r}`))[0]?.n);
    const baselineName = b.type === 'reference' ? 'baseline: reference' : 'baseline period';
    return {
      rows,
      labelled,
      referenceRows,
      current,
      labelledRel,
      reference: { sql: `SELECT *${dropLabel} FROM ${r}`, sha256: sha256(defining), name: baselineName },
      referenceScores:
        rcols.includes(label) && input.score && rcols.includes(input.score)
          ? `SELECT ${ident(input.score)} AS score, ${ident(label)} AS label FROM ${r} WHERE ${ident(label)} IS NOT NULL`
          : null,
      tables,
    };
  } catch (err) {
    await dropTables(conn, tables);
    throw err;
  }
}

async function dropTables(conn: DuckDBConnection, tables: string[]): Promise<void> {
  for (const t of tables) await conn.run(`DROP TABLE IF EXISTS ${t}`);
}

/** The finite scores of a relation (and their labels as text), read column-wise. */
async function scoredRows(
  conn: DuckDBConnection,
  relation: string,
  score: string,
  label: string | null,
): Promise<{ scores: Float64Array; labels: string[] | null }> {
  const columns = await exclusive(conn, async () =>
    (
      await conn.runAndReadAll(
        `SELECT CAST(${ident(score)} AS DOUBLE) AS s${label ? `, CAST(${ident(label)} AS VARCHAR) AS y` : ''} FROM (${relation}) WHERE ${ident(score)} IS NOT NULL`,
      )
    ).getColumnsJS(),
  );
  return {
    scores: Float64Array.from((columns[0] ?? []) as number[]),
    labels: label ? ((columns[1] ?? []) as unknown[]).map((y) => String(y)) : null,
  };
}

/**
 * The window's finite scores, ascending: streamed from DuckDB chunk by chunk into one typed array
 * (no array of JS values) and radix-sorted, as CBPE takes them.
 */
async function sortedScores(
  conn: DuckDBConnection,
  relation: string,
  score: string,
  rows: number,
): Promise<Float64Array> {
  const values = new Float64Array(rows);
  let n = 0;
  await exclusive(conn, async () => {
    const s = `CAST(${ident(score)} AS DOUBLE)`;
    const result = await conn.stream(`SELECT ${s} AS s FROM (${relation}) WHERE isfinite(${s})`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      values.set(doubleItems(chunk.getColumnVector(0), chunk.rowCount), n);
      n += chunk.rowCount;
    }
  });
  return sortFloat64With(values.subarray(0, n), undefined, true).values;
}

/** Every value of a sorted sample, ascending (a sample of distinct values with counts expanded). */
function expand(sample: SortedSample): Float64Array {
  const { values, counts, n } = sample;
  if (!counts) return values.length === n ? values : values.subarray(0, n);
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    out.fill(values[i] as number, k, k + (counts[i] as number));
    k += counts[i] as number;
  }
  return out;
}

/**
 * Computes one window with the engine: the same `validate` that `assay validate` runs, on the
 * window's rows (drift and data quality against the baseline) and on its labelled rows' output
 * and label (performance: the same metrics as on the whole rows), and CBPE on its scores. The rows
 * are read where they are (relations of the shared instance, see prepareRelations), not exported.
 */
/** The computation of a window without predictions: nothing to measure, and the note says why. */
export function emptyWindow(): WindowComputation {
  return {
    rows: 0,
    labelledRows: 0,
    drift: null,
    performance: null,
    cbpe: null,
    note: 'no predictions in the window',
  };
}

export async function computeWindow(input: WindowInput): Promise<WindowComputation> {
  return withDuckDb(async (conn) => {
    const prepared = await prepareRelations(conn, input);
    try {
      return await computePrepared(conn, input, prepared);
    } finally {
      await dropTables(conn, prepared.tables);
    }
  });
}

async function computePrepared(
  conn: DuckDBConnection,
  input: WindowInput,
  prepared: PreparedWindow,
): Promise<WindowComputation> {
  if (prepared.rows === 0) return emptyWindow();
  const notes: string[] = [];
  // both validations run in the shared instance (a fresh catalog each), not one instance each
  const duckdb = await monitoringDuckDb();
  const relation = (r: WindowRelation) => ({ sql: r.sql, sha256: r.sha256 });
  let drift: ValidationEvidence | null = null;
  const output = input.score ?? input.prediction;
  // CBPE takes the window's scores as the drift run read and sorted them
  let scores: Float64Array | null = null;
  const score = input.estimate && prepared.referenceScores ? input.score : null;
  if (prepared.referenceRows > 0) {
    drift = await validate({
      ...(score
        ? {
            numericSamples: {
              columns: [score],
              take: (_: string, sample: SortedSample) => {
                scores = expand(sample);
              },
            },
          }
        : {}),
      data: prepared.current.name,
      reference: prepared.reference.name,
      relations: { data: relation(prepared.current), reference: relation(prepared.reference) },
      ...(input.features ? { features: [...input.features, ...(output ? [output] : [])] } : {}),
      categorical: input.categorical,
      now: input.now,
      duckdb,
    });
  } else notes.push('the baseline has no rows');
  let performance: ValidationEvidence | null = null;
  const labelledRel = prepared.labelledRel;
  if (
    input.performanceMinRows !== null &&
    labelledRel &&
    prepared.labelled >= input.performanceMinRows &&
    output
  ) {
    // Labels arrive late and in any order: the labelled rows so far may not be evaluable yet (one
    // class only). The window then has no performance until more outcomes recompute it.
    performance = await validate({
      data: labelledRel.name,
      relations: { data: relation(labelledRel) },
      label: input.label,
      ...(input.score ? { score: input.score } : { prediction: output }),
      ...(input.threshold !== null ? { threshold: input.threshold } : {}),
      ...(input.positiveLabel !== null ? { positiveLabel: input.positiveLabel } : {}),
      features: [],
      // the labelled rows hold the output and the label only (see prepareRelations)
      categorical: input.categorical.filter((c) => c === output || c === input.label),
      now: input.now,
      duckdb,
    }).catch((err: unknown) => {
      if (!(err instanceof InputError)) throw err;
      notes.push(`performance not computed on the labelled rows: ${err.message}`);
      return null;
    });
  }
  let cbpe: CbpeResult | null = null;
  if (input.estimate && input.score) {
    if (prepared.referenceScores) {
      const ref = await scoredRows(conn, prepared.referenceScores, 'score', 'label');
      const reference: ScoredRow[] = Array.from(ref.scores, (s, i) => ({
        score: s,
        label: ref.labels?.[i] ?? null,
      }));
      const current = scores ?? (await sortedScores(conn, prepared.current.sql, input.score, prepared.rows));
      cbpe = cbpeEstimate(reference, current, {
        threshold: input.threshold ?? 0.5,
        positiveLabel: input.positiveLabel,
        sorted: true,
      });
    }
    if (!cbpe) notes.push('estimated performance needs a baseline with labels and scores');
  }
  return {
    rows: prepared.rows,
    labelledRows: prepared.labelled,
    drift,
    performance,
    cbpe,
    note: notes.length > 0 ? notes.join('; ') : null,
  };
}
