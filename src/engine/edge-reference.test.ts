import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/fixture-tables.ts';
import type { NumericFeatureDrift } from '../contracts/validation-drift.ts';
import { validationEvidenceSchema } from '../contracts/validation-evidence.ts';
import { targetRateAuc } from './quality/categorical-leakage.ts';
import { type ValidateOptions, validate } from './validate.ts';

/**
 * The edge cases of issue 14, each against the reference library's value
 * (scripts/reference/make_edge_fixtures.py → test/fixtures/reference/edge/expected.json).
 */
const expected = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference/edge/expected.json'), 'utf8'),
  // biome-ignore lint/suspicious/noExplicitAny: a JSON fixture read field by field below
) as Record<string, any>;

const file = (relative: string) => path.resolve(REPO_ROOT, relative);
const now = new Date('2026-12-07T00:00:00.000Z');
const run = async (options: Omit<ValidateOptions, 'now'>) => {
  const evidence = await validate({ ...options, now });
  // every document stays valid assay.validation/v1
  expect(validationEvidenceSchema.parse(evidence)).toEqual(evidence);
  return evidence;
};

/** Relative agreement to 1e-9 (absolute 1e-15 near zero). */
function expectClose(actual: unknown, value: number, what: string): void {
  expect(typeof actual, what).toBe('number');
  const tolerance = Math.max(1e-9 * Math.abs(value), 1e-15);
  expect(Math.abs((actual as number) - value), `${what}: ${actual} vs ${value}`).toBeLessThanOrEqual(
    tolerance,
  );
}

function expectAllClose(actual: number[] | undefined, values: number[], what: string): void {
  expect(actual?.length, what).toBe(values.length);
  values.forEach((v, i) => {
    expectClose(actual?.[i], v, `${what}[${i}]`);
  });
}

