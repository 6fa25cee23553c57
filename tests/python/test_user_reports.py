"""What a new user of the module ran into, pinned."""
import pickle

import numpy as np
import pandas as pd
import pytest

import causeway
from conftest import COVARIATES, LALONDE, cli

FEATURES = ["motivation", "usage_depth", "tenure_months"]


@pytest.fixture(scope="module")
def uplift(tmp_path_factory):
    path = tmp_path_factory.mktemp("u") / "uplift.csv"
    cli("simulate", "uplift", "--n", 6000, "--seed", 9, "--out", path)
    return pd.read_csv(path, float_precision="round_trip")


def test_a_pickled_forest_scores_new_rows(uplift):
    est = causeway.CausalForestDML(n_estimators=100).fit(uplift.renew, uplift.call,
                                                         X=uplift[FEATURES])
    expected = est.effect(uplift[FEATURES].head(20))
    copy = pickle.loads(pickle.dumps(est))
    del est
    assert np.array_equal(copy.effect(uplift[FEATURES].head(20)), expected)


def test_text_features_importance_sums_its_levels(uplift):
    df = uplift.copy()
    df["band"] = np.where(df.tenure_months < 6, "new", np.where(df.tenure_months < 18, "mid",
                                                                "old"))
    est = causeway.CausalForestDML(n_estimators=100).fit(df.renew, df.call,
                                                         X=df[["motivation", "band"]])
    assert est.feature_importances_.sum() == pytest.approx(1.0)
    assert est.feature_importances_[1] > est.feature_importances_[0]


def test_numeric_categories_stay_levels(lalonde):
    df = lalonde.copy()
    df["educ"] = df["educ"].astype("category")
    # (nodegree is educ < 12: with educ's levels it would be their linear combination)
    e = causeway.CausalModel(data=df, treatment="treat", outcome="re78",
                             common_causes=[c for c in COVARIATES if c != "nodegree"]
                             ).estimate_effect(
        None, method_name="backdoor.linear_regression")
    assert any(line.startswith("educ: categorical") for line in e.to_dict()["encoding"])


def test_warnings_reach_the_user(lalonde):
    m = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78",
                             common_causes=COVARIATES)
    with pytest.warns(causeway.CausewayWarning):
        e = m.estimate_effect(None, method_name="backdoor.propensity_score_matching",
                              target_units="att")
    assert e.warnings and all(w in str(e) for w in e.warnings)


def test_refutation_reports_its_new_effect(lalonde):
    m = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78",
                             common_causes=COVARIATES)
    e = m.estimate_effect(None, method_name="backdoor.linear_regression", target_units="att")
    r = m.refute_estimate(None, e, method_name="placebo_treatment_refuter", num_simulations=30)
    assert r.new_effect == r.to_dict()["refutations"][0]["new_effect"] and r.new_effect is not None
    assert f"new effect {r.new_effect}" in str(r)


def test_unidentifiable_graph_proceeds_when_asked(lalonde):
    graph = "digraph { age -> treat; age -> re78; treat -> re78; treat -> re78 [dir=both]; }"
    m = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78", graph=graph)
    with pytest.raises(causeway.CausewayError, match="not identifiable") as info:
        m.identify_effect()
    assert "causeway-graph-" not in str(info.value)
    estimand = m.identify_effect(proceed_when_unidentifiable=True)
    assert not estimand.identifiable and "treat" in str(estimand)


def test_graph_paths_that_do_not_exist_are_named(lalonde, tmp_path):
    with pytest.raises(causeway.CausewayError, match="nope.dot' does not exist"):
        causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78",
                             graph=tmp_path / "nope.dot")
    with pytest.raises(causeway.CausewayError, match="the graph text"):
        causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78",
                             graph="digraph { treat -> re78 ").identify_effect()


def test_python_names_in_messages(lalonde, uplift):
    df = lalonde.copy()
    df.loc[3, "re74"] = np.nan
    m = causeway.CausalModel(data=df, treatment="treat", outcome="re78", common_causes=COVARIATES)
    with pytest.raises(causeway.CausewayError, match="drop_missing=True"):
        m.estimate_effect(None, method_name="backdoor.linear_regression")
    kept = causeway.CausalModel(data=df, treatment="treat", outcome="re78",
                                common_causes=COVARIATES, drop_missing=True)
    assert kept.estimate_effect(None, method_name="backdoor.linear_regression").to_dict()[
        "rows_dropped"] == 1
    with pytest.raises(causeway.CausewayError, match="n_estimators") as info:
        causeway.CausalForestDML(n_estimators=20).fit(uplift.renew, uplift.call,
                                                      X=uplift[FEATURES])
    assert "--" not in str(info.value)


def test_scikit_learn_conventions(uplift):
    from sklearn.base import clone
    est = causeway.CausalForestDML(n_estimators=100, n_jobs=np.int64(1), random_state=None)
    twin = clone(est)
    assert twin.get_params()["n_estimators"] == 100
    est.fit(uplift.renew, uplift.call, X=uplift[FEATURES])
    assert isinstance(est.random_state_, int)
    with pytest.raises(causeway.CausewayError, match="alpha"):
        est.ate_interval(alpha=1.5)
    with pytest.raises(causeway.CausewayError, match="max_depth"):
        causeway.CausalForestDML(max_depth=3)


