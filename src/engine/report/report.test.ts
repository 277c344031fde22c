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

describe('intervals, calibration and the actionable fairness in the report', () => {
  const ci = (lower: number, upper: number, method: 'wilson' | 'newcombe' = 'wilson') => ({
    lower,
    upper,
    method,
  });
  it('shows the intervals, the calibration fit, the headline beside all groups and the sweep', () => {
    const html = renderReport({
      performance: {
        accuracy: 0.9,
        roc_auc: 0.8,
        intervals: {
          confidence: 0.95,
          accuracy: ci(0.85, 0.93),
          precision: null,
          recall: ci(0.6, 0.7),
          roc_auc: { ...ci(0.75, 0.85), method: 'delong', standard_error: 0.025 },
          note: null,
        },
        calibration: {
          intercept: -0.02,
          slope: 0.97,
          hosmer_lemeshow_statistic: 9.46,
          hosmer_lemeshow_pvalue: 0.305,
          hosmer_lemeshow_dof: 8,
          hosmer_lemeshow_groups: 10,
          note: null,
        },
      },
      fairness: {
        race: {
          demographic_parity_ratio: 0.2,
          demographic_parity_difference: 0.3,
          four_fifths_violation: true,
          min_group_size: 30,
          small_groups: ['Other'],
          confidence: 0.95,
          groups: {
            White: {
              count: 500,
              selection_rate: 0.3,
              intervals: {
                selection_rate: ci(0.26, 0.34),
                true_positive_rate: null,
                false_positive_rate: null,
                accuracy: null,
              },
            },
            Black: {
              count: 100,
              selection_rate: 0.28,
              intervals: {
                selection_rate: ci(0.2, 0.37),
                true_positive_rate: null,
                false_positive_rate: null,
                accuracy: null,
              },
            },
            Other: { count: 10, selection_rate: 0.06, too_small: true },
          },
          intervals: {
            demographic_parity_difference: ci(0.1, 0.4, 'newcombe'),
            equalized_odds_difference: null,
            equal_opportunity_difference: null,
          },
          judged: {
            groups: ['Black', 'White'],
            demographic_parity_difference: 0.02,
            demographic_parity_ratio: 0.933,
            equalized_odds_difference: null,
            equalized_odds_ratio: null,
            equal_opportunity_difference: null,
            four_fifths_violation: false,
            intervals: {
              demographic_parity_difference: ci(-0.07, 0.11, 'newcombe'),
              equalized_odds_difference: null,
              equal_opportunity_difference: null,
            },
            note: null,
          },
          threshold_sweep: {
            thresholds: [0, 0.5, 1],
            groups: {
              White: {
                count: 500,
                selection_rate: [1, 0.3, 0],
                true_positive_rate: [1, 0.7, 0],
                false_positive_rate: [1, 0.1, 0],
              },
              Black: {
                count: 100,
                selection_rate: [1, 0.28, 0],
                true_positive_rate: [null, null, null],
                false_positive_rate: [1, 0.2, 0],
              },
            },
          },
        },
      },
    });
    expect(html).toContain('95% CI');
    expect(html).toContain('[0.75, 0.85]');
    expect(html).toContain('calibration_slope');
    expect(html).toMatch(/hosmer_lemeshow<\/th><td class="num">9\.46/);
    // headline (large groups) beside all groups, both with Newcombe intervals
    expect(html).toContain('groups with ≥ 30 rows (headline)');
    expect(html).toContain('[-0.07, 0.11]');
    expect(html).toContain('[0.1, 0.4]');
    expect(html).toContain('[0.26, 0.34]');
    // the breach comes only from the small group: a warning, not a breach
    expect(html).toContain('only with the too-small groups: race');
    expect(html).not.toContain('four-fifths rule breached');
    // three sweep charts, one line per group (a group without positives has no TPR line points)
    expect(html).toContain('selection rate</figcaption>');
    expect(html).toContain('false positive rate</figcaption>');
  });
});
