#!/usr/bin/python3
"""Peer recipe for the matching benchmark: the scikit-learn propensity-matching
snippet retention teams typically copy.

  1. read the CSV with pandas
  2. logistic regression (unpenalised, lbfgs) of `call` on `motivation_proxy`
  3. for every treated unit, the single nearest control on the propensity score
     (sklearn.neighbors.NearestNeighbors, n_neighbors=1, fitted on controls)
  4. ATT = mean(treated renew - matched control renew)

Prints {"att": ...} as JSON. Run with Debian's /usr/bin/python3.

Usage: /usr/bin/python3 bench/peer_sklearn_matching.py FILE.csv
"""
import json
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import NearestNeighbors


def unpenalised_logit():
    """LogisticRegression with no penalty, whatever the sklearn version accepts.

    penalty=None exists from scikit-learn 1.2; older releases get C=1e12.
    """
    common = dict(solver="lbfgs", max_iter=1000, tol=1e-8)
    major, minor = (int(p) for p in sklearn.__version__.split(".")[:2])
    if (major, minor) >= (1, 2):
        return LogisticRegression(penalty=None, **common)
    return LogisticRegression(C=1e12, **common)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: peer_sklearn_matching.py FILE.csv\n")
        return 2
    df = pd.read_csv(argv[1])
    X = df[["motivation_proxy"]].to_numpy(dtype=float)
    t = df["call"].to_numpy()
    y = df["renew"].to_numpy(dtype=float)

    model = unpenalised_logit()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model.fit(X, t)
    ps = model.predict_proba(X)[:, 1]

    treated = t == 1
    control = ~treated
    nn = NearestNeighbors(n_neighbors=1)
    nn.fit(ps[control].reshape(-1, 1))
    _, idx = nn.kneighbors(ps[treated].reshape(-1, 1))
    matched_y = y[control][idx[:, 0]]
    att = float(np.mean(y[treated] - matched_y))

    print(json.dumps({
        "att": att,
        "n_treated": int(treated.sum()),
        "n_control": int(control.sum()),
        "intercept": float(model.intercept_[0]),
        "coef_motivation_proxy": float(model.coef_[0][0]),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
