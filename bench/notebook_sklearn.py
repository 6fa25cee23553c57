#!/usr/bin/python3
"""The same notebook as bench/notebook_causeway.py, written with scikit-learn, numpy and pandas
(the recipe a team uses without causeway): naive difference; logistic propensity and
one-nearest-neighbour matching with replacement (ATT); normalised inverse-propensity weights
(ATE) with a 100-replicate bootstrap interval; the three refutations as loops of re-estimates
(placebo treatment, an added random common cause, 80 % subsets); a gradient-boosting T-learner
for per-customer effects, scikit-learn having no causal forest.

Usage: /usr/bin/python3 bench/notebook_sklearn.py RETENTION.csv UPLIFT.csv [SIMULATIONS]
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors

UPLIFT_FEATURES = ["motivation", "usage_depth", "tenure_months"]


def propensity(x, t):
    return LogisticRegression(penalty=None, max_iter=1000).fit(x, t).predict_proba(x)[:, 1]


def ipw_ate(x, t, y):
    e = propensity(x, t)
    treated = np.sum(t * y / e) / np.sum(t / e)
    control = np.sum((1 - t) * y / (1 - e)) / np.sum((1 - t) / (1 - e))
    return treated - control


def main(argv):
    simulations = int(argv[3]) if len(argv) == 4 else 100
    rng = np.random.default_rng(1)
    df = pd.read_csv(argv[1])
    x, t, y = df[["motivation_proxy"]].to_numpy(), df["call"].to_numpy(), df["renew"].to_numpy()
    out = {"naive": float(y[t == 1].mean() - y[t == 0].mean())}
    score = propensity(x, t)
    neighbours = NearestNeighbors(n_neighbors=1).fit(score[t == 0, None])
    _, index = neighbours.kneighbors(score[t == 1, None])
    out["matching_att"] = float(np.mean(y[t == 1] - y[t == 0][index[:, 0]]))
    out["ipw_ate"] = float(ipw_ate(x, t, y))
    n = len(y)
    boot = [ipw_ate(x[i], t[i], y[i]) for i in (rng.integers(0, n, n) for _ in range(100))]
    out["ipw_ate_interval"] = [float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5))]
    out["placebo"] = float(np.mean([ipw_ate(x, rng.permutation(t), y)
                                    for _ in range(simulations)]))
    out["random_common_cause"] = float(np.mean([
        ipw_ate(np.column_stack([x, rng.standard_normal(n)]), t, y) for _ in range(simulations)]))
    subsets = (rng.choice(n, int(0.8 * n), replace=False) for _ in range(simulations))
    out["subset"] = float(np.mean([ipw_ate(x[i], t[i], y[i]) for i in subsets]))
    up = pd.read_csv(argv[2])
    xu, tu, yu = up[UPLIFT_FEATURES].to_numpy(), up["call"].to_numpy() == 1, up["renew"].to_numpy()
    arms = [GradientBoostingClassifier(random_state=0).fit(xu[a], yu[a]) for a in (~tu, tu)]
    effects = arms[1].predict_proba(xu)[:, 1] - arms[0].predict_proba(xu)[:, 1]
    out["tlearner_ate"] = float(effects.mean())
    out["effects"] = len(effects)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
