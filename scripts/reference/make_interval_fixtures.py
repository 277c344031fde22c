#!/usr/bin/env python3
"""Reference values for Assay's confidence intervals, calibration fit and fairness additions.

Run with Debian's python3 (python3-numpy, python3-pandas, python3-scipy, python3-statsmodels,
python3-sklearn):
    /usr/bin/python3 scripts/reference/make_interval_fixtures.py
Writes generated cases to test/fixtures/reference/intervals/*.csv and the expected numbers to
test/fixtures/reference/intervals/expected.json.

- Wilson intervals: statsmodels.stats.proportion.proportion_confint(method='wilson').
- Newcombe (hybrid score, method 10): statsmodels confint_proportions_2indep(method='newcomb').
- DeLong: the fast algorithm of Sun & Xu (2014) written out in numpy below (midranks), checked
  against the O(n1 * n0) definition; with weights, the placements weighted by the other class's
  weights (frequency weights), checked against the unweighted algorithm on rows repeated by
  integer weights.
- Calibration slope/intercept: statsmodels GLM(Binomial) on [1, logit(clip(p, 1e-15))] (with
  freq_weights), checked against sklearn LogisticRegression(penalty=None).
- Hosmer-Lemeshow: pandas qcut(score, 10, duplicates='drop') over the rows of weight > 0, O/E/N
  per group (weighted sums),
  chi-square with groups - 2 dof (scipy.stats.chi2.sf).
- Fairness: Fairlearn's definitions written with pandas (as make_performance_fixtures.py does).
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import chi2, norm
from sklearn.linear_model import LogisticRegression
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'intervals')
ADULT = os.path.join(ROOT, 'data', 'adult', 'adult_scored_reference.csv')
THRESHOLD = 0.5
EPS = 1e-15


def wilson(k, n, conf):
    if n <= 0:
        return None
    lo, hi = proportion_confint(k, n, alpha=1 - conf, method='wilson')
    return {'lower': max(float(lo), 0.0), 'upper': min(float(hi), 1.0)}


def newcombe(k1, n1, k2, n2, conf):
    if n1 <= 0 or n2 <= 0:
        return None
    lo, hi = confint_proportions_2indep(k1, n1, k2, n2, method='newcomb', compare='diff', alpha=1 - conf)
    return {'lower': float(lo), 'upper': float(hi)}


# ---------------------------------------------------------------- DeLong

def midrank(x):
    """Sun & Xu's midranks (1-based, ties get the mean rank)."""
    order = np.argsort(x, kind='mergesort')
    z = x[order]
    n = len(x)
    t = np.zeros(n)
    i = 0
    while i < n:
        j = i
        while j < n and z[j] == z[i]:
            j += 1
        t[i:j] = 0.5 * (i + j - 1) + 1
        i = j
    out = np.empty(n)
    out[order] = t
    return out


def delong_fast(pos, neg):
    """Sun & Xu (2014), Algorithm 1 (one ROC curve): AUC and its DeLong variance."""
    m, n = len(pos), len(neg)
    tx, ty, tz = midrank(pos), midrank(neg), midrank(np.concatenate([pos, neg]))
    auc = tz[:m].sum() / m / n - (m + 1.0) / 2.0 / n
    v10 = (tz[:m] - tx) / n          # placement of each positive among the negatives
    v01 = 1.0 - (tz[m:] - ty) / m    # placement of each negative among the positives
    var = np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n
    return auc, var


def delong_slow(pos, neg):
    """DeLong et al. (1988) by definition: psi over all n1 * n0 pairs."""
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    return psi.mean(), np.var(v10, ddof=1) / len(pos) + np.var(v01, ddof=1) / len(neg)


