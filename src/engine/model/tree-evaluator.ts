import { goesYes, type Tree, type TreeEnsemble } from './onnx-graph.ts';

/**
 * An ONNX tree ensemble compiled for Assay's own evaluator. Every tree is padded to a complete
 * binary tree of the ensemble's depth D (a shallower leaf becomes a node that always goes left,
 * above copies of itself), stored breadth-first in flat typed arrays, so that a row descends
 * without branches: i = 2i + 1 + (x goes right). Comparisons are made on integers: each feature's
 * distinct thresholds are sorted, a value x becomes q(x) = 1 + #{thresholds < float32(x)}, and a
 * node with the k-th threshold (0-based) sends x right exactly when q(x) > k + 1; ONNX Runtime's
 * float32 comparisons (x ≤ t, x < t, x ≥ t, x > t) all become that one form. Scores are summed in
 * float32 in tree order, as ONNX Runtime's aggregator does, so they equal its output bit for bit.
 */
export interface CompiledEnsemble {
  trees: number;
  depth: number;
  cols: number;
  /** trees × (2^D − 1) internal nodes: feature << 24 | rank (go right when q > rank). */
  node: Int32Array;
  /** trees × 2^D leaf values (float32). */
  leaf: Float32Array;
  /** Every feature's sorted distinct thresholds, one after another (float32 values). */
  cutValues: Float64Array;
  /** Where feature j's thresholds start in cutValues (cols + 1 entries). */
  cutStart: Int32Array;
  /** A regressor's base value, added after the trees; null when none. */
  base: number | null;
}

/** Trees deeper than this are left to ONNX Runtime (a complete tree has 2^D leaves). */
export const MAX_COMPILED_DEPTH = 12;
const ALWAYS_LEFT = (1 << 24) - 1;
const ALWAYS_RIGHT = 0;

function depthOf(tree: Tree, node: number): number {
  if (tree.mode[node] === 'LEAF') return 0;
  return 1 + Math.max(depthOf(tree, tree.yes[node] as number), depthOf(tree, tree.no[node] as number));
}

/** The largest float32 below t. */
function float32Below(t: number): number {
  const f = new Float32Array([t]);
  const i = new Int32Array(f.buffer);
  if (t === 0) return -1.401298464324817e-45;
  i[0] = (i[0] as number) + (t > 0 ? -1 : 1);
  return f[0] as number;
}

/**
 * A node as "go right when float32(x) > cut" (cut null: the node always goes `constant`), with its
 * children in left/right order. NaN is left to the generic walker (missing-value tracks).
 */
function canonical(
  tree: Tree,
  p: number,
): { cut: number | null; constant: 'left' | 'right'; left: number; right: number } {
  const t = tree.threshold[p] as number;
  const yes = tree.yes[p] as number;
  const no = tree.no[p] as number;
  const mode = tree.mode[p];
  const strict = mode === 'BRANCH_LT' || mode === 'BRANCH_GTE';
  const left = mode === 'BRANCH_LEQ' || mode === 'BRANCH_LT' ? yes : no;
  const right = left === yes ? no : yes;
  // a NaN threshold: every comparison is false, so the node always goes to its false child
  if (Number.isNaN(t)) return { cut: null, constant: no === right ? 'right' : 'left', left, right };
  if (strict && t === Number.NEGATIVE_INFINITY) return { cut: null, constant: 'right', left, right };
  if (t === Number.POSITIVE_INFINITY && !strict) return { cut: null, constant: 'left', left, right };
  return { cut: strict ? float32Below(t) : t, constant: 'left', left, right };
}

