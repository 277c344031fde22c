#!/usr/bin/env python3
"""Reference values for the edge cases of issue 14 (scikit-learn, SciPy, pandas, NumPy).

Run with Debian's python3 (python3-sklearn, python3-scipy, python3-pandas):
    /usr/bin/python3 scripts/reference/make_edge_fixtures.py
Writes the generated cases to test/fixtures/reference/edge/*.csv and the expected values to
test/fixtures/reference/edge/expected.json. Fairlearn is not packaged by Debian: its documented
definitions are applied with scikit-learn's confusion matrix (normalize='true', where 0/0 becomes 0,
which is how Fairlearn's true_positive_rate / false_positive_rate are written).
"""
import json
import os
import re

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import stats
from sklearn import metrics as m
from sklearn.metrics._ranking import _binary_clf_curve
from sklearn.utils.multiclass import type_of_target

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'reference', 'edge')
REL = 'test/fixtures/reference/edge'


def write_csv(name, text):
    with open(os.path.join(OUT, name), 'w', newline='') as f:
        f.write(text)
    return os.path.join(OUT, name)


def write_frame(name, frame):
    frame.to_csv(os.path.join(OUT, name), index=False)
    return pd.read_csv(os.path.join(OUT, name), float_precision='round_trip')


def regression(y, yhat, w=None):
    return {
        'mean_absolute_error': m.mean_absolute_error(y, yhat, sample_weight=w),
        'mean_squared_error': m.mean_squared_error(y, yhat, sample_weight=w),
        'root_mean_squared_error': m.mean_squared_error(y, yhat, sample_weight=w, squared=False),
        'r2': m.r2_score(y, yhat, sample_weight=w),
        'mean_absolute_percentage_error': m.mean_absolute_percentage_error(y, yhat, sample_weight=w),
    }


def count_regression(rng):
    """1. Whole-number regression target: type_of_target says multiclass; the predictions are not classes."""
    n = 400
    y = rng.poisson(40, n)
    yhat = np.maximum(0, np.round(y + rng.normal(0, 6, n))).astype(int)
    f = write_frame('count_regression.csv', pd.DataFrame({'label': y, 'prediction': yhat}))
    y, yhat = f['label'].to_numpy(), f['prediction'].to_numpy()
    outside = sorted(set(yhat.tolist()) - set(y.tolist()))
    return {
        'file': f'{REL}/count_regression.csv',
        'type_of_target_label': type_of_target(y),
        'predictions_not_in_label': len(outside),
        'regression': regression(y, yhat),
    }


def confusion_rates(y, yhat, w=None):
    """Fairlearn's true/false positive rates: sklearn confusion_matrix(normalize='true')[1,1] / [0,1]."""
    cm = m.confusion_matrix(y, yhat, labels=[0, 1], sample_weight=w, normalize='true')
    return float(cm[1, 1]), float(cm[0, 1])


def fairness(rng):
    """2 and 8. NaN in a numeric group column joins the missing group; a group with no positives has TPR 0."""
    n = 300
    g = rng.choice([1.0, 2.0, 3.0], n)
    y = rng.integers(0, 2, n)
    y[g == 3.0] = 0  # group 3 has no positive label
    score = np.round(np.clip(y * 0.35 + rng.random(n) * 0.65, 0, 1), 4)
    gtext = [str(v) for v in g]
    for i in range(0, n, 23):
        gtext[i] = 'NaN'
    for i in range(5, n, 31):
        gtext[i] = ''
    frame = pd.DataFrame({'label': y, 'score': score, 'group': gtext})
    f = write_frame('fairness_edge.csv', frame)
    # pandas reads 'NaN' and the blank field as NaN: both are the missing group
    key = f['group'].map(lambda v: '(missing)' if pd.isna(v) else str(v))
    yhat = (f['score'].to_numpy() >= 0.5).astype(int)
    groups = {}
    for k in sorted(set(key)):
        mask = (key == k).to_numpy()
        tpr, fpr = confusion_rates(f['label'].to_numpy()[mask], yhat[mask])
        groups[k] = {
            'count': int(mask.sum()),
            'selection_rate': float(yhat[mask].mean()),
            'true_positive_rate': tpr,
            'false_positive_rate': fpr,
            'accuracy': m.accuracy_score(f['label'].to_numpy()[mask], yhat[mask]),
        }
    sel = [v['selection_rate'] for v in groups.values()]
    tprs = [v['true_positive_rate'] for v in groups.values()]
    fprs = [v['false_positive_rate'] for v in groups.values()]
    # Fairlearn: difference = max - min, ratio = min / max, equalized odds = worse of TPR and FPR
    return {
        'file': f'{REL}/fairness_edge.csv',
        'threshold': 0.5,
        'groups': groups,
        'demographic_parity_difference': max(sel) - min(sel),
        'demographic_parity_ratio': min(sel) / max(sel),
        'equalized_odds_difference': max(max(tprs) - min(tprs), max(fprs) - min(fprs)),
        'equalized_odds_ratio': min(min(tprs) / max(tprs), min(fprs) / max(fprs)),
        'equal_opportunity_difference': max(tprs) - min(tprs),
        'nan_rows': int(sum(1 for v in gtext if v == 'NaN')),
        'blank_rows': int(sum(1 for v in gtext if v == '')),
    }


