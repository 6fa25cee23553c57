"""EconML's CausalForestDML on causeway: the command line's numbers, honest intervals."""
import json
import os

import numpy as np
import pandas as pd
import pytest

import causeway
from conftest import cli

FEATURES = ["motivation", "usage_depth", "tenure_months"]


@pytest.fixture(scope="module")
def uplift_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("uplift") / "uplift.csv"
    cli("simulate", "uplift", "--n", 20000, "--seed", 5, "--with-truth", "--out", path)
    return str(path)


def test_forest_equals_the_command_line(uplift_csv, tmp_path):
    df = pd.read_csv(uplift_csv, float_precision="round_trip")
    est = causeway.CausalForestDML(n_estimators=200, random_state=7)
    est.fit(df["renew"], df["call"], X=df[FEATURES])
    scores = tmp_path / "scores.csv"
    _, out, _ = cli("uplift", uplift_csv, "--treatment", "call", "--outcome", "renew",
                    "--features", ",".join(FEATURES), "--trees", 200, "--seed", 7, "--quiet",
                    "--out", scores, "--json")
    expected = json.loads(out)
    assert est.ate_ == expected["ate"]
    cli_scores = pd.read_csv(scores, float_precision="round_trip")
    assert np.array_equal(est.effect(), cli_scores["predicted_uplift"].to_numpy())
    low, high = est.effect_interval()
    assert np.array_equal(low, cli_scores["ci_low"].to_numpy())
    assert np.array_equal(high, cli_scores["ci_high"].to_numpy())
    assert est.feature_importances_.sum() == pytest.approx(1.0)
    assert np.argmax(est.feature_importances_) == FEATURES.index("tenure_months")


def test_forest_finds_the_effect_and_covers_it(uplift_csv):
    df = pd.read_csv(uplift_csv, float_precision="round_trip")
    est = causeway.CausalForestDML(n_estimators=200, random_state=1).fit(
        df["renew"], df["call"], X=df[FEATURES])
    truth = df["true_effect"].to_numpy()
    # The population ATE is 0.0338; the interval is the forest's doubly robust one.
    low, high = est.ate_interval()
    assert low < 0.0338 < high
    tau = est.effect()
    young = df["tenure_months"].to_numpy() < 6
    # 200 trees: the bar for 2,000 trees (RMSE 0.037) loosened by the forest's extra
    # Monte-Carlo noise would be a guess; the per-customer figures are pinned in the C++ tests.
    # Here: the short-tenure customers stand out by far (0.30 against 0.05 and -0.02).
    assert tau[young].mean() > tau[~young].mean() + 0.15
    deciles = est.evaluation().deciles()
    assert list(deciles["decile"]) == list(range(1, 11))


def test_arrays_without_names(uplift_csv):
    df = pd.read_csv(uplift_csv, float_precision="round_trip").head(4000)
    est = causeway.CausalForestDML(n_estimators=100).fit(
        df["renew"].to_numpy(), df["call"].to_numpy(), X=df[FEATURES].to_numpy())
    assert len(est.effect()) == 4000


def test_bad_forest_calls_raise(uplift_csv):
    df = pd.read_csv(uplift_csv, float_precision="round_trip").head(3000)
    with pytest.raises(causeway.CausewayError, match="same rows"):
        causeway.CausalForestDML().fit(df["renew"], df["call"][:10], X=df[FEATURES])
    with pytest.raises(causeway.CausewayError, match="even"):
        causeway.CausalForestDML(n_estimators=101).fit(df["renew"], df["call"], X=df[FEATURES])
    with pytest.raises(causeway.CausewayError, match="two-arm"):
        causeway.CausalForestDML(discrete_treatment=False)


class Recording:
    """A scikit-learn model that records the rows of each fit in Recording.fits (a class
    attribute: scikit-learn's clone() copies parameters, and causeway fits a clone per fold)."""

    fits = []

    def __init__(self, model, name):
        self.model, self.name = model, name

    def get_params(self, deep=True):
        return {"model": self.model, "name": self.name}

    def set_params(self, **params):
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def fit(self, X, y):
        from sklearn.base import clone
        Recording.fits.append((self.name, len(X)))
        self.fitted_ = clone(self.model).fit(X, y)
        self.classes_ = getattr(self.fitted_, "classes_", None)
        return self

    def predict(self, X):
        return self.fitted_.predict(X)

    def predict_proba(self, X):
        return self.fitted_.predict_proba(X)


def test_scikit_learn_models_fit_on_each_fold(uplift_csv):
    from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor
    df = pd.read_csv(uplift_csv, float_precision="round_trip").head(6000)
    Recording.fits.clear()
    est = causeway.CausalForestDML(
        model_y=Recording(GradientBoostingRegressor(n_estimators=30, random_state=0), "y"),
        model_t=Recording(GradientBoostingClassifier(n_estimators=30, random_state=0), "t"),
        n_estimators=100, cv=5, random_state=3)
    est.fit(df["renew"], df["call"], X=df[FEATURES])
    # One fit of each model per fold, each on the other four fifths of the rows.
    assert sorted(Recording.fits) == [("t", 4800)] * 5 + [("y", 4800)] * 5
    assert est.to_dict()["nuisance"] == "given (--nuisance-columns)"
    low, high = est.ate_interval()
    assert low < 0.0338 < high