/** Compiles an ensemble whose ONNX Runtime output is the float32 tree-order sum, or says why not. */
export function compileEnsemble(ensemble: TreeEnsemble, cols: number): CompiledEnsemble | string {
  if (ensemble.ortSumNote === undefined) return 'not read from an ONNX graph';
  if (ensemble.ortSumNote) return ensemble.ortSumNote;
  if (cols > 255) return 'more than 255 features';
  const depth = Math.max(1, ...ensemble.trees.map((t) => depthOf(t, 0)));
  if (depth > MAX_COMPILED_DEPTH) return `trees of depth ${depth} (more than ${MAX_COMPILED_DEPTH})`;
  const cuts: Set<number>[] = Array.from({ length: cols }, () => new Set());
  for (const tree of ensemble.trees) {
    for (let p = 0; p < tree.mode.length; p++) {
      if (tree.mode[p] === 'LEAF') continue;
      const f = tree.feature[p] as number;
      if (f < 0 || f >= cols) return `a node reads feature ${f} of ${cols}`;
      const c = canonical(tree, p).cut;
      if (c !== null) cuts[f]?.add(c);
    }
  }
  const sorted = cuts.map((s) => Float64Array.from(s).sort());
  const cutStart = new Int32Array(cols + 1);
  sorted.forEach((s, j) => {
    cutStart[j + 1] = (cutStart[j] as number) + s.length;
  });
  if ((cutStart[cols] as number) >= ALWAYS_LEFT - 1) return 'too many distinct thresholds';
  const cutValues = new Float64Array(cutStart[cols] as number);
  sorted.forEach((s, j) => {
    cutValues.set(s, cutStart[j] as number);
  });
  const ni = (1 << depth) - 1;
  const nl = 1 << depth;
  const node = new Int32Array(ensemble.trees.length * ni);
  const leaf = new Float32Array(ensemble.trees.length * nl);
  ensemble.trees.forEach((tree, k) => {
    const fill = (p: number, pos: number, level: number): void => {
      if (level === depth) {
        leaf[k * nl + pos - ni] = tree.value[p] as number;
        return;
      }
      if (tree.mode[p] === 'LEAF') {
        node[k * ni + pos] = ALWAYS_LEFT;
        fill(p, 2 * pos + 1, level + 1);
        fill(p, 2 * pos + 2, level + 1);
        return;
      }
      const f = tree.feature[p] as number;
      const c = canonical(tree, p);
      const s = sorted[f] as Float64Array;
      const rank =
        c.cut === null ? (c.constant === 'left' ? ALWAYS_LEFT : ALWAYS_RIGHT) : s.indexOf(c.cut) + 1;
      node[k * ni + pos] = (f << 24) | rank;
      fill(c.left, 2 * pos + 1, level + 1);
      fill(c.right, 2 * pos + 2, level + 1);
    };
    fill(0, 0, 0);
  });
  return {
    trees: ensemble.trees.length,
    depth,
    cols,
    node,
    leaf,
    cutValues,
    cutStart,
    base: ensemble.regressorBase ?? null,
  };
}

/**
 * The JavaScript of the evaluator's kernels, specialised (depth loop unrolled, sizes as constants)
 * for one compiled ensemble. The same text runs on the calling thread and in worker threads
 * (tree-pool.ts), so that every thread computes the same float32 arithmetic. The body, given
 * (node, leaf, cutValues, cutStart), returns { quantize, score, grid, permuted }.
 */
