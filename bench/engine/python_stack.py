"""The baseline: what a validator runs today with pandas + scikit-learn + SciPy, doing the same
work as `assay validate` on the benchmark data (performance, calibration, fairness for the group
columns, data quality and drift for the features: numeric when pandas reads them as numbers,
else categorical), writing one JSON file. Parquet files are read with pandas.read_parquet.

    /usr/bin/python3 bench/engine/python_stack.py CURRENT REFERENCE OUT.json FEATURES [GROUPS]
FEATURES and GROUPS are comma-separated (GROUPS default: sex,race,age_band).
"""

import json
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics
from sklearn.calibration import calibration_curve



def read(path: str) -> pd.DataFrame:
    if path.lower().endswith((".parquet", ".pq")):
        return pd.read_parquet(path)
    return pd.read_csv(path)


def psi(ref: np.ndarray, cur: np.ndarray) -> float:
    edges = np.unique(np.quantile(ref, np.arange(0.1, 1.0, 0.1)))
    bins = np.concatenate([[-np.inf], edges, [np.inf]])
    r = np.histogram(ref, bins)[0] / len(ref)
    c = np.histogram(cur, bins)[0] / len(cur)
    r, c = np.maximum(r, 1e-4), np.maximum(c, 1e-4)
    return float(np.sum((c - r) * np.log(c / r)))


def main() -> None:
    cur = read(sys.argv[1])
    ref = read(sys.argv[2])
    features = sys.argv[4].split(",")
    groups = (sys.argv[5] if len(sys.argv) > 5 else "sex,race,age_band").split(",")
    numeric = [f for f in features if pd.api.types.is_numeric_dtype(cur[f])]
    categorical = [f for f in features if f not in numeric]
    y, s = cur["label"].to_numpy(), cur["score"].to_numpy()
    pred = (s >= 0.5).astype(int)
    out: dict = {"performance": {}, "fairness": {}, "drift": {}, "data_quality": {}}
    perf = out["performance"]
    perf["accuracy"] = metrics.accuracy_score(y, pred)
    perf["balanced_accuracy"] = metrics.balanced_accuracy_score(y, pred)
    perf["precision"] = metrics.precision_score(y, pred)
    perf["recall"] = metrics.recall_score(y, pred)
    perf["f1"] = metrics.f1_score(y, pred)
    perf["roc_auc"] = metrics.roc_auc_score(y, s)
    perf["average_precision"] = metrics.average_precision_score(y, s)
    perf["log_loss"] = metrics.log_loss(y, s)
    perf["brier_score"] = metrics.brier_score_loss(y, s)
    idx = np.minimum(np.floor(s * 10).astype(int), 9)
    ece = 0.0
    for b in range(10):
        m = idx == b
        if m.any():
            ece += m.sum() / len(s) * abs(y[m].mean() - s[m].mean())
    perf["ece"] = ece
    perf["confusion_matrix"] = metrics.confusion_matrix(y, pred).tolist()
    fpr, tpr, _ = metrics.roc_curve(y, s)
    prec, rec, _ = metrics.precision_recall_curve(y, s)
    perf["roc_points"], perf["pr_points"] = len(fpr), len(prec)
    perf["calibration"] = [a.tolist() for a in calibration_curve(y, s, n_bins=10)]

    for g in groups:
        df = pd.DataFrame({"g": cur[g], "y": y, "p": pred})
        rows = {}
        for value, part in df.groupby("g"):
            pos, neg = part[part.y == 1], part[part.y == 0]
            rows[str(value)] = {
                "count": int(len(part)),
                "selection_rate": float(part.p.mean()),
                "true_positive_rate": float(pos.p.mean()) if len(pos) else None,
                "false_positive_rate": float(neg.p.mean()) if len(neg) else None,
                "accuracy": float((part.p == part.y).mean()),
            }
        sr = [r["selection_rate"] for r in rows.values()]
        tp = [r["true_positive_rate"] for r in rows.values()]
        fp = [r["false_positive_rate"] for r in rows.values()]
        out["fairness"][g] = {
            "groups": rows,
            "demographic_parity_difference": max(sr) - min(sr),
            "demographic_parity_ratio": min(sr) / max(sr),
            "equalized_odds_difference": max(max(tp) - min(tp), max(fp) - min(fp)),
            "equal_opportunity_difference": max(tp) - min(tp),
        }

    for f in numeric:
        r, c = ref[f].dropna().to_numpy(), cur[f].dropna().to_numpy()
        ks = stats.ks_2samp(r, c)
        out["drift"][f] = {
            "psi": psi(r, c),
            "ks_statistic": float(ks.statistic),
            "ks_pvalue": float(ks.pvalue),
            "wasserstein_normed": stats.wasserstein_distance(r, c) / max(np.std(r), 0.001),
        }
    for f in categorical:
        rc, cc = ref[f].value_counts(), cur[f].value_counts()
        cats = sorted(set(rc.index) | set(cc.index))
        rv = np.array([rc.get(k, 0) for k in cats], dtype=float)
        cv = np.array([cc.get(k, 0) for k in cats], dtype=float)
        rp, cp = np.maximum(rv / rv.sum(), 1e-4), np.maximum(cv / cv.sum(), 1e-4)
        out["drift"][f] = {
            "psi": float(np.sum((cp - rp) * np.log(cp / rp))),
            "chi2_pvalue": float(stats.chi2_contingency(np.vstack([rv, cv]))[1]),
            "js_distance": float(jensenshannon(rv / rv.sum(), cv / cv.sum())),
        }

    dq = out["data_quality"]
    dq["rows"], dq["columns"] = len(cur), cur.shape[1]
    dq["missing"] = {k: int(v) for k, v in cur.isna().sum().items()}
    dq["duplicates"] = int(cur.duplicated().sum())
    dq["constant"] = [k for k in cur.columns if cur[k].nunique(dropna=False) <= 1]
    outliers = {}
    for f in numeric:
        q1, q3 = cur[f].quantile([0.25, 0.75])
        iqr = q3 - q1
        outliers[f] = int(((cur[f] < q1 - 1.5 * iqr) | (cur[f] > q3 + 1.5 * iqr)).sum())
    dq["outliers"] = outliers
    dq["rows_in_both"] = int(len(pd.merge(cur.drop_duplicates(), ref.drop_duplicates(), how="inner")))
    for f in numeric:
        auc = metrics.roc_auc_score(y, cur[f])
        dq.setdefault("feature_auc", {})[f] = max(auc, 1 - auc)

    with open(sys.argv[3], "w") as fh:
        json.dump(out, fh, default=float)


if __name__ == "__main__":
    main()
