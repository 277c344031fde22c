// KernelSHAP against shap 0.52.0's own KernelExplainer (run from its source beside Debian's
// numpy 1.24 / scikit-learn 1.2.1 by scripts/reference/make_shap_kernel_fixtures.py; the values
// are committed in test/fixtures/reference/shap-kernel/expected.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../model/features.ts';
import { kernelCoalitions, kernelShap, npSum } from './kernel-shap.ts';
import { l1RegLabel, parseL1Reg } from './kernel-shap-l1.ts';

interface Case {
  features: number;
  l1_reg: string | number | false;
  nsamples: number | 'auto';
  row: number;
  seed: number;
  values: number[];
  expected_value: number;
  prediction: number;
  coalitions: number;
  masks?: string[];
  weights?: number[];
}
const ref = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/reference/shap-kernel/expected.json', import.meta.url),
    'utf8',
  ),
) as { beta: number[]; background_rows: number; data: Record<string, number[]>; cases: Case[] };

/** The reference model: Σ β_j z_j + 0.5 z0 z1 − 0.3 tanh(z2) + 0.2 z3². */
async function model(m: Matrix): Promise<Float64Array> {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) {
    const z = m.data.subarray(i * m.cols, (i + 1) * m.cols);
    let s = 0;
    for (let j = 0; j < m.cols; j++) s += (ref.beta[j] as number) * (z[j] as number);
    out[i] =
      s +
      0.5 * (z[0] as number) * (z[1] as number) -
      0.3 * Math.tanh(z[2] as number) +
      0.2 * (z[3] as number) ** 2;
  }
  return out;
}

function dataset(M: number): { x: Matrix; background: Matrix } {
  const data = Float64Array.from(ref.data[String(M)] as number[]);
  const x = { rows: data.length / M, cols: M, data };
  return {
    x,
    background: { rows: ref.background_rows, cols: M, data: data.slice(0, ref.background_rows * M) },
  };
}

const label = (c: Case) => `M=${c.features} l1_reg=${String(c.l1_reg)} nsamples=${c.nsamples} row ${c.row}`;

describe('KernelSHAP against shap 0.52.0', () => {
  it.each(ref.cases.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const { x, background } = dataset(c.features);
    const l1Reg = parseL1Reg(c.l1_reg === false ? 'none' : String(c.l1_reg));
    const out = await kernelShap(model, x, c.row, background, {
      seed: c.seed,
      l1Reg,
      ...(c.nsamples === 'auto' ? {} : { nsamples: c.nsamples }),
    });
    expect(out.expected).toBeCloseTo(c.expected_value, 12);
    expect(out.nsamples).toBe(c.coalitions);
    // the same features selected (exactly zero where shap's are), the values to 1e-11 (measured: 2e-13)
    expect(out.values.map((v) => v !== 0)).toEqual(c.values.map((v) => v !== 0));
    out.values.forEach((v, j) => {
      expect(Math.abs(v - (c.values[j] as number))).toBeLessThan(1e-11);
    });
  });

  it.each(ref.cases.filter((c) => c.masks).map((c) => [label(c), c] as const))(
    '%s: the same coalitions and kernel weights as numpy draws',
    (_, c) => {
      const { x, background } = dataset(c.features);
      // shap drops the features equal to every background value before drawing
      const M = (c.masks?.[0] ?? '').length;
      expect(M).toBeLessThanOrEqual(x.cols);
      expect(background.rows).toBe(10);
      const co = kernelCoalitions(M, {
        seed: c.seed,
        ...(c.nsamples === 'auto' ? {} : { nsamples: c.nsamples }),
      });
      expect(co.masks.map((m) => m.join(''))).toEqual(c.masks);
      expect(co.weights).toEqual(c.weights);
    },
  );
});

describe('l1_reg options', () => {
  it("parses shap's spellings", () => {
    expect(parseL1Reg('num_features(10)')).toEqual({ kind: 'num_features', k: 10 });
    expect(parseL1Reg('aic')).toEqual({ kind: 'aic' });
    expect(parseL1Reg('0.001')).toEqual({ kind: 'alpha', alpha: 0.001 });
    expect(parseL1Reg('false')).toEqual({ kind: 'none' });
    expect(l1RegLabel(parseL1Reg('bic'))).toBe('bic');
    expect(() => parseL1Reg('num_features(0)')).toThrow(/at least 1/);
    expect(() => parseL1Reg('lasso')).toThrow(/not num_features/);
    expect(() => parseL1Reg('-1')).toThrow(/not num_features/);
  });

  it('aic with fewer coalition rows than features refuses as scikit-learn does', async () => {
    const { x, background } = dataset(25);
    await expect(
      kernelShap(model, x, 21, background, { seed: 1, nsamples: 12, l1Reg: parseL1Reg('aic') }),
    ).rejects.toThrow(/needs more rows than features \+ 1/);
  });

  it("np.sum's pairwise order", () => {
    const a = Array.from({ length: 300 }, (_, i) => 1 / (i + 1));
    let seq = 0;
    for (const v of a) seq += v;
    expect(npSum(a)).toBeCloseTo(seq, 12);
    expect(npSum([0.1, 0.2, 0.3])).toBe(0.1 + 0.2 + 0.3);
  });
});