export function kernelSource(c: Pick<CompiledEnsemble, 'trees' | 'depth' | 'cols' | 'base'>): string {
  const { trees: T, depth: D, cols: C } = c;
  const NI = (1 << D) - 1;
  const NL = 1 << D;
  const W = 4; // rows walked together through one tree (independent chains overlap in the CPU)
  const step = (w: string) =>
    `p${w} = node[fb + i${w}]; i${w} = 2 * i${w} + 1 + (((p${w} & 0xffffff) - q[a${w} + (p${w} >>> 24)]) >>> 31);`;
  const walkOne = Array.from({ length: D }, () => step('')).join('\n');
  const walkW = Array.from({ length: D }, () =>
    Array.from({ length: W }, (_, w) => step(String(w))).join('\n'),
  ).join('\n');
  const finish = c.base === null ? 'acc[r - b0]' : `Math.fround(acc[r - b0] + ${c.base})`;
  return `
const BLOCK = 128;
const acc = new Float32Array(BLOCK);
// q(x) = 1 + #{thresholds of the feature < float32(x)}, by binary search (NaN rows are redone by the caller)
function quantize(x, q, r0, r1) {
  for (let j = 0; j < ${C}; j++) {
    const lo0 = cutStart[j], hi0 = cutStart[j + 1];
    for (let r = r0; r < r1; r++) {
      const v = Math.fround(x[r * ${C} + j]);
      let lo = lo0, hi = hi0;
      while (lo < hi) { const m = (lo + hi) >> 1; if (cutValues[m] < v) lo = m + 1; else hi = m; }
      q[r * ${C} + j] = lo - lo0 + 1;
    }
  }
}
// scores rows r0..r1 of q into out: blocks of rows, tree by tree, ${W} rows at a time through a tree
function score(q, r0, r1, out) {
  for (let b0 = r0; b0 < r1; b0 += BLOCK) {
    const b1 = Math.min(r1, b0 + BLOCK);
    acc.fill(0);
    for (let t = 0; t < ${T}; t++) {
      const fb = t * ${NI}, lb = t * ${NL} - ${NI};
      let r = b0;
      for (; r + ${W} <= b1; r += ${W}) {
        ${Array.from({ length: W }, (_, w) => `const a${w} = (r + ${w}) * ${C}; let i${w} = 0, p${w} = 0;`).join(' ')}
        ${walkW}
        ${Array.from({ length: W }, (_, w) => `acc[r - b0 + ${w}] += leaf[lb + i${w}];`).join(' ')}
      }
      for (; r < b1; r++) {
        const a = r * ${C}; let i = 0, p = 0;
        ${walkOne}
        acc[r - b0] += leaf[lb + i];
      }
    }
    for (let r = b0; r < b1; r++) out[r] = ${finish};
  }
}
// Partial dependence: for each row, the scores at every grid value of feature j, without scoring
// rows × grid: each tree is walked once per row, following both children where it splits on j
// (cut[node]: how many of the sorted grid values go left there), and the leaf reached by a range
// of grid values is added to each of them; every grid value still sums its trees in tree order.
// out[g * n + r - base] = the score of row r with feature j set to grid value g.
const stackNode = new Int32Array(${D + 2}), stackLevel = new Int32Array(${D + 2});
const stackLo = new Int32Array(${D + 2}), stackHi = new Int32Array(${D + 2});
function grid(q, r0, r1, j, cut, G, out, base, n) {
  const g32 = new Float32Array(G);
  for (let r = r0; r < r1; r++) {
    g32.fill(0);
    const a = r * ${C};
    for (let t = 0; t < ${T}; t++) {
      const fb = t * ${NI}, lb = t * ${NL} - ${NI};
      stackNode[0] = 0; stackLevel[0] = 0; stackLo[0] = 0; stackHi[0] = G;
      let sp = 1;
      while (sp > 0) {
        sp--;
        let i = stackNode[sp], level = stackLevel[sp], lo = stackLo[sp], hi = stackHi[sp];
        for (; level < ${D}; level++) {
          const p = node[fb + i];
          if ((p >>> 24) === j) {
            const k = cut[fb + i];
            if (k >= hi) i = 2 * i + 1;
            else if (k <= lo) i = 2 * i + 2;
            else {
              stackNode[sp] = 2 * i + 2; stackLevel[sp] = level + 1; stackLo[sp] = k; stackHi[sp] = hi; sp++;
              hi = k;
              i = 2 * i + 1;
            }
          } else i = 2 * i + 1 + (((p & 0xffffff) - q[a + (p >>> 24)]) >>> 31);
        }
        const v = leaf[lb + i];
        for (let g = lo; g < hi; g++) g32[g] += v;
      }
    }
    for (let g = 0; g < G; g++) out[g * n + r - base] = ${c.base === null ? 'g32[g]' : `Math.fround(g32[g] + ${c.base})`};
  }
}
// Permutation importance: for each row, the leaf every tree reaches and the features its path
// reads (a bit each), recorded once...
function record(q, r0, r1, leafIdx, mask) {
  for (let r = r0; r < r1; r++) {
    const a = r * ${C};
    for (let t = 0; t < ${T}; t++) {
      const fb = t * ${NI};
      let i = 0, p = 0, m = 0;
      ${Array.from({ length: D }, () => 'p = node[fb + i]; m |= 1 << (p >>> 24); i = 2 * i + 1 + (((p & 0xffffff) - q[a + (p >>> 24)]) >>> 31);').join('\n')}
      leafIdx[r * ${T} + t] = i - ${NI};
      mask[r * ${T} + t] = m;
    }
  }
}
// ...then, with feature j replaced by each of R permuted columns (qcols[k * n + r]), only the trees
// whose path reads j are walked again; the others keep their leaf. Sums stay float32, tree order.
function permuted(q, r0, r1, j, qcols, R, leafIdx, mask, out, n) {
  ${Array.from({ length: W }, (_, w) => `const qrow${w} = new Int32Array(${C});`).join(' ')}
  const racc = new Float32Array(R);
  for (let r = r0; r < r1; r++) {
    for (let f = 0; f < ${C}; f++) { const v = q[r * ${C} + f]; ${Array.from({ length: W }, (_, w) => `qrow${w}[f] = v;`).join(' ')} }
    racc.fill(0);
    for (let t = 0; t < ${T}; t++) {
      const fb = t * ${NI}, lb = t * ${NL} - ${NI};
      if ((mask[r * ${T} + t] >>> j) & 1) {
        let k = 0;
        for (; k + ${W} <= R; k += ${W}) {
          ${Array.from({ length: W }, (_, w) => `qrow${w}[j] = qcols[(k + ${w}) * n + r]; let i${w} = 0, p${w} = 0;`).join(' ')}
          ${Array.from({ length: D }, () => Array.from({ length: W }, (_, w) => `p${w} = node[fb + i${w}]; i${w} = 2 * i${w} + 1 + (((p${w} & 0xffffff) - qrow${w}[p${w} >>> 24]) >>> 31);`).join('\n')).join('\n')}
          ${Array.from({ length: W }, (_, w) => `racc[k + ${w}] += leaf[lb + i${w}];`).join(' ')}
        }
        for (; k < R; k++) {
          qrow0[j] = qcols[k * n + r];
          let i = 0, p = 0;
          ${Array.from({ length: D }, () => 'p = node[fb + i]; i = 2 * i + 1 + (((p & 0xffffff) - qrow0[p >>> 24]) >>> 31);').join('\n')}
          racc[k] += leaf[lb + i];
        }
      } else {
        const v = leaf[lb + ${NI} + leafIdx[r * ${T} + t]];
        for (let k = 0; k < R; k++) racc[k] += v;
      }
    }
    for (let k = 0; k < R; k++) out[k * n + r] = ${c.base === null ? 'racc[k]' : `Math.fround(racc[k] + ${c.base})`};
  }
}
return { quantize, score, grid, record, permuted };
`;
}

