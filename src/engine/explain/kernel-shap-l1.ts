import { InputError } from '../load/input-error.ts';
import { larsPath } from './lars.ts';
import { lassoCD, lassoLarsIC, scaleColumns } from './lasso.ts';

/**
 * shap's KernelExplainer `l1_reg` (shap ≥ 0.47 default "num_features(10)"): which features get a
 * value before the constrained least squares. `none` is shap's False / 0.
 */
export type L1Reg =
  | { kind: 'num_features'; k: number }
  | { kind: 'aic' }
  | { kind: 'bic' }
  | { kind: 'auto' }
  | { kind: 'alpha'; alpha: number }
  | { kind: 'none' };

export const DEFAULT_L1_REG = 'num_features(10)';

/** Parses shap's spelling: num_features(k), aic, bic, auto, a positive number (Lasso alpha), none/false/0. */
export function parseL1Reg(text: string): L1Reg {
  const t = text.trim();
  const nf = /^num_features\((\d+)\)$/.exec(t);
  if (nf) {
    const k = Number(nf[1]);
    if (k < 1) throw new InputError('--l1-reg num_features(k): k is at least 1');
    return { kind: 'num_features', k };
  }
  if (t === 'aic' || t === 'bic' || t === 'auto') return { kind: t };
  if (t === 'none' || t === 'false' || t === '0') return { kind: 'none' };
  const alpha = Number(t);
  if (t !== '' && Number.isFinite(alpha) && alpha > 0) return { kind: 'alpha', alpha };
  throw new InputError(
    `--l1-reg: "${text}" is not num_features(k), aic, bic, auto, none or a positive Lasso alpha`,
  );
}

export function l1RegLabel(l: L1Reg): string {
  if (l.kind === 'num_features') return `num_features(${l.k})`;
  if (l.kind === 'alpha') return String(l.alpha);
  return l.kind;
}

/**
 * The features KernelExplainer.solve keeps, in shap's order (the last one is eliminated by the
 * sum constraint): with selection, the augmented design
 *   rows (√(w(M−|S|))·z_S, √(w(M−|S|))·ey_S) and (√(w|S|)·(z_S − 1), √(w|S|)·(ey_S − Δ)),
 * fitted by lars_path(max_iter=k) (entry order), LassoLarsIC(aic|bic) after StandardScaler
 * (with_mean=False) or Lasso(alpha) (both: sorted non-zero coefficients). `auto` uses aic when
 * under 20% of the coalition space was evaluated, else no selection. `padRows` are the coalition
 * rows shap allocated but never filled (weight 0, all-zero rows in its design).
 */
export function selectFeatures(input: {
  l1: L1Reg;
  masks: Uint8Array[];
  weights: number[];
  eyAdj: number[];
  delta: number;
  m: number;
  fractionEvaluated: number;
  padRows: number;
}): number[] {
  const { l1, masks, weights, eyAdj, delta, m } = input;
  const all = Array.from({ length: m }, (_, i) => i);
  if (l1.kind === 'none' || (l1.kind === 'auto' && input.fractionEvaluated >= 0.2)) return all;
  const rows = masks.length + input.padRows;
  const n = 2 * rows;
  const x = new Float64Array(n * m);
  const y = new Float64Array(n);
  masks.forEach((mk, s) => {
    let size = 0;
    for (let i = 0; i < m; i++) size += mk[i] as number;
    const w = weights[s] as number;
    const a = Math.sqrt(w * (m - size));
    const b = Math.sqrt(w * size);
    const e = eyAdj[s] as number;
    y[s] = e * a;
    y[rows + s] = (e - delta) * b;
    for (let i = 0; i < m; i++) {
      x[s * m + i] = a * (mk[i] as number);
      x[(rows + s) * m + i] = b * ((mk[i] as number) - 1);
    }
  });
  const design = { x, n, p: m, y };
  if (l1.kind === 'num_features') return larsPath(design, { maxIter: l1.k }).active;
  const coef =
    l1.kind === 'alpha'
      ? lassoCD(design, l1.alpha)
      : lassoLarsIC(scaleColumns(design), l1.kind === 'bic' ? 'bic' : 'aic').coef;
  return all.filter((i) => coef[i] !== 0);
}