def duplicates():
    """3. A blank and a NaN in the same numeric column are equal for pandas duplicated()."""
    text = (
        'a,x,c\n'
        '1,,u\n'
        '1,NaN,u\n'
        '2,3.5,v\n'
        '2,3.5,v\n'
        '3,nan,w\n'
        '3,,w\n'
        '3,,w\n'
        '4,inf,z\n'
        '4,inf,z\n'
        '5,1,\n'
        '5,1,\n'
    )
    write_csv('duplicates.csv', text)
    f = pd.read_csv(os.path.join(OUT, 'duplicates.csv'))
    return {'file': f'{REL}/duplicates.csv', 'duplicates': int(f.duplicated().sum()), 'rows': len(f)}


def histogram(rng):
    """4. Equal-width histogram over the combined range: numpy.histogram (last bin closed)."""
    lo, hi, bins = -1.3, 2.9, 20
    edges = np.linspace(lo, hi, bins + 1)
    # every edge, values one ulp either side of each edge, decimals that land near edges, random values
    on = list(edges)
    near = [np.nextafter(e, -np.inf) for e in edges[1:]] + [np.nextafter(e, np.inf) for e in edges[:-1]]
    decimals = [round(lo + i * 0.21, 2) for i in range(21)]
    ref = np.array(on + near + decimals + list(np.round(rng.uniform(lo, hi, 200), 1)))
    cur = np.array(on[::2] + decimals[::3] + list(np.round(rng.uniform(lo, hi, 150), 2)) + [lo, hi])
    pd.DataFrame({'x': ref}).to_csv(os.path.join(OUT, 'hist_reference.csv'), index=False, float_format='%.17g')
    pd.DataFrame({'x': cur}).to_csv(os.path.join(OUT, 'hist_current.csv'), index=False, float_format='%.17g')
    ref = pd.read_csv(os.path.join(OUT, 'hist_reference.csv'), float_precision='round_trip')['x'].to_numpy()
    cur = pd.read_csv(os.path.join(OUT, 'hist_current.csv'), float_precision='round_trip')['x'].to_numpy()
    rng_ = (min(ref.min(), cur.min()), max(ref.max(), cur.max()))
    rc, e = np.histogram(ref, bins=bins, range=rng_)
    cc, _ = np.histogram(cur, bins=bins, range=rng_)
    return {
        'reference': f'{REL}/hist_reference.csv',
        'current': f'{REL}/hist_current.csv',
        'edges': e.tolist(),
        'reference_counts': rc.tolist(),
        'current_counts': cc.tolist(),
        'reference_n': len(ref),
        'current_n': len(cur),
    }


