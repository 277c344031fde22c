// Explainers against scikit-learn (reference values from scripts/reference/make_model_fixtures.py,
// committed in test/fixtures/models/expected.json): the ONNX models run by ONNX Runtime.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Matrix, takeRows } from '../model/features.ts';
import { readModelData } from '../model/model-data.ts';
import { OnnxRunner } from '../model/onnx-runner.ts';
import { kernelShap } from './kernel-shap.ts';
import { sklearnPermutations } from './mt19937.ts';
import { partialDependence, pdGrid } from './partial-dependence.ts';
import { permutationImportance } from './permutation-importance.ts';
import { exactShapley } from './shapley.ts';
import { treeShap } from './tree-shap.ts';

const DIR = new URL('../../../test/fixtures/models/', import.meta.url).pathname;
const expected = JSON.parse(readFileSync(`${DIR}expected.json`, 'utf8'));

describe.each(['lr', 'forest'] as const)('the %s model against scikit-learn', (name) => {
  let runner: OnnxRunner;
  let x: Matrix;
  let y: Float64Array;
  const ref = expected[name];
  const predict = (m: Matrix) => runner.predict(m);
  beforeAll(async () => {
    runner = await OnnxRunner.open(`${DIR}adult-${name === 'lr' ? 'lr' : 'forest'}.onnx`);
    const data = await readModelData(`${DIR}adult-sample.csv`, runner.features, { label: 'label' });
    x = data.matrix;
    y = data.label as Float64Array;
  });
  afterAll(() => runner.close());

  it('scores as predict_proba (float32 inference)', async () => {
    const p = await predict(x);
    const diffs = Array.from(p, (v, i) => Math.abs(v - ref.predict_proba[i]));
    expect(Math.max(...diffs)).toBeLessThan(2e-6);
    expect(runner.evaluations).toBeGreaterThanOrEqual(400);
  });

  it("draws numpy's permutations from the seed", () => {
    const pi = ref.permutation_importance;
    const { columnSeed, indices } = sklearnPermutations(pi.seed, x.rows, pi.n_repeats);
    expect(columnSeed).toBe(pi.column_seed);
    expect(indices.map((a) => Array.from(a))).toEqual(pi.indices);
  });

  it('permutation importance (accuracy) equals scikit-learn exactly', async () => {
    const pi = ref.permutation_importance;
    const out = await permutationImportance(predict, x, y, { scoring: 'accuracy', seed: pi.seed });
    expect(out.baseline).toBe(pi.baseline_accuracy);
    expect(out.importances.map((r) => r.repeats)).toEqual(pi.accuracy.importances);
    expect(out.importances.map((r) => r.mean)).toEqual(pi.accuracy.importances_mean);
    expect(out.importances.map((r) => r.std)).toEqual(pi.accuracy.importances_std);
  });

  it('permutation importance given the indices (roc_auc) matches to float32 scores', async () => {
    const pi = ref.permutation_importance;
    const indices = pi.indices.map((a: number[]) => Int32Array.from(a));
    const out = await permutationImportance(predict, x, y, { scoring: 'roc_auc', seed: 0, indices });
    expect(out.baseline).toBeCloseTo(pi.baseline_roc_auc, 4);
    out.importances.forEach((r, j) => {
      expect(r.mean).toBeCloseTo(pi.roc_auc.importances_mean[j], 3);
    });
  });

  it('partial dependence and ICE equal the brute method', async () => {
    for (const [feature, pd] of Object.entries(ref.partial_dependence) as [
      string,
      { grid: number[]; average: number[]; individual_first_rows: number[][] },
    ][]) {
      const j = runner.features.findIndex((f) => f.name === feature);
      const grid = pdGrid(Float64Array.from({ length: x.rows }, (_, i) => x.data[i * x.cols + j] as number));
      expect(grid.length).toBe(pd.grid.length);
      grid.forEach((g, k) => {
        expect(g).toBeCloseTo(pd.grid[k] as number, 9);
      });
      const out = await partialDependence(predict, x, j, feature, { iceRows: [0, 1, 2] });
      out.average.forEach((v, k) => {
        expect(Math.abs(v - (pd.average[k] as number))).toBeLessThan(2e-6);
      });
      for (const [r, c] of out.ice.entries()) {
        for (const [k, v] of c.values.entries()) {
          expect(Math.abs(v - (pd.individual_first_rows[r]?.[k] as number))).toBeLessThan(2e-6);
        }
      }
      // scored a few grid values per call (as large data is): the same numbers
      const chunked = await partialDependence(predict, x, j, feature, {
        iceRows: [0, 1, 2],
        batchRows: 1000,
      });
      expect(chunked).toEqual(out);
    }
  });

  it('exact Shapley values equal enumeration in numpy and add up', async () => {
    const sh = ref.shapley;
    const background = takeRows(
      x,
      Array.from({ length: sh.background_rows }, (_, i) => i),
    );
    for (const [k, row] of (sh.explained_rows as number[]).entries()) {
      const out = await exactShapley(predict, x, row, background);
      out.values.forEach((v, j) => {
        expect(Math.abs(v - sh.values[k][j])).toBeLessThan(5e-6);
      });
      expect(Math.abs(out.expected - sh.expected_value)).toBeLessThan(2e-6);
      const sum = out.values.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (out.prediction - out.expected))).toBeLessThan(1e-9);
    }
  });

  it('KernelSHAP with every coalition and no l1 selection equals exact enumeration; sampled it still adds up', async () => {
    const background = takeRows(
      x,
      Array.from({ length: 10 }, (_, i) => i),
    );
    const exact = await exactShapley(predict, x, 30, background);
    const none = { kind: 'none' } as const;
    const full = await kernelShap(predict, x, 30, background, { seed: 0, nsamples: 4094, l1Reg: none });
    full.values.forEach((v, j) => {
      expect(Math.abs(v - (exact.values[j] as number))).toBeLessThan(1e-5);
    });
    // shap's default l1_reg "num_features(10)": at most 10 features get a value (fewer vary here)
    const selected = await kernelShap(predict, x, 30, background, { seed: 0, nsamples: 4094 });
    expect(selected.selected).toBeLessThanOrEqual(10);
    expect(selected.values.filter((v) => v !== 0).length).toBeLessThanOrEqual(selected.selected);
    const total = selected.values.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - (selected.prediction - selected.expected))).toBeLessThan(1e-9);
    const sampled = await kernelShap(predict, x, 31, background, { seed: 3, nsamples: 300 });
    const sum = sampled.values.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - (sampled.prediction - sampled.expected))).toBeLessThan(1e-9);
  });
});

describe('interventional TreeSHAP from the ONNX graph', () => {
  it('equals enumeration on the committed forest and adds up', async () => {
    const runner = await OnnxRunner.open(`${DIR}adult-forest.onnx`);
    const ensemble = runner.graph.ensemble;
    expect(ensemble?.trees.length).toBe(10);
    const data = await readModelData(`${DIR}adult-sample.csv`, runner.features);
    const x = data.matrix;
    const background = takeRows(
      x,
      Array.from({ length: 15 }, (_, i) => 100 + i),
    );
    for (const row of [0, 7, 42]) {
      const tree = treeShap(ensemble as NonNullable<typeof ensemble>, x, row, background);
      const exact = await exactShapley((m) => runner.predict(m), x, row, background);
      tree.values.forEach((v, j) => {
        expect(Math.abs(v - (exact.values[j] as number))).toBeLessThan(2e-6);
      });
      const sum = tree.values.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (tree.prediction - tree.expected))).toBeLessThan(1e-9);
    }
    await runner.close();
  });
});
