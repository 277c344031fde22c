import { column, type Matrix } from '../model/features.ts';
import type { GridScores } from '../model/runner.ts';
import type { Predict } from './permutation-importance.ts';

/** scipy.stats.mstats.mquantiles with alphap = betap = 0.4 (the plotting positions scikit-learn uses). */
export function mquantiles(sorted: Float64Array, p: number, alphap = 0.4, betap = 0.4): number {
  const n = sorted.length;
  const m = alphap + p * (1 - alphap - betap);
  const aleph = n * p + m;
  const k = Math.floor(Math.min(Math.max(aleph, 1), n - 1));
  const gamma = Math.min(Math.max(aleph - k, 0), 1);
  return (1 - gamma) * (sorted[k - 1] as number) + gamma * (sorted[k] as number);
}

/**
 * scikit-learn's `_grid_from_X` for one column: its unique values (sorted) when fewer than
 * `resolution` (or when categorical), else `resolution` evenly spaced points between the
 * `percentiles` of the column (mquantiles). Missing values are left out.
 */
export function pdGrid(
  values: Float64Array,
  options: { resolution?: number; percentiles?: [number, number]; categorical?: boolean } = {},
): Float64Array {
  const resolution = options.resolution ?? 100;
  const [lo, hi] = options.percentiles ?? [0.05, 0.95];
  const sorted = values.filter((v) => !Number.isNaN(v)).sort();
  const uniques: number[] = [];
  for (const v of sorted) if (uniques.length === 0 || uniques[uniques.length - 1] !== v) uniques.push(v);
  if (options.categorical || uniques.length < resolution) return Float64Array.from(uniques);
  const a = mquantiles(sorted, lo);
  const b = mquantiles(sorted, hi);
  if (Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b)) {
    // scikit-learn refuses this ("percentiles are too close"); the unique values are the honest grid
    return Float64Array.from(uniques);
  }
  return linspace(a, b, resolution);
}

/** numpy.linspace(start, stop, num, endpoint=True). */
export function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  return out;
}

export interface PartialDependence {
  feature: string;
  grid: number[];
  /** The mean prediction at each grid value (scikit-learn's `average`). */
  average: number[];
  /** ICE curves of some rows: the prediction of each at each grid value. */
  ice: { row: number; values: number[] }[];
}

/** The most rows scored in one call by partial dependence (bounds the copy: rows × features × 8 bytes). */
const PD_BATCH_ROWS = 1 << 20;

/**
 * Partial dependence and ICE by brute force (scikit-learn `method='brute'`): for each grid value,
 * every row with the feature set to it is scored; the average over rows is the PD curve. Grid
 * values are scored together, as many per call as fit in about a million rows.
 */
export async function partialDependence(
  predict: Predict,
  x: Matrix,
  j: number,
  name: string,
  options: {
    grid?: Float64Array;
    categorical?: boolean;
    iceRows?: number[];
    batchRows?: number;
    /** A runner's faster way to the same scores (Assay's tree evaluator); else rows are scored. */
    gridScores?: GridScores | null;
  } = {},
): Promise<PartialDependence> {
  const grid = options.grid ?? pdGrid(column(x, j), { categorical: options.categorical ?? false });
  const limit = options.batchRows ?? PD_BATCH_ROWS;
  if (options.gridScores)
    return fromGridScores(options.gridScores, x, j, name, grid, limit, options.iceRows ?? []);
  const perCall = Math.max(1, Math.min(grid.length, Math.floor(limit / Math.max(1, x.rows))));
  const average: number[] = [];
  const iceRows = options.iceRows ?? [];
  const ice = iceRows.map((row) => ({ row, values: [] as number[] }));
  let buffer: Float64Array | null = null;
  for (let g0 = 0; g0 < grid.length; g0 += perCall) {
    const count = Math.min(perCall, grid.length - g0);
    const size = x.rows * count * x.cols;
    if (!buffer || buffer.length < size) buffer = new Float64Array(size);
    const batch: Matrix = { rows: x.rows * count, cols: x.cols, data: buffer.subarray(0, size) };
    for (let g = 0; g < count; g++) {
      batch.data.set(x.data, g * x.rows * x.cols);
      const value = grid[g0 + g] as number;
      for (let i = 0; i < x.rows; i++) batch.data[(g * x.rows + i) * x.cols + j] = value;
    }
    const scores = await predict(batch);
    for (let g = 0; g < count; g++) {
      let sum = 0;
      for (let i = 0; i < x.rows; i++) sum += scores[g * x.rows + i] as number;
      average.push(sum / x.rows);
      for (const [k, row] of iceRows.entries()) ice[k]?.values.push(scores[g * x.rows + row] as number);
    }
  }
  return { feature: name, grid: Array.from(grid), average, ice };
}

/**
 * The same curves from a runner's grid scores, taken in chunks of rows (about `limit` scores a
 * call): each grid value's sum still adds the rows in order, so the average equals brute force's.
 */
async function fromGridScores(
  gridScores: GridScores,
  x: Matrix,
  j: number,
  name: string,
  grid: Float64Array,
  limit: number,
  iceRows: number[],
): Promise<PartialDependence> {
  const g = grid.length;
  const sums = new Float64Array(g);
  const ice = iceRows.map((row) => ({ row, values: new Array<number>(g).fill(0) }));
  const perCall = Math.max(1, Math.floor(limit / Math.max(1, g)));
  for (let r0 = 0; r0 < x.rows; r0 += perCall) {
    const r1 = Math.min(x.rows, r0 + perCall);
    const n = r1 - r0;
    const scores = await gridScores(x, j, grid, r0, r1);
    for (let k = 0; k < g; k++) {
      let sum = sums[k] as number;
      for (let i = 0; i < n; i++) sum += scores[k * n + i] as number;
      sums[k] = sum;
    }
    for (const [c, row] of iceRows.entries()) {
      if (row < r0 || row >= r1) continue;
      for (let k = 0; k < g; k++)
        (ice[c] as { values: number[] }).values[k] = scores[k * n + row - r0] as number;
    }
  }
  return { feature: name, grid: Array.from(grid), average: Array.from(sums, (s) => s / x.rows), ice };
}
