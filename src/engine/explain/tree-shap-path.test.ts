// Path-dependent TreeSHAP (Algorithm 2) against a brute-force enumeration of its definition: the
// Shapley values of v(S) = E[f(x) | x_S] as the tree estimates it (at a split on a feature of S
// follow x, elsewhere average the children by their covers), over all 2^M coalitions.
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../model/features.ts';
import { readModelData } from '../model/model-data.ts';
import { goesYes, type Tree, type TreeEnsemble } from '../model/onnx-graph.ts';
import { OnnxRunner } from '../model/onnx-runner.ts';
import { factorial } from './shapley.ts';
import { treeShapPathDependent } from './tree-shap-path.ts';

const DIR = new URL('../../../test/fixtures/models/', import.meta.url).pathname;

function conditional(tree: Tree, xr: Float64Array, mask: number, node = 0): number {
  if (tree.mode[node] === 'LEAF') return tree.value[node] as number;
  const j = tree.feature[node] as number;
  const yes = tree.yes[node] as number;
  const no = tree.no[node] as number;
  if ((mask >> j) & 1) return conditional(tree, xr, mask, goesYes(tree, node, xr[j] as number) ? yes : no);
  const c = tree.cover as Float64Array;
  return (
    ((c[yes] as number) * conditional(tree, xr, mask, yes) +
      (c[no] as number) * conditional(tree, xr, mask, no)) /
    (c[node] as number)
  );
}

function bruteForce(ensemble: TreeEnsemble, x: Matrix, row: number): { values: number[]; expected: number } {
  const m = x.cols;
  const xr = Float64Array.from(x.data.subarray(row * m, (row + 1) * m), Math.fround);
  const v = new Float64Array(1 << m);
  for (let mask = 0; mask < 1 << m; mask++) {
    let sum = ensemble.base;
    for (const tree of ensemble.trees) sum += conditional(tree, xr, mask);
    v[mask] = sum;
  }
  const values = Array.from({ length: m }, (_, i) => {
    let phi = 0;
    for (let mask = 0; mask < 1 << m; mask++) {
      if ((mask >> i) & 1) continue;
      let s = 0;
      for (let b = mask; b; b &= b - 1) s++;
      phi +=
        ((factorial(s) * factorial(m - s - 1)) / factorial(m)) *
        ((v[mask | (1 << i)] as number) - (v[mask] as number));
    }
    return phi;
  });
  return { values, expected: v[0] as number };
}

describe('path-dependent TreeSHAP', () => {
  it('equals the enumeration of its definition on a hand-made tree that splits twice on one feature', () => {
    // x0 ≤ 0.5 ? (x1 ≤ 0.5 ? 1 : (x0 ≤ 0.2 ? 2 : 7)) : 5, covers 10 → 6 (→ 2, 4 (→ 1, 3)), 4
    const tree: Tree = {
      feature: Int32Array.from([0, 1, 0, 0, 0, 0, 0]),
      threshold: Float64Array.from([0.5, 0.5, 0, 0.2, 0, 0, 0]),
      mode: ['BRANCH_LEQ', 'BRANCH_LEQ', 'LEAF', 'BRANCH_LEQ', 'LEAF', 'LEAF', 'LEAF'],
      yes: Int32Array.from([1, 2, -1, 4, -1, -1, -1]),
      no: Int32Array.from([6, 3, -1, 5, -1, -1, -1]),
      missingYes: new Uint8Array(7),
      value: Float64Array.from([0, 0, 1, 0, 2, 7, 5]),
      cover: Float64Array.from([10, 6, 2, 4, 1, 3, 4]),
    };
    const ensemble: TreeEnsemble = { kind: 'regressor', trees: [tree, tree], base: 0.25 };
    const x: Matrix = { rows: 3, cols: 3, data: Float64Array.from([0.3, 0.9, 4, 0.1, 0.1, 0, 0.7, 0.9, 1]) };
    for (const row of [0, 1, 2]) {
      const fast = treeShapPathDependent(ensemble, x, row);
      const slow = bruteForce(ensemble, x, row);
      for (const [j, v] of fast.values.entries()) expect(v).toBeCloseTo(slow.values[j] as number, 12);
      expect(fast.expected).toBeCloseTo(slow.expected, 12);
      expect(fast.values[2]).toBe(0); // a feature no split uses
      const sum = fast.values.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(fast.prediction - fast.expected, 12);
    }
    // E[f] is the cover-weighted mean leaf: 2 × (0.2·1 + 0.1·2 + 0.3·7 + 0.4·5) + 0.25
    expect(treeShapPathDependent(ensemble, x, 0).expected).toBeCloseTo(2 * 4.5 + 0.25, 12);
  });

  it('equals the enumeration on the committed forest (covers from nodes_hitrates), and adds up to ONNX Runtime', async () => {
    const runner = await OnnxRunner.open(`${DIR}adult-forest.onnx`);
    const ensemble = runner.graph.ensemble as TreeEnsemble;
    expect(ensemble.trees.every((t) => t.cover !== null)).toBe(true);
    const data = await readModelData(`${DIR}adult-sample.csv`, runner.features);
    const x = data.matrix;
    const scores = await runner.predict(x);
    for (const row of [0, 7, 42, 311]) {
      const fast = treeShapPathDependent(ensemble, x, row);
      const slow = bruteForce(ensemble, x, row);
      for (const [j, v] of fast.values.entries())
        expect(Math.abs(v - (slow.values[j] as number))).toBeLessThan(1e-12);
      const sum = fast.values.reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - (fast.prediction - fast.expected))).toBeLessThan(1e-12);
      expect(Math.abs(fast.prediction - (scores[row] as number))).toBeLessThan(1e-6);
    }
    await runner.close();
  });

  it('refuses an ensemble without node covers', () => {
    const tree: Tree = {
      feature: Int32Array.from([0, 0, 0]),
      threshold: Float64Array.from([0.5, 0, 0]),
      mode: ['BRANCH_LEQ', 'LEAF', 'LEAF'],
      yes: Int32Array.from([1, -1, -1]),
      no: Int32Array.from([2, -1, -1]),
      missingYes: new Uint8Array(3),
      value: Float64Array.from([0, 1, 2]),
      cover: null,
    };
    const x: Matrix = { rows: 1, cols: 1, data: Float64Array.from([0]) };
    expect(() => treeShapPathDependent({ kind: 'regressor', trees: [tree], base: 0 }, x, 0)).toThrow(
      /covers/,
    );
  });
});

describe('assay explain --shap tree_path_dependent', () => {
  it('records path-dependent values without a background, and refuses a model that is not a tree ensemble', async () => {
    const { explain } = await import('./explain.ts');
    const { explainEvidenceSchema } = await import('../../contracts/explain.ts');
    const common = {
      data: `${DIR}adult-sample.csv`,
      pdFeatures: ['age'],
      gridResolution: 5,
      explainRows: [0, 1, 2],
      shapMethod: 'tree_path_dependent' as const,
      now: new Date('2026-12-01T00:00:00Z'),
    };
    const ev = explainEvidenceSchema.parse(await explain({ ...common, model: `${DIR}adult-forest.onnx` }));
    expect(ev.shap?.method).toBe('tree_path_dependent');
    expect(ev.shap?.background_rows).toBe(0);
    expect(ev.shap?.additivity_max_error).toBeLessThan(1e-12);
    expect(ev.shap?.tree_check_max_difference).toBeLessThan(1e-5);
    await expect(explain({ ...common, model: `${DIR}adult-lr.onnx` })).rejects.toThrow(/TreeEnsemble/);
  });
});