def delong_weighted(pos, wpos, neg, wneg):
    """Placements weighted by the other class's weights; variances with frequency weights."""
    order = np.argsort(neg, kind='mergesort')
    ns, nw = neg[order], wneg[order]
    cum = np.concatenate([[0.0], np.cumsum(nw)])
    w0, w1 = wneg.sum(), wpos.sum()
    below = cum[np.searchsorted(ns, pos, side='left')]
    at_most = cum[np.searchsorted(ns, pos, side='right')]
    v10 = (below + 0.5 * (at_most - below)) / w0
    order = np.argsort(pos, kind='mergesort')
    ps, pw = pos[order], wpos[order]
    cum = np.concatenate([[0.0], np.cumsum(pw)])
    above = w1 - cum[np.searchsorted(ps, neg, side='right')]
    tied = cum[np.searchsorted(ps, neg, side='right')] - cum[np.searchsorted(ps, neg, side='left')]
    v01 = (above + 0.5 * tied) / w1
    auc = (wpos * v10).sum() / w1
    s10 = (wpos * (v10 - auc) ** 2).sum() / (w1 - 1)
    s01 = (wneg * (v01 - auc) ** 2).sum() / (w0 - 1)
    return auc, s10 / w1 + s01 / w0


def delong(y, p, w, conf):
    pos, neg = p[y == 1], p[y == 0]
    if w is None:
        auc, var = delong_fast(pos, neg)
        if len(y) <= 3000:
            auc_s, var_s = delong_slow(pos, neg)
            assert abs(auc - auc_s) < 1e-12 and abs(var - var_s) < 1e-12 * max(var, 1e-300), 'fast vs slow'
    else:
        auc, var = delong_weighted(pos, w[y == 1], neg, w[y == 0])
        if np.all(w == np.round(w)):
            rep = np.repeat(np.arange(len(y)), w.astype(int))
            auc_r, var_r = delong_fast(p[rep][y[rep] == 1], p[rep][y[rep] == 0])
            assert abs(auc - auc_r) < 1e-12 and abs(var - var_r) < 1e-10 * var, 'weighted vs repeated'
    z = norm.ppf(1 - (1 - conf) / 2)
    se = float(np.sqrt(var))
    return {'lower': max(auc - z * se, 0.0), 'upper': min(auc + z * se, 1.0), 'standard_error': se}


# ---------------------------------------------------------------- calibration

def recalibration(y, p, w):
    pc = np.clip(p, EPS, 1 - EPS)
    x = np.log(pc / (1 - pc))
    keep = np.ones(len(y), bool) if w is None else w > 0
    X = sm.add_constant(x[keep])
    fw = None if w is None else w[keep]
    res = sm.GLM(y[keep], X, family=sm.families.Binomial(), freq_weights=fw).fit(tol=1e-15, maxiter=200)
    a, b = (float(v) for v in res.params)
    # statsmodels stops on the deviance's change (parameters good to ~1e-9): polish with Newton
    # steps on the same likelihood (quadratic convergence: to rounding)
    xs, ys, ws = x[keep], y[keep], (np.ones(keep.sum()) if fw is None else fw)
    for _ in range(5):
        m = 1 / (1 + np.exp(-(a + b * xs)))
        h = ws * m * (1 - m)
        hess = np.array([[h.sum(), (h * xs).sum()], [(h * xs).sum(), (h * xs * xs).sum()]])
        grad = np.array([(ws * (ys - m)).sum(), (ws * (ys - m) * xs).sum()])
        da, db = np.linalg.solve(hess, grad)
        a, b = a + da, b + db
    assert abs(a - res.params[0]) < 1e-6 and abs(b - res.params[1]) < 1e-6, 'polish moved the GLM fit'
    lr = LogisticRegression(penalty=None, tol=1e-12, max_iter=10000, solver='newton-cholesky')
    lr.fit(x[keep].reshape(-1, 1), y[keep], sample_weight=fw)
    assert abs(lr.intercept_[0] - a) < 1e-5 and abs(lr.coef_[0][0] - b) < 1e-5, 'GLM vs sklearn'
    return a, b


