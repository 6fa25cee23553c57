"""DoWhy's calls on causeway: LaLonde's reference values and parity with the command line."""
import json

import pytest

import causeway
from conftest import COVARIATES, LALONDE, cli


def model(df, **kw):
    return causeway.CausalModel(data=df, treatment="treat", outcome="re78",
                                common_causes=COVARIATES, **kw)


# R 4.2 with MatchIt 4.5.1 on the same file (issue 2); the same algorithm agrees to 0.01.
@pytest.mark.parametrize("method,target,params,expected", [
    ("naive", "att", None, -635.03),
    ("backdoor.linear_regression", "att", None, 1548.24),
    ("backdoor.propensity_score_matching", "att", {"neighbour": "below-first"}, 770.39),
    ("backdoor.propensity_score_matching", "att",
     {"neighbour": "below-first", "replace": True}, 1379.28),
    ("backdoor.propensity_score_weighting", "att", None, 1214.07),
    ("backdoor.propensity_score_weighting", "ate", None, 224.68),
    ("backdoor.propensity_score_stratification", "att", {"num_strata": 5}, 663.89),
])
def test_lalonde_reference_values(lalonde, method, target, params, expected):
    m = model(lalonde)
    e = m.estimate_effect(m.identify_effect(), method_name=method, target_units=target,
                          method_params=params)
    assert e.value == pytest.approx(expected, abs=0.01)
    low, high = e.get_confidence_intervals()
    assert low < e.value < high
    assert e.get_standard_error() > 0


def test_propensity_coefficients_match_glm(lalonde):
    m = model(lalonde)
    e = m.estimate_effect(None, method_name="backdoor.propensity_score_weighting",
                          target_units="att")
    coef = e.to_dict()["propensity"]["coefficients"]
    assert coef["(intercept)"] == pytest.approx(-1.663281595, abs=1e-6)
    assert coef["race=white"] == pytest.approx(-3.065367729, abs=1e-6)
    assert coef["re74"] == pytest.approx(-7.177668568e-05, abs=1e-9)


@pytest.mark.parametrize("method,name", [
    ("backdoor.linear_regression", "regression"),
    ("backdoor.propensity_score_matching", "matching"),
    ("backdoor.propensity_score_weighting", "ipw"),
    ("backdoor.aipw", "aipw"),
])
def test_same_json_as_the_command_line(lalonde, method, name):
    e = model(lalonde).estimate_effect(None, method_name=method, target_units="att")
    _, out, _ = cli("estimate", LALONDE, "--treatment", "treat", "--outcome", "re78",
                    "--common-causes", ",".join(COVARIATES), "--method", name, "--target", "att",
                    "--json")
    expected = json.loads(out)
    got = e.to_dict()
    assert got["source"] == "DataFrame" and expected["source"] == LALONDE
    for report in (got, expected):
        del report["source"]
    assert got == expected


def test_identify_prints_what_the_command_prints(lalonde):
    estimand = model(lalonde).identify_effect()
    _, out, _ = cli("identify", LALONDE, "--treatment", "treat", "--outcome", "re78",
                    "--common-causes", ",".join(COVARIATES))
    assert str(estimand) == out
    assert estimand.identifiable


def test_graph_as_dot_text(lalonde):
    graph = "digraph { " + " ".join(f"{c} -> treat; {c} -> re78;" for c in COVARIATES) + \
        " treat -> re78; }"
    m = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78", graph=graph)
    e = m.estimate_effect(m.identify_effect(), method_name="backdoor.linear_regression")
    assert e.value == pytest.approx(1548.24, abs=0.01)


def test_three_refuters_run_and_match_the_command_line(lalonde):
    m = model(lalonde)
    estimand = m.identify_effect()
    e = m.estimate_effect(estimand, method_name="backdoor.propensity_score_weighting",
                          target_units="att")
    for refuter, name in [("placebo_treatment_refuter", "placebo"),
                          ("random_common_cause", "random-common-cause"),
                          ("data_subset_refuter", "subset")]:
        r = m.refute_estimate(estimand, e, method_name=refuter, num_simulations=40,
                              random_seed=3)
        _, out, _ = cli("refute", LALONDE, "--treatment", "treat", "--outcome", "re78",
                        "--common-causes", ",".join(COVARIATES), "--method", "ipw",
                        "--target", "att", "--refuters", name, "--simulations", 40,
                        "--seed", 3, "--quiet", "--json")
        expected = json.loads(out)
        got = r.to_dict()
        assert got["refutations"] == expected["refutations"]
        assert r.verdict == expected["verdict"]


@pytest.mark.parametrize("call,needle", [
    (lambda m: m.estimate_effect(None, method_name="backdoor.magic"),
     "backdoor.propensity_score_matching"),
    (lambda m: m.estimate_effect(None, method_name="backdoor.linear_regression",
                                 method_params={"n_neighbours": 3}), "caliper"),
    (lambda m: m.refute_estimate(None, None, method_name="bogus_refuter"),
     "placebo_treatment_refuter"),
])
def test_unsupported_names_list_the_supported_ones(lalonde, call, needle):
    with pytest.raises(causeway.CausewayError, match="supported") as info:
        call(model(lalonde))
    assert needle in str(info.value)


def test_reports_are_the_command_lines(lalonde, tmp_path):
    m = model(lalonde)
    estimand = m.identify_effect()
    e = m.estimate_effect(estimand, method_name="backdoor.propensity_score_weighting",
                          target_units="att")
    e.report(tmp_path / "estimate.html")
    cli("estimate", LALONDE, "--treatment", "treat", "--outcome", "re78", "--common-causes",
        ",".join(COVARIATES), "--method", "ipw", "--target", "att", "--json", "--report",
        tmp_path / "cli.html")
    page = (tmp_path / "estimate.html").read_text()
    expected = (tmp_path / "cli.html").read_text()
    # The pages differ only where they name the data: the DataFrame or the file.
    assert page == expected.replace(LALONDE, "DataFrame")
    r = m.refute_estimate(estimand, e, method_name="placebo_treatment_refuter",
                          num_simulations=30)
    r.report(tmp_path / "refute.html")
    assert "placebo" in (tmp_path / "refute.html").read_text()


def test_instrumental_variable_equals_the_command_line(tmp_path):
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(8)
    n = 5000
    z = rng.integers(0, 2, n)
    u = rng.standard_normal(n)
    t = (0.8 * z + 0.5 * u + rng.standard_normal(n) > 0.4).astype(int)
    df = pd.DataFrame({"z": z, "t": t, "y": 2.0 * t + u + rng.standard_normal(n)})
    df.to_csv(tmp_path / "iv.csv", index=False)
    m = causeway.CausalModel(data=df, treatment="t", outcome="y", instruments=["z"])
    e = m.estimate_effect(m.identify_effect(), method_name="iv.instrumental_variable",
                          target_units="ate")
    _, out, _ = cli("estimate", tmp_path / "iv.csv", "--treatment", "t", "--outcome", "y",
                    "--instruments", "z", "--method", "iv", "--target", "ate", "--json")
    expected = json.loads(out)["estimates"][0]
    assert e.value == expected["estimate"]
    # The Wald ratio by hand; and the true effect, 2, within four standard errors.
    wald = (df.y[z == 1].mean() - df.y[z == 0].mean()) / (t[z == 1].mean() - t[z == 0].mean())
    assert e.value == pytest.approx(wald, rel=1e-9)
    assert abs(e.value - 2.0) < 4 * e.get_standard_error()
