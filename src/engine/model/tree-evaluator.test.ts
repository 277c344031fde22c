// Assay's tree-ensemble evaluator against ONNX Runtime, bit for bit: the committed forests, rows
// with missing values, every comparison mode and a regressor's base value (graphs built here), and
// the partial dependence and permutation importance paths against brute-force scoring.
import onnxProto from 'onnx-proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partialDependence } from '../explain/partial-dependence.ts';
import { permutationImportance } from '../explain/permutation-importance.ts';
import type { Matrix } from './features.ts';
import { readModelData } from './model-data.ts';
import { OnnxRunner } from './onnx-runner.ts';

const { onnx } = onnxProto;
const DIR = new URL('../../../test/fixtures/models/', import.meta.url).pathname;

/** Rows of m repeated to n rows (so that the evaluator splits them over threads). */
function repeatRows(m: Matrix, n: number): Matrix {
  const data = new Float64Array(n * m.cols);
  for (let r = 0; r < n; r++)
    data.set(m.data.subarray((r % m.rows) * m.cols, ((r % m.rows) + 1) * m.cols), r * m.cols);
  return { rows: n, cols: m.cols, data };
}

describe.each([
  ['adult-forest.onnx', 'adult-sample.csv'],
  ['planted-forest.onnx', 'planted.csv'],
])('the committed %s', (model, csv) => {
  let fast: OnnxRunner;
  let ort: OnnxRunner;
  let x: Matrix;
  let y: Float64Array;
  beforeAll(async () => {
    fast = await OnnxRunner.open(`${DIR}${model}`, { treeThreads: 2 });
    ort = await OnnxRunner.open(`${DIR}${model}`, { evaluator: 'onnxruntime' });
    const data = await readModelData(`${DIR}${csv}`, fast.features, { label: 'label' });
    x = data.matrix;
    y = data.label as Float64Array;
  });
  afterAll(async () => {
    await fast.close();
    await ort.close();
  });

  it("is scored by Assay's evaluator, and the evidence says so", () => {
    expect(fast.record()).toMatchObject({ evaluator: 'assay-tree-ensemble', evaluator_threads: 2 });
    expect(ort.record()).toMatchObject({
      evaluator: 'onnxruntime',
      evaluator_note: 'ONNX Runtime was asked for',
    });
  });

  it('scores equal ONNX Runtime bit for bit, on one thread and on two, with missing values', async () => {
    expect(Array.from(await fast.predict(x))).toEqual(Array.from(await ort.predict(x)));
    const big = repeatRows(x, 20_000); // above the threshold for worker threads
    for (let r = 0; r < big.rows; r += 97) big.data[r * big.cols + (r % big.cols)] = Number.NaN;
    expect(Array.from(await fast.predict(big))).toEqual(Array.from(await ort.predict(big)));
  });

  it('partial dependence and ICE equal brute-force scoring by ONNX Runtime', async () => {
    for (const j of [0, Math.floor(x.cols / 2), x.cols - 1]) {
      const brute = await partialDependence((m) => ort.predict(m), x, j, 'f', { iceRows: [0, 3, 9] });
      const tree = await partialDependence((m) => fast.predict(m), x, j, 'f', {
        iceRows: [0, 3, 9],
        gridScores: fast.gridScores,
        batchRows: 5000, // several chunks of rows
      });
      expect(tree).toEqual(brute);
    }
  });

  it('permutation importance equals scoring the permuted copies by ONNX Runtime', async () => {
    const options = { scoring: 'neg_log_loss' as const, seed: 3, nRepeats: 6 };
    const brute = await permutationImportance((m) => ort.predict(m), x, y, options);
    const before = fast.evaluations;
    const tree = await permutationImportance((m) => fast.predict(m), x, y, {
      ...options,
      permutedScores: fast.permutedScores,
    });
    expect(tree).toEqual(brute);
    expect(fast.evaluations - before).toBe(x.rows * (1 + 6 * x.cols));
  });
});

