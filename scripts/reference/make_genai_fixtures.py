#!/usr/bin/env python3
"""Reference values for GenAI attack-success rates and their Wilson intervals.

Run with Debian's python3 (python3-statsmodels):
    /usr/bin/python3 scripts/reference/make_genai_fixtures.py
Writes test/fixtures/reference/genai/wilson.json: for each (failures, n, confidence) the rate
failures / n and statsmodels.stats.proportion.proportion_confint(failures, n, alpha=1-confidence,
method='wilson'). The first cases are the per-category counts of the committed fixtures (so the
importers' rates are pinned end to end); the rest cover the edges (0 and n failures, n = 1,
large n, other confidence levels).
"""
import json
import os

import statsmodels
from statsmodels.stats.proportion import proportion_confint

CASES = [
    # (label, failures, n, confidence)
    ("promptfoo redteam: owasp-llm:2025:LLM01", 1, 2, 0.95),
    ("one of three", 1, 3, 0.95),
    ("promptfoo redteam: owasp-llm:2025:LLM02", 1, 2, 0.95),
    ("promptfoo redteam: owasp-llm:2025:LLM07", 1, 2, 0.95),
    ("promptfoo redteam: atlas:AML.T0051.001", 1, 1, 0.95),
    ("promptfoo redteam: owasp-llm:2025:LLM06", 0, 1, 0.95),
    ("garak qual_review_mixed: owasp-llm:2025:LLM05", 1, 1, 0.95),
    ("inspect security: owasp-llm:2025:LLM01", 1, 2, 0.95),
    ("junit giskard: owasp-llm:2025:LLM01", 1, 2, 0.95),
    ("zero of thirty", 0, 30, 0.95),
    ("all of thirty", 30, 30, 0.95),
    ("thirteen of fifty", 13, 50, 0.95),
    ("seven of a thousand", 7, 1000, 0.95),
    ("one of one", 1, 1, 0.95),
    ("twelve of forty at 0.9", 12, 40, 0.90),
    ("three of nine at 0.99", 3, 9, 0.99),
]


def main():
    out = {
        "generator": "scripts/reference/make_genai_fixtures.py",
        "statsmodels": statsmodels.__version__,
        "cases": [],
    }
    for label, failures, n, confidence in CASES:
        lower, upper = proportion_confint(failures, n, alpha=1 - confidence, method="wilson")
        out["cases"].append({"label": label, "failures": failures, "n": n, "confidence": confidence,
                             "rate": failures / n, "lower": float(lower), "upper": float(upper)})
    path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "reference", "genai")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "wilson.json"), "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
