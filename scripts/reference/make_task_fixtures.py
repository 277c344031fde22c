#!/usr/bin/env python3
"""Reference values for Assay's multiclass, regression and prediction-column metrics (scikit-learn).

Run with Debian's python3 (python3-sklearn, python3-pandas):
    /usr/bin/python3 scripts/reference/make_task_fixtures.py
Writes the generated cases to test/fixtures/reference/tasks/*.csv and the expected numbers to
test/fixtures/reference/tasks/expected.json.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn import metrics as m

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'tasks')


def write_case(name, frame):
    file = os.path.join(OUT, f'{name}.csv')
    frame.to_csv(file, index=False)
    # read back what was written (correctly rounded, as DuckDB reads it)
    return pd.read_csv(file, float_precision='round_trip', keep_default_na=False, dtype={'label': str, 'prediction': str}) if name.startswith('multiclass_text') else pd.read_csv(file, float_precision='round_trip')


def classification(y, yhat, w=None):
    labels = sorted(set(y) | set(yhat))
    p, r, f, s = m.precision_recall_fscore_support(y, yhat, labels=labels, sample_weight=w, zero_division=0)
    out = {
        'classes': [str(c) for c in labels],
        'accuracy': m.accuracy_score(y, yhat, sample_weight=w),
        'balanced_accuracy': m.balanced_accuracy_score(y, yhat, sample_weight=w),
        'confusion_matrix': m.confusion_matrix(y, yhat, labels=labels, sample_weight=w).astype(float).tolist(),
        'per_class': {str(c): {'precision': float(p[i]), 'recall': float(r[i]), 'f1': float(f[i]),
                               'support': float(s[i]) if w is None else float(np.sum(np.asarray(w)[np.asarray(y) == c]))}
                      for i, c in enumerate(labels)},
    }
    for avg in ['macro', 'weighted']:
        pa, ra, fa, _ = m.precision_recall_fscore_support(y, yhat, labels=labels, average=avg, sample_weight=w,
                                                          zero_division=0)
        out[f'precision_{avg}'] = float(pa)
        out[f'recall_{avg}'] = float(ra)
        out[f'f1_{avg}'] = float(fa)
    return out


def regression(y, yhat, w=None):
    return {
        'mean_absolute_error': m.mean_absolute_error(y, yhat, sample_weight=w),
        'mean_squared_error': m.mean_squared_error(y, yhat, sample_weight=w),
        'root_mean_squared_error': m.mean_squared_error(y, yhat, sample_weight=w, squared=False),
        'r2': m.r2_score(y, yhat, sample_weight=w),
        'mean_absolute_percentage_error': m.mean_absolute_percentage_error(y, yhat, sample_weight=w),
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261124)
    cases = []
    n = 500
    # multiclass with integer labels 0..3 and a class that is predicted but never true (4)
    y = rng.integers(0, 4, n)
    yhat = np.where(rng.random(n) < 0.6, y, rng.integers(0, 5, n))
    mc = write_case('multiclass', pd.DataFrame({'label': y, 'prediction': yhat,
                                                'weight': np.round(rng.random(n) * 2, 2)}))
    cases.append({'name': 'multiclass', 'file': 'multiclass.csv', 'task': 'multiclass', 'weight': None,
                  'expected': classification(mc['label'].to_numpy(), mc['prediction'].to_numpy())})
    cases.append({'name': 'multiclass_weighted', 'file': 'multiclass.csv', 'task': 'multiclass', 'weight': 'weight',
                  'expected': classification(mc['label'].to_numpy(), mc['prediction'].to_numpy(),
                                             mc['weight'].to_numpy())})
    # multiclass with text labels
    names = np.array(['cat', 'dog', 'eel', 'ant'])
    yt = names[rng.integers(0, 4, n)]
    yht = np.where(rng.random(n) < 0.5, yt, names[rng.integers(0, 4, n)])
    mt = write_case('multiclass_text', pd.DataFrame({'label': yt, 'prediction': yht}))
    cases.append({'name': 'multiclass_text', 'file': 'multiclass_text.csv', 'task': 'multiclass', 'weight': None,
                  'expected': classification(list(mt['label']), list(mt['prediction']))})
    # binary with a predicted-class column (no scores)
    yb = rng.integers(0, 2, n)
    ybh = np.where(rng.random(n) < 0.8, yb, 1 - yb)
    bp = write_case('binary_prediction', pd.DataFrame({'label': yb, 'prediction': ybh}))
    yy, pp = bp['label'].to_numpy(), bp['prediction'].to_numpy()
    cases.append({'name': 'binary_prediction', 'file': 'binary_prediction.csv', 'task': 'binary', 'weight': None,
                  'expected': {
                      'accuracy': m.accuracy_score(yy, pp),
                      'balanced_accuracy': m.balanced_accuracy_score(yy, pp),
                      'precision': m.precision_score(yy, pp, zero_division=0),
                      'recall': m.recall_score(yy, pp, zero_division=0),
                      'f1': m.f1_score(yy, pp, zero_division=0),
                  }})
    # regression, including zeros in the label (MAPE's epsilon) and weights
    yr = np.round(rng.normal(50, 20, n), 3)
    yr[:5] = 0.0
    yrh = np.round(yr + rng.normal(0, 5, n), 3)
    rg = write_case('regression', pd.DataFrame({'label': yr, 'prediction': yrh,
                                                'weight': np.round(rng.random(n) * 2 + 0.1, 2)}))
    cases.append({'name': 'regression', 'file': 'regression.csv', 'task': 'regression', 'weight': None,
                  'expected': regression(rg['label'].to_numpy(), rg['prediction'].to_numpy())})
    cases.append({'name': 'regression_weighted', 'file': 'regression.csv', 'task': 'regression', 'weight': 'weight',
                  'expected': regression(rg['label'].to_numpy(), rg['prediction'].to_numpy(),
                                         rg['weight'].to_numpy())})
    # a perfect constant prediction of a constant label: r2 is 1.0 (sklearn's force_finite)
    const = write_case('regression_constant', pd.DataFrame({'label': [2.5] * 10, 'prediction': [2.5] * 10}))
    cases.append({'name': 'regression_constant', 'file': 'regression_constant.csv', 'task': 'regression',
                  'weight': None, 'expected': regression(const['label'].to_numpy(), const['prediction'].to_numpy())})
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'cases': cases}, f, indent=1)


if __name__ == '__main__':
    main()
