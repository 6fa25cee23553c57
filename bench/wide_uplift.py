#!/usr/bin/python3
"""The uplift simulation (causeway simulate uplift) widened with pure-noise features, for the
1,000,000 x 25 benchmark. Usage: wide_uplift.py ROWS NOISE_COLUMNS OUT.csv"""
import sys

import numpy as np
import pandas as pd

rows, noise, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(7)
motivation = rng.standard_normal(rows)
usage = rng.standard_normal(rows)
tenure = rng.integers(1, 48, rows)
call = rng.random(rows) < 1 / (1 + np.exp(-(0.2 + 1.1 * motivation - 0.1 * usage)))
tau = np.where(tenure < 6, 0.30, np.where(tenure < 18, 0.05, -0.02))
p = np.clip(0.5 + 0.2 * motivation + 0.1 * usage + tau * call, 0.01, 0.99)
frame = pd.DataFrame({"motivation": motivation.round(4), "usage_depth": usage.round(4),
                      "tenure_months": tenure, "call": call.astype(int),
                      "renew": (rng.random(rows) < p).astype(int), "true_effect": tau})
for k in range(1, noise + 1):
    frame[f"noise{k}"] = rng.standard_normal(rows).round(4)
frame.to_csv(out, index=False)
