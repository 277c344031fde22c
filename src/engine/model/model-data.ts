import { DuckDBInstance } from '@duckdb/node-api';
import { ident, queryRows } from '../duckdb/sql.ts';
import { InputError } from '../load/input-error.ts';
import { loadTable, requireColumn } from '../load/load-table.ts';
import type { FeatureSpec, Matrix } from './features.ts';

/** A data file read for a model: its features as a matrix, and optionally a binary label and a score column. */
export interface ModelData {
  path: string;
  sha256: string;
  rows: number;
  matrix: Matrix;
  /** The features, with the categories of categorical ones (learned from the data when not declared). */
  features: FeatureSpec[];
  /** 1 for the positive class, 0 otherwise (null without a label column). */
  label: Float64Array | null;
  positiveLabel: string | null;
  /** A score column of the file (for reproducibility checks), or null. */
  score: Float64Array | null;
}

export interface ReadOptions {
  label?: string;
  positiveLabel?: string;
  score?: string;
  /** Read at most this many rows (the first ones). */
  limit?: number;
}

/**
 * Reads the model's features (in its order) from a CSV, Parquet or JSON-lines file, in file order.
 * Categorical features are sent as the code of their category: a value that is none of the
 * declared categories is refused (named with its line); numeric features must be numbers.
 */
export async function readModelData(
  file: string,
  features: FeatureSpec[],
  options: ReadOptions = {},
): Promise<ModelData> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const categorical = features.filter((f) => f.categories).map((f) => f.name);
    const table = await loadTable(conn, file, { categorical });
    for (const f of features) requireColumn(table, f.name);
    if (options.label !== undefined) requireColumn(table, options.label);
    if (options.score !== undefined) requireColumn(table, options.score);
    const limit = options.limit !== undefined ? ` LIMIT ${Math.floor(options.limit)}` : '';
    const rows = await queryRows(
      conn,
      `SELECT ${[
        ...features.map((f) => f.name),
        ...[options.label, options.score].filter((c) => c !== undefined),
      ]
        .map((c, i) => `CAST(${ident(c as string)} AS VARCHAR) AS c${i}`)
        .join(', ')} FROM ${table.table}${limit}`,
    );
    const resolved = features.map((f, j) => {
      if (f.categories) return f;
      const kind = table.columns.find((c) => c.name === f.name)?.kind;
      if (kind === 'numeric') return f;
      const seen = new Set<string>();
      for (const r of rows) if (r[`c${j}`] != null && r[`c${j}`] !== '') seen.add(String(r[`c${j}`]));
      return { name: f.name, categories: [...seen].sort() };
    });
    const n = rows.length;
    const cols = features.length;
    const data = new Float64Array(n * cols);
    const codes = resolved.map((f) => (f.categories ? new Map(f.categories.map((c, i) => [c, i])) : null));
    rows.forEach((r, i) => {
      for (let j = 0; j < cols; j++) {
        const raw = r[`c${j}`];
        const name = (resolved[j] as FeatureSpec).name;
        if (raw === null || raw === undefined || raw === '') {
          data[i * cols + j] = Number.NaN;
          continue;
        }
        const map = codes[j];
        if (map) {
          const code = map.get(String(raw));
          if (code === undefined) {
            throw new InputError(
              `${file}: line ${i + 2}: '${String(raw)}' in column ${name} is none of the model's categories (${[...map.keys()].slice(0, 8).join(', ')}${map.size > 8 ? ', …' : ''})`,
            );
          }
          data[i * cols + j] = code;
        } else {
          const v = Number(raw);
          if (!Number.isFinite(v)) {
            throw new InputError(
              `${file}: line ${i + 2}: column ${name} must be a number, got '${String(raw)}'`,
            );
          }
          data[i * cols + j] = v;
        }
      }
    });
    let label: Float64Array | null = null;
    let positiveLabel: string | null = null;
    if (options.label !== undefined) {
      const values = rows.map((r) => (r[`c${cols}`] == null ? '' : String(r[`c${cols}`])));
      const distinct = [...new Set(values.filter((v) => v !== ''))].sort();
      positiveLabel = options.positiveLabel ?? (distinct.includes('1') ? '1' : (distinct.at(-1) ?? '1'));
      if (distinct.length > 2) {
        throw new InputError(
          `${file}: label ${options.label} has ${distinct.length} values; explain and stress support binary labels`,
        );
      }
      const missing = values.indexOf('');
      if (missing >= 0)
        throw new InputError(`${file}: line ${missing + 2}: label ${options.label} is missing`);
      label = Float64Array.from(values, (v) => (v === positiveLabel ? 1 : 0));
    }
    let score: Float64Array | null = null;
    if (options.score !== undefined) {
      const k = cols + (options.label !== undefined ? 1 : 0);
      score = Float64Array.from(rows, (r, i) => {
        const v = Number(r[`c${k}`]);
        if (r[`c${k}`] == null || !Number.isFinite(v)) {
          throw new InputError(`${file}: line ${i + 2}: score ${options.score} must be a number`);
        }
        return v;
      });
    }
    return {
      path: table.path,
      sha256: table.sha256,
      rows: n,
      matrix: { rows: n, cols, data },
      features: resolved,
      label,
      positiveLabel,
      score,
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