def hosmer_lemeshow(y, p, w):
    # rows of weight 0 are left out (as scikit-learn drops them), before the deciles too
    if w is not None:
        y, p, w = y[w > 0], p[w > 0], w[w > 0]
    ww = np.ones(len(y)) if w is None else w
    groups = pd.qcut(p, 10, duplicates='drop')
    frame = pd.DataFrame({'g': groups, 'n': ww, 'o': ww * y, 'e': ww * p})
    agg = frame.groupby('g', observed=True)[['n', 'o', 'e']].sum()
    agg = agg[agg['n'] > 0]
    g = len(agg)
    stat = float((((agg['o'] - agg['e']) ** 2) / (agg['e'] * (1 - agg['e'] / agg['n']))).sum())
    return {'statistic': stat, 'pvalue': float(chi2.sf(stat, g - 2)), 'dof': g - 2, 'groups': g}


# ---------------------------------------------------------------- fairness

def rates(frame):
    """Sums per group (weighted), keyed by the group value ('(missing)' for a blank)."""
    out = {}
    for key, g in frame.groupby('grp', dropna=False, sort=True):
        key = '(missing)' if (isinstance(key, float) and np.isnan(key)) else str(key)
        w, y, yhat = g['w'].to_numpy(), g['y'].to_numpy(), g['yhat'].to_numpy()
        out[key] = {
            'n': len(g), 'sw': w.sum(), 'sel': (w * yhat).sum(), 'pos': (w * y).sum(),
            'tp': (w * y * yhat).sum(), 'neg': (w * (1 - y)).sum(), 'fp': (w * (1 - y) * yhat).sum(),
            'correct': (w * (y == yhat)).sum(),
        }
    return out


RATE = {
    'selection_rate': ('sel', 'sw'),
    'true_positive_rate': ('tp', 'pos'),
    'false_positive_rate': ('fp', 'neg'),
    'accuracy': ('correct', 'sw'),
}


def rate(s, key):
    num, den = RATE[key]
    return s[num] / s[den] if s[den] > 0 else None


def extremes(sums, key):
    vals = {g: rate(s, key) for g, s in sums.items() if rate(s, key) is not None}
    hi = max(vals.values())
    lo = min(vals.values())
    top = [g for g, v in vals.items() if v == hi]
    bottom = [g for g, v in vals.items() if v == lo]
    assert len(top) == 1 and len(bottom) == 1, f'tied extremes of {key}: pick other data'
    return top[0], bottom[0], hi - lo


def difference_interval(sums, key, conf):
    a, b, diff = extremes(sums, key)
    num, den = RATE[key]
    return newcombe(sums[a][num], sums[a][den], sums[b][num], sums[b][den], conf), diff


def disparities(sums, conf):
    dp_i, dp = difference_interval(sums, 'selection_rate', conf)
    tpr_i, tpr = difference_interval(sums, 'true_positive_rate', conf)
    fpr_i, fpr = difference_interval(sums, 'false_positive_rate', conf)
    sel = [rate(s, 'selection_rate') for s in sums.values()]
    tprs = [rate(s, 'true_positive_rate') for s in sums.values()]
    fprs = [rate(s, 'false_positive_rate') for s in sums.values()]
    return {
        'demographic_parity_difference': dp,
        'demographic_parity_ratio': min(sel) / max(sel),
        'equalized_odds_difference': max(tpr, fpr),
        'equalized_odds_ratio': min(min(tprs) / max(tprs), min(fprs) / max(fprs)),
        'equal_opportunity_difference': tpr,
        'intervals': {
            'demographic_parity_difference': dp_i,
            'equalized_odds_difference': tpr_i if tpr >= fpr else fpr_i,
            'equal_opportunity_difference': tpr_i,
        },
    }


