// Assay side of bench/explain (see README.md): the same 100-tree forest as ONNX, on the same rows.
//   node --import tsx bench/explain/run.ts [shapRows]
// Reads /tmp/assay-bench-explain.csv and bench/explain/forest-100.onnx written by sklearn_bench.py.
import { performance } from 'node:perf_hooks';
import { partialDependence } from '../../src/engine/explain/partial-dependence.ts';
import { permutationImportance } from '../../src/engine/explain/permutation-importance.ts';
import { exactShapley } from '../../src/engine/explain/shapley.ts';
import { treeShap } from '../../src/engine/explain/tree-shap.ts';
import { type Matrix, takeRows } from '../../src/engine/model/features.ts';
import { readModelData } from '../../src/engine/model/model-data.ts';
import { OnnxRunner } from '../../src/engine/model/onnx-runner.ts';

const shapRows = Number(process.argv[2] ?? 1000);
const runner = await OnnxRunner.open(new URL('./forest-100.onnx', import.meta.url).pathname);
const data = await readModelData('/tmp/assay-bench-explain.csv', runner.features, { label: 'label' });
const x = data.matrix;
const predict = (m: Matrix) => runner.predict(m);
const time = async (f: () => Promise<unknown> | unknown) => {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
};
await predict(takeRows(x, [0, 1, 2]));
const scoring = await time(() => predict(x));
const pi = await time(() =>
  permutationImportance(predict, x, data.label as Float64Array, { scoring: 'accuracy', seed: 0 }),
);
const pd = await time(async () => {
  for (const f of ['age', 'hr_per_week']) {
    await partialDependence(
      predict,
      x,
      runner.features.findIndex((s) => s.name === f),
      f,
    );
  }
});
const ensemble = runner.graph.ensemble;
if (!ensemble) throw new Error('no tree ensemble in the graph');
const background = takeRows(
  x,
  Array.from({ length: 100 }, (_, i) => i * 7),
);
const tree = await time(() => {
  for (let r = 0; r < Math.min(shapRows, x.rows); r++) treeShap(ensemble, x, r, background);
});
const enumRows = 2;
const enumeration = await time(async () => {
  for (let r = 0; r < enumRows; r++) await exactShapley(predict, x, r, background);
});
console.log(
  JSON.stringify({
    rows: x.rows,
    features: x.cols,
    trees: ensemble.trees.length,
    onnx_rows_per_s: x.rows / scoring,
    assay_permutation_importance_s: pi,
    assay_partial_dependence_2_features_s: pd,
    treeshap_exact_rows: Math.min(shapRows, x.rows),
    treeshap_exact_s: tree,
    enumeration_exact_s_per_row: enumeration / enumRows,
    evaluations: runner.evaluations,
  }),
);
await runner.close();
