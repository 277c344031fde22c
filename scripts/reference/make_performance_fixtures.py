#!/usr/bin/env python3
"""Reference values for Assay's performance and fairness engine, computed with scikit-learn/pandas.

Run with Debian's python3 (python3-sklearn, python3-pandas):
    /usr/bin/python3 scripts/reference/make_performance_fixtures.py
Writes generated edge cases to test/fixtures/reference/performance/*.csv and the expected numbers to
test/fixtures/reference/performance/expected.json and test/fixtures/reference/fairness/expected.json.
Fairlearn is not installed; its definitions (selection rate, TPR, FPR per group; differences max-min,
ratios min/max; equalized odds = the worse of TPR and FPR) are written out with pandas.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn import metrics as m

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PERF = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'performance')
FAIR = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'fairness')
ADULT = os.path.join(ROOT, 'data', 'adult', 'adult_scored_reference.csv')
THRESHOLD = 0.5


def ece(y, p, w):
    idx = np.minimum(np.floor(p * 10), 9).astype(int)
    total = w.sum()
    out = 0.0
    for b in range(10):
        sel = idx == b
        wb = w[sel].sum()
        if wb > 0:
            out += (wb / total) * abs(np.average(y[sel], weights=w[sel]) - np.average(p[sel], weights=w[sel]))
    return out


def performance(y, p, w=None):
    yhat = (p >= THRESHOLD).astype(int)
    ww = np.ones(len(y)) if w is None else w
    tn, fp, fn, tp = m.confusion_matrix(y, yhat, labels=[0, 1], sample_weight=w).ravel()
    return {
        'count': int(len(y)),
        'accuracy': m.accuracy_score(y, yhat, sample_weight=w),
        'balanced_accuracy': m.balanced_accuracy_score(y, yhat, sample_weight=w),
        'precision': m.precision_score(y, yhat, sample_weight=w, zero_division=0),
        'recall': m.recall_score(y, yhat, sample_weight=w, zero_division=0),
        'f1': m.f1_score(y, yhat, sample_weight=w, zero_division=0),
        'roc_auc': m.roc_auc_score(y, p, sample_weight=w),
        'average_precision': m.average_precision_score(y, p, sample_weight=w),
        'log_loss': m.log_loss(y, p, eps=1e-15, sample_weight=w, labels=[0, 1]),
        'brier_score': m.brier_score_loss(y, p, sample_weight=w),
        'ece': ece(y, p, ww),
        'confusion_matrix': {'tn': float(tn), 'fp': float(fp), 'fn': float(fn), 'tp': float(tp)},
    }


def write_case(name, frame):
    file = os.path.join(PERF, f'{name}.csv')
    frame.to_csv(file, index=False)
    # Read back what was written (correctly rounded, like DuckDB), so both sides see the same doubles.
    return pd.read_csv(file, float_precision='round_trip')


def main():
    os.makedirs(PERF, exist_ok=True)
    os.makedirs(FAIR, exist_ok=True)
    rng = np.random.default_rng(20261123)
    cases = []
    adult = pd.read_csv(ADULT, float_precision='round_trip')
    cases.append({'name': 'adult', 'file': 'data/adult/adult_scored_reference.csv', 'weight': None,
                  'expected': performance(adult['label'].to_numpy(), adult['score'].to_numpy())})
    n = 400
    ties = write_case('ties', pd.DataFrame({
        'label': rng.integers(0, 2, n),
        'score': np.round(rng.random(n), 1),
        'weight': np.round(rng.random(n) * 3, 2),
    }))
    cases.append({'name': 'ties', 'file': 'test/fixtures/reference/performance/ties.csv', 'weight': None,
                  'expected': performance(ties['label'].to_numpy(), ties['score'].to_numpy())})
    cases.append({'name': 'ties_weighted', 'file': 'test/fixtures/reference/performance/ties.csv',
                  'weight': 'weight',
                  'expected': performance(ties['label'].to_numpy(), ties['score'].to_numpy(),
                                          ties['weight'].to_numpy())})
    extreme_scores = [0.0, 1.0, 1e-300, 1e-20, 1e-16, 1 - 1e-16, 1 - 1e-12, 0.5, 0.5, 0.49999999999,
                      0.1, 0.9, 1e-5, 0.99999, 0.3, 0.7]
    extreme = write_case('extreme', pd.DataFrame({
        'label': [0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0],
        'score': extreme_scores,
    }))
    cases.append({'name': 'extreme', 'file': 'test/fixtures/reference/performance/extreme.csv', 'weight': None,
                  'expected': performance(extreme['label'].to_numpy(), extreme['score'].to_numpy())})
    with open(os.path.join(PERF, 'expected.json'), 'w') as f:
        json.dump({'threshold': THRESHOLD, 'cases': cases}, f, indent=1)

    adult['pred'] = (adult['score'] >= THRESHOLD).astype(int)
    fairness = {}
    # single columns and an intersection (Fairlearn's MetricFrame with several sensitive features)
    for spec in [['sex'], ['race'], ['sex', 'race']]:
        column = '+'.join(spec)
        groups = {}
        for value, g in adult.groupby(spec if len(spec) > 1 else spec[0]):
            if isinstance(value, tuple):
                value = ' | '.join(str(v) for v in value)
            pos = g[g['label'] == 1]
            neg = g[g['label'] == 0]
            groups[str(value)] = {
                'count': int(len(g)),
                'selection_rate': float(g['pred'].mean()),
                'true_positive_rate': float(pos['pred'].mean()) if len(pos) else None,
                'false_positive_rate': float(neg['pred'].mean()) if len(neg) else None,
                'accuracy': float((g['pred'] == g['label']).mean()),
            }
        def spread(key):
            vals = [v[key] for v in groups.values() if v[key] is not None]
            return max(vals) - min(vals), min(vals) / max(vals)
        dp_d, dp_r = spread('selection_rate')
        tpr_d, tpr_r = spread('true_positive_rate')
        fpr_d, fpr_r = spread('false_positive_rate')
        fairness[column] = {
            'groups': groups,
            'demographic_parity_difference': dp_d,
            'demographic_parity_ratio': dp_r,
            'equalized_odds_difference': max(tpr_d, fpr_d),
            'equalized_odds_ratio': min(tpr_r, fpr_r),
            'equal_opportunity_difference': tpr_d,
        }
    with open(os.path.join(FAIR, 'expected.json'), 'w') as f:
        json.dump({'file': 'data/adult/adult_scored_reference.csv', 'threshold': THRESHOLD,
                   'columns': fairness}, f, indent=1)


if __name__ == '__main__':
    main()
