import { InputError } from '../load/input-error.ts';

/** A model input: a numeric feature, or a categorical one sent as the code of its category. */
export interface FeatureSpec {
  name: string;
  /** Categories in code order (code = position); absent for a numeric feature. */
  categories?: string[];
}

/** Parses a JSON list of feature specs (`[{"name": "age"}, {"name": "sex", "categories": [...]}]`). */
export function parseFeatureSpecs(text: string, where: string): FeatureSpec[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${where}: not JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(`${where}: expected a non-empty JSON list of {name, categories?}`);
  }
  return value.map((entry, i) => {
    const e = entry as { name?: unknown; categories?: unknown };
    if (typeof e?.name !== 'string' || e.name === '') {
      throw new InputError(`${where}: entry ${i + 1} has no name`);
    }
    if (e.categories === undefined) return { name: e.name };
    if (!Array.isArray(e.categories) || e.categories.some((c) => typeof c !== 'string')) {
      throw new InputError(`${where}: entry ${i + 1} (${e.name}): categories must be a list of strings`);
    }
    return { name: e.name, categories: e.categories as string[] };
  });
}

/** Rows × features, row-major, as numbers (categories as codes, missing as NaN). */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** A copy of some rows of a matrix. */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = matrix(rows.length, m.cols);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    out.data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return out;
}

export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j] as number;
  return out;
}
