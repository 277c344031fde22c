/**
 * Least angle regression and the lasso, as scikit-learn 1.2 computes them (the algorithm of
 * `sklearn.linear_model._least_angle._lars_path_solver`, `LassoLarsIC` and the coordinate descent
 * of `Lasso`), ported for shap's KernelExplainer feature selection (`l1_reg`). Matrices are dense,
 * row-major: `x[i * p + j]` is sample i, feature j.
 */

/** A regression problem: n samples, p features. */
export interface Design {
  x: Float64Array;
  n: number;
  p: number;
  y: Float64Array;
}

export interface LarsPath {
  /** Max |correlation| / n at each step. */
  alphas: number[];
  /** Feature indices in the order they entered (minus dropped ones, lasso). */
  active: number[];
  /** Coefficients at each step (alphas.length rows of p). */
  coefs: Float64Array[];
  nIter: number;
}

export const EPS = 2 ** -52;
const TINY32 = 1.1754943508222875e-38;
const EQUALITY_TOLERANCE = 2 ** -23;

/** numpy's `around(x, 15)`: x·10^15 rounded half to even, divided back. */
function around15(v: number): number {
  const y = v * 1e15;
  let r = Math.round(y);
  if (Math.abs(y % 1) === 0.5 && r % 2 !== 0) r -= 1;
  return r / 1e15;
}

/** scikit-learn's `arrayfuncs.min_pos`: the least strictly positive value, else DBL_MAX. */
function minPos(values: ArrayLike<number>): number {
  let m = Number.MAX_VALUE;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v > 0 && v < m) m = v;
  }
  return m;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, len = a.length): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function el(m: Float64Array[], i: number, j: number): number {
  return (m[i] as Float64Array)[j] as number;
}

/** Solves L L^T x = b for lower-triangular L (LAPACK potrs). */
function cholSolve(L: Float64Array[], b: number[], k: number): number[] {
  const z = b.slice(0, k);
  for (let i = 0; i < k; i++) {
    let s = z[i] as number;
    for (let j = 0; j < i; j++) s -= el(L, i, j) * (z[j] as number);
    z[i] = s / el(L, i, i);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i] as number;
    for (let j = i + 1; j < k; j++) s -= el(L, j, i) * (z[j] as number);
    z[i] = s / el(L, i, i);
  }
  return z;
}

/** Removes row and column `out` of the Cholesky factor (scikit-learn's cholesky_delete: Givens). */
function choleskyDelete(L: Float64Array[], n: number, out: number): void {
  for (let i = out; i < n - 1; i++)
    for (let j = 0; j <= i + 1; j++) (L[i] as Float64Array)[j] = el(L, i + 1, j);
  for (let i = out; i < n - 1; i++) {
    const row = L[i] as Float64Array;
    const a = row[i] as number;
    const b = row[i + 1] as number;
    // BLAS drotg
    const roe = Math.abs(a) > Math.abs(b) ? a : b;
    const scale = Math.abs(a) + Math.abs(b);
    let c = 1;
    let s = 0;
    let r = 0;
    if (scale !== 0) {
      r = scale * Math.sqrt((a / scale) ** 2 + (b / scale) ** 2) * (roe < 0 ? -1 : 1);
      c = a / r;
      s = b / r;
    }
    row[i] = r;
    if (r < 0) {
      row[i] = Math.abs(r);
      c = -c;
      s = -s;
    }
    row[i + 1] = 0;
    for (let k = i + 1; k < n - 1; k++) {
      const rk = L[k] as Float64Array;
      const xv = rk[i] as number;
      const yv = rk[i + 1] as number;
      rk[i] = c * xv + s * yv;
      rk[i + 1] = c * yv - s * xv;
    }
  }
}

/**
 * `lars_path(X, y, Gram=…, max_iter, alpha_min=0, method)`: scikit-learn's solver step by step,
 * with its quirks (the 15-decimal rounding of the correlation update, the sign flip without a
 * new variable when a LAR coefficient would cross zero, the dropping of crossing variables in
 * the lasso). `gram: true` precomputes X^T X as `Gram='auto'` does when n > p.
 */
