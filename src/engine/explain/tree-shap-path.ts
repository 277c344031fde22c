import type { Matrix } from '../model/features.ts';
import { goesYes, type Tree, type TreeEnsemble } from '../model/onnx-graph.ts';
import type { RowShapley } from './shapley.ts';

/**
 * Path-dependent TreeSHAP (shap's `feature_perturbation='tree_path_dependent'`; Lundberg, Erion
 * and Lee 2018, Algorithm 2). The value of a coalition S is the conditional expectation the tree
 * itself estimates: at a split on a feature in S follow x, elsewhere average both children
 * weighted by their node covers (the training samples that reached them: ONNX `nodes_hitrates`,
 * which scikit-learn converters fill with `weighted_n_node_samples`). No background data: the
 * expected value is the cover-weighted mean leaf value. Σφ = f(x) − E[f]. Exact, in
 * O(trees · leaves · depth²) per row.
 */
export function treeShapPathDependent(ensemble: TreeEnsemble, x: Matrix, row: number): RowShapley {
  const m = x.cols;
  const xr = Float64Array.from(x.data.subarray(row * m, (row + 1) * m), Math.fround);
  const phi = new Float64Array(m);
  let prediction = ensemble.base;
  let expected = ensemble.base;
  for (const tree of ensemble.trees) {
    const cover = coversOf(tree);
    expected += meanLeaf(tree, cover, 0);
    prediction += leafOf(tree, xr);
    // One path segment per recursion level (shap's layout), allocated once per tree.
    const width = maxDepth(tree, 0) + 2;
    const path: Path = {
      feature: new Int32Array(width * (width + 1)),
      zero: new Float64Array(width * (width + 1)),
      one: new Float64Array(width * (width + 1)),
      weight: new Float64Array(width * (width + 1)),
    };
    recurse(tree, cover, xr, phi, path, width, 0, 0, 0, 1, 1, -1);
  }
  return { values: Array.from(phi), expected, prediction };
}

/** The node covers, refused when the graph has none (TreeSHAP path-dependent needs them). */
function coversOf(tree: Tree): Float64Array {
  const cover = tree.cover;
  if (!cover || !(cover[0] && (cover[0] as number) > 0)) {
    throw new Error('the tree ensemble carries no node covers (nodes_hitrates)');
  }
  return cover;
}

/** The cover-weighted mean leaf value below a node: E[f] under the tree's own distribution. */
function meanLeaf(tree: Tree, cover: Float64Array, node: number): number {
  if (tree.mode[node] === 'LEAF') return tree.value[node] as number;
  const yes = tree.yes[node] as number;
  const no = tree.no[node] as number;
  const w = cover[node] as number;
  return (
    ((cover[yes] as number) * meanLeaf(tree, cover, yes) +
      (cover[no] as number) * meanLeaf(tree, cover, no)) /
    w
  );
}

function leafOf(tree: Tree, row: Float64Array): number {
  let node = 0;
  while (tree.mode[node] !== 'LEAF') {
    node = goesYes(tree, node, row[tree.feature[node] as number] as number)
      ? (tree.yes[node] as number)
      : (tree.no[node] as number);
  }
  return tree.value[node] as number;
}

interface Path {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
}

/** Adds a feature to the path at `depth` (the path's elements start at `at`). */
function extend(p: Path, at: number, depth: number, zero: number, one: number, feature: number): void {
  p.feature[at + depth] = feature;
  p.zero[at + depth] = zero;
  p.one[at + depth] = one;
  p.weight[at + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    p.weight[at + i + 1] =
      (p.weight[at + i + 1] as number) + (one * (p.weight[at + i] as number) * (i + 1)) / (depth + 1);
    p.weight[at + i] = (zero * (p.weight[at + i] as number) * (depth - i)) / (depth + 1);
  }
}

/** Removes element `k` from the path (undoing its extension). */
function unwind(p: Path, at: number, depth: number, k: number): void {
  const one = p.one[at + k] as number;
  const zero = p.zero[at + k] as number;
  let next = p.weight[at + depth] as number;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = p.weight[at + i] as number;
      p.weight[at + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - ((p.weight[at + i] as number) * zero * (depth - i)) / (depth + 1);
    } else {
      p.weight[at + i] = ((p.weight[at + i] as number) * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = k; i < depth; i++) {
    p.feature[at + i] = p.feature[at + i + 1] as number;
    p.zero[at + i] = p.zero[at + i + 1] as number;
    p.one[at + i] = p.one[at + i + 1] as number;
  }
}

/** The total weight of the path with element `k` unwound, without changing the path. */
function unwoundSum(p: Path, at: number, depth: number, k: number): number {
  const one = p.one[at + k] as number;
  const zero = p.zero[at + k] as number;
  let next = p.weight[at + depth] as number;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = (p.weight[at + i] as number) - (tmp * zero * (depth - i)) / (depth + 1);
    } else if (zero !== 0) {
      total += (p.weight[at + i] as number) / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function maxDepth(tree: Tree, node: number): number {
  if (tree.mode[node] === 'LEAF') return 0;
  return 1 + Math.max(maxDepth(tree, tree.yes[node] as number), maxDepth(tree, tree.no[node] as number));
}

/**
 * Algorithm 2's recursion. The call at recursion `level` works on its own segment of `p` (at
 * level × width), starting as a copy of its parent's `depthIn` elements, as shap's does.
 */
function recurse(
  tree: Tree,
  cover: Float64Array,
  xr: Float64Array,
  phi: Float64Array,
  p: Path,
  width: number,
  level: number,
  node: number,
  depthIn: number,
  zeroIn: number,
  oneIn: number,
  featureIn: number,
): void {
  const at = level * width;
  if (level > 0) {
    const from = at - width;
    p.feature.copyWithin(at, from, from + depthIn);
    p.zero.copyWithin(at, from, from + depthIn);
    p.one.copyWithin(at, from, from + depthIn);
    p.weight.copyWithin(at, from, from + depthIn);
  }
  let depth = depthIn;
  extend(p, at, depth, zeroIn, oneIn, featureIn);
  if (tree.mode[node] === 'LEAF') {
    const value = tree.value[node] as number;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(p, at, depth, i);
      const j = p.feature[at + i] as number;
      phi[j] = (phi[j] as number) + w * ((p.one[at + i] as number) - (p.zero[at + i] as number)) * value;
    }
    return;
  }
  const j = tree.feature[node] as number;
  const yes = tree.yes[node] as number;
  const no = tree.no[node] as number;
  const xYes = goesYes(tree, node, xr[j] as number);
  const hot = xYes ? yes : no;
  const cold = xYes ? no : yes;
  const w = cover[node] as number;
  let zero = 1;
  let one = 1;
  // a feature already split on above: undo that split, carrying its fractions down
  let k = 1;
  while (k <= depth && p.feature[at + k] !== j) k++;
  if (k <= depth) {
    zero = p.zero[at + k] as number;
    one = p.one[at + k] as number;
    unwind(p, at, depth, k);
    depth -= 1;
  }
  recurse(
    tree,
    cover,
    xr,
    phi,
    p,
    width,
    level + 1,
    hot,
    depth + 1,
    ((cover[hot] as number) / w) * zero,
    one,
    j,
  );
  recurse(
    tree,
    cover,
    xr,
    phi,
    p,
    width,
    level + 1,
    cold,
    depth + 1,
    ((cover[cold] as number) / w) * zero,
    0,
    j,
  );
}
