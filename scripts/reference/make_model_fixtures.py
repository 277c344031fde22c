#!/usr/bin/env python3
"""Test models anyone can rebuild, and their reference outputs (scikit-learn).

Run with Debian's python3 (python3-sklearn, python3-onnx, python3-scipy, python3-pandas):
    /usr/bin/python3 scripts/reference/make_model_fixtures.py [--bench]
Trains a logistic regression and a random forest on the UCI Adult data (data/adult/adult.csv),
converts them to ONNX with the small converter below (logistic regression -> MatMul/Add/Sigmoid;
forest -> ai.onnx.ml TreeEnsembleClassifier, no ZipMap), and writes to test/fixtures/models/:
  adult-lr.onnx, adult-forest.onnx       the models (metadata `assay.features`: the feature list
                                          and the codes of the categorical ones)
  adult-sample.csv                       400 rows of the data, the models' input
  planted-*.onnx / planted-*.csv         models and data with a planted non-monotonicity and a
                                          planted failure slice (for `assay stress`)
  expected.json                          predict_proba, permutation importance (seeded and with
                                          the permutation indices numpy draws), partial dependence
                                          (brute) and ICE, exact Shapley values by enumeration
With --bench: bench/explain/forest-100.onnx (100 trees) and the 100k-row input for the benchmark.
Always also data/models/ (shipped with the package, read by the demo seed):
  income-propensity.onnx                 the Adult forest above (the demo's income model)
  retail-credit-pd.onnx                  a logistic regression PD model on synthetic applications
  credit-applications.csv                2,000 synthetic applications with their default outcome
  retail-credit-pd.stress.yaml is written by hand (declared properties and scenarios)
"""
import itertools
import json
import math
import os
import sys

import numpy as np
import onnx
import pandas as pd
from onnx import TensorProto, helper
from scipy.stats.mstats import mquantiles
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import partial_dependence, permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'test', 'fixtures', 'models')

NUMERIC = ['age', 'fnlwgt', 'education_num', 'capital_gain', 'capital_loss', 'hr_per_week']
CATEGORICAL = ['sex', 'race', 'marital', 'relationship', 'type_employer', 'occupation']
FEATURES = NUMERIC + CATEGORICAL


def load_adult():
    frame = pd.read_csv(os.path.join(ROOT, 'data', 'adult', 'adult.csv'))
    codes = {c: sorted(frame[c].unique().tolist()) for c in CATEGORICAL}
    X = np.column_stack([frame[c].to_numpy(dtype=float) for c in NUMERIC] +
                        [frame[c].map({v: i for i, v in enumerate(codes[c])}).to_numpy(dtype=float)
                         for c in CATEGORICAL])
    y = (frame['income'] == '>50K').astype(int).to_numpy()
    return frame, X, y, codes


def feature_meta(names, codes):
    return json.dumps([{'name': n, **({'categories': codes[n]} if n in codes else {})} for n in names])


def finish(graph, meta, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13), helper.make_opsetid('ai.onnx.ml', 3)],
                              producer_name='assay-reference-converter')
    model.ir_version = 8
    helper.set_model_props(model, {'assay.features': meta})
    onnx.checker.check_model(model)
    onnx.save(model, path)


def lr_to_onnx(pipeline, names, codes, path):
    """StandardScaler + LogisticRegression, the scaler folded into the coefficients."""
    scaler, lr = pipeline[0], pipeline[-1]
    coef = lr.coef_.reshape(-1) / scaler.scale_
    intercept = lr.intercept_[0] - float(np.sum(coef * scaler.mean_))
    n = len(names)
    w = helper.make_tensor('coef', TensorProto.FLOAT, [n, 1], coef.astype(np.float32).tolist())
    b = helper.make_tensor('intercept', TensorProto.FLOAT, [1], [float(intercept)])
    nodes = [helper.make_node('MatMul', ['input', 'coef'], ['margin']),
             helper.make_node('Add', ['margin', 'intercept'], ['logit']),
             helper.make_node('Sigmoid', ['logit'], ['probability'])]
    graph = helper.make_graph(nodes, 'logistic_regression',
                              [helper.make_tensor_value_info('input', TensorProto.FLOAT, [None, n])],
                              [helper.make_tensor_value_info('probability', TensorProto.FLOAT, [None, 1])],
                              initializer=[w, b])
    finish(graph, feature_meta(names, codes), path)