def sweep(frame):
    thresholds = [k / 20 for k in range(21)]
    out = {}
    for key, g in frame.groupby('grp', dropna=False, sort=True):
        key = '(missing)' if (isinstance(key, float) and np.isnan(key)) else str(key)
        w, y, p = g['w'].to_numpy(), g['y'].to_numpy(), g['p'].to_numpy()
        sel, tpr, fpr = [], [], []
        for t in thresholds:
            s = (p >= t).astype(float)
            sel.append(float((w * s).sum() / w.sum()))
            tpr.append(float((w * s * y).sum() / (w * y).sum()) if (w * y).sum() > 0 else None)
            fpr.append(float((w * s * (1 - y)).sum() / (w * (1 - y)).sum()) if (w * (1 - y)).sum() > 0 else None)
        out[key] = {'count': len(g), 'selection_rate': sel, 'true_positive_rate': tpr, 'false_positive_rate': fpr}
    return {'thresholds': thresholds, 'groups': out}


def fairness(frame, conf, min_group_size):
    sums = rates(frame)
    groups = {}
    for key, s in sums.items():
        groups[key] = {k: wilson(s[RATE[k][0]], s[RATE[k][1]], conf) for k in RATE}
    large = {k: s for k, s in sums.items() if s['n'] >= min_group_size}
    if len(large) >= 2:
        judged = {'groups': sorted(large), **disparities(large, conf), 'note': None}
        judged['four_fifths_violation'] = bool(judged['demographic_parity_ratio'] < 0.8)
    else:
        # the engine's documented answer: nothing to judge, with a note
        keys = ['demographic_parity_difference', 'demographic_parity_ratio', 'equalized_odds_difference',
                'equalized_odds_ratio', 'equal_opportunity_difference']
        judged = {'groups': sorted(large), **{k: None for k in keys}, 'four_fifths_violation': False,
                  'intervals': {k: None for k in ['demographic_parity_difference', 'equalized_odds_difference',
                                                  'equal_opportunity_difference']},
                  'note': 'fewer than two groups large enough'}
    return {
        'groups': groups,
        'intervals': disparities(sums, conf)['intervals'],
        'judged': judged,
        'threshold_sweep': sweep(frame),
    }


# ---------------------------------------------------------------- cases

def case(name, file, frame, weight, group, conf=0.95, min_group_size=30):
    y = frame['label'].to_numpy().astype(int)
    p = frame['score'].to_numpy().astype(float)
    w = None if weight is None else frame[weight].to_numpy().astype(float)
    ww = np.ones(len(y)) if w is None else w
    yhat = (p >= THRESHOLD).astype(int)
    tp = (ww * y * yhat).sum()
    fp = (ww * (1 - y) * yhat).sum()
    fn = (ww * y * (1 - yhat)).sum()
    tn = (ww * (1 - y) * (1 - yhat)).sum()
    a, b = recalibration(y, p, w)
    hl = hosmer_lemeshow(y, p, w)
    grp = frame[group].astype(object).where(frame[group].notna(), np.nan)
    fr = pd.DataFrame({'grp': grp, 'w': ww, 'y': y, 'yhat': yhat, 'p': p})
    return {
        'name': name, 'file': file, 'weight': weight, 'group': group, 'confidence': conf,
        'min_group_size': min_group_size, 'threshold': THRESHOLD,
        'performance': {
            'accuracy': wilson(tp + tn, ww.sum(), conf),
            'precision': wilson(tp, tp + fp, conf),
            'recall': wilson(tp, tp + fn, conf),
            'roc_auc': delong(y, p, w, conf),
            'calibration': {
                'intercept': a, 'slope': b,
                'hosmer_lemeshow_statistic': hl['statistic'], 'hosmer_lemeshow_pvalue': hl['pvalue'],
                'hosmer_lemeshow_dof': hl['dof'], 'hosmer_lemeshow_groups': hl['groups'],
            },
        },
        'fairness': fairness(fr, conf, min_group_size),
    }


