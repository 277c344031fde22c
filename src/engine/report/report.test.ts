import { describe, expect, it } from 'vitest';
import type { DataQualityResult, DriftResult } from '../../contracts/validation-drift.ts';
import type { ValidationEvidence } from '../../contracts/validation-evidence.ts';
import { renderReport } from './report.ts';
import { escapeHtml, formatNumber } from './svg-charts.ts';

const hostile = '<script>alert(1)</script>"\'&';

function drift(): DriftResult {
  return {
    features: {
      [hostile]: {
        kind: 'categorical',
        reference_count: 10,
        current_count: 12,
        reference_missing: 0,
        current_missing: 1,
        psi: 0.3,
        psi_drifted: true,
        drifted: true,
        test: 'chi2',
        test_value: 0.01,
        test_threshold: 0.05,
        histogram: {
          edges: null,
          labels: [hostile, 'b'],
          other_label: null,
          reference: [0.5, 0.5],
          current: [0.9, 0.1],
        },
        note: null,
        chi2_statistic: 6.2,
        chi2_pvalue: 0.01,
        chi2_dof: 1,
        chi2_yates: true,
        js_distance: 0.3,
        categories: 2,
      },
    },
    feature_count: 1,
    drifted_count: 1,
    drift_share: 1,
    dataset_drifted: true,
    prediction: null,
    thresholds: {
      numeric_test: 'auto',
      categorical_test: 'auto',
      small_sample_max: 1000,
      ks_pvalue: 0.05,
      chi2_pvalue: 0.05,
      wasserstein_normed: 0.1,
      js_distance: 0.1,
      psi: 0.2,
      drift_share: 0.5,
    },
  };
}

function quality(): DataQualityResult {
  return {
    rows: 12,
    columns: 1,
    reference_rows: 10,
    missing: { [hostile]: { count: 1, share: 1 / 12, null: 1, empty_string: 0, nan: 0, infinite: 0 } },
    duplicates: { count: 0, share: 0 },
    constant_columns: [],
    outliers: {},
    schema_changes: {
      new_columns: [],
      missing_columns: [],
      retyped_columns: [],
      unseen_categories: { [hostile]: { distinct: 1, rows: 2, examples: [hostile] } },
    },
    leakage: {
      label: null,
      positive_label: null,
      feature_auc: {},
      suspicious_features: [],
      rows_in_reference: 0,
      rows_in_reference_share: 0,
      note: hostile,
    },
    thresholds: { iqr_multiplier: 1.5, leakage_auc: 0.95 },
  };
}

describe('renderReport', () => {
  it('escapes every text that comes from the data', () => {
    const html = renderReport({
      inputs: { data: { path: hostile, rows: 12, sha256: hostile } },
      fairness: {
        [hostile]: {
          demographic_parity_ratio: 0.5,
          groups: { [hostile]: { count: 3, selection_rate: 0.1 } },
        },
      },
      drift: drift(),
      data_quality: quality(),
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain(hostile);
    expect(html).toContain(escapeHtml(hostile));
  });

  it('is self-contained: no scripts, no external resources', () => {
    const html = renderReport({ drift: drift(), data_quality: quality() });
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('puts the summary verdicts first and flags drift and four-fifths breaches', () => {
    const html = renderReport({
      fairness: { sex: { demographic_parity_ratio: 0.5, groups: {} } },
      drift: drift(),
      data_quality: quality(),
    });
    const summary = html.indexOf('<h2>Summary</h2>');
    expect(summary).toBeGreaterThan(0);
    expect(summary).toBeLessThan(html.indexOf('<h2>Drift</h2>'));
    expect(html).toContain('four-fifths rule breached for: sex');
    expect(html).toMatch(/1 of 1 features drifted/);
  });

  it('draws the performance charts from the curves', () => {
    const html = renderReport({
      performance: {
        roc_auc: 0.8,
        roc_curve: { fpr: [0, 0.5, 1], tpr: [0, 0.9, 1] },
        precision_recall_curve: { precision: [1, 0.5], recall: [0, 1] },
        calibration_curve: { prob_pred: [0.1, 0.9], prob_true: [0.2, 0.8] },
        confusion_matrix: { tn: 5, fp: 1, fn: 2, tp: 7 },
      },
    });
    expect(html.match(/<polyline/g)?.length).toBe(3);
    expect(html).toContain('ROC curve (AUC 0.8)');
    expect(html).toMatch(/actual 1<\/th><td class="num">2<\/td><td class="num">7/);
  });

  it('formats undefined numbers as a dash, never as 0', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(1.23456e-9)).toBe('1.235e-9');
  });
});

describe('renderReport and the evidence contract', () => {
  it('accepts the assay.validation/v1 evidence document type', () => {
    // compile-time check: the report reads the evidence as E1's schema types it
    const render: (evidence: ValidationEvidence) => string = renderReport;
    expect(typeof render).toBe('function');
  });
});
