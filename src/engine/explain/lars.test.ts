// LARS, LassoLarsIC and Lasso against scikit-learn 1.2.1 (reference values from
// scripts/reference/make_lars_fixtures.py, committed in test/fixtures/reference/lars/expected.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Design, type LarsPath, larsPath } from './lars.ts';
import { lassoCD, lassoLarsIC, scaleColumns } from './lasso.ts';

interface RefPath {
  alphas: number[];
  active: number[];
  coefs: number[][];
}
interface Problem {
  name: string;
  n: number;
  p: number;
  x: number[];
  y: number[];
  lar_path: RefPath;
  lar_path_3: RefPath;
  lasso_gram: RefPath;
  lasso_x: RefPath;
  aic: { coef: number[]; alpha: number };
  bic: { coef: number[]; alpha: number };
  lasso: { alpha: number; coef: number[] }[];
}
const ref = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/reference/lars/expected.json', import.meta.url), 'utf8'),
) as { problems: Problem[] };

function design(p: Problem): Design {
  return { x: Float64Array.from(p.x), n: p.n, p: p.p, y: Float64Array.from(p.y) };
}

function centred(d: Design): Design {
  const x = Float64Array.from(d.x);
  for (let j = 0; j < d.p; j++) {
    let s = 0;
    for (let i = 0; i < d.n; i++) s += x[i * d.p + j] as number;
    for (let i = 0; i < d.n; i++) x[i * d.p + j] = (x[i * d.p + j] as number) - s / d.n;
  }
  const ym = d.y.reduce((a, v) => a + v, 0) / d.n;
  return { ...d, x, y: d.y.map((v) => v - ym) };
}

function expectPath(got: LarsPath, want: RefPath, scale: number) {
  expect(got.active).toEqual(want.active);
  expect(got.alphas.length).toBe(want.alphas.length);
  got.alphas.forEach((a, k) => {
    expect(Math.abs(a - (want.alphas[k] as number))).toBeLessThan(1e-9 * scale);
  });
  got.coefs.forEach((row, k) => {
    row.forEach((c, j) => {
      expect(Math.abs(c - ((want.coefs[k] as number[])[j] as number))).toBeLessThan(1e-8 * scale);
    });
  });
}

describe.each(ref.problems.map((p) => [p.name, p] as const))('%s against scikit-learn 1.2.1', (_, p) => {
  const d = design(p);
  const scale = Math.max(1, ...p.y.map(Math.abs));

  it('lars_path (lar, no Gram) takes the same steps', () => {
    expectPath(larsPath(d), p.lar_path, scale);
  });

  it('lars_path with max_iter=3 stops after three variables', () => {
    expectPath(larsPath(d, { maxIter: 3 }), p.lar_path_3, scale);
  });

  it('the lasso path (with and without the Gram matrix) drops as scikit-learn does', () => {
    const c = centred(d);
    expectPath(larsPath(c, { method: 'lasso', gram: true }), p.lasso_gram, scale);
    expectPath(larsPath(c, { method: 'lasso' }), p.lasso_x, scale);
  });

  it.each(['aic', 'bic'] as const)(
    'LassoLarsIC(%s) after StandardScaler picks the same step',
    (criterion) => {
      const out = lassoLarsIC(scaleColumns(d), criterion);
      const want = p[criterion];
      expect(Math.abs(out.alpha - want.alpha)).toBeLessThan(1e-9 * scale);
      out.coef.forEach((c, j) => {
        expect(c !== 0).toBe(want.coef[j] !== 0);
        expect(Math.abs(c - (want.coef[j] as number))).toBeLessThan(1e-7 * scale);
      });
    },
  );

  it('Lasso (coordinate descent) selects the same features', () => {
    for (const { alpha, coef } of p.lasso) {
      const w = lassoCD(d, alpha);
      w.forEach((c, j) => {
        expect(c !== 0).toBe(coef[j] !== 0);
        expect(Math.abs(c - (coef[j] as number))).toBeLessThan(1e-9 * scale);
      });
    }
  });
});
