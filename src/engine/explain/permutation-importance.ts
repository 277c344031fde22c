import type { Matrix } from '../model/features.ts';
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
  options: { scoring: Scoring; nRepeats?: number; seed: number; indices?: Int32Array[] },
): Promise<PermutationImportance> {
  const nRepeats = options.nRepeats ?? 5;
  const { columnSeed, indices } = options.indices
    ? { columnSeed: -1, indices: options.indices }
    : sklearnPermutations(options.seed, x.rows, nRepeats);
  const baseline = scoreOf(options.scoring, y, await predict(x));
  const importances: PermutationImportance['importances'] = [];
  for (let j = 0; j < x.cols; j++) {
    const permuted: Matrix = { rows: x.rows, cols: x.cols, data: x.data.slice() };
    // all repeats of a column are scored in one batch
    const batch: Matrix = {
      rows: x.rows * nRepeats,
      cols: x.cols,
      data: new Float64Array(x.rows * nRepeats * x.cols),
    };
    const col = new Float64Array(x.rows);
    for (let r = 0; r < nRepeats; r++) {
      const idx = indices[r] as Int32Array;
      for (let i = 0; i < x.rows; i++) col[i] = permuted.data[(idx[i] as number) * x.cols + j] as number;
      for (let i = 0; i < x.rows; i++) permuted.data[i * x.cols + j] = col[i] as number;
      batch.data.set(permuted.data, r * x.rows * x.cols);
    }
    const scores = await predict(batch);
    const repeats: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      repeats.push(baseline - scoreOf(options.scoring, y, scores.subarray(r * x.rows, (r + 1) * x.rows)));
    }
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