/** A one-feature-pair TreeEnsemble graph with the given node modes (every tree the same shape). */
function ensembleGraph(
  kind: 'TreeEnsembleRegressor' | 'TreeEnsembleClassifier',
  modes: string[],
  base: number[],
): Uint8Array {
  const a = (name: string, v: Record<string, unknown>) => onnx.AttributeProto.create({ name, ...v });
  const nodes: Record<string, number[] | string[]> = {
    nodes_treeids: [],
    nodes_nodeids: [],
    nodes_featureids: [],
    nodes_values: [],
    nodes_modes: [],
    nodes_truenodeids: [],
    nodes_falsenodeids: [],
    nodes_missing_value_tracks_true: [],
  };
  const leaves: Record<string, number[]> = { treeids: [], nodeids: [], ids: [], weights: [] };
  modes.forEach((mode, t) => {
    // node 0 splits feature t % 2 at 0.5; node 1 splits feature 1 - t % 2 at -1.25; leaves 2, 3, 4
    const push = (id: number, f: number, v: number, m: string, yes: number, no: number, missing: number) => {
      (nodes.nodes_treeids as number[]).push(t);
      (nodes.nodes_nodeids as number[]).push(id);
      (nodes.nodes_featureids as number[]).push(f);
      (nodes.nodes_values as number[]).push(v);
      (nodes.nodes_modes as string[]).push(m);
      (nodes.nodes_truenodeids as number[]).push(yes);
      (nodes.nodes_falsenodeids as number[]).push(no);
      (nodes.nodes_missing_value_tracks_true as number[]).push(missing);
    };
    push(0, t % 2, 0.5, mode, 1, 4, t % 3 === 0 ? 1 : 0);
    push(1, 1 - (t % 2), -1.25, mode, 2, 3, t % 2);
    for (const id of [2, 3, 4]) {
      push(id, 0, 0, 'LEAF', 0, 0, 0);
      for (const cls of kind === 'TreeEnsembleClassifier' ? [0, 1] : [0]) {
        leaves.treeids?.push(t);
        leaves.nodeids?.push(id);
        leaves.ids?.push(cls);
        leaves.weights?.push(((t + 1) * (id + cls + 0.37)) / 7.3);
      }
    }
  });
  const enc = new TextEncoder();
  const prefix = kind === 'TreeEnsembleClassifier' ? 'class' : 'target';
  const attrs = [
    ...Object.entries(nodes).map(([name, v]) =>
      name === 'nodes_modes'
        ? a(name, { type: 8, strings: (v as string[]).map((s) => enc.encode(s)) })
        : name === 'nodes_values'
          ? a(name, { type: 6, floats: v })
          : a(name, { type: 7, ints: v }),
    ),
    a(`${prefix}_treeids`, { type: 7, ints: leaves.treeids }),
    a(`${prefix}_nodeids`, { type: 7, ints: leaves.nodeids }),
    a(`${prefix}_ids`, { type: 7, ints: leaves.ids }),
    a(`${prefix}_weights`, { type: 6, floats: leaves.weights }),
    ...(base.length ? [a('base_values', { type: 6, floats: base })] : []),
    ...(kind === 'TreeEnsembleClassifier'
      ? [a('classlabels_int64s', { type: 7, ints: [0, 1] })]
      : [a('n_targets', { type: 2, i: 1 })]),
  ];
  const outputs = kind === 'TreeEnsembleClassifier' ? ['label', 'probabilities'] : ['variable'];
  const tensor = (name: string, elem: number, dims: number[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: {
          elemType: elem,
          shape: { dim: dims.map((d) => (d < 0 ? { dimParam: 'N' } : { dimValue: d })) },
        },
      },
    });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 13 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    metadataProps: [{ key: 'assay.features', value: JSON.stringify([{ name: 'a' }, { name: 'b' }]) }],
    graph: {
      name: 'g',
      node: [{ opType: kind, domain: 'ai.onnx.ml', input: ['input'], output: outputs, attribute: attrs }],
      input: [tensor('input', 1, [-1, 2])],
      output:
        kind === 'TreeEnsembleClassifier'
          ? [tensor('label', 7, [-1]), tensor('probabilities', 1, [-1, 2])]
          : [tensor('variable', 1, [-1, 1])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

describe('graphs built here: every comparison mode, missing-value tracks, a regressor base value', () => {
  const modes = [
    'BRANCH_LEQ',
    'BRANCH_LT',
    'BRANCH_GTE',
    'BRANCH_GT',
    'BRANCH_LEQ',
    'BRANCH_GT',
    'BRANCH_LT',
  ];
  // values on and next to the thresholds (as float32), infinities and missing values
  const values = [
    0.5,
    Math.fround(0.5) + 1e-8,
    0.49999997,
    -1.25,
    -1.2500001,
    3,
    -7,
    0,
    Infinity,
    -Infinity,
    Number.NaN,
  ];
  const x: Matrix = { rows: values.length ** 2, cols: 2, data: new Float64Array(2 * values.length ** 2) };
  values.forEach((u, i) => {
    values.forEach((v, k) => {
      x.data[2 * (i * values.length + k)] = u;
      x.data[2 * (i * values.length + k) + 1] = v;
    });
  });

  it.each([
    ['TreeEnsembleRegressor', [2.75]],
    ['TreeEnsembleRegressor', []],
    ['TreeEnsembleClassifier', []],
  ] as const)('%s (base values %j) scores as ONNX Runtime', async (kind, base) => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const file = `${mkdtempSync('/tmp/assay-trees-')}/m.onnx`;
    writeFileSync(file, ensembleGraph(kind, modes, [...base]));
    const fast = await OnnxRunner.open(file);
    const ort = await OnnxRunner.open(file, { evaluator: 'onnxruntime' });
    expect(fast.evaluator).toBe('assay-tree-ensemble');
    expect(Array.from(await fast.predict(x))).toEqual(Array.from(await ort.predict(x)));
    await fast.close();
    await ort.close();
  });

  it('leaves a graph it does not reproduce to ONNX Runtime and says why', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const file = `${mkdtempSync('/tmp/assay-trees-')}/m.onnx`;
    writeFileSync(file, ensembleGraph('TreeEnsembleClassifier', modes, [0.1, 0.2]));
    const runner = await OnnxRunner.open(file);
    expect(runner.record()).toMatchObject({ evaluator: 'onnxruntime', evaluator_note: /classifier/ });
    await runner.close();
    const lr = await OnnxRunner.open(`${DIR}adult-lr.onnx`);
    expect(lr.record()).toMatchObject({ evaluator: 'onnxruntime', evaluator_note: /TreeEnsemble/ });
    await lr.close();
  });
});
