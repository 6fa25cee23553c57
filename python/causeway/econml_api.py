"""EconML's estimators on causeway: ``CausalForestDML`` and the T-, X- and DR-learners.

``fit`` runs ``causeway uplift`` on the data given (Y, T, X and W as arrays or DataFrames), so
per-customer effects, intervals, the average effect and the importances are the command line's.
"""
import io
import os
import tempfile

import numpy as np
import pandas as pd

from ._engine import CausewayError, run, run_json, threads
from .metrics import UpliftEvaluation

NUISANCE = {"auto": "linear", "linear": "linear", "forest": "forest", "boosting": "boosting"}


def _fresh(model):
    """An unfitted copy of a scikit-learn-style model (sklearn.base.clone when available)."""
    try:
        from sklearn.base import clone
        return clone(model)
    except (ImportError, TypeError):
        import copy
        return copy.deepcopy(model)


def cross_fitted(model_y, model_t, features, y, t, folds, seed):
    """Out-of-fold predictions of the outcome (``predict``) and of the treatment's probability
    (``predict_proba``, second column) from the caller's models, one fresh copy per fold."""
    if not hasattr(model_y, "fit") or not hasattr(model_y, "predict"):
        raise CausewayError("model_y must have fit and predict (a scikit-learn regressor)")
    if not hasattr(model_t, "fit") or not hasattr(model_t, "predict_proba"):
        raise CausewayError("model_t must have fit and predict_proba (a scikit-learn classifier) "
                            "for a discrete treatment")
    if not isinstance(folds, int) or folds < 2:
        raise CausewayError(f"cv must be an integer of at least 2, not {folds!r}")
    fold = np.random.default_rng(seed).permutation(len(y)) % folds
    y_hat, t_hat = np.empty(len(y)), np.empty(len(y))
    for k in range(folds):
        train, test = fold != k, fold == k
        y_hat[test] = _fresh(model_y).fit(features[train], y[train]).predict(features[test])
        fitted = _fresh(model_t).fit(features[train], t[train])
        classes = list(getattr(fitted, "classes_", [0, 1]))
        t_hat[test] = fitted.predict_proba(features[test])[:, classes.index(1)]
    return y_hat, t_hat


def _frame(values, prefix):
    if values is None:
        return pd.DataFrame()
    if isinstance(values, pd.DataFrame):
        return values.reset_index(drop=True)
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True).to_frame(values.name or prefix)
    array = np.asarray(values)
    if array.ndim == 1:
        array = array[:, None]
    return pd.DataFrame(array, columns=[f"{prefix}{j}" for j in range(array.shape[1])])


class _UpliftEstimator:
    method = "forest"

    def __init__(self, n_jobs=None, random_state=42):
        self.n_jobs = n_jobs
        self.random_state = random_state
        self._fitted = None

    def _nuisance_args(self):
        return []

    def _custom_models(self):
        return False

    def _save_args(self):
        return []

    def effect(self, X=None):
        """Per-customer effects of the training customers (cross-fitted or out of bag)."""
        self._check()
        if X is not None:
            raise CausewayError(f"{type(self).__name__}.effect() gives the training customers' "
                                "effects; new customers need CausalForestDML")
        return self.scores_["predicted_uplift"].to_numpy()

    def fit(self, Y, T, X=None, W=None):
        x, w = _frame(X, "X"), _frame(W, "W")
        if x.shape[1] == 0:
            raise CausewayError("X: give at least one effect modifier (a column of X)")
        clash = set(x.columns) & set(w.columns)
        if clash:
            raise CausewayError(f"X and W share the column names {sorted(clash)}; rename one")
        y = np.asarray(Y).reshape(-1)
        t = np.asarray(T).reshape(-1)
        if not (len(y) == len(t) == len(x)) or (w.shape[1] and len(w) != len(x)):
            raise CausewayError(f"Y, T, X and W must have the same rows: {len(y)}, {len(t)}, "
                                f"{len(x)} and {len(w)}")
        data = pd.concat([x, w], axis=1)
        for name, values in (("__outcome", y), ("__treatment", t)):
            data[name] = values
        self._features, self._controls = list(x.columns), list(w.columns)
        args = ["uplift", "DataFrame", "--treatment", "__treatment", "--outcome", "__outcome",
                "--features", ",".join(self._features), "--method", self.method,
                "--seed", int(self.random_state if self.random_state is not None else 42),
                "--quiet", "--id", "-"]
        if self._controls:
            args += ["--controls", ",".join(self._controls)]
        if self._custom_models():
            features = pd.concat([x, w], axis=1)
            if not all(pd.api.types.is_numeric_dtype(features[c]) for c in features.columns):
                raise CausewayError("custom model_y/model_t need numeric X and W columns; "
                                    "encode text columns first or use model_y='auto'")
            treated = pd.Series(t).astype(float).to_numpy()
            if not set(np.unique(treated)) <= {0.0, 1.0}:
                raise CausewayError("custom model_t needs the treatment coded 0/1")
            data["__y_hat"], data["__t_hat"] = cross_fitted(
                self.model_y, self.model_t, features.to_numpy(dtype=float), y.astype(float),
                treated, self.cv, self.random_state)
            args += ["--nuisance-columns", "__y_hat,__t_hat"]
        args += self._nuisance_args() + threads(self.n_jobs)
        self._folder = tempfile.TemporaryDirectory(prefix="causeway-")  # the model, for effect(X)
        scores = os.path.join(self._folder.name, "scores.csv")
        self._report = run_json(args + ["--out", scores] + self._save_args(), data)
        self.scores_ = pd.read_csv(scores)
        self._args, self._data = args, data
        return self

    def _check(self):
        if not hasattr(self, "_report"):
            raise CausewayError("call fit(Y, T, X=..., W=...) first")

    @property
    def ate_(self):
        self._check()
        return self._report["ate"]

    def ate_interval(self, alpha=0.05):
        self._check()
        from statistics import NormalDist
        z = NormalDist().inv_cdf(1 - alpha / 2)
        return (self.ate_ - z * self._report["ate_se"], self.ate_ + z * self._report["ate_se"])

    def evaluation(self):
        self._check()
        return UpliftEvaluation(self._report)

    def to_dict(self):
        self._check()
        return self._report

    def report(self, path):
        """Writes the HTML report of ``causeway uplift --report`` for this fit."""
        self._check()
        run(self._args + ["--report", os.fspath(path)], self._data)


