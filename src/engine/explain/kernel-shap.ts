import type { Matrix } from '../model/features.ts';
import { DEFAULT_L1_REG, type L1Reg, parseL1Reg, selectFeatures } from './kernel-shap-l1.ts';
import { RandomState } from './mt19937.ts';
import type { Predict } from './permutation-importance.ts';
import type { RowShapley } from './shapley.ts';

function binom(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** numpy's `random_sample` from the legacy generator (53-bit double from two draws). */
function randomSample(rs: RandomState): number {
  const a = rs.nextUint32() >>> 5;
  const b = rs.nextUint32() >>> 6;
  return (a * 67108864 + b) / 9007199254740992;
}

/** numpy's `np.sum` of a float64 vector: pairwise summation with 8 accumulators (blocks of 128). */
export function npSum(a: ArrayLike<number>, from = 0, to = a.length): number {
  const n = to - from;
  if (n < 8) {
    let r = -0;
    for (let i = from; i < to; i++) r += a[i] as number;
    return r;
  }
  if (n <= 128) {
    const r = Array.from({ length: 8 }, (_, j) => a[from + j] as number);
    let i = 8;
    for (; i < n - (n % 8); i += 8)
      for (let j = 0; j < 8; j++) r[j] = (r[j] as number) + (a[from + i + j] as number);
    let res =
      (r[0] as number) +
      (r[1] as number) +
      ((r[2] as number) + (r[3] as number)) +
      ((r[4] as number) + (r[5] as number) + ((r[6] as number) + (r[7] as number)));
    for (; i < n; i++) res += a[from + i] as number;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return npSum(a, from, from + n2) + npSum(a, from + n2, to);
}

/** numpy's `allclose(x, background column, equal_nan=True)` for one feature (shap's `not_equal`). */
function sameAsEveryBackground(v: number, background: Matrix, j: number): boolean {
  const m = background.cols;
  for (let k = 0; k < background.rows; k++) {
    const z = background.data[k * m + j] as number;
    if (z === v || (Number.isNaN(z) && Number.isNaN(v))) continue;
    if (!(Math.abs(v - z) <= 1e-8 + 1e-5 * Math.abs(z))) return false;
  }
  return true;
}

/** The coalitions KernelExplainer evaluates for M varying features, with their kernel weights. */
export interface Coalitions {
  masks: Uint8Array[];
  weights: number[];
  /** shap's nsamples after capping at 2^M − 2 (rows allocated; masks.length may be fewer). */
  nsamples: number;
  maxSamples: number;
}

/**
 * shap's coalition sampling (shap/explainers/_kernel.py, 0.52.0): nsamples "auto" = 2M + 2048,
 * capped at 2^M − 2 when M ≤ 30; subset sizes enumerated completely, smallest first with their
 * complements, while nsamples·(remaining weight of the size)/(number of subsets) ≥ 1 − 1e-8, with
 * Shapley-kernel weights (M−1)/(s(M−s)) normalised over sizes; the rest drawn as shap draws them
 * from numpy's global RandomState seeded with `seed` (`np.random.choice` of 4·left sizes, then
 * `np.random.permutation(M)` per draw), complements paired, repeats adding weight, the drawn
 * weights rescaled to the weight left. Same masks and weights as shap for the same seed.
 */
export function kernelCoalitions(M: number, options: { nsamples?: number; seed: number }): Coalitions {
  let nsamples = options.nsamples ?? 2 * M + 2048;
  let maxSamples = 2 ** 30;
  if (M <= 30) {
    maxSamples = 2 ** M - 2;
    nsamples = Math.min(nsamples, maxSamples);
  }
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const add = (mask: Uint8Array, w: number) => {
    masks.push(mask.slice());
    weights.push(w);
  };
  const numSubsetSizes = Math.ceil((M - 1) / 2);
  const numPaired = Math.floor((M - 1) / 2);
  const weightVector = Array.from({ length: numSubsetSizes }, (_, i) => (M - 1) / ((i + 1) * (M - (i + 1))));
  for (let i = 0; i < numPaired; i++) weightVector[i] = (weightVector[i] as number) * 2;
  const total = npSum(weightVector);
  for (let i = 0; i < numSubsetSizes; i++) weightVector[i] = (weightVector[i] as number) / total;
  let numFull = 0;
  let left = nsamples;
  const remaining = weightVector.slice();
  const mask = new Uint8Array(M);
  for (let size = 1; size <= numSubsetSizes; size++) {
    let nsubsets = binom(M, size);
    if (size <= numPaired) nsubsets *= 2;
    if ((left * (remaining[size - 1] as number)) / nsubsets < 1 - 1e-8) break;
    numFull++;
    left -= nsubsets;
    if ((remaining[size - 1] as number) < 1) {
      const d = 1 - (remaining[size - 1] as number);
      for (let i = 0; i < remaining.length; i++) remaining[i] = (remaining[i] as number) / d;
    }
    let w = (weightVector[size - 1] as number) / binom(M, size);
    if (size <= numPaired) w /= 2;
    for (const combo of combinations(M, size)) {
      mask.fill(0);
      for (const i of combo) mask[i] = 1;
      add(mask, w);
      if (size <= numPaired) {
        for (let i = 0; i < M; i++) mask[i] = 1 - (mask[i] as number);
        add(mask, w);
      }
    }
  }
  const fixed = masks.length;
  let samplesLeft = nsamples - fixed;
  if (numFull !== numSubsetSizes) {
    const rw = weightVector.map((w, i) => (i < numPaired ? w / 2 : w)).slice(numFull);
    const rs = npSum(rw);
    const p = rw.map((w) => w / rs);
    // np.random.choice(len(p), size, p=p): cdf = cumsum(p) / cdf[-1], searchsorted(side='right')
    const cdf: number[] = [];
    let acc = 0;
    for (const w of p) {
      acc += w;
      cdf.push(acc);
    }
    const lastCdf = cdf[cdf.length - 1] as number;
    for (let i = 0; i < cdf.length; i++) cdf[i] = (cdf[i] as number) / lastCdf;
    const rng = new RandomState(options.seed);
    const draws = Array.from({ length: 4 * samplesLeft }, () => {
      const u = randomSample(rng);
      let k = 0;
      while (k < cdf.length && (cdf[k] as number) <= u) k++;
      return k;
    });
    const used = new Map<string, number>();
    const perm = Int32Array.from({ length: M }, (_, i) => i);
    for (let pos = 0; samplesLeft > 0 && pos < draws.length; pos++) {
      mask.fill(0);
      const size = (draws[pos] as number) + numFull + 1;
      for (let i = 0; i < M; i++) perm[i] = i;
      rng.shuffle(perm);
      for (let i = 0; i < size; i++) mask[perm[i] as number] = 1;
      const key = mask.join('');
      const at = used.get(key);
      if (at === undefined) {
        used.set(key, masks.length);
        samplesLeft--;
        add(mask, 1);
      } else weights[at] = (weights[at] as number) + 1;
      if (samplesLeft > 0 && size <= numPaired) {
        for (let i = 0; i < M; i++) mask[i] = 1 - (mask[i] as number);
        if (at === undefined) {
          samplesLeft--;
          add(mask, 1);
        } else weights[at + 1] = (weights[at + 1] as number) + 1;
      }
    }
    const weightLeft = npSum(weightVector, numFull);
    const ratio = weightLeft / npSum(weights, fixed);
    for (let i = fixed; i < weights.length; i++) weights[i] = (weights[i] as number) * ratio;
  }
  return { masks, weights, nsamples, maxSamples };
}

/**
 * shap's KernelExplainer for one row (shap/explainers/_kernel.py, 0.52.0, link identity):
 * features within numpy's allclose of every background value get φ = 0; the coalitions of
 * `kernelCoalitions`; E[f] over the background with weights 1/N; the l1 feature selection
 * (`l1_reg`, default "num_features(10)", see kernel-shap-l1.ts); the weighted least squares with
 * Σφ = f(x) − E f(b) eliminating the last selected feature; |φ| < 1e-10 set to 0.
 */
export async function kernelShap(
  predict: Predict,
  x: Matrix,
  row: number,
  background: Matrix,
  options: { nsamples?: number; seed: number; l1Reg?: L1Reg },
): Promise<RowShapley & { nsamples: number; selected: number }> {
  const m = x.cols;
  const b = background.rows;
  const xr = x.data.subarray(row * m, (row + 1) * m);
  const varying: number[] = [];
  for (let j = 0; j < m; j++) if (!sameAsEveryBackground(xr[j] as number, background, j)) varying.push(j);
  const ends = await predict({ rows: b + 1, cols: m, data: concat(background.data, xr) });
  const bw = 1 / b;
  let fnull = 0;
  for (let k = 0; k < b; k++) fnull += (ends[k] as number) * bw;
  const fx = ends[b] as number;
  const phi = new Array<number>(m).fill(0);
  const M = varying.length;
  if (M === 0) return { values: phi, expected: fnull, prediction: fx, nsamples: 0, selected: 0 };
  if (M === 1) {
    phi[varying[0] as number] = fx - fnull;
    return { values: phi, expected: fnull, prediction: fx, nsamples: 0, selected: 1 };
  }
  const { masks, weights, nsamples, maxSamples } = kernelCoalitions(M, options);
  // evaluate every coalition against the background
  const n = masks.length;
  const batch: Matrix = { rows: n * b, cols: m, data: new Float64Array(n * b * m) };
  masks.forEach((mk, s) => {
    const offset = s * b * m;
    batch.data.set(background.data, offset);
    for (let i = 0; i < M; i++) {
      if (!mk[i]) continue;
      const j = varying[i] as number;
      for (let k = 0; k < b; k++) batch.data[offset + k * m + j] = xr[j] as number;
    }
  });
  const scores = await predict(batch);
  const delta = fx - fnull;
  const eyAdj = masks.map((_, s) => {
    let sum = 0;
    for (let k = 0; k < b; k++) sum += (scores[s * b + k] as number) * bw;
    return sum - fnull;
  });
  const inds = selectFeatures({
    l1: options.l1Reg ?? parseL1Reg(DEFAULT_L1_REG),
    masks,
    weights,
    eyAdj,
    delta,
    m: M,
    fractionEvaluated: nsamples / maxSamples,
    padRows: nsamples - n,
  });
  if (inds.length === 0) return { values: phi, expected: fnull, prediction: fx, nsamples: n, selected: 0 };
  // constrained weighted least squares: φ_last = Δ − Σ others
  const last = inds[inds.length - 1] as number;
  const others = inds.slice(0, -1);
  const q = others.length;
  const X: number[][] = masks.map((mk) => others.map((i) => (mk[i] as number) - (mk[last] as number)));
  const y = eyAdj.map((e, s) => e - (masks[s]?.[last] as number) * delta);
  const XtWX = Array.from({ length: q }, () => new Array<number>(q).fill(0));
  const XtWy = new Array<number>(q).fill(0);
  for (let s = 0; s < n; s++) {
    const w = weights[s] as number;
    const r = X[s] as number[];
    for (let i = 0; i < q; i++) {
      XtWy[i] = (XtWy[i] as number) + w * (r[i] as number) * (y[s] as number);
      for (let k = 0; k < q; k++)
        (XtWX[i] as number[])[k] =
          ((XtWX[i] as number[])[k] as number) + w * (r[i] as number) * (r[k] as number);
    }
  }
  const w = solve(XtWX, XtWy);
  let rest = 0;
  others.forEach((i, k) => {
    phi[varying[i] as number] = w[k] as number;
    rest += w[k] as number;
  });
  phi[varying[last] as number] = delta - rest;
  for (let j = 0; j < m; j++) if (Math.abs(phi[j] as number) < 1e-10) phi[j] = 0;
  return { values: phi, expected: fnull, prediction: fx, nsamples: n, selected: inds.length };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function* combinations(n: number, k: number): Generator<number[]> {
  const idx = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield idx.slice();
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) return;
    idx[i] = (idx[i] as number) + 1;
    for (let j = i + 1; j < k; j++) idx[j] = (idx[j - 1] as number) + 1;
  }
}

/** Solves A w = b by Gaussian elimination with partial pivoting (least-squares normal equations). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const a = A.map((r, i) => [...r, b[i] as number]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++)
      if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[p] as number[])[c] as number)) p = r;
    [a[c], a[p]] = [a[p] as number[], a[c] as number[]];
    const pivot = (a[c] as number[])[c] as number;
    if (Math.abs(pivot) < 1e-300) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = ((a[r] as number[])[c] as number) / pivot;
      if (f === 0) continue;
      for (let k = c; k <= n; k++)
        (a[r] as number[])[k] = ((a[r] as number[])[k] as number) - f * ((a[c] as number[])[k] as number);
    }
  }
  return a.map((r, i) => {
    const d = r[i] as number;
    return Math.abs(d) < 1e-300 ? 0 : (r[n] as number) / d;
  });
}
