// Assay side of bench/explain (see README.md): the same 100-tree forest as ONNX, on the same rows.
//   node --import tsx bench/explain/run.ts [shapRows]
// Reads /tmp/assay-bench-explain.csv and bench/explain/forest-100.onnx written by sklearn_bench.py.
// Scoring, permutation importance and partial dependence run on Assay's tree evaluator (the
// runner picks it for this graph; its threads: ASSAY_TREE_THREADS, default the cores); scoring is
// also timed with ONNX Runtime (one thread) in the same run, and checked equal.
import { performance } from 'node:perf_hooks';
import { partialDependence } from '../../src/engine/explain/partial-dependence.ts';
import { permutationImportance } from '../../src/engine/explain/permutation-importance.ts';
import { exactShapley } from '../../src/engine/explain/shapley.ts';
import { treeShap } from '../../src/engine/explain/tree-shap.ts';
import { treeShapPathDependent } from '../../src/engine/explain/tree-shap-path.ts';
import { type Matrix, takeRows } from '../../src/engine/model/features.ts';
import { readModelData } from '../../src/engine/model/model-data.ts';
import { OnnxRunner } from '../../src/engine/model/onnx-runner.ts';

const shapRows = Number(process.argv[2] ?? 1000);
const modelFile = new URL('./forest-100.onnx', import.meta.url).pathname;
const treeThreads = process.env.ASSAY_TREE_THREADS ? Number(process.env.ASSAY_TREE_THREADS) : undefined;
const runner = await OnnxRunner.open(modelFile, treeThreads ? { treeThreads } : {});
const ort = await OnnxRunner.open(modelFile, { evaluator: 'onnxruntime' });
const data = await readModelData('/tmp/assay-bench-explain.csv', runner.features, { label: 'label' });
const x = data.matrix;
const predict = (m: Matrix) => runner.predict(m);
// Wall-clock seconds, and this process's CPU seconds beside them (under load the wall clock
// mostly measures waiting for a core; cpu is what the work cost).
const cpu: Record<string, number> = {};
let label = '';
const time = async (f: () => Promise<unknown> | unknown) => {
  const c = process.cpuUsage();
  const t = performance.now();
  await f();
  const used = process.cpuUsage(c);
  cpu[label] = (used.user + used.system) / 1e6;
  return (performance.now() - t) / 1000;
};
const named = (name: string) => {
  label = name;
};
await predict(takeRows(x, [0, 1, 2]));
await predict(x); // warm: the kernels compiled, the worker threads started
named('scoring');
let scores: Float64Array<ArrayBufferLike> = new Float64Array(0);
const scoring = await time(async () => {
  scores = await predict(x);
});
named('scoring_onnxruntime');
let ortScores: Float64Array<ArrayBufferLike> = new Float64Array(0);
const ortScoring = await time(async () => {
  ortScores = await ort.predict(x);
});
if (scores.some((v, i) => v !== ortScores[i])) throw new Error('the tree evaluator and ONNX Runtime differ');
await ort.close();
named('permutation_importance');
const pi = await time(() =>
  permutationImportance(predict, x, data.label as Float64Array, {
    scoring: 'accuracy',
    seed: 0,
    permutedScores: runner.permutedScores,
  }),
);
named('partial_dependence_2_features');
const pd = await time(async () => {
  for (const f of ['age', 'hr_per_week']) {
    await partialDependence(
      predict,
      x,
      runner.features.findIndex((s) => s.name === f),
      f,
      { gridScores: runner.gridScores },
    );
  }
});
const ensemble = runner.graph.ensemble;
if (!ensemble) throw new Error('no tree ensemble in the graph');
const background = takeRows(
  x,
  Array.from({ length: 100 }, (_, i) => i * 7),
);
named('treeshap');
const tree = await time(() => {
  for (let r = 0; r < Math.min(shapRows, x.rows); r++) treeShap(ensemble, x, r, background);
});
named('treeshap_path_dependent');
const treePath = await time(() => {
  for (let r = 0; r < Math.min(shapRows, x.rows); r++) treeShapPathDependent(ensemble, x, r);
});
const enumRows = 2;
named('enumeration_2_rows');
const enumeration = await time(async () => {
  for (let r = 0; r < enumRows; r++) await exactShapley(predict, x, r, background);
});
console.log(
  JSON.stringify({
    rows: x.rows,
    features: x.cols,
    trees: ensemble.trees.length,
    evaluator: runner.record().evaluator,
    evaluator_threads: runner.record().evaluator_threads,
    rows_per_s: x.rows / scoring,
    onnxruntime_rows_per_s: x.rows / ortScoring,
    assay_permutation_importance_s: pi,
    assay_partial_dependence_2_features_s: pd,
    treeshap_exact_rows: Math.min(shapRows, x.rows),
    treeshap_exact_s: tree,
    treeshap_path_dependent_s: treePath,
    enumeration_exact_s_per_row: enumeration / enumRows,
    evaluations: runner.evaluations,
    cpu_s: cpu,
    rows_per_cpu_s: x.rows / (cpu.scoring as number),
    onnxruntime_rows_per_cpu_s: x.rows / (cpu.scoring_onnxruntime as number),
  }),
);
await runner.close();
