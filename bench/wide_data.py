#!/usr/bin/python3
"""Writes a customer table with ROWS rows and K covariates for the refutation benchmark: the
covariates confound a 0/1 treatment and a 0/1 outcome, the call adds 0.05 to the renewal
probability. Usage: wide_data.py ROWS K SEED OUT.csv"""
import math
import random
import sys

rows, k, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
names = [f"x{j}" for j in range(k)]
with open(out, "w") as f:
    f.write(",".join(["call", "renew"] + names) + "\n")
    for _ in range(rows):
        x = [rng.gauss(0, 1) for _ in range(k)]
        score = 0.2 + sum(0.3 * v / (j + 1) for j, v in enumerate(x))
        call = 1 if rng.random() < 1 / (1 + math.exp(-score)) else 0
        base = 1 / (1 + math.exp(-(-0.2 + sum(0.25 * v / (j + 1) for j, v in enumerate(x)))))
        renew = 1 if rng.random() < min(0.99, base + 0.05 * call) else 0
        f.write(",".join([str(call), str(renew)] + [f"{v:.5f}" for v in x]) + "\n")
