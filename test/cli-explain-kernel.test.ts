// `assay explain --shap kernel --l1-reg`: shap's KernelExplainer feature selection from the CLI,
// recorded in the evidence (no server: --json prints the document).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEvidenceSchema } from '../src/contracts/explain.ts';
import { runCli } from './support/cli-harness.ts';

const MODELS = path.resolve(import.meta.dirname, 'fixtures/models');
const base = [
  'explain',
  '--data',
  path.join(MODELS, 'adult-sample.csv'),
  '--scorer',
  path.join(MODELS, 'adult-lr.onnx'),
  '--label',
  'label',
  '--pd-features',
  'age',
  '--repeats',
  '1',
  '--shap',
  'kernel',
  '--explain-rows',
  '3,4',
  '--background-rows',
  '10',
  '--kernel-samples',
  '400',
];

describe('assay explain --l1-reg', () => {
  it.each([
    ['num_features(3)', 3],
    ['none', null],
  ] as const)(
    '--l1-reg %s is applied and recorded',
    (l1, most) => {
      const r = runCli([...base, '--l1-reg', l1, '--json']);
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.status).toBe(0);
      const doc = explainEvidenceSchema.parse(JSON.parse(r.stdout));
      expect(doc.shap?.method).toBe('kernel');
      expect(doc.shap?.l1_reg).toBe(l1);
      expect(doc.shap?.additivity_max_error).toBeLessThan(1e-9);
      for (const row of doc.shap?.rows ?? []) {
        const nonzero = row.values.filter((v) => v !== 0).length;
        if (most !== null) expect(nonzero).toBeLessThanOrEqual(most);
        else expect(nonzero).toBeGreaterThan(3);
      }
    },
    60_000,
  );

  it("defaults to shap's num_features(10) and refuses an unknown spelling", () => {
    const bad = runCli([...base, '--l1-reg', 'lasso', '--json']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--l1-reg: "lasso" is not num_features/);
    const r = runCli([...base, '--json']);
    expect(r.status).toBe(0);
    expect(explainEvidenceSchema.parse(JSON.parse(r.stdout)).shap?.l1_reg).toBe('num_features(10)');
  }, 60_000);
});
