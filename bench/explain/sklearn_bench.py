#!/usr/bin/env python3
"""scikit-learn side of bench/explain (run with Debian's /usr/bin/python3; see README.md).

    /usr/bin/python3 bench/explain/sklearn_bench.py ROWS
Trains the 100-tree forest of the benchmark (scripts/reference/make_model_fixtures.py's data and
split), writes it as bench/explain/forest-100.onnx with the converter of that script, writes
ROWS rows (drawn with replacement from the Adult data, seed 1) to /tmp/assay-bench-explain.csv,
and times permutation_importance (n_repeats=5, accuracy) and partial_dependence (brute, features
age and hr_per_week) on them, single-threaded. Prints JSON.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'scripts', 'reference'))
import make_model_fixtures as fx  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.inspection import partial_dependence, permutation_importance  # noqa: E402

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
frame, X, y, codes = fx.load_adult()
order = np.random.RandomState(0).permutation(len(X))
train = order[:20000]
X32 = X.astype(np.float32).astype(float)
t = time.perf_counter()
forest = RandomForestClassifier(n_estimators=100, max_depth=8, random_state=0, n_jobs=1).fit(X32[train], y[train])
fit = time.perf_counter() - t
fx.forest_to_onnx(forest, fx.FEATURES, codes, os.path.join(HERE, 'forest-100.onnx'))
pick = np.random.RandomState(1).randint(0, len(X), rows)
Xb, yb = X32[pick], y[pick]
out = frame.iloc[pick][fx.FEATURES].assign(label=yb)
out.to_csv('/tmp/assay-bench-explain.csv', index=False)
# wall-clock seconds, and the process's CPU seconds beside them (the wall clock under load mostly
# measures waiting for a core)
t, c = time.perf_counter(), time.process_time()
forest.predict_proba(Xb)
predict, predict_cpu = time.perf_counter() - t, time.process_time() - c
t, c = time.perf_counter(), time.process_time()
pi = permutation_importance(forest, Xb, yb, n_repeats=5, random_state=0, n_jobs=1)
pi_s, pi_cpu = time.perf_counter() - t, time.process_time() - c
t, c = time.perf_counter(), time.process_time()
for f in ['age', 'hr_per_week']:
    partial_dependence(forest, Xb, [fx.FEATURES.index(f)], method='brute')
pd_s, pd_cpu = time.perf_counter() - t, time.process_time() - c
print(json.dumps({'rows': rows, 'features': len(fx.FEATURES), 'trees': 100, 'fit_s': fit,
                  'sklearn_predict_rows_per_s': rows / predict, 'sklearn_permutation_importance_s': pi_s,
                  'sklearn_partial_dependence_2_features_s': pd_s,
                  'cpu_s': {'predict': predict_cpu, 'permutation_importance': pi_cpu,
                            'partial_dependence_2_features': pd_cpu},
                  'sklearn_predict_rows_per_cpu_s': rows / predict_cpu}))