def forest_to_onnx(forest, names, codes, path):
    """sklearn forest -> TreeEnsembleClassifier whose class weights are leaf class shares / trees."""
    attrs = {k: [] for k in ['nodes_treeids', 'nodes_nodeids', 'nodes_featureids', 'nodes_values', 'nodes_modes',
                             'nodes_truenodeids', 'nodes_falsenodeids', 'nodes_hitrates',
                             'class_treeids', 'class_nodeids', 'class_ids', 'class_weights']}
    trees = forest.estimators_
    for t, est in enumerate(trees):
        tree = est.tree_
        for node in range(tree.node_count):
            leaf = tree.children_left[node] == -1
            attrs['nodes_treeids'].append(t)
            attrs['nodes_nodeids'].append(node)
            attrs['nodes_featureids'].append(0 if leaf else int(tree.feature[node]))
            # sklearn sends x <= threshold left; ONNX BRANCH_LEQ sends x <= value to the true node.
            # Thresholds are float64 in sklearn and float32 here: the float32 that compares like it.
            thr = float(tree.threshold[node])
            t32 = np.float32(thr)
            if not leaf and float(t32) > thr:
                t32 = np.nextafter(t32, np.float32(-np.inf))
            attrs['nodes_values'].append(0.0 if leaf else float(t32))
            attrs['nodes_modes'].append('LEAF' if leaf else 'BRANCH_LEQ')
            attrs['nodes_truenodeids'].append(0 if leaf else int(tree.children_left[node]))
            attrs['nodes_falsenodeids'].append(0 if leaf else int(tree.children_right[node]))
            attrs['nodes_hitrates'].append(float(tree.weighted_n_node_samples[node]))
            if leaf:
                value = tree.value[node][0]
                share = value / value.sum()
                for c in range(len(share)):
                    attrs['class_treeids'].append(t)
                    attrs['class_nodeids'].append(node)
                    attrs['class_ids'].append(c)
                    attrs['class_weights'].append(float(share[c]) / len(trees))
    node = helper.make_node('TreeEnsembleClassifier', ['input'], ['label', 'probabilities'], domain='ai.onnx.ml',
                            classlabels_int64s=[0, 1], post_transform='NONE', **attrs)
    graph = helper.make_graph([node], 'random_forest',
                              [helper.make_tensor_value_info('input', TensorProto.FLOAT, [None, len(names)])],
                              [helper.make_tensor_value_info('label', TensorProto.INT64, [None]),
                               helper.make_tensor_value_info('probabilities', TensorProto.FLOAT, [None, 2])])
    finish(graph, feature_meta(names, codes), path)


# --- numpy legacy RandomState as sklearn's permutation_importance uses it -----------------------
def permutation_indices(seed, n_rows, n_repeats):
    """The row permutations sklearn applies (one seed drawn once, reused for every column)."""
    rs = np.random.RandomState(seed)
    column_seed = rs.randint(np.iinfo(np.int32).max + 1)
    rs = np.random.RandomState(column_seed)
    idx = np.arange(n_rows)
    out = []
    for _ in range(n_repeats):
        rs.shuffle(idx)
        out.append(idx.tolist())
    return int(column_seed), out


def exact_shapley(f, x, background):
    """Interventional Shapley values by enumeration: v(S) = mean_b f(x_S, b_rest)."""
    m = len(x)
    values = {}
    for mask in range(1 << m):
        data = background.copy()
        for j in range(m):
            if mask >> j & 1:
                data[:, j] = x[j]
        values[mask] = float(np.mean(f(data)))
    phi = np.zeros(m)
    for i in range(m):
        for mask in range(1 << m):
            if mask >> i & 1:
                continue
            s = bin(mask).count('1')
            weight = math.factorial(s) * math.factorial(m - s - 1) / math.factorial(m)
            phi[i] += weight * (values[mask | 1 << i] - values[mask])
    return phi.tolist(), values[0], values[(1 << m) - 1]