describe('issue 14 edge cases match the reference libraries', () => {
  it('1. a whole-number regression target is refused as multiclass and measured with --task regression', async () => {
    const c = expected.count_regression;
    // scikit-learn's type_of_target calls the label multiclass; the predictions are not its values
    expect(c.type_of_target_label).toBe('multiclass');
    expect(c.predictions_not_in_label).toBeGreaterThan(0);
    const options = { data: file(c.file), label: 'label', prediction: 'prediction' };
    await expect(run(options)).rejects.toThrow(/not among them .*use --task regression/);
    const evidence = await run({ ...options, task: 'regression' });
    expect(evidence.config.task).toBe('regression');
    for (const [key, value] of Object.entries(c.regression as Record<string, number>)) {
      expectClose((evidence.performance as Record<string, unknown> | null)?.[key], value, key);
    }
    // --task multiclass scores them as classes (the user's explicit choice)
    const asClasses = await run({ ...options, task: 'multiclass' });
    expect(asClasses.performance?.task).toBe('multiclass');
  });

  it('2 and 8. NaN joins the (missing) group; a group without positives has TPR 0 (Fairlearn)', async () => {
    const c = expected.fairness;
    const evidence = await run({
      data: file(c.file),
      label: 'label',
      score: 'score',
      threshold: c.threshold,
      groups: ['group'],
    });
    const result = evidence.fairness?.group;
    expect(Object.keys(result?.groups ?? {}).sort()).toEqual(Object.keys(c.groups).sort());
    expect(result?.groups['(missing)']?.count).toBe(c.nan_rows + c.blank_rows);
    for (const [group, metrics] of Object.entries(c.groups as Record<string, Record<string, number>>)) {
      for (const [key, value] of Object.entries(metrics)) {
        expectClose(
          (result?.groups[group] as Record<string, unknown> | undefined)?.[key],
          value,
          `${group}.${key}`,
        );
      }
    }
    // group 3.0 has no positive label: its true-positive rate is 0, not null
    expect(result?.groups['3.0']?.true_positive_rate).toBe(0);
    for (const key of [
      'demographic_parity_difference',
      'demographic_parity_ratio',
      'equalized_odds_difference',
      'equalized_odds_ratio',
      'equal_opportunity_difference',
    ]) {
      expectClose((result as Record<string, unknown> | undefined)?.[key], c[key], key);
    }
  });

  it('3. a blank and a NaN in a numeric column are equal for duplicates (pandas duplicated)', async () => {
    const c = expected.duplicates;
    const evidence = await run({ data: file(c.file) });
    expect(evidence.data_quality?.rows).toBe(c.rows);
    expect(evidence.data_quality?.duplicates.count).toBe(c.duplicates);
  });

  it('4. every value falls in the histogram bin its edges give (numpy.histogram)', async () => {
    const c = expected.histogram;
    const evidence = await run({ data: file(c.current), reference: file(c.reference) });
    const h = evidence.drift?.features.x?.histogram;
    expect(h?.edges).toEqual(c.edges);
    expect(h?.reference).toEqual(c.reference_counts.map((n: number) => n / c.reference_n));
    expect(h?.current).toEqual(c.current_counts.map((n: number) => n / c.current_n));
  });

  it('5. weighted ROC and PR curves leave out zero-weight rows first (_binary_clf_curve)', async () => {
    const c = expected.zero_weight;
    const evidence = await run({ data: file(c.file), label: 'label', score: 'score', weight: 'weight' });
    const p = evidence.performance;
    expectClose(p?.roc_auc, c.roc_auc, 'roc_auc');
    expectClose(p?.average_precision, c.average_precision, 'average_precision');
    expectAllClose(p?.roc_curve?.fpr, c.roc_curve.fpr, 'fpr');
    expectAllClose(p?.roc_curve?.tpr, c.roc_curve.tpr, 'tpr');
    expectAllClose(p?.precision_recall_curve?.precision, c.precision_recall_curve.precision, 'precision');
    expectAllClose(p?.precision_recall_curve?.recall, c.precision_recall_curve.recall, 'recall');
  });

  it('6. a malformed row in the sniffing sample and an unterminated quote name their line (as pandas)', async () => {
    for (const c of Object.values(expected.malformed as Record<string, { file: string; line: number }>)) {
      await expect(run({ data: file(c.file) })).rejects.toThrow(new RegExp(`line ${c.line} `));
    }
  });

  it('7. NaN in a 0/1 label names its row, like a blank', async () => {
    const c = expected.nan_label;
    expect(c.type_of_target_without_missing).toBe('binary');
    await expect(run({ data: file(c.file), label: 'label', score: 'score' })).rejects.toThrow(
      `label 'label' is missing in data row ${c.first_missing_data_row}`,
    );
  });

  it('9. all-zero weights and values near ±1.8e308: every null carries its reason', async () => {
    const z = expected.all_zero_weights;
    const zero = await run({ data: file(z.file), label: 'label', score: 'score', weight: 'weight' });
    expect(zero.performance?.accuracy).toBeNull();
    expect(zero.performance?.log_loss).toBeNull();
    expect(zero.performance?.note).toContain(z.sklearn_accuracy_error);
    expect(zero.performance?.note).not.toMatch(/only one class/);
    const zeroGroups = await run({
      data: file(z.file),
      label: 'label',
      score: 'score',
      weight: 'weight',
      groups: ['label'],
    });
    expect(zeroGroups.fairness?.label?.groups['1']?.selection_rate).toBeNull();
    expect(zeroGroups.fairness?.label?.note).toMatch(/group 1 has total weight 0/);

    const c = expected.huge;
    const evidence = await run({ data: file(c.current), reference: file(c.reference) });
    const x = evidence.drift?.features.x as NumericFeatureDrift;
    // NumPy's std overflows to nan; scaled by a power of two (exact) it is finite, and so is ours
    expect(c.numpy_std).toBe('nan');
    expectClose(x.reference_std, c.reference_std, 'reference_std');
    expectClose(x.wasserstein_distance, c.wasserstein_distance, 'wasserstein_distance');
    expectClose(x.wasserstein_normed, c.wasserstein_normed, 'wasserstein_normed');
    expectClose(x.ks_statistic, c.ks_statistic, 'ks_statistic');
    expectClose(x.ks_pvalue, c.ks_pvalue, 'ks_pvalue');
    expect(x.histogram.edges?.every(Number.isFinite)).toBe(true);
    // a statistic left null has a note; the fences beyond ±1.8e308 are null with theirs
    const nulls = Object.entries(x).filter(([k, v]) => v === null && k !== 'note');
    expect(nulls.length === 0 || x.note !== null, JSON.stringify(nulls)).toBe(true);
    const outliers = evidence.data_quality?.outliers.x;
    expect(outliers?.lower).toBeNull();
    expect(outliers?.upper).toBeNull();
    expect(outliers?.note).toMatch(/lower is -Infinity, upper is Infinity/);
    expect(evidence.data_quality?.outliers.y?.note).toBeUndefined();
  });

  it('10. a text copy of the label is a leakage suspect and leaves the drift verdict', async () => {
    const c = expected.categorical_leakage;
    const adult = path.dirname(file(c.file));
    const evidence = await run({
      data: file(c.file),
      reference: path.join(adult, 'adult_scored_reference.csv'),
      label: 'label',
      score: 'score',
    });
    const leakage = evidence.data_quality?.leakage;
    for (const [column, auc] of Object.entries(c.feature_auc as Record<string, number>)) {
      expectClose(leakage?.feature_auc[column], auc, column);
    }
    expect(leakage?.suspicious_features).toEqual(['income']);
    const drift = evidence.drift;
    expect(drift?.excluded_features).toEqual(['income']);
    expect(Object.keys(drift?.features ?? {})).toContain('income');
    expect(drift?.feature_count).toBe(Object.keys(drift?.features ?? {}).length - 1);
    const counted = Object.entries(drift?.features ?? {}).filter(([k, f]) => k !== 'income' && f.drifted);
    expect(drift?.drifted_count).toBe(counted.length);
    // an identifier (every category one row) pools into one category: no leakage (pandas + sklearn: 0.5)
    const labels = JSON.parse(JSON.stringify(evidence.performance?.confusion_matrix)) as Record<
      string,
      number
    >;
    const positives = (labels.tp ?? 0) + (labels.fn ?? 0);
    const rows = evidence.data_quality?.rows ?? 0;
    const ids = Array.from({ length: rows }, (_, i) => ({ rows: 1, positives: i < positives ? 1 : 0 }));
    expect(targetRateAuc(ids)).toBe(c.id_auc);
  });
});
