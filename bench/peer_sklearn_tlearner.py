#!/usr/bin/python3
"""The scikit-learn T-learner peer: gradient boosting per arm (sklearn defaults), uplift = the
difference of the two arms' predicted renewal probabilities. Prints the predictions' RMSE
against true_effect and the time, as JSON. Usage: peer_sklearn_tlearner.py FILE.csv"""
import json
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier

start = time.time()
data = pd.read_csv(sys.argv[1])
features = ["motivation", "usage_depth", "tenure_months"]
x = data[features].to_numpy()
treated = data["call"].to_numpy() == 1
y = data["renew"].to_numpy()
models = [GradientBoostingClassifier(random_state=0).fit(x[arm], y[arm])
          for arm in (~treated, treated)]
uplift = models[1].predict_proba(x)[:, 1] - models[0].predict_proba(x)[:, 1]
rmse = float(np.sqrt(np.mean((uplift - data["true_effect"].to_numpy()) ** 2)))
print(json.dumps({"rmse": rmse, "seconds_inside": time.time() - start}))
