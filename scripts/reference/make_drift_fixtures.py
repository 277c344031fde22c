#!/usr/bin/env python3
"""Reference values for Assay's drift and data-quality engine, computed with SciPy/NumPy/pandas.

Run with Debian's python3 (python3-scipy, python3-numpy, python3-pandas):
    /usr/bin/python3 scripts/reference/make_drift_fixtures.py
Writes test/fixtures/reference/drift/<case>_{reference,current}.csv (generated edge cases) and
expected.json with the numbers the TypeScript engine must reproduce to 1e-9.
Definitions: see docs/validation-evidence.md (## Drift, ## Data quality).
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn.metrics import roc_auc_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'drift')
ADULT = os.path.join(ROOT, 'data', 'adult')
DECILES = [i / 10 for i in range(1, 10)]
FLOOR = 1e-4


def to_float(text):
    """Python's float() is correctly rounded, like DuckDB's parser; '' and junk are missing."""
    try:
        return float(text)
    except ValueError:
        return math.nan


def numeric_values(series):
    x = np.array([to_float(s) for s in series], dtype=np.float64)
    return x[np.isfinite(x)]


def categorical_values(series):
    return [s for s in series if s.strip() != '']


def psi(ref_counts, cur_counts):
    r = np.maximum(np.asarray(ref_counts) / np.sum(ref_counts), FLOOR)
    c = np.maximum(np.asarray(cur_counts) / np.sum(cur_counts), FLOOR)
    return float(np.sum((c - r) * np.log(c / r)))


def numeric_drift(ref, cur):
    out = {'kind': 'numeric', 'reference_count': int(ref.size), 'current_count': int(cur.size)}
    if ref.size == 0 or cur.size == 0:
        return out
    ks = stats.ks_2samp(ref, cur)  # method='auto', two-sided
    edges = np.unique(np.quantile(ref, DECILES))
    ref_bins = np.bincount(np.searchsorted(edges, ref, side='left'), minlength=edges.size + 1)
    cur_bins = np.bincount(np.searchsorted(edges, cur, side='left'), minlength=edges.size + 1)
    w = stats.wasserstein_distance(ref, cur)
    std = float(np.std(ref))
    exact = max(ref.size, cur.size) <= 10000
    out.update({
        'ks_statistic': float(ks.statistic),
        'ks_pvalue': float(ks.pvalue),
        'ks_method': 'exact' if exact else 'asymp',
        'wasserstein_distance': float(w),
        'reference_std': std,
        'wasserstein_normed': float(w / max(std, 0.001)),
        'psi_edges': [float(e) for e in edges],
        'psi': psi(ref_bins, cur_bins),
    })
    return out


def categorical_drift(ref, cur):
    cats = sorted(set(ref) | set(cur))
    rc = pd.Series(ref, dtype=object).value_counts()
    cc = pd.Series(cur, dtype=object).value_counts()
    ref_counts = np.array([int(rc.get(k, 0)) for k in cats])
    cur_counts = np.array([int(cc.get(k, 0)) for k in cats])
    out = {'kind': 'categorical', 'reference_count': len(ref), 'current_count': len(cur), 'categories': len(cats)}
    if len(ref) == 0 or len(cur) == 0:
        return out
    chi2, p, dof, _ = stats.chi2_contingency(np.array([ref_counts, cur_counts]))
    out.update({
        'chi2_statistic': float(chi2),
        'chi2_pvalue': float(p),
        'chi2_dof': int(dof),
        'js_distance': float(jensenshannon(ref_counts, cur_counts)),
        'psi': psi(ref_counts, cur_counts),
    })
    return out


def read(path):
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def case(name, ref_path, cur_path, kinds):
    ref, cur = read(ref_path), read(cur_path)
    features = {}
    for col, kind in kinds.items():
        if kind == 'numeric':
            features[col] = numeric_drift(numeric_values(ref[col]), numeric_values(cur[col]))
        else:
            features[col] = categorical_drift(categorical_values(ref[col]), categorical_values(cur[col]))
    return {'name': name, 'reference': os.path.relpath(ref_path, ROOT), 'current': os.path.relpath(cur_path, ROOT),
            'reference_rows': len(ref), 'current_rows': len(cur), 'kinds': kinds, 'features': features}


def write_csv(name, frame):
    path = os.path.join(OUT, name)
    frame.to_csv(path, index=False)
    return path


def fmt(x):
    return '' if x is None else repr(float(x)) if isinstance(x, float) else str(x)


def generate(rng):
    cases = []
    # small samples: exact KS (n1 != n2), ties, missing tokens, constant, Yates, unseen, single category
    n1, n2 = 40, 55
    def small(n, shift, unseen):
        ties = rng.integers(0, 10, n) + (1 if shift else 0)
        cont = np.round(rng.normal(shift, 1.0, n), 4)
        noisy = [fmt(v) for v in np.round(rng.normal(0, 2, n), 3)]
        for i in range(0, n, 7):
            noisy[i] = ['', 'nan', 'inf', '-inf', 'abc'][(i // 7) % 5]
        two = rng.choice(['a', 'b'], n, p=[0.7, 0.3] if not shift else [0.5, 0.5])
        many = rng.choice(['p', 'q', 'r', 's', 't', 'u'] + (['new1', 'new2'] if unseen else []), n)
        blank = ['' if i % 5 == 0 else v for i, v in enumerate(rng.choice(['x', 'y'], n))]
        return pd.DataFrame({'ties': ties, 'cont': cont, 'noisy': noisy, 'const': [5.0] * n, 'two': two,
                             'many': many, 'single': ['only'] * n, 'blank': blank,
                             'empty_cur': [fmt(v) if not unseen else '' for v in rng.normal(0, 1, n)]})
    kinds = {'ties': 'numeric', 'cont': 'numeric', 'noisy': 'numeric', 'const': 'numeric', 'two': 'categorical',
             'many': 'categorical', 'single': 'categorical', 'blank': 'categorical', 'empty_cur': 'numeric'}
    r = write_csv('small_reference.csv', small(n1, 0, False))
    c = write_csv('small_current.csv', small(n2, 1, True))
    cases.append(case('small', r, c, kinds))
    # equal sizes: the n1 == n2 exact path
    eq_k = {'a': 'numeric', 'b': 'numeric'}
    r = write_csv('equal_reference.csv', pd.DataFrame({'a': np.round(rng.normal(0, 1, 30), 3), 'b': rng.integers(0, 4, 30)}))
    c = write_csv('equal_current.csv', pd.DataFrame({'a': np.round(rng.normal(0.8, 1, 30), 3), 'b': rng.integers(0, 4, 30)}))
    cases.append(case('equal', r, c, eq_k))
    # large samples: asymptotic KS (max(n) > 10000), Jensen-Shannon regime
    big_k = {'shift': 'numeric', 'same': 'numeric', 'cat': 'categorical', 'ints': 'numeric'}
    def big(n, s):
        return pd.DataFrame({'shift': np.round(rng.normal(s, 1, n), 3), 'same': np.round(rng.exponential(2, n), 3),
                             'cat': rng.choice(list('ABCDE'), n, p=[0.3, 0.3, 0.2, 0.1, 0.1] if s == 0 else [0.25, 0.3, 0.2, 0.15, 0.1]),
                             'ints': rng.poisson(3 + s, n)})
    r = write_csv('large_reference.csv', big(12000, 0))
    c = write_csv('large_current.csv', big(15000, 0.03))
    cases.append(case('large', r, c, big_k))
    # very unequal sizes: asymptotic with a small effective n (kstwo small-n branches)
    lop_k = {'x': 'numeric'}
    r = write_csv('lopsided_reference.csv', pd.DataFrame({'x': np.round(rng.normal(0, 1, 10001), 3)}))
    c = write_csv('lopsided_current.csv', pd.DataFrame({'x': np.round(rng.normal(0.7, 1, 9), 3)}))
    cases.append(case('lopsided', r, c, lop_k))
    return cases


def is_missing(text, kind):
    if text.strip() == '':
        return True
    return kind == 'numeric' and not math.isfinite(to_float(text)) and text.strip().lower() in (
        'nan', '-nan', '+nan', 'inf', '-inf', '+inf', 'infinity', '-infinity', '+infinity')


def quality_case(name, cur_path, ref_path, cur_kinds, ref_kinds, label):
    cur, ref = read(cur_path), read(ref_path)
    out = {'name': name, 'current': os.path.relpath(cur_path, ROOT), 'reference': os.path.relpath(ref_path, ROOT),
           'current_kinds': cur_kinds, 'reference_kinds': ref_kinds, 'label': label,
           'rows': len(cur), 'columns': cur.shape[1], 'missing': {}, 'outliers': {}, 'constant_columns': []}
    for col, kind in cur_kinds.items():
        out['missing'][col] = int(sum(is_missing(t, kind) for t in cur[col]))
        if kind == 'numeric':
            x = numeric_values(cur[col])
            distinct = len(set(x.tolist()))
            if x.size:
                q1, q3 = np.quantile(x, [0.25, 0.75])
                iqr = q3 - q1
                n = int(np.sum((x < q1 - 1.5 * iqr) | (x > q3 + 1.5 * iqr)))
                out['outliers'][col] = {'q1': float(q1), 'q3': float(q3), 'count': n}
        else:
            distinct = len(set(categorical_values(cur[col])))
        if distinct <= 1:
            out['constant_columns'].append(col)
    out['duplicates'] = int(cur.duplicated().sum())
    common = [c for c in cur.columns if c in ref.columns]
    ref_rows = set(map(tuple, ref[common].itertuples(index=False, name=None)))
    out['rows_in_reference'] = int(sum(1 for row in cur[common].itertuples(index=False, name=None) if row in ref_rows))
    out['new_columns'] = [c for c in cur.columns if c not in ref.columns]
    out['missing_columns'] = [c for c in ref.columns if c not in cur.columns]
    out['retyped_columns'] = sorted(c for c in common if cur_kinds[c] != ref_kinds[c])
    unseen = {}
    for c in common:
        if cur_kinds[c] == ref_kinds[c] == 'categorical':
            seen = set(categorical_values(ref[c]))
            new = [v for v in categorical_values(cur[c]) if v not in seen]
            if new:
                unseen[c] = {'distinct': len(set(new)), 'rows': len(new)}
    out['unseen_categories'] = unseen
    y_text = cur[label]
    values = sorted(set(categorical_values(y_text)))
    pos = values[1] if set(values) != {'0', '1'} else '1'
    auc = {}
    for col, kind in cur_kinds.items():
        if kind != 'numeric' or col == label:
            continue
        x = np.array([to_float(t) for t in cur[col]])
        keep = np.isfinite(x) & np.array([t.strip() != '' for t in y_text])
        y = (y_text[keep] == pos).to_numpy()
        a = float(roc_auc_score(y, x[keep]))
        auc[col] = max(a, 1 - a)
    # a text feature: the AUC of its categories' target rates, categories under 30 rows pooled
    # into one (docs/validation-evidence.md, leakage.feature_auc)
    for col, kind in cur_kinds.items():
        if kind != 'categorical' or col == label:
            continue
        keep = np.array([t.strip() != '' for t in y_text]) & np.array([t.strip() != '' for t in cur[col]])
        v = cur[col][keep]
        y = pd.Series((y_text[keep] == pos).to_numpy().astype(int), index=v.index)
        if y.nunique() < 2:
            continue
        pooled = v.where(v.map(v.value_counts()) >= 30, '\0rare')
        a = float(roc_auc_score(y, pooled.map(y.groupby(pooled).mean())))
        auc[col] = max(a, 1 - a)
    out['positive_label'] = pos
    out['feature_auc'] = auc
    return out


def generate_quality(rng):
    n = 300
    def frame(n, shift, current):
        y = rng.integers(0, 2, n)
        leak = np.round(y * 2 + rng.normal(0, 0.3, n), 3)
        x = np.round(rng.normal(shift, 1, n), 2)
        x[:4] = [12.0, -9.5, 15.25, 30.0]  # outliers
        noisy = [fmt(v) for v in np.round(rng.normal(0, 1, n), 2)]
        for i in range(0, n, 11):
            noisy[i] = ['', 'nan', 'inf', '-inf', ' '][(i // 11) % 5]
        cat = rng.choice(['red', 'green', 'blue'] + (['violet', 'ultra'] if current else []), n)
        frame = {'y': y, 'leak': leak, 'x': x, 'noisy': noisy, 'cat': cat, 'const': ['k'] * n,
                 'small': rng.integers(0, 3, n)}
        frame['kind_change'] = rng.choice(['u', 'v'], n) if current else rng.integers(0, 5, n)
        frame['only_cur' if current else 'only_ref'] = rng.integers(0, 9, n)
        return pd.DataFrame(frame)
    ref = frame(n, 0, False)
    cur = frame(n, 0.2, True)
    cur.iloc[10:20] = cur.iloc[0:10].values  # duplicated rows
    shared = [c for c in cur.columns if c in ref.columns]
    cur.loc[30:34, shared] = ref.loc[30:34, shared].values  # rows also in the reference
    r = write_csv('quality_reference.csv', ref)
    c = write_csv('quality_current.csv', cur)
    kinds = {'y': 'numeric', 'leak': 'numeric', 'x': 'numeric', 'noisy': 'numeric', 'cat': 'categorical',
             'const': 'categorical', 'small': 'numeric'}
    cur_kinds = dict(kinds, kind_change='categorical', only_cur='numeric')
    ref_kinds = dict(kinds, kind_change='numeric', only_ref='numeric')
    return quality_case('quality', c, r, cur_kinds, ref_kinds, 'y')


def special_functions():
    """Distribution tails the engine reimplements: every branch of kstwo.sf and chi2.sf."""
    kstwo_cases = []
    for n in [3, 8, 30, 100, 140, 141, 400, 5000, 99999, 100001, 500000, 1000001, 2000000]:
        for nx2 in [0.3, 0.7, 1.5, 3.0, 5.0, 12.0, 40.0, 300.0]:
            x = math.sqrt(nx2 / n)
            if x < 1:
                kstwo_cases.append([x, n, float(stats.kstwo.sf(x, n))])
        for x in [0.55, 0.9, 1.2 / n, 0.7 / n]:
            if x < 1:
                kstwo_cases.append([x, n, float(stats.kstwo.sf(x, n))])
    chi2_cases = []
    for dof in [1, 2, 3, 7, 20, 99, 1000, 40000]:
        for ratio in [0.01, 0.3, 0.9, 1.0, 1.1, 2.0, 5.0]:
            x = dof * ratio
            chi2_cases.append([x, dof, float(stats.chi2.sf(x, dof))])
    return {'kstwo_sf': kstwo_cases, 'chi2_sf': chi2_cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261123)
    cases = generate(rng)
    adult_kinds = {'age': 'numeric', 'type_employer': 'categorical', 'fnlwgt': 'numeric', 'education': 'categorical',
                   'education_num': 'numeric', 'marital': 'categorical', 'occupation': 'categorical',
                   'relationship': 'categorical', 'race': 'categorical', 'sex': 'categorical',
                   'capital_gain': 'numeric', 'capital_loss': 'numeric', 'hr_per_week': 'numeric',
                   'country': 'categorical', 'income': 'categorical', 'score': 'numeric'}
    cases.append(case('adult', os.path.join(ADULT, 'adult_scored_reference.csv'),
                      os.path.join(ADULT, 'adult_scored_production.csv'), adult_kinds))
    adult_all = dict(adult_kinds, label='numeric')
    quality = [generate_quality(rng),
               quality_case('adult', os.path.join(ADULT, 'adult_scored_production.csv'),
                            os.path.join(ADULT, 'adult_scored_reference.csv'), adult_all, adult_all, 'label')]
    meta = {'generator': 'scripts/reference/make_drift_fixtures.py', 'python': sys.version.split()[0],
            'numpy': np.__version__, 'scipy': scipy.__version__, 'pandas': pd.__version__}
    with open(os.path.join(OUT, 'expected.json'), 'w') as fh:
        json.dump({'meta': meta, 'cases': cases, 'quality': quality, 'special': special_functions()}, fh, indent=1, allow_nan=False)
        fh.write('\n')


if __name__ == '__main__':
    main()