def grid(column, percentiles=(0.05, 0.95), resolution=100):
    uniques = np.unique(column)
    if len(uniques) < resolution:
        return uniques
    q = mquantiles(column, prob=percentiles, axis=0)
    return np.linspace(q[0], q[1], num=resolution, endpoint=True)


def references(name, model, X, y, names):
    proba = model.predict_proba(X)[:, 1]
    out = {'predict_proba': proba.tolist()}
    seed, n_repeats = 42, 5
    column_seed, perms = permutation_indices(seed, len(X), n_repeats)
    pi = permutation_importance(model, X, y, n_repeats=n_repeats, random_state=seed)
    pi_auc = permutation_importance(model, X, y, n_repeats=n_repeats, random_state=seed, scoring='roc_auc')
    out['permutation_importance'] = {
        'seed': seed, 'n_repeats': n_repeats, 'column_seed': column_seed, 'indices': perms,
        'baseline_accuracy': float(model.score(X, y)), 'baseline_roc_auc': float(roc_auc_score(y, proba)),
        'accuracy': {'importances_mean': pi.importances_mean.tolist(), 'importances_std': pi.importances_std.tolist(),
                     'importances': pi.importances.tolist()},
        'roc_auc': {'importances_mean': pi_auc.importances_mean.tolist(),
                    'importances_std': pi_auc.importances_std.tolist()},
    }
    pd_out = {}
    for j in [names.index('age'), names.index('education_num'), names.index('sex'), names.index('hr_per_week')]:
        res = partial_dependence(model, X, [j], method='brute', kind='both')
        g = grid(X[:, j])
        assert np.allclose(g, res['values'][0])
        pd_out[names[j]] = {'grid': res['values'][0].tolist(), 'average': res['average'][0].tolist(),
                            'individual_first_rows': res['individual'][0][:3].tolist()}
    out['partial_dependence'] = pd_out
    background = X[:20]
    rows = X[20:23]
    f = lambda data: model.predict_proba(data)[:, 1]
    out['shapley'] = {'background_rows': 20, 'explained_rows': [20, 21, 22],
                      'values': [exact_shapley(f, x, background)[0] for x in rows],
                      'expected_value': float(np.mean(f(background)))}
    return out


def planted(codes_out):
    """Synthetic data: a model non-monotone in `income` (planted dip) and a slice where it fails."""
    rng = np.random.RandomState(7)
    n = 3000
    income = rng.uniform(0, 100, n)
    debt = rng.uniform(0, 50, n)
    tenure = rng.uniform(0, 30, n)
    region = rng.randint(0, 3, n).astype(float)  # codes of ['north', 'south', 'west']
    logit = 0.06 * income - 0.08 * debt + 0.05 * tenure - 2.0
    p = 1 / (1 + np.exp(-logit))
    # planted non-monotonicity: the label rate falls for incomes between 60 and 75
    p = np.where((income > 60) & (income < 75), p * 0.2, p)
    y = (rng.uniform(0, 1, n) < p).astype(int)
    X = np.column_stack([income, debt, tenure, region])
    names = ['income', 'debt', 'tenure', 'region']
    codes = {'region': ['north', 'south', 'west']}
    forest = RandomForestClassifier(n_estimators=20, max_depth=6, random_state=0).fit(X, y)
    forest_to_onnx(forest, names, codes, os.path.join(OUT, 'planted-forest.onnx'))
    # the evaluation data: labels follow the model's world except in the planted slice
    # (region 'west' with debt above 40), where they are flipped
    Xe = np.column_stack([rng.uniform(0, 100, n), rng.uniform(0, 50, n), rng.uniform(0, 30, n),
                          rng.randint(0, 3, n).astype(float)])
    pe = forest.predict_proba(Xe)[:, 1]
    ye = (rng.uniform(0, 1, n) < pe).astype(int)
    planted_slice = (Xe[:, 3] == 2) & (Xe[:, 1] > 40)
    ye = np.where(planted_slice, 1 - ye, ye)
    frame = pd.DataFrame({'income': Xe[:, 0].round(3), 'debt': Xe[:, 1].round(3), 'tenure': Xe[:, 2].round(3),
                          'region': [codes['region'][int(c)] for c in Xe[:, 3]], 'label': ye})
    frame.to_csv(os.path.join(OUT, 'planted.csv'), index=False)
    codes_out['planted'] = {'slice_rows': int(planted_slice.sum()), 'rows': n}


