import type { ExplainEvidence, ShapResult } from '../../contracts/explain.ts';
import { ASSAY_VERSION } from '../../version.ts';
import { InputError } from '../load/input-error.ts';
import { type Matrix, takeRows } from '../model/features.ts';
import { readModelData } from '../model/model-data.ts';
import { OnnxRunner } from '../model/onnx-runner.ts';
import { openRunner, type RunnerOptions } from '../model/open-runner.ts';
import { RandomState } from './mt19937.ts';
import { partialDependence, pdGrid } from './partial-dependence.ts';
import { permutationImportance } from './permutation-importance.ts';
import type { Scoring } from './scoring.ts';
import { shapValues } from './shap-values.ts';

export interface ExplainOptions extends RunnerOptions {
  data: string;
  /** Background rows for Shapley values (default: a sample of the data). */
  background?: string;
  label?: string;
  positiveLabel?: string;
  scoring?: Scoring;
  nRepeats?: number;
  seed?: number;
  /** Rows of the data used at most (a seeded sample beyond; default 10,000). */
  maxRows?: number;
  /** Features for partial dependence (default: all). */
  pdFeatures?: string[];
  gridResolution?: number;
  /** ICE curves drawn for this many rows (default 10). */
  iceRows?: number;
  /** Background rows (default 100, as shap's maskers.Independent). */
  backgroundRows?: number;
  /** Rows (0-based positions in the data used) explained by Shapley values (default: the first 20, 200 for trees). */
  explainRows?: number[];
  /**
   * auto: tree for a tree ensemble read from ONNX, exact up to 12 features, else kernel;
   * tree_path_dependent: TreeSHAP from the ensemble's node covers (no background).
   */
  shapMethod?: 'auto' | 'exact' | 'kernel' | 'tree' | 'tree_path_dependent' | 'none';
  kernelSamples?: number;
  /** KernelSHAP feature selection, shap's `l1_reg` spelling (default "num_features(10)"). */
  kernelL1Reg?: string;
  now: Date;
  progress?: (stage: string, fraction: number) => void;
}

/** A seeded sample of `k` of `n` positions (numpy legacy shuffle), in ascending order. */
export function sampleRows(n: number, k: number, seed: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  new RandomState(seed).shuffle(idx);
  return Array.from(idx.subarray(0, k)).sort((a, b) => a - b);
}

/** Computes permutation importance, partial dependence with ICE, and Shapley values for a model. */
export async function explain(options: ExplainOptions): Promise<ExplainEvidence> {
  const progress = options.progress ?? (() => {});
  const seed = options.seed ?? 0;
  const maxRows = options.maxRows ?? 10_000;
  const warnings: string[] = [];
  const runner = await openRunner(options);
  try {
    progress('reading data', 0.02);
    const data = await readModelData(options.data, runner.features, {
      ...(options.label !== undefined ? { label: options.label } : {}),
      ...(options.positiveLabel !== undefined ? { positiveLabel: options.positiveLabel } : {}),
    });
    if (data.rows === 0) throw new InputError(`${options.data}: no rows`);
    const features = data.features;
    const used = sampleRows(data.rows, maxRows, seed);
    const x = used.length === data.rows ? data.matrix : takeRows(data.matrix, used);
    const y = data.label ? Float64Array.from(used, (i) => (data.label as Float64Array)[i] as number) : null;
    if (used.length < data.rows)
      warnings.push(`a seeded sample of ${used.length} of ${data.rows} rows was used`);
    const predict = (m: Matrix) => runner.predict(m);

    let importance: ExplainEvidence['permutation_importance'] = null;
    if (y) {
      progress('permutation importance', 0.05);
      const scoring = options.scoring ?? 'accuracy';
      const pi = await permutationImportance(predict, x, y, {
        scoring,
        nRepeats: options.nRepeats ?? 5,
        seed,
        permutedScores: runner instanceof OnnxRunner ? runner.permutedScores : null,
      });
      importance = {
        scoring,
        n_repeats: pi.n_repeats,
        seed,
        column_seed: pi.column_seed,
        baseline: pi.baseline,
        rows: x.rows,
        features: pi.importances.map((r, j) => ({ feature: (features[j] as { name: string }).name, ...r })),
      };
    } else warnings.push('no --label: permutation importance needs one and was skipped');

    const pdNames = options.pdFeatures ?? features.map((f) => f.name);
    const partial: ExplainEvidence['partial_dependence'] = [];
    const iceRows = Array.from({ length: Math.min(options.iceRows ?? 10, x.rows) }, (_, i) => i);
    for (const [k, name] of pdNames.entries()) {
      progress(`partial dependence: ${name}`, 0.3 + (0.3 * k) / pdNames.length);
      const j = features.findIndex((f) => f.name === name);
      if (j < 0) throw new InputError(`--pd-features: ${name} is not one of the model's features`);
      const spec = features[j] as { name: string; categories?: string[] };
      const column = Float64Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j] as number);
      const grid = pdGrid(column, {
        resolution: options.gridResolution ?? 100,
        categorical: spec.categories !== undefined,
      });
      const pd = await partialDependence(predict, x, j, name, {
        grid,
        iceRows,
        gridScores: runner instanceof OnnxRunner ? runner.gridScores : null,
      });
      partial.push({ ...pd, ...(spec.categories ? { categories: spec.categories } : {}) });
    }

    let shap: ShapResult | null = null;
    const backgroundInputs: ExplainEvidence['inputs'] = [];
    if ((options.shapMethod ?? 'auto') !== 'none') {
      progress('Shapley values', 0.6);
      let background: Matrix;
      if (options.background !== undefined) {
        const file = await readModelData(options.background, features);
        backgroundInputs.push({ role: 'background', path: file.path, sha256: file.sha256, rows: file.rows });
        background = takeRows(file.matrix, sampleRows(file.rows, options.backgroundRows ?? 100, seed + 1));
      } else {
        background = takeRows(x, sampleRows(x.rows, options.backgroundRows ?? 100, seed + 1));
      }
      shap = await shapValues({
        options,
        ensemble: runner instanceof OnnxRunner ? runner.graph.ensemble : null,
        x,
        background,
        names: features.map((f) => f.name),
        seed,
        predict,
        warnings,
        progress: (f) => progress('Shapley values', 0.6 + 0.4 * f),
      });
    }
    progress('done', 1);
    return {
      schema: 'assay.explain/v1',
      engine: { name: 'assay', version: ASSAY_VERSION },
      created_at: options.now.toISOString(),
      inputs: [{ role: 'data', path: data.path, sha256: data.sha256, rows: data.rows }, ...backgroundInputs],
      model: { ...runner.record(), features },
      config: {
        label: options.label ?? null,
        positive_label: data.positiveLabel,
        rows_used: x.rows,
        max_rows: maxRows,
        seed,
        grid_resolution: options.gridResolution ?? 100,
        percentiles: [0.05, 0.95],
      },
      permutation_importance: importance,
      partial_dependence: partial,
      shap,
      warnings,
    };
  } finally {
    await runner.close();
  }
}
