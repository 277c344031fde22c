"""Generates the engine benchmark data: a scored current file and a reference file, in one of
several shapes. Deterministic (seeded); written in chunks of 1M rows so that 10M rows fit in memory.

Shapes (every one has 3 group columns sex, race, age_band, a binary label and a score, and drift
in some features of the current sample):
  low   10 features (6 numeric with few decimals or integers, 4 categorical): the original data
  dec6  8 numeric features with six decimals (nearly every value distinct) and 2 categorical
  wide  100 features: 60 numeric (20 six-decimal, 20 two-decimal, 20 small integers) and
        40 categorical (3 to 200 categories)

    /usr/bin/python3 bench/engine/make_data.py SHAPE ROWS OUT_DIR
writes OUT_DIR/{reference,current}_SHAPE_ROWS.csv and prints the feature list (comma-separated).
"""

import os
import sys

import numpy as np
import pandas as pd

CHUNK = 1_000_000


def groups(rng: np.random.Generator, rows: int) -> dict:
    return {
        "sex": rng.choice(["female", "male"], rows),
        "race": rng.choice(["a", "b", "c", "d", "e"], rows, p=[0.6, 0.15, 0.1, 0.1, 0.05]),
        "age_band": rng.choice(["18-29", "30-44", "45-59", "60+"], rows),
    }


def scored(rng: np.random.Generator, df: pd.DataFrame, logit: np.ndarray) -> pd.DataFrame:
    p = 1 / (1 + np.exp(-logit))
    df["label"] = (rng.random(len(df)) < p).astype(int)
    noisy = np.clip(p + rng.normal(0, 0.08, len(df)), 1e-6, 1 - 1e-6)
    df["score"] = noisy.round(6)
    return df


def low(rng: np.random.Generator, rows: int, shift: float) -> pd.DataFrame:
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
            **groups(rng, rows),
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
    return scored(rng, df, logit.to_numpy())


def dec6(rng: np.random.Generator, rows: int, shift: float) -> pd.DataFrame:
    cols = {
        "x_income": rng.lognormal(10.5 + shift, 0.6, rows),
        "x_ratio": rng.beta(2, 5 + shift, rows),
        "x_balance": rng.normal(2500, 900, rows),
        "x_tenure": rng.exponential(5 + 2 * shift, rows),
        "x_rate": rng.uniform(0, 1 + shift / 3, rows),
        "x_gamma": rng.gamma(2 + shift, 1.5, rows),
        "x_normal": rng.normal(shift, 1, rows),
        "x_logit": rng.logistic(0, 1, rows),
    }
    df = pd.DataFrame({k: v.round(6) for k, v in cols.items()})
    df["c_region"] = rng.choice(["north", "south", "east", "west", "central"], rows, p=[0.2, 0.25, 0.2, 0.2, 0.15])
    df["c_channel"] = rng.choice(["branch", "web", "app", "broker"], rows, p=[0.2, 0.3, 0.4 - shift / 3, 0.1 + shift / 3])
    for k, v in groups(rng, rows).items():
        df[k] = v
    logit = -2.0 + 0.8 * (np.log(df.x_income) - 10.5) - 1.5 * df.x_ratio + 0.3 * df.x_normal + (df.sex == "male") * 0.3
    return scored(rng, df, logit.to_numpy())


def wide(rng: np.random.Generator, rows: int, shift: float) -> pd.DataFrame:
    data = {}
    for i in range(20):
        data[f"n6_{i:02d}"] = rng.normal(i + (shift if i % 3 == 0 else 0), 1 + i / 10, rows).round(6)
    for i in range(20):
        data[f"n2_{i:02d}"] = rng.lognormal(5 + (shift if i % 4 == 0 else 0), 0.8, rows).round(2)
    for i in range(20):
        data[f"ni_{i:02d}"] = rng.poisson(1 + i + (shift if i % 5 == 0 else 0), rows)
    for i in range(40):
        k = [3, 5, 12, 50, 200][i % 5]
        names = np.array([f"k{i}_{j}" for j in range(k)])
        p = np.arange(1, k + 1, dtype=float) ** -(1.0 + (shift if i % 6 == 0 else 0))
        data[f"c_{i:02d}"] = names[rng.choice(k, rows, p=p / p.sum())]
    df = pd.DataFrame(data)
    for k, v in groups(rng, rows).items():
        df[k] = v
    logit = -1.0 + 0.3 * (df.n6_00 - 0) - 0.002 * df.n2_01 + 0.05 * df.ni_02 + (df.sex == "male") * 0.3
    return scored(rng, df, logit.to_numpy())


SHAPES = {"low": low, "dec6": dec6, "wide": wide}
ROLES = {"sex", "race", "age_band", "label", "score"}


def write(shape: str, rows: int, seed: int, shift: float, path: str) -> list[str]:
    make = SHAPES[shape]
    columns: list[str] = []
    tmp = path + ".part"
    with open(tmp, "w") as out:
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            # one generator per chunk, so a chunk's values do not depend on the chunk size before it
            rng = np.random.default_rng([seed, start // CHUNK])
            df = make(rng, n, shift)
            df.to_csv(out, index=False, header=start == 0)
            columns = list(df.columns)
    os.replace(tmp, path)
    return [c for c in columns if c not in ROLES]


def main() -> None:
    shape, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if shape not in SHAPES:
        sys.exit(f"unknown shape {shape}; one of {', '.join(SHAPES)}")
    os.makedirs(out, exist_ok=True)
    # the original data's seeds (1 reference, 2 current with drift)
    write(shape, rows, 1, 0.0, os.path.join(out, f"reference_{shape}_{rows}.csv"))
    features = write(shape, rows, 2, 0.3, os.path.join(out, f"current_{shape}_{rows}.csv"))
    print(",".join(features))


if __name__ == "__main__":
    main()