def test_mixed_model_kinds_are_refused(uplift_csv):
    from sklearn.ensemble import GradientBoostingClassifier
    df = pd.read_csv(uplift_csv, float_precision="round_trip").head(3000)
    with pytest.raises(causeway.CausewayError, match="both"):
        causeway.CausalForestDML(model_y="auto", model_t=GradientBoostingClassifier()).fit(
            df["renew"], df["call"], X=df[FEATURES])


def test_effect_for_new_customers_equals_causeway_score(uplift_csv, tmp_path):
    df = pd.read_csv(uplift_csv, float_precision="round_trip")
    train, new = df.iloc[:15000], df.iloc[15000:].reset_index(drop=True)
    est = causeway.CausalForestDML(n_estimators=100, random_state=2).fit(
        train["renew"], train["call"], X=train[FEATURES])
    model, new_csv = tmp_path / "forest.model", tmp_path / "new.csv"
    train.to_csv(tmp_path / "train.csv", index=False)
    new[FEATURES].to_csv(new_csv, index=False)
    cli("uplift", tmp_path / "train.csv", "--treatment", "call", "--outcome", "renew",
        "--features", ",".join(FEATURES), "--trees", 100, "--seed", 2, "--quiet",
        "--save-model", model)
    _, out, _ = cli("score", new_csv, "--model", model)
    expected = pd.read_csv(__import__("io").StringIO(out), float_precision="round_trip")
    assert np.array_equal(est.effect(new[FEATURES]), expected["predicted_uplift"].to_numpy())
    low, high = est.effect_interval(new[FEATURES].to_numpy())  # arrays: columns by position
    assert np.array_equal(low, expected["ci_low"].to_numpy())
    with pytest.raises(causeway.CausewayError, match="lacks the column.s. tenure_months"):
        est.effect(new[FEATURES[:2]])
    # By name, whatever the order; an array goes by position.
    assert np.array_equal(est.effect(new[FEATURES[::-1]]), expected["predicted_uplift"])


@pytest.mark.parametrize("learner,method", [(causeway.TLearner, "t"), (causeway.XLearner, "x"),
                                            (causeway.DRLearner, "dr")])
def test_meta_learners_equal_the_command_line(uplift_csv, tmp_path, learner, method):
    df = pd.read_csv(uplift_csv, float_precision="round_trip").head(8000)
    df.to_csv(tmp_path / "d.csv", index=False)
    est = learner(models="linear").fit(df["renew"], df["call"], X=df[FEATURES])
    with pytest.raises(causeway.CausewayError, match="no per-customer intervals"):
        est.effect_interval()
    scores = tmp_path / "s.csv"
    _, out, _ = cli("uplift", tmp_path / "d.csv", "--treatment", "call", "--outcome", "renew",
                    "--features", ",".join(FEATURES), "--method", method, "--base", "linear",
                    "--quiet", "--out", scores, "--json")
    assert est.ate_ == json.loads(out)["ate"]
    expected = pd.read_csv(scores, float_precision="round_trip")["predicted_uplift"]
    assert np.array_equal(est.effect(), expected.to_numpy())
    with pytest.raises(causeway.CausewayError, match="CausalForestDML"):
        learner(models=object())


def test_evaluate_score_equals_the_command_line(tmp_path):
    rng = np.random.default_rng(4)
    n = 4000
    df = pd.DataFrame({"t": rng.integers(0, 2, n), "s": rng.standard_normal(n)})
    df["y"] = (rng.random(n) < 0.3 + 0.2 * df["t"] * (df["s"] > 0)).astype(int)
    df.to_csv(tmp_path / "r.csv", index=False)
    got = causeway.evaluate_score(df["y"], df["t"], df["s"], metric="qini")
    _, out, _ = cli("uplift", tmp_path / "r.csv", "--treatment", "t", "--outcome", "y",
                    "--score", "s", "--metric", "qini", "--json")
    expected = json.loads(out)
    assert got["qini"] == expected["qini"] and got["deciles"] == expected["deciles"]
    assert list(got["deciles_frame"]["decile"]) == list(range(1, 11))


def test_econml_keyword_names_of_the_base_models():
    assert causeway.DRLearner(model_propensity="linear", model_regression="linear",
                              model_final="linear").models == "linear"
    assert causeway.XLearner(models="auto", propensity_model="auto").models == "boosting"
    with pytest.raises(causeway.CausewayError, match="must all be 'boosting'"):
        causeway.DRLearner(model_propensity="linear", model_regression="boosting")
    with pytest.raises(causeway.CausewayError, match="supported: models"):
        causeway.TLearner(learners="linear")
