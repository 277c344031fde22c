/**
 * The lasso as scikit-learn 1.2 fits it for shap's `l1_reg`: `LassoLarsIC` (the LARS lasso path of
 * lars.ts scored by AIC/BIC) and `Lasso` (coordinate descent). Row-major dense designs.
 */
import { InputError } from '../load/input-error.ts';
import { type Design, dot, EPS, type LarsPath, larsPath } from './lars.ts';

/** Column means and centred copies (`_preprocess_data` with fit_intercept=True). */
function center(d: Design): Design {
  const { n, p } = d;
  const x = Float64Array.from(d.x);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * p + j] as number;
    const mean = s / n;
    for (let i = 0; i < n; i++) x[i * p + j] = (x[i * p + j] as number) - mean;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += d.y[i] as number;
  const ym = s / n;
  return { x, n, p, y: d.y.map((v) => v - ym) };
}

/** `StandardScaler(with_mean=False)`: each column divided by its population standard deviation (1 when 0). */
export function scaleColumns(d: Design): Design {
  const { n, p } = d;
  const x = Float64Array.from(d.x);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * p + j] as number;
    const mean = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += ((x[i * p + j] as number) - mean) ** 2;
    let sd = Math.sqrt(v / n);
    if (sd < 10 * EPS * Math.max(1, Math.abs(mean))) sd = 1;
    for (let i = 0; i < n; i++) x[i * p + j] = (x[i * p + j] as number) / sd;
  }
  return { x, n, p, y: d.y };
}

/** Residual sum of squares of the least-squares fit of y on X (no intercept), by modified Gram–Schmidt (rank-deficient columns skipped). */
function olsResidual(d: Design): number {
  const { n, p } = d;
  const basis: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const v = Float64Array.from({ length: n }, (_, i) => d.x[i * p + j] as number);
    const norm0 = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        const r = dot(q, v);
        for (let i = 0; i < n; i++) v[i] = (v[i] as number) - r * (q[i] as number);
      }
    const norm = Math.sqrt(dot(v, v));
    if (norm > 1e-10 * Math.max(norm0, 1e-300)) basis.push(v.map((e) => e / norm));
  }
  const r = Float64Array.from(d.y);
  for (let pass = 0; pass < 2; pass++)
    for (const q of basis) {
      const c = dot(q, r);
      for (let i = 0; i < n; i++) r[i] = (r[i] as number) - c * (q[i] as number);
    }
  return dot(r, r);
}

/**
 * `LassoLarsIC(criterion)` (fit_intercept, precompute 'auto', max_iter 500): the lasso path by
 * LARS on centred data, each step scored n·log(2πσ²) + RSS/σ² + k·df with σ² from the OLS fit
 * and k = 2 (aic) or log n (bic); the coefficients of the best step.
 */
export function lassoLarsIC(
  d: Design,
  criterion: 'aic' | 'bic',
): { coef: Float64Array; alpha: number; path: LarsPath } {
  const c = center(d);
  const { n, p } = c;
  if (n <= p + 1)
    throw new InputError(
      `LassoLarsIC (l1_reg aic/bic) needs more rows than features + 1 to estimate the noise (${n} rows, ${p} features): raise the KernelSHAP samples or use num_features(k)`,
    );
  const path = larsPath(c, { method: 'lasso', gram: n > p, maxIter: 500 });
  const factor = criterion === 'aic' ? 2 : Math.log(n);
  const noise = olsResidual(c) / (n - p - 1);
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  path.coefs.forEach((coef, k) => {
    let rss = 0;
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = 0; j < p; j++) f += (c.x[i * p + j] as number) * (coef[j] as number);
      rss += ((c.y[i] as number) - f) ** 2;
    }
    let df = 0;
    for (const v of coef) if (Math.abs(v) > EPS) df++;
    const value = n * Math.log(2 * Math.PI * noise) + rss / noise + factor * df;
    if (value < bestValue) {
      bestValue = value;
      best = k;
    }
  });
  return { coef: path.coefs[best] as Float64Array, alpha: path.alphas[best] as number, path };
}

/**
 * `Lasso(alpha)` (fit_intercept, max_iter 1000, tol 1e-4, cyclic): scikit-learn's coordinate
 * descent (`cd_fast.enet_coordinate_descent`) on centred data, stopped by the duality gap.
 */
export function lassoCD(
  d: Design,
  alpha: number,
  options: { maxIter?: number; tol?: number } = {},
): Float64Array {
  const c = center(d);
  const { n, p, x } = c;
  const maxIter = options.maxIter ?? 1000;
  const l1 = alpha * n;
  const cols = Array.from({ length: p }, (_, j) =>
    Float64Array.from({ length: n }, (_, i) => x[i * p + j] as number),
  );
  const norms = cols.map((col) => dot(col, col));
  const w = new Float64Array(p);
  const R = Float64Array.from(c.y);
  const dwTol = options.tol ?? 1e-4;
  const tol = dwTol * dot(c.y, c.y);
  for (let iter = 0; iter < maxIter; iter++) {
    let wMax = 0;
    let dwMax = 0;
    for (let j = 0; j < p; j++) {
      if (norms[j] === 0) continue;
      const col = cols[j] as Float64Array;
      const old = w[j] as number;
      if (old !== 0) for (let i = 0; i < n; i++) R[i] = (R[i] as number) + old * (col[i] as number);
      const tmp = dot(col, R);
      w[j] = (Math.sign(tmp) * Math.max(Math.abs(tmp) - l1, 0)) / (norms[j] as number);
      if (w[j] !== 0)
        for (let i = 0; i < n; i++) R[i] = (R[i] as number) - (w[j] as number) * (col[i] as number);
      dwMax = Math.max(dwMax, Math.abs((w[j] as number) - old));
      wMax = Math.max(wMax, Math.abs(w[j] as number));
    }
    if (wMax === 0 || dwMax / wMax < dwTol || iter === maxIter - 1) {
      let dualNorm = 0;
      for (const col of cols) dualNorm = Math.max(dualNorm, Math.abs(dot(col, R)));
      const rNorm2 = dot(R, R);
      let gap: number;
      let k = 1;
      if (dualNorm > l1) {
        k = l1 / dualNorm;
        gap = 0.5 * (rNorm2 + rNorm2 * k * k);
      } else gap = rNorm2;
      let l1Norm = 0;
      for (const v of w) l1Norm += Math.abs(v);
      gap += l1 * l1Norm - k * dot(R, c.y);
      if (gap < tol) break;
    }
  }
  return w;
}
