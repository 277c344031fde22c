import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ValidationEvidence } from '../../contracts/validation-evidence.ts';
import { count, exclusive, ident, literal, queryRows } from '../duckdb/sql.ts';
import { InputError } from '../load/input-error.ts';
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

/** Writes the window (and baseline) files `assay validate` reads: the same rows a user would export. */
async function exportFiles(
  conn: DuckDBConnection,
  input: WindowInput,
  dir: string,
): Promise<{ rows: number; labelled: number; referenceRows: number }> {
  const { label } = input;
  const file = (name: string) => literal(path.join(dir, name));
  // the files are read once, right away, and removed: not worth compressing
  const parquet = '(FORMAT parquet, COMPRESSION uncompressed)';
  const copy = async (select: string, name: string) =>
    (await exclusive(conn, () => conn.run(`COPY (${select}) TO ${file(name)} ${parquet}`))).rowsChanged;
  let rows: number;
  let labelled: number;
  if (input.outcomes.length === 0) {
    // no labels: the window's rows go straight from the segments to the file
    const preds = `read_parquet(${list(input.predictions)}, union_by_name = true)`;
    const select = `SELECT * EXCLUDE (__pid, __ts, __batch) FROM ${preds} WHERE __ts >= ${input.start} AND __ts < ${input.end}`;
    rows = await copy(select, 'current.parquet');
    labelled = await copy(
      `SELECT *, NULL AS ${ident(label)} FROM (${select}) WHERE false`,
      'labelled.parquet',
    );
  } else {
    await conn.run(
      `CREATE TEMP TABLE w AS ${joinedSql(input.predictions, input.outcomes, input.start, input.end, label)}`,
    );
    rows = await copy(`SELECT * EXCLUDE (__pid, __ts, ${ident(label)}) FROM w`, 'current.parquet');
    // Performance reads only the output and the label: the labelled rows' other columns would make
    // its `validate` work through their data quality for nothing (the window's drift run has it).
    const output = input.score ?? input.prediction;
    const wcols = (await queryRows(conn, 'DESCRIBE w')).map((c) => String(c.column_name));
    const cols =
      output && wcols.includes(output) ? `${ident(output)}, ${ident(label)}` : '* EXCLUDE (__pid, __ts)';
    labelled = await copy(`SELECT ${cols} FROM w WHERE ${ident(label)} IS NOT NULL`, 'labelled.parquet');
  }
  const b = input.baseline;
  if (b.type === 'reference') {
    await conn.run(
      `CREATE TEMP TABLE r AS SELECT * EXCLUDE (__pid, __ts, __batch) FROM read_parquet(${list(b.files)}, union_by_name = true)`,
    );
  } else if (input.predictions.length > 0) {
    await conn.run(
      `CREATE TEMP TABLE r AS SELECT * EXCLUDE (__pid, __ts) FROM (${joinedSql(input.predictions, input.outcomes, b.from, b.to, label)})`,
    );
  } else {
    await conn.run(`CREATE TEMP TABLE r AS SELECT * FROM read_parquet(${file('current.parquet')}) LIMIT 0`);
  }
  const rcols = (await queryRows(conn, 'DESCRIBE r')).map((c) => String(c.column_name));
  const dropLabel = rcols.includes(label) ? ` EXCLUDE (${ident(label)})` : '';
  const referenceRows = await copy(`SELECT *${dropLabel} FROM r`, 'reference.parquet');
  if (rcols.includes(label) && input.score) {
    await copy(
      `SELECT ${ident(input.score)} AS score, ${ident(label)} AS label FROM r WHERE ${ident(label)} IS NOT NULL`,
      'reference-scores.parquet',
    );
  }
  return { rows, labelled, referenceRows };
}

/** The finite scores of a file (and their labels as text), read column-wise. */
async function scoredRows(
  conn: DuckDBConnection,
  file: string,
  score: string,
  label: string | null,
): Promise<{ scores: Float64Array; labels: string[] | null }> {
  const columns = await exclusive(conn, async () =>
    (
      await conn.runAndReadAll(
        `SELECT CAST(${ident(score)} AS DOUBLE) AS s${label ? `, CAST(${ident(label)} AS VARCHAR) AS y` : ''} FROM read_parquet(${literal(file)}) WHERE ${ident(score)} IS NOT NULL`,
      )
    ).getColumnsJS(),
  );
  return {
    scores: Float64Array.from((columns[0] ?? []) as number[]),
    labels: label ? ((columns[1] ?? []) as unknown[]).map((y) => String(y)) : null,
  };
}

/**
 * Computes one window with the engine: the same `validate` that `assay validate` runs, on the
 * window's rows (drift and data quality against the baseline) and on its labelled rows' output
 * and label (performance: the same metrics as on the whole rows), and CBPE on its scores. Files are written to a private temporary directory.
 */
export async function computeWindow(input: WindowInput): Promise<WindowComputation> {
  const dir = await mkdtemp(path.join(tmpdir(), 'assay-window-'));
  try {
    const exported = await withDuckDb((conn) => exportFiles(conn, input, dir));
    if (exported.rows === 0) {
      return {
        rows: 0,
        labelledRows: 0,
        drift: null,
        performance: null,
        cbpe: null,
        note: 'no predictions in the window',
      };
    }
    const notes: string[] = [];
    // both validations run in the shared instance (a fresh catalog each), not one instance each
    const duckdb = await monitoringDuckDb();
    let drift: ValidationEvidence | null = null;
    const output = input.score ?? input.prediction;
    if (exported.referenceRows > 0) {
      drift = await validate({
        data: path.join(dir, 'current.parquet'),
        reference: path.join(dir, 'reference.parquet'),
        ...(input.features ? { features: [...input.features, ...(output ? [output] : [])] } : {}),
        categorical: input.categorical,
        now: input.now,
        duckdb,
      });
    } else notes.push('the baseline has no rows');
    let performance: ValidationEvidence | null = null;
    if (input.performanceMinRows !== null && exported.labelled >= input.performanceMinRows && output) {
      // Labels arrive late and in any order: the labelled rows so far may not be evaluable yet (one
      // class only). The window then has no performance until more outcomes recompute it.
      performance = await validate({
        data: path.join(dir, 'labelled.parquet'),
        label: input.label,
        ...(input.score ? { score: input.score } : { prediction: output }),
        ...(input.threshold !== null ? { threshold: input.threshold } : {}),
        ...(input.positiveLabel !== null ? { positiveLabel: input.positiveLabel } : {}),
        features: [],
        // the labelled file holds the output and the label only (see exportFiles)
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
      const score = input.score;
      const refFile = path.join(dir, 'reference-scores.parquet');
      cbpe = await withDuckDb(async (conn) => {
        const exists = await queryRows(conn, `SELECT count(*) AS n FROM glob(${literal(refFile)})`);
        if (count(exists[0]?.n) === 0) return null;
        const ref = await scoredRows(conn, refFile, 'score', 'label');
        const reference: ScoredRow[] = Array.from(ref.scores, (s, i) => ({
          score: s,
          label: ref.labels?.[i] ?? null,
        }));
        const current = await scoredRows(conn, path.join(dir, 'current.parquet'), score, null);
        return cbpeEstimate(reference, current.scores, {
          threshold: input.threshold ?? 0.5,
          positiveLabel: input.positiveLabel,
        });
      });
      if (!cbpe) notes.push('estimated performance needs a baseline with labels and scores');
    }
    return {
      rows: exported.rows,
      labelledRows: exported.labelled,
      drift,
      performance,
      cbpe,
      note: notes.length > 0 ? notes.join('; ') : null,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
