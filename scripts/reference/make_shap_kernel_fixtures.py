#!/usr/bin/env python3
"""Reference values of shap's own KernelExplainer (shap 0.52.0) for src/engine/explain/kernel-shap.ts.

shap is not installed from a package index here: this script runs shap's Python source as it is,
next to Debian's python3-numpy / scipy / sklearn 1.2.1 / pandas / numba / tqdm / cloudpickle.
It needs (not part of this repository, not read by any test; only the JSON it writes is):
    SHAP_SRC    a checkout of https://github.com/shap/shap at tag v0.52.0 (the folder holding shap/)
    SLICER_SRC  a checkout of https://github.com/interpretml/slicer (the folder holding slicer/)
Run:
    SHAP_SRC=... SLICER_SRC=... /usr/bin/python3 scripts/reference/make_shap_kernel_fixtures.py
It copies shap/ to a temporary folder and makes three changes there, none in KernelExplainer:
  - shap/_cutils.py: shap's compiled helper (nanobind C++, needs a build) replaced by a line-by-line
    Python translation of compute_exp_val from shap/cutils/kernel_explainer_utils.h (same loops);
    the exact explainer's helper is not translated (it raises; it is not used here);
  - utils/_show_progress.py and utils/_types.py use Python 3.12 type-parameter syntax; Debian's
    Python is 3.11, so `class ShowProgress[T]`, `def show_progress[T]` and `type X = ...` are
    rewritten with typing.TypeVar and a plain assignment (type annotations only).
Writes test/fixtures/reference/shap-kernel/expected.json: the model (a formula reproduced in the
test), the data, and per case the l1_reg, nsamples, numpy seed (np.random.seed(seed) before each
row, one row per call), the SHAP values, expected value, and for some cases the coalition masks and
kernel weights shap drew.
"""
import json
import os
import re
import shutil
import sys
import tempfile

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "shap-kernel")

CUTILS = '''# Python translation of shap/cutils/kernel_explainer_utils.h (compute_exp_val), same loop order.
def compute_exp_val(nsamples_run, nsamples_added, D, N, weights, y, ey):
    for i in range(nsamples_added):
        if i < nsamples_run:
            continue
        ey_val = [0.0] * D
        for j in range(N):
            for k in range(D):
                ey_val[k] += y[i * N + j, k] * weights[j]
        for c in range(ey.shape[1]):
            ey[i, c] = ey_val[c]
        nsamples_run += 1
    return nsamples_run


def compute_grey_code_row_values(*args, **kwargs):
    raise NotImplementedError("the exact explainer's compiled helper is not translated")
'''


def prepare_shap():
    src = os.environ.get("SHAP_SRC")
    slicer = os.environ.get("SLICER_SRC")
    if not src or not slicer:
        sys.exit("set SHAP_SRC (shap v0.52.0 checkout) and SLICER_SRC (interpretml/slicer checkout)")
    tmp = tempfile.mkdtemp(prefix="shap-ref-")
    shutil.copytree(os.path.join(src, "shap"), os.path.join(tmp, "shap"))
    with open(os.path.join(tmp, "shap", "_cutils.py"), "w") as f:
        f.write(CUTILS)
    sp = os.path.join(tmp, "shap", "utils", "_show_progress.py")
    s = open(sp).read()
    s = s.replace("import tqdm\n", "import tqdm\nfrom typing import TypeVar\n\nT = TypeVar('T')\n", 1)
    s = s.replace("class ShowProgress[T](Iterator[T]):", "class ShowProgress(Iterator[T]):")
    s = s.replace("def show_progress[T](", "def show_progress(")
    open(sp, "w").write(s)
    tp = os.path.join(tmp, "shap", "utils", "_types.py")
    open(tp, "w").write(re.sub(r"^type (\w+) = ", r"\1 = ", open(tp).read(), flags=re.M))
    sys.path[:0] = [tmp, slicer]
    import shap

    return shap


BETA = [1.0, -2.0, 0.5, 3.0, -1.0, 0.25, 2.0, -0.5, 1.5, -3.0, 0.75, -1.25, 0.1, 2.5,
        -0.2, 0.3, -0.4, 0.6, -0.8, 1.1, -1.3, 0.9, -0.7, 0.05, 1.7]


def model(Z):
    """f(z) = Σ β_j z_j + 0.5 z0 z1 − 0.3 tanh(z2) + 0.2 z3²  (the test computes the same)."""
    M = Z.shape[1]
    out = Z @ np.array(BETA[:M])
    return out + 0.5 * Z[:, 0] * Z[:, 1] - 0.3 * np.tanh(Z[:, 2]) + 0.2 * Z[:, 3] ** 2


def main():
    shap = prepare_shap()
    cases = []
    datasets = {}
    for M in (6, 14, 25):
        rng = np.random.RandomState(1000 + M)
        X = np.round(rng.normal(size=(30, M)), 3)
        X[:10, 5] = 0.5  # a column constant in the background ...
        X[20, 5] = 0.5  # ... and equal to it in row 20: that feature does not vary there
        datasets[M] = X
    plan = [
        (6, "num_features(10)", "auto", [20, 21], True),
        (14, "num_features(10)", "auto", [20, 21, 22], True),
        (14, "num_features(10)", 300, [21], True),
        (14, "num_features(5)", "auto", [21], False),
        (14, "aic", "auto", [21, 22], False),
        (14, "bic", "auto", [21], False),
        (14, 0.01, "auto", [21], False),  # selects nothing: shap returns zeros
        (14, 0.001, "auto", [21, 22], False),
        (14, 0.0001, "auto", [21], False),
        (14, False, "auto", [21, 22], False),
        (14, "auto", 500, [21], False),
        (25, "num_features(10)", "auto", [21], True),
        (25, "aic", 600, [22], False),
    ]
    for M, l1, ns, rows, keep_masks in plan:
        X = datasets[M]
        e = shap.KernelExplainer(model, X[:10])
        for r in rows:
            seed = 42 + r
            np.random.seed(seed)
            kw = {"l1_reg": l1, "silent": True}
            if ns != "auto":
                kw["nsamples"] = ns
            v = e.shap_values(X[r : r + 1], **kw)[0]
            case = {
                "features": M,
                "l1_reg": l1,
                "nsamples": ns,
                "row": r,
                "seed": seed,
                "values": v.tolist(),
                "expected_value": float(e.expected_value),
                "prediction": float(model(X[r : r + 1])[0]),
                "coalitions": int(e.nsamplesAdded),
            }
            if keep_masks:
                case["masks"] = ["".join(str(int(b)) for b in m) for m in e.maskMatrix[: e.nsamplesAdded]]
                case["weights"] = e.kernelWeights[: e.nsamplesAdded].tolist()
            cases.append(case)
    os.makedirs(OUT, exist_ok=True)
    import sklearn

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(
            {
                "shap": "0.52.0 (source, KernelExplainer unchanged)",
                "numpy": np.__version__,
                "sklearn": sklearn.__version__,
                "beta": BETA,
                "background_rows": 10,
                "data": {str(M): X.ravel().tolist() for M, X in datasets.items()},
                "cases": cases,
            },
            f,
        )


if __name__ == "__main__":
    main()
