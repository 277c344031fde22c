// `assay stress` on fixtures made for it: a planted non-monotonicity and a planted failure slice.
import { describe, expect, it } from 'vitest';
import { robustnessEvidenceSchema } from '../../contracts/robustness.ts';
import { stress } from './stress.ts';

const DIR = new URL('../../../test/fixtures/models/', import.meta.url).pathname;
const now = new Date('2026-12-01T00:00:00Z');

describe('assay stress on the planted model', () => {
  it('finds the planted non-monotonicity, the planted failure slice, and judges policy thresholds', async () => {
    const evidence = await stress({
      model: `${DIR}planted-forest.onnx`,
      data: `${DIR}planted.csv`,
      label: 'label',
      spec: `${DIR}planted-stress.yaml`,
      maxRows: 1500,
      seed: 1,
      judge: {
        rules: [
          {
            id: 'monotone-income',
            metric: 'robustness.properties.*.violation_rate',
            op: '>',
            threshold: 0,
            category: 'model-robustness',
            severity: 'high',
            title: 'A declared monotonicity does not hold',
          },
          {
            id: 'failure-slice',
            metric: 'robustness.slices.worst_relative_drop',
            op: '>',
            threshold: 0.1,
            category: 'model-robustness',
            severity: 'medium',
            title: 'A slice performs much worse',
          },
        ],
        tier: null,
        policyVersion: null,
        policySha256: null,
        source: 'test',
      },
      now,
    });
    robustnessEvidenceSchema.parse(evidence);
    const income = evidence.properties.find((p) => p.name === 'monotonic_income');
    expect(income?.passed).toBe(false);
    expect(income?.violation_rate).toBeGreaterThan(0.5);
    const c = income?.counterexamples[0];
    // the dip is planted between incomes 60 and 75: the worst decrease is found there
    expect(c?.from).toBeGreaterThan(50);
    expect(c?.to).toBeLessThan(80);
    expect((c?.score_from as number) - (c?.score_to as number)).toBeGreaterThan(0.02);
    expect(evidence.properties.find((p) => p.name === 'bounds')?.passed).toBe(true);
    // the worst slice is the planted one: region west with the highest debt bin
    const worst = evidence.slices?.worst[0];
    expect(worst?.conditions.map((k) => k.feature).sort()).toEqual(['debt', 'region']);
    expect(worst?.conditions.find((k) => k.feature === 'region')?.value).toBe('west');
    const debt = worst?.conditions.find((k) => k.feature === 'debt')?.value as [number, number];
    expect(debt[0]).toBeGreaterThan(38);
    expect(worst?.relative_drop).toBeGreaterThan(0.3);
    expect((worst?.interval[1] as number) < (evidence.slices?.global_accuracy as number)).toBe(true);
    // perturbations and scenarios
    expect(Object.keys(evidence.perturbations.income ?? {})).toEqual(
      expect.arrayContaining(['noise_1', 'noise_25', 'extreme_low', 'extreme_high', 'missing']),
    );
    expect(evidence.perturbations.region?.category_swap).toBeDefined();
    const noise = evidence.perturbations.income;
    expect((noise?.noise_25?.flip_rate as number) >= (noise?.noise_1?.flip_rate as number)).toBe(true);
    const debtUp = evidence.scenarios.find((s) => s.name === 'debt-plus-10');
    expect(debtUp?.positive_rate_after).toBeLessThan(debtUp?.positive_rate_before as number);
    expect(evidence.suggested_findings?.map((f) => f.id)).toEqual(
      expect.arrayContaining([
        'monotone-income:robustness.properties.monotonic_income.violation_rate',
        'failure-slice:robustness.slices.worst_relative_drop',
      ]),
    );
    expect(evidence.model.evaluations).toBeGreaterThan(1500);
  });

  it('names a bad spec field', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const dir = mkdtempSync('/tmp/assay-stress-');
    writeFileSync(`${dir}/bad.yaml`, 'properties:\n  - monotonic: income\n    direction: upward\n');
    await expect(
      stress({ model: `${DIR}planted-forest.onnx`, data: `${DIR}planted.csv`, spec: `${dir}/bad.yaml`, now }),
    ).rejects.toThrow(/bad\.yaml: properties\.0/);
  });
});

describe('assay stress on a model that gives no score for a missing value', () => {
  it('counts those rows as without a score, not as flipped decisions, and the evidence stays valid', async () => {
    // The logistic regression computes NaN from a NaN input; the forest routes it down a branch.
    const evidence = await stress({
      model: `${DIR}adult-lr.onnx`,
      data: `${DIR}adult-sample.csv`,
      label: 'label',
      perturbFeatures: ['age'],
      maxRows: 200,
      now,
    });
    const parsed = robustnessEvidenceSchema.parse(JSON.parse(JSON.stringify(evidence)));
    const missing = parsed.perturbations.age?.missing;
    expect(missing?.no_score_rate).toBe(1);
    expect(missing?.flip_rate).toBe(0);
    expect(missing?.mean_score_change).toBeNull();
    expect(missing?.roc_auc_change).toBeNull();
    const noise = parsed.perturbations.age?.noise_1;
    expect(noise?.no_score_rate).toBe(0);
    expect(noise?.mean_abs_score_change).toBeGreaterThan(0);
  });
});
