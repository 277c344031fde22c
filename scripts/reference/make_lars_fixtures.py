#!/usr/bin/env python3
"""Reference outputs of scikit-learn's LARS / lasso for src/engine/explain/lars.ts.

Run with Debian's python3 (python3-sklearn 1.2.1, python3-numpy):
    /usr/bin/python3 scripts/reference/make_lars_fixtures.py
Writes test/fixtures/reference/lars/expected.json: for each problem its X, y and
  lar_path      lars_path(X, y, method='lar') with Gram=None (as shap's num_features(k) calls it)
  lar_path_3    the same with max_iter=3
  lasso_gram    lars_path(Xc, yc, Gram=Xc'Xc, method='lasso') on centred data (LassoLarsIC's path)
  lasso_x       the same path without the Gram matrix
  aic / bic     make_pipeline(StandardScaler(with_mean=False), LassoLarsIC(criterion)).coef_
  lasso_<alpha> Lasso(alpha).fit(X, y).coef_
Problems: a Gaussian regression, the first 200 rows of scikit-learn's diabetes data and a problem
with two correlated columns (their lasso paths drop variables; the diabetes data ships with
scikit-learn, BSD-3-Clause, from Efron et al. 2004), and two problems built like shap's
KernelExplainer l1 design (weighted
coalition masks stacked with their complements).
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Lasso, LassoLarsIC, lars_path
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "lars")


def path(alphas, active, coefs):
    return {"alphas": alphas.tolist(), "active": [int(a) for a in active], "coefs": coefs.T.tolist()}


def problem(name, X, y, alphas=(0.01, 0.1)):
    Xc = X - X.mean(axis=0)
    yc = y - y.mean()
    out = {"name": name, "n": X.shape[0], "p": X.shape[1], "x": X.ravel().tolist(), "y": y.tolist()}
    out["lar_path"] = path(*lars_path(X, y, method="lar"))
    out["lar_path_3"] = path(*lars_path(X, y, method="lar", max_iter=3))
    out["lasso_gram"] = path(*lars_path(Xc, yc, Gram=Xc.T @ Xc, method="lasso"))
    out["lasso_x"] = path(*lars_path(Xc, yc, method="lasso"))
    for c in ("aic", "bic"):
        m = make_pipeline(StandardScaler(with_mean=False), LassoLarsIC(criterion=c)).fit(X, y)
        out[c] = {"coef": m[1].coef_.tolist(), "alpha": float(m[1].alpha_)}
    out["lasso"] = [{"alpha": a, "coef": Lasso(alpha=a).fit(X, y).coef_.tolist()} for a in alphas]
    return out


def shap_like(rng, M, nsamples):
    """mask_aug / eyAdj_aug as shap's KernelExplainer.solve builds them, for a made-up game."""
    masks = (rng.random_sample((nsamples, M)) < rng.random_sample((nsamples, 1))).astype(float)
    kw = rng.random_sample(nsamples) + 0.05
    beta = rng.normal(size=M) * (rng.random_sample(M) < 0.6)
    ey = masks @ beta + 0.3 * masks[:, 0] * masks[:, 1] + 0.01 * rng.normal(size=nsamples)
    delta = beta.sum() + 0.3
    s = masks.sum(axis=1)
    w_aug = np.hstack((kw * (M - s), kw * s))
    w_sqrt = np.sqrt(w_aug)
    y = np.hstack((ey, ey - delta)) * w_sqrt
    X = np.transpose(w_sqrt * np.transpose(np.vstack((masks, masks - 1))))
    return X, y


def main():
    rng = np.random.RandomState(20261207)
    problems = []
    X = rng.normal(size=(40, 8))
    y = X @ np.array([3.0, -2.0, 0.0, 0.5, 0.0, 1.5, 0.0, -0.7]) + 0.5 * rng.normal(size=40)
    problems.append(problem("gaussian", X, y))
    d = load_diabetes()
    problems.append(problem("diabetes200", d.data[:200], d.target[:200], alphas=(0.1, 1.0)))
    crng = np.random.RandomState(7)
    X = crng.normal(size=(30, 6))
    X[:, 1] = X[:, 0] + 0.3 * X[:, 1]
    y = X @ np.array([2, -1.5, 1, 0, 0, 1]) + crng.normal(size=30)
    problems.append(problem("correlated", X, y))
    X, y = shap_like(rng, 14, 120)
    problems.append(problem("shap14", X, y, alphas=(0.001, 0.01)))
    X, y = shap_like(rng, 25, 200)
    problems.append(problem("shap25", X, y, alphas=(0.001, 0.01)))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"sklearn": sklearn.__version__, "numpy": np.__version__, "problems": problems}, f)


if __name__ == "__main__":
    main()