class CausalForestDML(_UpliftEstimator):
    """The causal forest on locally centred data (double ML), as EconML's ``CausalForestDML``."""

    def __init__(self, model_y="auto", model_t="auto", discrete_treatment=True, n_estimators=2000,
                 min_samples_leaf=15, random_state=42, n_jobs=None, cv=5):
        super().__init__(n_jobs, random_state)
        if not discrete_treatment:
            raise CausewayError("causeway's forest takes a two-arm treatment: "
                                "discrete_treatment=True")
        self.model_y, self.model_t = model_y, model_t
        self.n_estimators, self.min_samples_leaf, self.cv = n_estimators, min_samples_leaf, cv

    def _custom_models(self):
        named = [isinstance(m, str) for m in (self.model_y, self.model_t)]
        if any(named) and not all(named):
            raise CausewayError("give model_y and model_t both as names (auto, linear, forest, "
                                "boosting) or both as models with fit/predict")
        return not any(named)

    def _nuisance_args(self):
        args = ["--trees", self.n_estimators, "--min-node-size", self.min_samples_leaf]
        if self._custom_models():
            return args
        if self.model_y != self.model_t or self.model_y not in NUISANCE:
            raise CausewayError(
                "model_y and model_t must be the same one of auto, linear, forest, boosting; "
                f"got {self.model_y!r} and {self.model_t!r}")
        return args + ["--nuisance", NUISANCE[self.model_y]]

    def fit(self, Y, T, X=None, W=None):
        super().fit(Y, T, X=X, W=W)
        self.feature_importances_ = np.array([imp for _, imp in self._importance()])
        return self

    def _importance(self):
        table = self._report.get("importance", {})
        return [(f, table.get(f, 0.0)) for f in self._features]

    def _save_args(self):
        return ["--save-model", os.path.join(self._folder.name, "forest.model")]

    def effect(self, X=None):
        """Per-customer effects: without X, the training customers' out-of-bag effects; with X,
        the effects of those customers from every tree (as ``causeway score``)."""
        return self._scores(X)["predicted_uplift"].to_numpy()

    def effect_interval(self, X=None, alpha=0.05):
        if alpha != 0.05:
            raise CausewayError("effect_interval: causeway's intervals are 95 % (alpha=0.05)")
        scores = self._scores(X)
        return scores["ci_low"].to_numpy(), scores["ci_high"].to_numpy()

    def _scores(self, X):
        self._check()
        if X is None:
            return self.scores_
        x = _frame(X, "X")
        if list(x.columns) != self._features:
            if x.shape[1] != len(self._features):
                raise CausewayError(f"X has {x.shape[1]} columns; the forest was fitted on "
                                    f"{len(self._features)}: {', '.join(self._features)}")
            x.columns = self._features
        model = os.path.join(self._folder.name, "forest.model")
        text = run(["score", "DataFrame", "--model", model, "--id", "-"], x)
        return pd.read_csv(io.StringIO(text))


class _MetaLearner(_UpliftEstimator):
    """A meta-learner of ``causeway uplift --method``: every base model "boosting" (gradient-
    boosted trees; "auto" too) or every one "linear"; per-customer effects are cross-fitted,
    without intervals. EconML's keyword names for the base models are accepted."""

    model_arguments = ("models",)

    def __init__(self, random_state=42, n_jobs=None, **models):
        super().__init__(n_jobs, random_state)
        for key in models:
            if key not in self.model_arguments:
                raise CausewayError(f"{type(self).__name__}: argument '{key}' is not supported; "
                                    f"supported: {', '.join(self.model_arguments)}, "
                                    "random_state, n_jobs")
        kinds = {"boosting" if m in (None, "auto") else m for m in models.values()} or {"boosting"}
        if len(kinds) != 1 or not kinds <= {"boosting", "linear"}:
            raise CausewayError(f"{type(self).__name__}: base models must all be 'boosting' or all "
                                f"'linear' (scikit-learn models are taken by CausalForestDML), "
                                f"not {sorted(map(repr, models.values()))}")
        self.models = kinds.pop()

    def _nuisance_args(self):
        return ["--base", self.models]

    def effect_interval(self, X=None, alpha=0.05):
        raise CausewayError(f"{type(self).__name__} gives no per-customer intervals; "
                            "CausalForestDML does")


class TLearner(_MetaLearner):
    method = "t"


class SLearner(_MetaLearner):
    method = "s"
    model_arguments = ("overall_model", "models")


class XLearner(_MetaLearner):
    method = "x"
    model_arguments = ("models", "propensity_model", "cate_models")


class DRLearner(_MetaLearner):
    method = "dr"
    model_arguments = ("model_propensity", "model_regression", "model_final", "models")