def credit_demo(out):
    """A PD model on synthetic loan applications (monotone by construction), for the demo."""
    rng = np.random.RandomState(11)
    n = 6000
    income = np.round(rng.lognormal(3.6, 0.45, n), 1)  # thousands a year
    dti = np.round(rng.uniform(0.0, 0.6, n), 3)
    utilisation = np.round(rng.beta(2, 3, n), 3)
    months_employed = rng.randint(0, 240, n).astype(float)
    delinquencies = rng.poisson(0.3, n).astype(float)
    home = rng.randint(0, 3, n).astype(float)  # codes of ['mortgage', 'own', 'rent']
    logit = (-3.2 + 4.0 * dti + 1.6 * utilisation + 0.6 * delinquencies - 0.004 * months_employed
             - 0.012 * (income - 40) + 0.3 * (home == 2))
    y = (rng.uniform(0, 1, n) < 1 / (1 + np.exp(-logit))).astype(int)
    names = ['income', 'debt_to_income', 'utilisation', 'months_employed', 'delinquencies_2y', 'home']
    codes = {'home': ['mortgage', 'own', 'rent']}
    X = np.column_stack([income, dti, utilisation, months_employed, delinquencies, home])
    X32 = X.astype(np.float32).astype(float)
    train, holdout = np.arange(4000), np.arange(4000, n)
    lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X32[train], y[train])
    lr_to_onnx(lr, names, codes, os.path.join(out, 'retail-credit-pd.onnx'))
    frame = pd.DataFrame({'application_id': [f'A{i:05d}' for i in holdout], 'income': income[holdout],
                          'debt_to_income': dti[holdout], 'utilisation': utilisation[holdout],
                          'months_employed': months_employed[holdout].astype(int),
                          'delinquencies_2y': delinquencies[holdout].astype(int),
                          'home': [codes['home'][int(c)] for c in home[holdout]], 'defaulted': y[holdout]})
    frame.to_csv(os.path.join(out, 'credit-applications.csv'), index=False)
    return float(roc_auc_score(y[holdout], lr.predict_proba(X32[holdout])[:, 1]))


def main():
    os.makedirs(OUT, exist_ok=True)
    frame, X, y, codes = load_adult()
    rng = np.random.RandomState(0)
    order = rng.permutation(len(X))
    train, sample = order[:20000], order[20000:20400]
    X32 = X.astype(np.float32).astype(float)  # the values the ONNX model sees
    lr = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X32[train], y[train])
    forest = RandomForestClassifier(n_estimators=10, max_depth=5, random_state=0).fit(X32[train], y[train])
    lr_to_onnx(lr, FEATURES, codes, os.path.join(OUT, 'adult-lr.onnx'))
    forest_to_onnx(forest, FEATURES, codes, os.path.join(OUT, 'adult-forest.onnx'))
    cols = FEATURES + ['income']
    frame.iloc[sample][cols].assign(label=y[sample]).to_csv(os.path.join(OUT, 'adult-sample.csv'), index=False)
    Xs, ys = X32[sample], y[sample]
    expected = {'features': FEATURES, 'lr': references('lr', lr, Xs, ys, FEATURES),
                'forest': references('forest', forest, Xs, ys, FEATURES)}
    planted(expected)
    demo = os.path.join(ROOT, 'data', 'models')
    os.makedirs(demo, exist_ok=True)
    forest_to_onnx(forest, FEATURES, codes, os.path.join(demo, 'income-propensity.onnx'))
    expected['demo_credit_auc'] = credit_demo(demo)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected, f)
    if '--bench' in sys.argv:
        bench = os.path.join(ROOT, 'bench', 'explain')
        os.makedirs(bench, exist_ok=True)
        big = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0, n_jobs=1).fit(X32[train], y[train])
        forest_to_onnx(big, FEATURES, codes, os.path.join(bench, 'forest-100.onnx'))


if __name__ == '__main__':
    main()
