#!/usr/bin/python3
"""The notebook a retention analyst writes, on causeway's Python module.

The steps tutorials teach, in order: the naive difference in renewal rates; propensity-score
matching (ATT, with replacement); DoWhy's loop (model, identify, estimate by weighting, refute
with a placebo treatment, a random common cause and a data subset); a double-ML causal forest of
200 trees on the uplift data. tests/python/test_notebook.py runs it on small files and checks
every number against the command line; bench/run_python_bench.sh times it against the
scikit-learn recipe (bench/notebook_sklearn.py).

Usage: /usr/bin/python3 bench/notebook_causeway.py RETENTION.csv UPLIFT.csv [SIMULATIONS]
Prints the results as one JSON object.
"""
import json
import sys

import pandas as pd

import causeway

UPLIFT_FEATURES = ["motivation", "usage_depth", "tenure_months"]


def notebook(retention, uplift, simulations=100, trees=200):
    out = {}
    model = causeway.CausalModel(data=retention, treatment="call", outcome="renew",
                                 common_causes=["motivation_proxy"])
    estimand = model.identify_effect()
    out["naive"] = model.estimate_effect(estimand, method_name="naive",
                                         target_units="att").value
    out["matching_att"] = model.estimate_effect(
        estimand, method_name="backdoor.propensity_score_matching", target_units="att",
        method_params={"replace": True}).value
    weighted = model.estimate_effect(estimand, method_name="backdoor.propensity_score_weighting",
                                     target_units="ate")
    out["ipw_ate"] = weighted.value
    out["ipw_ate_interval"] = list(weighted.get_confidence_intervals())
    out["refutations"] = {}
    for refuter in ("placebo_treatment_refuter", "random_common_cause", "data_subset_refuter"):
        r = model.refute_estimate(estimand, weighted, method_name=refuter,
                                  num_simulations=simulations, random_seed=1)
        out["refutations"][refuter] = r.to_dict()["refutations"][0]
    forest = causeway.CausalForestDML(n_estimators=trees, random_state=42)
    forest.fit(uplift["renew"], uplift["call"], X=uplift[UPLIFT_FEATURES])
    out["forest_ate"] = forest.ate_
    out["forest_effects"] = forest.effect().tolist()
    return out


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit(__doc__)
    simulations = int(argv[3]) if len(argv) == 4 else 100
    result = notebook(pd.read_csv(argv[1]), pd.read_csv(argv[2]), simulations)
    result["forest_effects"] = len(result["forest_effects"])  # a count, not a million numbers
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