/** The kernels compiled on this thread. */
export interface Kernels {
  quantize(x: Float64Array, q: Int32Array, r0: number, r1: number): void;
  score(q: Int32Array, r0: number, r1: number, out: Float64Array): void;
  grid(
    q: Int32Array,
    r0: number,
    r1: number,
    j: number,
    cut: Int32Array,
    gridSize: number,
    out: Float64Array,
    base: number,
    n: number,
  ): void;
  record(q: Int32Array, r0: number, r1: number, leafIdx: Uint16Array, mask: Uint32Array): void;
  permuted(
    q: Int32Array,
    r0: number,
    r1: number,
    j: number,
    qcols: Int32Array,
    repeats: number,
    leafIdx: Uint16Array,
    mask: Uint32Array,
    out: Float64Array,
    n: number,
  ): void;
}

/** Builds the kernels from their source (the same text worker threads build them from). */
export function buildKernels(c: CompiledEnsemble, source = kernelSource(c)): Kernels {
  return new Function('node', 'leaf', 'cutValues', 'cutStart', source)(
    c.node,
    c.leaf,
    c.cutValues,
    c.cutStart,
  ) as Kernels;
}

/** Rows holding a NaN (missing value): scored by the generic walker, which follows missing tracks. */
export function rowsWithNaN(x: Float64Array, cols: number, r0: number, r1: number): number[] {
  const out: number[] = [];
  for (let r = r0; r < r1; r++) {
    for (let j = 0; j < cols; j++) {
      if (Number.isNaN(x[r * cols + j] as number)) {
        out.push(r);
        break;
      }
    }
  }
  return out;
}

/** One row scored by walking the graph's trees as parsed (float32 sum in tree order, like the kernels). */
export function scoreRowGeneric(ensemble: TreeEnsemble, x: Float64Array, at: number): number {
  const acc = new Float32Array(1);
  for (const tree of ensemble.trees) {
    let p = 0;
    while (tree.mode[p] !== 'LEAF') {
      const v = Math.fround(x[at + (tree.feature[p] as number)] as number);
      p = goesYes(tree, p, v) ? (tree.yes[p] as number) : (tree.no[p] as number);
    }
    acc[0] = (acc[0] as number) + (tree.value[p] as number);
  }
  const base = ensemble.regressorBase ?? null;
  return base === null ? (acc[0] as number) : Math.fround((acc[0] as number) + base);
}

/** q(v) of feature j (1 + the number of its thresholds below float32(v)), as the kernels compute it. */
export function quantizeValue(c: CompiledEnsemble, j: number, v: number): number {
  const lo0 = c.cutStart[j] as number;
  let lo = lo0;
  let hi = c.cutStart[j + 1] as number;
  const f = Math.fround(v);
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if ((c.cutValues[m] as number) < f) lo = m + 1;
    else hi = m;
  }
  return lo - lo0 + 1;
}
