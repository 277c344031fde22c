import type { ShapResult } from '../../contracts/explain.ts';
import { InputError } from '../load/input-error.ts';
import type { Matrix } from '../model/features.ts';
import { ensembleScore, type TreeEnsemble } from '../model/onnx-graph.ts';
import { kernelShap } from './kernel-shap.ts';
import { DEFAULT_L1_REG, l1RegLabel, parseL1Reg } from './kernel-shap-l1.ts';
import type { Predict } from './permutation-importance.ts';
import { EXACT_MAX_FEATURES, exactShapley, type RowShapley } from './shapley.ts';
import { treeShap } from './tree-shap.ts';
import { treeShapPathDependent } from './tree-shap-path.ts';

/** Largest |ensemble read from the graph − the runner's score| for TreeSHAP to be used. */
const TREE_CHECK_TOLERANCE = 1e-5;

/**
 * Shapley values of the explained rows against the background, by the chosen method (auto:
 * interventional TreeSHAP when the ONNX graph is a tree ensemble that scores as the runner does,
 * exact enumeration up to 12 features, KernelSHAP above), with global mean |φ|.
 */
export async function shapValues(input: {
  options: {
    shapMethod?: 'auto' | 'exact' | 'kernel' | 'tree' | 'tree_path_dependent' | 'none';
    explainRows?: number[];
    kernelSamples?: number;
    kernelL1Reg?: string;
  };
  ensemble: TreeEnsemble | null;
  x: Matrix;
  background: Matrix;
  names: string[];
  seed: number;
  predict: Predict;
  warnings: string[];
  progress: (fraction: number) => void;
}): Promise<ShapResult> {
  const { x, background, names, predict, warnings, ensemble } = input;
  const asked = input.options.shapMethod ?? 'auto';
  if (asked === 'none') throw new InputError('shapValues: no method (none) was asked for');
  let method: 'auto' | 'exact' | 'kernel' | 'tree' | 'tree_path_dependent' = asked;
  const treeMethod = method === 'tree' || method === 'tree_path_dependent';
  let treeCheck: number | null = null;
  if (ensemble && (method === 'auto' || treeMethod)) {
    const scores = await predict(background);
    treeCheck = 0;
    for (let k = 0; k < background.rows; k++) {
      const own = ensembleScore(ensemble, background.data.subarray(k * x.cols, (k + 1) * x.cols));
      treeCheck = Math.max(treeCheck, Math.abs(own - (scores[k] as number)));
    }
    if (treeCheck > TREE_CHECK_TOLERANCE) {
      if (treeMethod) {
        throw new InputError(
          `the tree ensemble read from the graph scores ${treeCheck} away from ONNX Runtime: TreeSHAP refused`,
        );
      }
      warnings.push(
        `the tree ensemble read from the graph differs from ONNX Runtime by ${treeCheck}: TreeSHAP not used`,
      );
    }
  }
  if (method === 'auto') {
    if (ensemble && treeCheck !== null && treeCheck <= TREE_CHECK_TOLERANCE) method = 'tree';
    else method = x.cols <= EXACT_MAX_FEATURES ? 'exact' : 'kernel';
  }
  if (treeMethod && !ensemble) {
    throw new InputError(
      `--shap ${method} needs an ONNX model whose graph is one TreeEnsemble node with post_transform NONE`,
    );
  }
  if (method === 'tree_path_dependent' && ensemble?.trees.some((t) => t.cover === null)) {
    throw new InputError(
      '--shap tree_path_dependent needs the node covers (nodes_hitrates) in the ONNX graph; it has none: use tree',
    );
  }
  if (method === 'exact' && x.cols > 20) {
    throw new InputError(`--shap exact: ${x.cols} features means 2^${x.cols} coalitions per row; use kernel`);
  }
  const rows =
    input.options.explainRows ??
    Array.from(
      { length: Math.min(method === 'tree' || method === 'tree_path_dependent' ? 200 : 20, x.rows) },
      (_, i) => i,
    );
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= x.rows)
      throw new InputError(`--explain-rows: no row ${r} (the data used has ${x.rows})`);
  }
  const l1Reg = method === 'kernel' ? parseL1Reg(input.options.kernelL1Reg ?? DEFAULT_L1_REG) : null;
  const results: RowShapley[] = [];
  let nsamples: number | null = null;
  let selectedMax: number | null = null;
  for (const [k, row] of rows.entries()) {
    input.progress(k / rows.length);
    if (method === 'tree') results.push(treeShap(ensemble as TreeEnsemble, x, row, background));
    else if (method === 'tree_path_dependent')
      results.push(treeShapPathDependent(ensemble as TreeEnsemble, x, row));
    else if (method === 'exact') results.push(await exactShapley(predict, x, row, background));
    else {
      const out = await kernelShap(predict, x, row, background, {
        seed: input.seed + row,
        l1Reg: l1Reg ?? parseL1Reg(DEFAULT_L1_REG),
        ...(input.options.kernelSamples !== undefined ? { nsamples: input.options.kernelSamples } : {}),
      });
      nsamples = Math.max(nsamples ?? 0, out.nsamples);
      selectedMax = Math.max(selectedMax ?? 0, out.selected);
      results.push(out);
    }
  }
  const meanAbs = names.map(
    (_, j) => results.reduce((a, r) => a + Math.abs(r.values[j] as number), 0) / Math.max(1, results.length),
  );
  const additivity = results.reduce(
    (a, r) => Math.max(a, Math.abs(r.values.reduce((s, v) => s + v, 0) - (r.prediction - r.expected))),
    0,
  );
  return {
    method,
    background_rows: method === 'tree_path_dependent' ? 0 : background.rows,
    expected_value: results[0]?.expected ?? 0,
    global: names
      .map((feature, j) => ({ feature, mean_abs: meanAbs[j] as number }))
      .sort((a, b) => b.mean_abs - a.mean_abs),
    rows: results.map((r, k) => ({ row: rows[k] as number, prediction: r.prediction, values: r.values })),
    additivity_max_error: additivity,
    nsamples,
    l1_reg: l1Reg ? l1RegLabel(l1Reg) : null,
    kernel_selected_max: selectedMax,
    tree_check_max_difference: treeCheck,
  };
}