export function larsPath(
  d: Design,
  options: { maxIter?: number; method?: 'lar' | 'lasso'; gram?: boolean; alphaMin?: number } = {},
): LarsPath {
  const { n, p, y } = d;
  const maxIter = options.maxIter ?? 500;
  const method = options.method ?? 'lar';
  const alphaMin = options.alphaMin ?? 0;
  // columns of X (swapped as scikit-learn swaps them)
  const cols = Array.from({ length: p }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => d.x[i * p + j] as number),
  );
  let cov: number[] = cols.map((c) => dot(c, y));
  const useGram = options.gram === true;
  const gramCopy = useGram ? cols.map((a) => cols.map((b) => dot(a, b))) : [];
  const gram = gramCopy.map((r) => r.slice());
  const covCopy = cov.slice();
  const maxFeatures = Math.min(maxIter, p);
  const alphas: number[] = [];
  const coefs: Float64Array[] = [];
  let nIter = 0;
  let nActive = 0;
  const active: number[] = [];
  const indices = Array.from({ length: p }, (_, i) => i);
  let signActive: number[] = new Array(maxFeatures).fill(0);
  let drop = false;
  const L = Array.from({ length: maxFeatures }, () => new Float64Array(maxFeatures));
  const row = (k: number) => {
    while (coefs.length <= k) {
      coefs.push(new Float64Array(p));
      alphas.push(0);
    }
    return coefs[k] as Float64Array;
  };
  while (true) {
    let cIdx = 0;
    let C = 0;
    let cSigned = 0;
    if (cov.length) {
      for (let i = 1; i < cov.length; i++)
        if (Math.abs(cov[i] as number) > Math.abs(cov[cIdx] as number)) cIdx = i;
      cSigned = cov[cIdx] as number;
      C = Math.abs(cSigned);
    }
    const coef = row(nIter);
    const prevCoef =
      nIter > 0 ? (coefs[nIter - 1] as Float64Array) : (coefs[coefs.length - 1] as Float64Array);
    const prevAlpha = nIter > 0 ? (alphas[nIter - 1] as number) : (alphas[alphas.length - 1] as number);
    alphas[nIter] = C / n;
    if ((alphas[nIter] as number) <= alphaMin + EQUALITY_TOLERANCE) {
      if (Math.abs((alphas[nIter] as number) - alphaMin) > EQUALITY_TOLERANCE) {
        if (nIter > 0) {
          const ss = (prevAlpha - alphaMin) / (prevAlpha - (alphas[nIter] as number));
          for (let j = 0; j < p; j++)
            coef[j] = (prevCoef[j] as number) + ss * ((coef[j] as number) - (prevCoef[j] as number));
        }
        alphas[nIter] = alphaMin;
      }
      break;
    }
    if (nIter >= maxIter || nActive >= p) break;
    if (!drop) {
      signActive[nActive] = Math.sign(cSigned);
      const m = nActive;
      const nn = cIdx + nActive;
      [cov[cIdx], cov[0]] = [cov[0] as number, cov[cIdx] as number];
      [indices[nn], indices[m]] = [indices[m] as number, indices[nn] as number];
      const covFull = cov;
      cov = cov.slice(1);
      let c: number;
      const Lrow = L[nActive] as Float64Array;
      if (!useGram) {
        [cols[nn], cols[m]] = [cols[m] as Float64Array<ArrayBuffer>, cols[nn] as Float64Array<ArrayBuffer>];
        const col = cols[nActive] as Float64Array;
        c = Math.sqrt(dot(col, col)) ** 2;
        for (let k = 0; k < nActive; k++) Lrow[k] = dot(col, cols[k] as Float64Array);
      } else {
        [gram[m], gram[nn]] = [gram[nn] as number[], gram[m] as number[]];
        for (const r of gram) [r[m], r[nn]] = [r[nn] as number, r[m] as number];
        c = (gram[nActive] as number[])[nActive] as number;
        for (let k = 0; k < nActive; k++) Lrow[k] = (gram[nActive] as number[])[k] as number;
      }
      for (let i = 0; i < nActive; i++) {
        let s = Lrow[i] as number;
        for (let k = 0; k < i; k++) s -= el(L, i, k) * (Lrow[k] as number);
        Lrow[i] = s / el(L, i, i);
      }
      const v = dot(Lrow, Lrow, nActive);
      const diag = Math.max(Math.sqrt(Math.abs(c - v)), EPS);
      Lrow[nActive] = diag;
      if (diag < 1e-7) {
        // degenerate regressor: scikit-learn zeroes its correlation and tries again
        cov = covFull;
        cov[0] = 0;
        [cov[cIdx], cov[0]] = [cov[0] as number, cov[cIdx] as number];
        continue;
      }
      active.push(indices[nActive] as number);
      nActive++;
    }
    if (method === 'lasso' && nIter > 0 && prevAlpha < (alphas[nIter] as number)) break;
    const sign = signActive.slice(0, nActive);
    let ls = cholSolve(L, sign, nActive);
    let AA: number;
    if (ls.length === 1 && ls[0] === 0) {
      ls[0] = 1;
      AA = 1;
    } else {
      AA = 1 / Math.sqrt(dot(ls, sign));
      if (!Number.isFinite(AA)) {
        const L2 = L.map((r) => r.slice());
        for (let i = 0; !Number.isFinite(AA); i++) {
          for (let k = 0; k < nActive; k++) (L2[k] as Float64Array)[k] = el(L2, k, k) + 2 ** i * EPS;
          ls = cholSolve(L2, sign, nActive);
          AA = 1 / Math.sqrt(Math.max(dot(ls, sign), EPS));
        }
      }
      ls = ls.map((v) => v * AA);
    }
    const corr = new Array<number>(cov.length);
    if (!useGram) {
      const eq = new Float64Array(n);
      for (let k = 0; k < nActive; k++) {
        const col = cols[k] as Float64Array;
        const l = ls[k] as number;
        for (let i = 0; i < n; i++) eq[i] = (eq[i] as number) + (col[i] as number) * l;
      }
      for (let k = 0; k < cov.length; k++) corr[k] = around15(dot(cols[nActive + k] as Float64Array, eq));
    } else {
      for (let k = 0; k < cov.length; k++) {
        let s = 0;
        for (let a = 0; a < nActive; a++)
          s += ((gram[a] as number[])[nActive + k] as number) * (ls[a] as number);
        corr[k] = around15(s);
      }
    }
    const g1 = minPos(cov.map((cv, k) => (C - cv) / (AA - (corr[k] as number) + TINY32)));
    const g2 = minPos(cov.map((cv, k) => (C + cv) / (AA + (corr[k] as number) + TINY32)));
    let gamma = Math.min(g1, g2, C / AA);
    drop = false;
    const z = active.map((j, k) => -(coef[j] as number) / ((ls[k] as number) + TINY32));
    const zPos = minPos(z);
    let idx: number[] = [];
    if (zPos < gamma) {
      idx = z.flatMap((v, k) => (v === zPos ? [k] : [])).reverse();
      for (const k of idx) signActive[k] = -(signActive[k] as number);
      if (method === 'lasso') gamma = zPos;
      drop = true;
    }
    nIter++;
    const next = row(nIter);
    next.fill(0);
    active.forEach((j, k) => {
      next[j] = (coef[j] as number) + gamma * (ls[k] as number);
    });
    cov = cov.map((cv, k) => cv - gamma * (corr[k] as number));
    if (drop && method === 'lasso') {
      for (const ii of idx) choleskyDelete(L, nActive, ii);
      nActive--;
      const dropIdx = idx.map((ii) => active.splice(ii, 1)[0] as number);
      let temp: number[];
      if (!useGram) {
        for (const ii of idx)
          for (let i = ii; i < nActive; i++) {
            [cols[i], cols[i + 1]] = [
              cols[i + 1] as Float64Array<ArrayBuffer>,
              cols[i] as Float64Array<ArrayBuffer>,
            ];
            [indices[i], indices[i + 1]] = [indices[i + 1] as number, indices[i] as number];
          }
        const residual = Float64Array.from(y);
        active.forEach((j, k) => {
          const col = cols[k] as Float64Array;
          for (let i = 0; i < n; i++)
            residual[i] = (residual[i] as number) - (col[i] as number) * (next[j] as number);
        });
        temp = [dot(cols[nActive] as Float64Array, residual)];
      } else {
        for (const ii of idx)
          for (let i = ii; i < nActive; i++) {
            [indices[i], indices[i + 1]] = [indices[i + 1] as number, indices[i] as number];
            [gram[i], gram[i + 1]] = [gram[i + 1] as number[], gram[i] as number[]];
            for (const r of gram) [r[i], r[i + 1]] = [r[i + 1] as number, r[i] as number];
          }
        temp = dropIdx.map((j) => (covCopy[j] as number) - dot(gramCopy[j] as number[], next));
      }
      cov = [...temp, ...cov];
      signActive = signActive.filter((_, k) => !idx.includes(k));
      signActive.push(0);
    }
  }
  return { alphas: alphas.slice(0, nIter + 1), active, coefs: coefs.slice(0, nIter + 1), nIter };
}