def write(name, frame):
    file = os.path.join(OUT, f'{name}.csv')
    frame.to_csv(file, index=False)
    # read back what was written (correctly rounded, as DuckDB reads it)
    return pd.read_csv(file, float_precision='round_trip', keep_default_na=False, na_values=['']), \
        f'test/fixtures/reference/intervals/{name}.csv'


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261207)
    cases = []
    adult = pd.read_csv(ADULT, float_precision='round_trip')
    cases.append(case('adult_race', 'data/adult/adult_scored_reference.csv', adult, None, 'race'))
    cases.append(case('adult_sex_90', 'data/adult/adult_scored_reference.csv', adult, None, 'sex', conf=0.9))

    # small and unbalanced: 40 rows, 9 positives, continuous scores, a group below min_group_size
    n = 40
    y = np.zeros(n, int)
    y[rng.choice(n, 9, replace=False)] = 1
    score = np.clip(0.25 + 0.35 * y + rng.normal(0, 0.2, n), 0.001, 0.999).round(6)
    grp = np.where(np.arange(n) < 26, 'a', 'b')
    frame, file = write('small', pd.DataFrame({'label': y, 'score': score, 'group': grp}))
    cases.append(case('small', file, frame, None, 'group', min_group_size=20))

    # unbalanced: 3000 rows, ~5% positives, four groups (one of 25 rows) and blank group values
    n = 3000
    grp = rng.choice(['north', 'south', 'east', 'west'], n, p=[0.5, 0.3, 0.185, 0.015]).astype(object)
    grp[rng.choice(n, 40, replace=False)] = ''
    shift = pd.Series(grp).map({'north': 0.0, 'south': 0.4, 'east': -0.3, 'west': 0.2, '': 0.1}).to_numpy()
    y = (rng.random(n) < 1 / (1 + np.exp(-(-2.5 + shift)))).astype(int)
    logit = -2.5 + 2.2 * y + shift + rng.normal(0, 1.1, n)
    score = (1 / (1 + np.exp(-logit))).round(6)
    frame, file = write('unbalanced', pd.DataFrame({'label': y, 'score': score, 'group': grp}))
    frame['group'] = frame['group'].replace('', np.nan)
    cases.append(case('unbalanced', file, frame, None, 'group', min_group_size=60))

    # tied scores on the 0.05 grid (every score on a sweep threshold), integer and fractional weights
    n = 600
    grp = rng.choice(['x', 'y', 'z'], n, p=[0.45, 0.35, 0.2])
    shift = pd.Series(grp).map({'x': 0.0, 'y': 0.1, 'z': -0.15}).to_numpy()
    y = (rng.random(n) < 0.35 + shift).astype(int)
    score = np.clip(np.round((0.3 + 0.3 * y + shift + rng.normal(0, 0.2, n)) * 20) / 20, 0, 1)
    frame, file = write('ties', pd.DataFrame({
        'label': y, 'score': score, 'group': grp,
        'iw': rng.integers(0, 4, n), 'fw': np.round(rng.random(n) * 2.5, 3),
    }))
    cases.append(case('ties', file, frame, None, 'group'))
    cases.append(case('ties_integer_weights', file, frame, 'iw', 'group'))
    cases.append(case('ties_fractional_weights', file, frame, 'fw', 'group', conf=0.99))

    # few distinct scores, most of them 0.1: several deciles coincide and qcut drops them
    n = 500
    grp = rng.choice(['p', 'q'], n, p=[0.6, 0.4])
    score = rng.choice([0.1, 0.2, 0.3, 0.6, 0.9], n, p=[0.45, 0.2, 0.15, 0.1, 0.1])
    y = (rng.random(n) < score * np.where(grp == 'p', 1.0, 0.8)).astype(int)
    frame, file = write('coarse', pd.DataFrame({'label': y, 'score': score, 'group': grp}))
    cases.append(case('coarse', file, frame, None, 'group'))

    with open(os.path.join(OUT, 'expected.json'), 'w') as fh:
        json.dump({'generated_by': 'scripts/reference/make_interval_fixtures.py', 'cases': cases}, fh, indent=1)
        fh.write('\n')
    print(f'wrote {len(cases)} cases to {OUT}')


if __name__ == '__main__':
    main()
