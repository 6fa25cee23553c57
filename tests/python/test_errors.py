"""Bad input raises CausewayError (a ValueError) with the command line's message."""
import numpy as np
import pandas as pd
import pytest

import causeway
from conftest import COVARIATES, cli


def cli_message(df, tmp_path, args):
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False)
    code, _, err = cli("estimate", path, *args, check=False)
    assert code == 2
    return err.strip().removeprefix("causeway: error: ").replace(str(path), "DataFrame")


def python_message(df, args):
    with pytest.raises(causeway.CausewayError) as info:
        causeway.run(["estimate", "DataFrame", *args], df)
    assert isinstance(info.value, ValueError)
    assert info.value.exit_code == 2
    return str(info.value)


BASE = ["--treatment", "treat", "--outcome", "re78", "--method", "ipw"]


@pytest.mark.parametrize("case", ["wrong column", "three arms", "missing values"])
def test_messages_equal_the_command_line(lalonde, tmp_path, case):
    df = lalonde.copy()
    covariates = list(COVARIATES)
    if case == "wrong column":
        covariates[0] = "agee"
    elif case == "three arms":
        df.loc[3, "treat"] = 2
    else:
        df.loc[[5, 9], "re74"] = np.nan
    args = BASE + ["--common-causes", ",".join(covariates)]
    got = python_message(df, args)
    assert got == cli_message(df, tmp_path, args)
    assert {"wrong column": "agee", "three arms": "treat", "missing values": "re74"}[case] in got


def test_infinite_value_names_column_and_row(lalonde):
    df = lalonde.copy()
    df.loc[6, "re75"] = np.inf
    message = python_message(df, BASE + ["--common-causes", "re75"])
    assert "re75" in message and "row 7" in message


def test_not_a_dataframe():
    with pytest.raises(causeway.CausewayError, match="DataFrame"):
        causeway.CausalModel(data=[[1, 2]], treatment="t", outcome="y",
                             common_causes=["x"]).estimate_effect(None)


def test_bad_option_value_is_a_clean_error(lalonde):
    m = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78",
                             common_causes=COVARIATES)
    with pytest.raises(causeway.CausewayError, match=r"method_params\['k'\]"):
        m.estimate_effect(None, method_name="backdoor.propensity_score_matching",
                          method_params={"k": -4})


def test_text_treatment_needs_treated_value(lalonde):
    df = lalonde.copy()
    df["treat"] = np.where(df["treat"] == 1, "called", "not called")
    m = causeway.CausalModel(data=df, treatment="treat", outcome="re78",
                             common_causes=COVARIATES)
    with pytest.raises(causeway.CausewayError, match="pass treatment_value"):
        m.estimate_effect(None, method_name="backdoor.linear_regression")
    e = m.estimate_effect(None, method_name="backdoor.linear_regression",
                          treatment_value="called")
    assert e.value == pytest.approx(1548.24, abs=0.01)


class Unprintable:
    def __str__(self):
        raise RuntimeError("converted")


def test_unused_text_columns_are_not_converted(lalonde):
    df = lalonde.copy()
    df["notes"] = [Unprintable()] * len(df)  # would fail if the module read it
    e = causeway.CausalModel(data=df, treatment="treat", outcome="re78",
                             common_causes=COVARIATES).estimate_effect(
        None, method_name="backdoor.linear_regression")
    assert e.value == pytest.approx(1548.24, abs=0.01)
    with pytest.raises(RuntimeError, match="converted"):  # but a used one is read
        causeway.CausalModel(data=df, treatment="treat", outcome="re78",
                             common_causes=COVARIATES + ["notes"]).estimate_effect(None)
