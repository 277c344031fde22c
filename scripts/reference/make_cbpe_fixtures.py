#!/usr/bin/env python3
"""Reference values for Assay's CBPE (confidence-based performance estimation), in NumPy and
scikit-learn's IsotonicRegression, after NannyML's published algorithm (see
src/engine/monitoring/cbpe.ts for the one documented deviation: calibration is applied unless the
reference has one class or a ROC AUC above 0.999, with no random splits).

Run with Debian's python3 (python3-numpy, python3-sklearn):
    /usr/bin/python3 scripts/reference/make_cbpe_fixtures.py
Writes test/fixtures/reference/cbpe/expected.json: for each case, the reference (score, label),
the window's scores and the estimates the TypeScript implementation must reproduce to 1e-9.
"""
import csv
import json
import os

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import roc_auc_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'cbpe')
ADULT = os.path.join(ROOT, 'data', 'adult')


def read_scored(name):
    with open(os.path.join(ADULT, name)) as f:
        rows = list(csv.DictReader(f))
    return np.array([float(r['score']) for r in rows]), np.array([int(r['label']) for r in rows])


def std(x):
    return float(np.std(x)) if len(x) > 0 else float('nan')


def auc_components(scores, y):
    """NannyML's auroc_sampling_error_components."""
    if np.mean(y) > 0.5:
        y = 1 - y
        scores = 1 - scores
    order = np.argsort(scores, kind='stable')
    y = y[order]
    ranks = np.arange(len(y))
    positive_ranks = np.unique(y * ranks)[1:]
    ser = [rank - i for i, rank in enumerate(positive_ranks)]
    n_pos = np.sum(y)
    n_neg = len(y) - n_pos
    return std(np.array(ser) / n_neg), n_pos / len(y)


def band(value, comp, n):
    sigma, fraction = comp
    if n == 0 or fraction <= 0 or not np.isfinite(sigma):
        return {'value': value, 'samplingError': None, 'lower': None, 'upper': None}
    se = sigma / np.sqrt(n * fraction)
    if value is None:
        return {'value': None, 'samplingError': float(se), 'lower': None, 'upper': None}
    return {'value': value, 'samplingError': float(se), 'lower': max(0.0, value - 3 * se), 'upper': min(1.0, value + 3 * se)}


def cbpe(ref_scores, ref_y, window, threshold):
    single = ref_y.sum() in (0, len(ref_y))
    calibrated = (not single) and roc_auc_score(ref_y, ref_scores) <= 0.999
    if calibrated:
        iso = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(ref_scores, ref_y)
        p = iso.predict(window)
    else:
        p = window.copy()
    pred = window >= threshold
    tp = float(np.sum(p[pred]))
    fp = float(np.sum(1 - p[pred]))
    fn = float(np.sum(p[~pred]))
    tn = float(np.sum(1 - p[~pred]))
    n = len(window)
    # estimated ROC AUC: ranked by the raw score descending (stable), tps = cumsum(p), no tie grouping
    order = np.argsort(-window, kind='stable')
    tps = np.round(np.cumsum(p[order]), 5)
    fps = np.round(np.arange(1, n + 1) - np.cumsum(p[order]), 5)
    tps = np.concatenate([[0.0], tps])
    fps = np.concatenate([[0.0], fps])
    auc = float(np.trapz(tps / tps[-1], fps / fps[-1])) if tps[-1] > 0 and fps[-1] > 0 else None
    ref_pred = (ref_scores >= threshold).astype(int)
    correct = (ref_y == ref_pred).astype(int)

    def subset(mask):
        return std(correct[mask]), float(np.mean(mask))

    ratio = lambda a, b: a / b if b > 0 else None
    return {
        'calibrated': bool(calibrated),
        'rows': n,
        'expected': {'tp': tp, 'fp': fp, 'fn': fn, 'tn': tn},
        'metrics': {
            'roc_auc': band(auc, (float('nan'), 0) if single else auc_components(ref_scores.copy(), ref_y.copy()), n),
            'accuracy': band((tp + tn) / n if n else None, subset(np.ones(len(correct), bool)), n),
            'precision': band(ratio(tp, tp + fp), subset(ref_pred == 1), n),
            'recall': band(ratio(tp, tp + fn), subset(ref_y == 1), n),
            'f1': band(ratio(2 * tp, 2 * tp + fp + fn), subset((ref_y == 1) | (ref_pred == 1)), n),
            'specificity': band(ratio(tn, tn + fp), subset(ref_y == 0), n),
        },
    }


def main():
    ref_s, ref_y = read_scored('adult_scored_reference.csv')
    prod_s, prod_y = read_scored('adult_scored_production.csv')
    rng = np.random.default_rng(7)
    cases = []
    # a window of production rows, and one shifted towards high scores (drift)
    window = prod_s[:1500]
    high = prod_s[prod_s > 0.3][:400]
    shifted = np.concatenate([prod_s[1500:2500], high])
    # a synthetic case with ties and a small reference
    syn_ref = np.round(rng.uniform(0, 1, 300), 2)
    syn_y = (rng.uniform(0, 1, 300) < syn_ref).astype(int)
    syn_win = np.round(rng.uniform(0, 1, 200) ** 0.7, 2)
    for name, rs, ry, win, thr in [
        ('adult_window', ref_s, ref_y, window, 0.5),
        ('adult_shifted', ref_s, ref_y, shifted, 0.5),
        ('synthetic_ties', syn_ref, syn_y, syn_win, 0.4),
    ]:
        cases.append({
            'name': name,
            'threshold': thr,
            'reference': {'score': rs.tolist(), 'label': ry.tolist()},
            'window': win.tolist(),
            'expected': cbpe(rs, ry, win, thr),
        })
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'generator': 'scripts/reference/make_cbpe_fixtures.py', 'cases': cases}, f)
    print('wrote', os.path.join(OUT, 'expected.json'))


if __name__ == '__main__':
    main()
