import type { Matrix } from '../model/features.ts';
import { goesYes, type Tree, type TreeEnsemble } from '../model/onnx-graph.ts';
import { factorial, type RowShapley } from './shapley.ts';

/**
 * Interventional TreeSHAP on a tree ensemble read from its ONNX graph (exact; no node covers
 * needed). For one reference row z, a tree's value under coalition S is the leaf reached by
 * taking x's branch at splits on features in S and z's elsewhere. Each leaf L is reached exactly
 * when the features where the path follows x (and z would not), A_L, are all in S and those where
 * it follows z (and x would not), B_L, are all outside S; the Shapley values of that indicator
 * game are (|A|−1)!|B|!/(|A|+|B|)! for features in A and −|A|!(|B|−1)!/(|A|+|B|)! for those in B.
 * Averaging over the background rows gives the interventional Shapley values; Σφ = f(x) − E f(b).
 */
export function treeShap(ensemble: TreeEnsemble, x: Matrix, row: number, background: Matrix): RowShapley {
  const m = x.cols;
  const phi = new Float64Array(m);
  const xr = Float64Array.from(x.data.subarray(row * m, (row + 1) * m), Math.fround);
  const zr = new Float64Array(m);
  const state = new Uint8Array(m); // 0: free, 1: in A (x side), 2: in B (z side)
  const order: number[] = [];
  let expected = 0;
  let prediction = ensemble.base;
  for (const tree of ensemble.trees) prediction += leafValue(tree, xr);
  for (let k = 0; k < background.rows; k++) {
    for (let j = 0; j < m; j++) zr[j] = Math.fround(background.data[k * m + j] as number);
    let fz = ensemble.base;
    for (const tree of ensemble.trees) {
      fz += leafValue(tree, zr);
      walk(tree, 0, 0, 0);
    }
    expected += fz;
  }
  for (let j = 0; j < m; j++) phi[j] = (phi[j] as number) / background.rows;
  return { values: Array.from(phi), expected: expected / background.rows, prediction };

  function walk(tree: Tree, node: number, a: number, b: number): void {
    if (tree.mode[node] === 'LEAF') {
      if (a + b === 0) return;
      const value = tree.value[node] as number;
      const total = factorial(a + b);
      const plus = a > 0 ? (value * factorial(a - 1) * factorial(b)) / total : 0;
      const minus = b > 0 ? (value * factorial(a) * factorial(b - 1)) / total : 0;
      for (const j of order) phi[j] = (phi[j] as number) + (state[j] === 1 ? plus : -minus);
      return;
    }
    const j = tree.feature[node] as number;
    const xYes = goesYes(tree, node, xr[j] as number);
    const zYes = goesYes(tree, node, zr[j] as number);
    const yes = tree.yes[node] as number;
    const no = tree.no[node] as number;
    if (xYes === zYes) {
      walk(tree, xYes ? yes : no, a, b);
      return;
    }
    const xChild = xYes ? yes : no;
    const zChild = xYes ? no : yes;
    const s = state[j] as number;
    if (s === 1) walk(tree, xChild, a, b);
    else if (s === 2) walk(tree, zChild, a, b);
    else {
      state[j] = 1;
      order.push(j);
      walk(tree, xChild, a + 1, b);
      state[j] = 2;
      walk(tree, zChild, a, b + 1);
      state[j] = 0;
      order.pop();
    }
  }
}

function leafValue(tree: Tree, row: Float64Array): number {
  let node = 0;
  while (tree.mode[node] !== 'LEAF') {
    node = goesYes(tree, node, row[tree.feature[node] as number] as number)
      ? (tree.yes[node] as number)
      : (tree.no[node] as number);
  }
  return tree.value[node] as number;
}