def test_custom_models_with_bad_predictions(uplift):
    from sklearn.linear_model import LinearRegression

    class OneColumn:
        def fit(self, X, y):
            return self

        def predict_proba(self, X):
            return np.full((len(X), 1), 0.5)

    with pytest.raises(causeway.CausewayError, match="one column per class"):
        causeway.CausalForestDML(model_y=LinearRegression(), model_t=OneColumn(),
                                 n_estimators=100).fit(uplift.renew, uplift.call,
                                                       X=uplift[FEATURES])


# A second pass.

def test_arrays_go_by_position_and_must_match_the_fit(uplift):
    x = uplift[FEATURES].to_numpy()
    est = causeway.CausalForestDML(n_estimators=100).fit(uplift.renew, uplift.call, X=x)
    with pytest.raises(causeway.CausewayError, match="X has 4 columns"):
        est.effect(np.c_[x[:3], np.ones(3)])
    with pytest.raises(causeway.CausewayError, match="lacks the column.s. X0, X1, X2"):
        est.effect(uplift[FEATURES].head(3))  # a DataFrame goes by name


def test_duplicate_column_names_are_refused(lalonde):
    df = lalonde.copy()
    df.columns = list(df.columns[:-1]) + ["age"]
    with pytest.raises(causeway.CausewayError, match="more than one column named 'age'"):
        causeway.CausalModel(data=df, treatment="treat", outcome="re74",
                             common_causes=["age"]).estimate_effect(None)


def test_a_copied_model_keeps_its_graph(lalonde):
    import copy
    import gc
    graph = "digraph { age -> treat; age -> re78; treat -> re78; }"
    m = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78", graph=graph)
    twin = copy.deepcopy(m)
    del m
    gc.collect()
    assert twin.estimate_effect(None, method_name="backdoor.linear_regression").value != 0


def test_a_graph_file_whose_name_has_brackets(lalonde, tmp_path):
    path = tmp_path / "g[v2].dot"
    path.write_text("digraph { age -> treat; age -> re78; treat -> re78; }")
    m = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78", graph=str(path))
    assert m.identify_effect().identifiable


def test_a_category_treatment(lalonde):
    df = lalonde.copy()
    df["treat"] = df["treat"].map({0: "no", 1: "yes"}).astype("category")
    e = causeway.CausalModel(data=df, treatment="treat", outcome="re78",
                             common_causes=COVARIATES).estimate_effect(
        None, method_name="backdoor.linear_regression")
    assert e.value == pytest.approx(1548.24, abs=0.01)


def test_an_estimate_is_refuted_by_its_own_model(lalonde):
    a = causeway.CausalModel(data=lalonde, treatment="treat", outcome="re78",
                             common_causes=COVARIATES)
    b = causeway.CausalModel(data=lalonde.head(300), treatment="treat", outcome="re78",
                             common_causes=COVARIATES)
    e = a.estimate_effect(None, method_name="backdoor.linear_regression")
    with pytest.raises(causeway.CausewayError, match="another CausalModel"):
        b.refute_estimate(None, e, method_name="data_subset_refuter")


def test_warnings_speak_python_and_point_at_the_caller(lalonde):
    import warnings
    df = lalonde.copy()
    df.loc[3, "re74"] = np.nan
    m = causeway.CausalModel(data=df, treatment="treat", outcome="re78", common_causes=COVARIATES,
                             drop_missing=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        e = m.estimate_effect(None, method_name="backdoor.linear_regression")
    ours = [w for w in caught if issubclass(w.category, causeway.CausewayWarning)]
    assert ours and all(w.filename == __file__ for w in ours)
    assert all("--" not in w for w in e.warnings)


def test_evaluate_score_checks_and_warns():
    with pytest.raises(causeway.CausewayError, match="score must hold numbers"):
        causeway.evaluate_score([0, 1], [0, 1], ["a", "b"])


def test_forest_arguments_checked_when_fitting(uplift):
    import gc
    import warnings
    from sklearn.linear_model import LinearRegression, LogisticRegression
    with pytest.raises(causeway.CausewayError, match="even and at least 100"):
        causeway.CausalForestDML(n_estimators=0).fit(uplift.renew, uplift.call,
                                                     X=uplift[FEATURES])
    with pytest.raises(causeway.CausewayError, match="two-arm"):
        causeway.CausalForestDML().set_params(discrete_treatment=False).fit(
            uplift.renew, uplift.call, X=uplift[FEATURES])
    with pytest.raises(causeway.CausewayError, match="Y must be one column"):
        causeway.CausalForestDML().fit(uplift[["renew", "call"]], uplift.call,
                                       X=uplift[FEATURES])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        causeway.CausalForestDML(model_y=LinearRegression(), model_t=LogisticRegression(),
                                 cv=np.int64(3), n_estimators=100).fit(
            uplift.renew, uplift.call, X=uplift[FEATURES])
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