def zero_weights(rng):
    """5. Weighted ROC / PR: _binary_clf_curve drops zero-weight samples first."""
    n = 60
    y = rng.integers(0, 2, n)
    s = np.round(rng.random(n), 3)
    w = np.round(rng.random(n) * 2 + 0.1, 2)
    w[::4] = 0.0
    s[0] = 0.999  # the highest score carried only by a zero-weight row
    w[0] = 0.0
    f = write_frame('zero_weight.csv', pd.DataFrame({'label': y, 'score': s, 'weight': w}))
    y, s, w = f['label'].to_numpy(), f['score'].to_numpy(), f['weight'].to_numpy()
    fps, tps, _ = _binary_clf_curve(y, s, sample_weight=w)
    pos, neg = tps[-1], fps[-1]
    ps = tps + fps
    keep = ps > 0
    return {
        'file': f'{REL}/zero_weight.csv',
        'roc_auc': m.roc_auc_score(y, s, sample_weight=w),
        'average_precision': m.average_precision_score(y, s, sample_weight=w),
        'roc_curve': {'fpr': [0.0] + (fps / neg).tolist(), 'tpr': [0.0] + (tps / pos).tolist()},
        'precision_recall_curve': {
            'precision': (tps[keep] / ps[keep]).tolist(),
            'recall': (tps[keep] / pos).tolist(),
        },
    }


def pandas_error(path):
    try:
        pd.read_csv(path)
    except Exception as err:  # noqa: BLE001 - the message is the reference value
        return str(err)
    return None


def malformed():
    """6. A malformed row in the sniffing sample and an unterminated quote: pandas names the line."""
    bad_row = write_csv('malformed_row.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12,13\n')
    quote = write_csv('unterminated_quote.csv', 'a,b,c\n1,2,x\n3,4,"y\n5,6,z\n7,8,w\n')
    out = {}
    for name, path in [('malformed_row', bad_row), ('unterminated_quote', quote)]:
        message = pandas_error(path)
        # pandas counts 'line N' from 1 (the header is line 1) but 'starting at row N' from 0
        line = re.search(r'in line (\d+)', message)
        row = re.search(r'starting at row (\d+)', message)
        out[name] = {'file': f'{REL}/{os.path.basename(path)}', 'pandas_error': message,
                     'line': int(line.group(1)) if line else int(row.group(1)) + 1}
    return out


def tokenizer():
    """6. More pandas tokenizer cases: the line of the first refused record, or None when pandas reads the file."""
    cases = {
        'quoted_ok': 'a,b,c\n1,"x, y",3\n2,"multi\nline",4\n3,"say ""hi""",5\n',
        'crlf_extra_field': 'a,b\r\n1,2\r\n3,4,5\r\n',
        'fewer_fields_ok': 'a,b,c\n1,2\n3,4,5\n',
        'blank_lines_ok': 'a,b\n\n1,2\n\n3,4\n',
        'quote_mid_field_ok': 'a,b\n1,x"y\n2,z\n',
        'late_open_quote': 'a,b\n1,2\n3,"open\n4,5\n',
    }
    out = {}
    for name, text in cases.items():
        path = write_csv(f'tok_{name}.csv', text)
        message = pandas_error(path)
        line = None
        if message:
            found = re.search(r'in line (\d+)', message)
            line = int(found.group(1)) if found else int(re.search(r'starting at row (\d+)', message).group(1)) + 1
        out[name] = {'file': f'{REL}/tok_{name}.csv', 'pandas_error': message, 'line': line}
    return out


def nan_label():
    """7. 'NaN' in a 0/1 label is a missing label (pandas isna), like a blank."""
    rows = ['label,score'] + [f'{i % 2},{0.1 + 0.8 * (i % 2)}' for i in range(10)]
    rows[7] = 'NaN,0.4'
    write_csv('nan_label.csv', '\n'.join(rows) + '\n')
    f = pd.read_csv(os.path.join(OUT, 'nan_label.csv'))
    return {'file': f'{REL}/nan_label.csv', 'first_missing_data_row': int(np.flatnonzero(f['label'].isna())[0]) + 1,
            'type_of_target_without_missing': type_of_target(f['label'].dropna())}


