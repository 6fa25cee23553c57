"""The notebook-style script (bench/notebook_causeway.py) gives the command line's numbers."""
import json
import os
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, cli

sys.path.insert(0, os.path.join(ROOT, "bench"))
from notebook_causeway import UPLIFT_FEATURES, notebook  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook")
    retention, uplift = folder / "retention.csv", folder / "uplift.csv"
    cli("simulate", "retention", "--n", 5000, "--seed", 11, "--out", retention)
    cli("simulate", "uplift", "--n", 5000, "--seed", 12, "--out", uplift)
    return str(retention), str(uplift)


def estimate(path, method, target, *extra):
    _, out, _ = cli("estimate", path, "--treatment", "call", "--outcome", "renew",
                    "--common-causes", "motivation_proxy", "--method", method, "--target",
                    target, "--json", *extra)
    return json.loads(out)["estimates"][0]


def test_every_step_equals_the_command_line(files, tmp_path):
    retention, uplift = files
    exact = {"float_precision": "round_trip"}
    got = notebook(pd.read_csv(retention, **exact), pd.read_csv(uplift, **exact), simulations=30)
    df = pd.read_csv(retention, float_precision="round_trip")
    rates = df.groupby("call")["renew"].mean()
    assert got["naive"] == pytest.approx(rates[1] - rates[0], abs=1e-12)
    assert got["naive"] == estimate(retention, "naive", "att")["estimate"]
    assert got["matching_att"] == estimate(retention, "matching", "att", "--replace")["estimate"]
    ipw = estimate(retention, "ipw", "ate")
    assert got["ipw_ate"] == ipw["estimate"]
    assert got["ipw_ate_interval"] == [ipw["ci_low"], ipw["ci_high"]]
    for refuter, name in [("placebo_treatment_refuter", "placebo"),
                          ("random_common_cause", "random-common-cause"),
                          ("data_subset_refuter", "subset")]:
        _, out, _ = cli("refute", retention, "--treatment", "call", "--outcome", "renew",
                        "--common-causes", "motivation_proxy", "--method", "ipw", "--target",
                        "ate", "--refuters", name, "--simulations", 30, "--seed", 1, "--quiet",
                        "--json")
        assert got["refutations"][refuter] == json.loads(out)["refutations"][0]
    scores = tmp_path / "scores.csv"
    _, out, _ = cli("uplift", uplift, "--treatment", "call", "--outcome", "renew", "--features",
                    ",".join(UPLIFT_FEATURES), "--trees", 200, "--seed", 42, "--quiet", "--out",
                    scores, "--json")
    assert got["forest_ate"] == json.loads(out)["ate"]
    expected = pd.read_csv(scores, **exact)["predicted_uplift"]
    assert np.array_equal(got["forest_effects"], expected)
