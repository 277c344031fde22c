import { column, type Matrix } from '../model/features.ts';
import type { PermutedScores } from '../model/runner.ts';
import { sklearnPermutations } from './mt19937.ts';
import { type Scoring, scoreOf } from './scoring.ts';

export type Predict = (m: Matrix) => Promise<Float64Array>;

export interface PermutationImportance {
  scoring: Scoring;
  n_repeats: number;
  seed: number;
  column_seed: number;
  baseline: number;
  /** Per feature: baseline − permuted score, per repeat, and their mean and (population) standard deviation. */
  importances: { mean: number; std: number; repeats: number[] }[];
}

/**
 * scikit-learn's `permutation_importance` (defaults n_repeats=5): the baseline scored once; for
 * each column a copy of the data whose column is permuted again at each repeat with the same
 * row permutations for every column (one seed drawn from `seed` and reused); importance =
 * baseline − permuted score; mean and np.std (ddof 0). `indices` replaces numpy's permutations.
 */
export async function permutationImportance(
  predict: Predict,
  x: Matrix,
  y: Float64Array,
  options: {
    scoring: Scoring;
    nRepeats?: number;
    seed: number;
    indices?: Int32Array[];
    /** A runner's faster way to the same scores (Assay's tree evaluator); else copies are scored. */
    permutedScores?: PermutedScores | null;
  },
): Promise<PermutationImportance> {
  const nRepeats = options.nRepeats ?? 5;
  const { columnSeed, indices } = options.indices
    ? { columnSeed: -1, indices: options.indices }
    : sklearnPermutations(options.seed, x.rows, nRepeats);
  const baseline = scoreOf(options.scoring, y, await predict(x));
  const importances: PermutationImportance['importances'] = [];
  for (let j = 0; j < x.cols; j++) {
    // the column shuffled again at each repeat (scikit-learn shuffles its copy in place)
    const columns: Float64Array[] = [];
    let col = column(x, j);
    for (let r = 0; r < nRepeats; r++) {
      const idx = indices[r] as Int32Array;
      col = Float64Array.from(idx, (i) => col[i] as number);
      columns.push(col);
    }
    const scores = options.permutedScores
      ? await options.permutedScores(x, j, columns)
      : await scoreCopies(predict, x, j, columns);
    const repeats = scores.map((s) => baseline - scoreOf(options.scoring, y, s));
    const mean = repeats.reduce((a, b) => a + b, 0) / nRepeats;
    const std = Math.sqrt(repeats.reduce((a, b) => a + (b - mean) ** 2, 0) / nRepeats);
    importances.push({ mean, std, repeats });
  }
  return {
    scoring: options.scoring,
    n_repeats: nRepeats,
    seed: options.seed,
    column_seed: columnSeed,
    baseline,
    importances,
  };
}

/** Scores copies of x whose column j is each of `columns`, all in one batch. */
async function scoreCopies(
  predict: Predict,
  x: Matrix,
  j: number,
  columns: Float64Array[],
): Promise<Float64Array[]> {
  const batch: Matrix = {
    rows: x.rows * columns.length,
    cols: x.cols,
    data: new Float64Array(x.rows * columns.length * x.cols),
  };
  columns.forEach((col, r) => {
    batch.data.set(x.data, r * x.rows * x.cols);
    for (let i = 0; i < x.rows; i++) batch.data[(r * x.rows + i) * x.cols + j] = col[i] as number;
  });
  const scores = await predict(batch);
  return columns.map((_, r) => scores.subarray(r * x.rows, (r + 1) * x.rows));
}