def extremes(rng):
    """9. All-zero weights, and values near ±1.8e308 whose statistics overflow float64."""
    write_csv('all_zero_weights.csv', 'label,score,weight\n1,0.9,0\n0,0.2,0\n1,0.7,0\n0,0.4,0\n')
    f = pd.read_csv(os.path.join(OUT, 'all_zero_weights.csv'))
    try:
        m.accuracy_score(f['label'], (f['score'] >= 0.5).astype(int), sample_weight=f['weight'])
        accuracy_error = None
    except ZeroDivisionError as err:
        accuracy_error = str(err)
    big = 1.7e308
    ref = np.concatenate([rng.uniform(-1, 1, 50) * big, [big, -big]])
    cur = np.concatenate([rng.uniform(-1, 1, 50) * big, [big, -big]])
    pd.DataFrame({'x': ref, 'y': np.arange(52) % 5}).to_csv(os.path.join(OUT, 'huge_reference.csv'), index=False,
                                                           float_format='%.17g')
    pd.DataFrame({'x': cur, 'y': np.arange(52) % 7}).to_csv(os.path.join(OUT, 'huge_current.csv'), index=False,
                                                           float_format='%.17g')
    ref = pd.read_csv(os.path.join(OUT, 'huge_reference.csv'), float_precision='round_trip')['x'].to_numpy()
    cur = pd.read_csv(os.path.join(OUT, 'huge_current.csv'), float_precision='round_trip')['x'].to_numpy()
    with np.errstate(all='ignore'):
        wd = float(stats.wasserstein_distance(ref, cur))
        std = float(np.std(ref))
        ks = stats.ks_2samp(ref, cur)
    return {
        'all_zero_weights': {'file': f'{REL}/all_zero_weights.csv', 'sklearn_accuracy_error': accuracy_error},
        'huge': {
            'reference': f'{REL}/huge_reference.csv',
            'current': f'{REL}/huge_current.csv',
            'wasserstein_distance': wd,
            # NumPy's std overflows (nan); scaling by a power of two is exact, so this is the true std
            'numpy_std': repr(std),
            'reference_std': float(np.std(ref * 2.0 ** -600) * 2.0 ** 600),
            'wasserstein_normed': wd / float(np.std(ref * 2.0 ** -600) * 2.0 ** 600),
            'ks_statistic': float(ks.statistic),
            'ks_pvalue': float(ks.pvalue),
        },
    }


def categorical_leakage():
    """10. Single-feature AUC of each category's target rate (categories under 30 rows pooled)."""
    file = 'data/adult/adult_scored_production.csv'
    f = pd.read_csv(os.path.join(ROOT, file), dtype=str, keep_default_na=False)
    y = (f['label'] == '1').astype(int)
    out = {}
    for col in ['type_employer', 'education', 'marital', 'occupation', 'relationship', 'race', 'sex', 'country',
                'income']:
        out[col] = target_rate_auc(f[col], y)
    # an identifier (every value distinct) is not leakage: its categories all pool into one
    ids = pd.Series([f'id{i}' for i in range(len(f))])
    return {'file': file, 'min_category_rows': 30, 'feature_auc': out, 'id_auc': target_rate_auc(ids, y)}


def target_rate_auc(values, y, min_rows=30):
    present = values.str.strip() != ''
    v, yy = values[present], y[present]
    counts = v.value_counts()
    pooled = v.where(v.map(counts) >= min_rows, '\0rare')
    rate = yy.groupby(pooled).mean()
    auc = m.roc_auc_score(yy, pooled.map(rate)) if yy.nunique() == 2 else None
    return None if auc is None else max(auc, 1 - auc)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261207)
    expected = {
        'versions': {'sklearn': sklearn.__version__, 'scipy': scipy.__version__, 'pandas': pd.__version__,
                     'numpy': np.__version__},
        'count_regression': count_regression(rng),
        'fairness': fairness(rng),
        'duplicates': duplicates(),
        'histogram': histogram(rng),
        'zero_weight': zero_weights(rng),
        'malformed': malformed(),
        'tokenizer': tokenizer(),
        'nan_label': nan_label(),
        **extremes(rng),
        'categorical_leakage': categorical_leakage(),
    }
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f, indent=1)


if __name__ == '__main__':
    main()
