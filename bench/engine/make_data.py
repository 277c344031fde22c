"""Generates the engine benchmark data: a scored current file and a reference file.

10 features (6 numeric, 4 categorical), 3 group columns, a binary label and a score, with drift in
some features of the current sample. Deterministic (seeded).

    /usr/bin/python3 bench/engine/make_data.py ROWS OUT_DIR
"""

import os
import sys

import numpy as np
import pandas as pd


def make(rows: int, seed: int, drift: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    shift = 0.3 if drift else 0.0
    df = pd.DataFrame(
        {
            "f_income": rng.lognormal(10.5 + shift, 0.6, rows).round(2),
            "f_age": rng.integers(18, 90, rows),
            "f_tenure": rng.exponential(5 + 2 * shift, rows).round(3),
            "f_balance": rng.normal(2500, 900, rows).round(2),
            "f_utilisation": rng.beta(2, 5 + shift, rows).round(4),
            "f_inquiries": rng.poisson(1.2 + shift, rows),
            "c_region": rng.choice(["north", "south", "east", "west", "central"], rows, p=[0.2, 0.25, 0.2, 0.2, 0.15]),
            "c_channel": rng.choice(["branch", "web", "app", "broker"], rows, p=[0.2, 0.3, 0.4 - shift / 3, 0.1 + shift / 3]),
            "c_product": rng.choice([f"p{i}" for i in range(12)], rows),
            "c_segment": rng.choice(["mass", "affluent", "private"], rows, p=[0.7, 0.25, 0.05]),
            "sex": rng.choice(["female", "male"], rows),
            "race": rng.choice(["a", "b", "c", "d", "e"], rows, p=[0.6, 0.15, 0.1, 0.1, 0.05]),
            "age_band": rng.choice(["18-29", "30-44", "45-59", "60+"], rows),
        }
    )
    logit = (
        -2.0
        + 0.8 * (np.log(df.f_income) - 10.5)
        - 1.5 * df.f_utilisation
        + 0.05 * df.f_tenure
        - 0.2 * df.f_inquiries
        + (df.sex == "male") * 0.3
    )
    p = 1 / (1 + np.exp(-logit))
    df["label"] = (rng.random(rows) < p).astype(int)
    noisy = np.clip(p + rng.normal(0, 0.08, rows), 1e-6, 1 - 1e-6)
    df["score"] = noisy.round(6)
    return df


def main() -> None:
    rows = int(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    make(rows, 1, False).to_csv(os.path.join(out, f"reference_{rows}.csv"), index=False)
    make(rows, 2, True).to_csv(os.path.join(out, f"current_{rows}.csv"), index=False)


if __name__ == "__main__":
    main()
