"""EconML's estimators on causeway: ``CausalForestDML`` and the T-, S-, X- and DR-learners.

``fit`` runs ``causeway uplift`` on the data given (Y, T, X and W as arrays or DataFrames), so
per-customer effects, intervals, the average effect and the importances are the command line's.
"""
import io
import numbers
import os
import tempfile
from statistics import NormalDist

import numpy as np
import pandas as pd

from ._engine import CausewayError, run, run_json, seed, threads, warn_all
from .metrics import UpliftEvaluation
from .nuisance import cross_fitted

NUISANCE = {"auto": "linear", "linear": "linear", "forest": "forest", "boosting": "boosting"}

# The command line's words in messages, as the estimators spell them.
SPELLING = {
    "--nuisance-columns '__y_hat'": "model_y's predictions",
    "--nuisance-columns '__t_hat'": "model_t's predictions",
    "--features/--controls": "X/W", "--features": "X", "--controls": "W",
    "'__treatment'": "T", "'__outcome'": "Y", "--trees": "n_estimators",
    "--min-node-size": "min_samples_leaf", "--threads": "n_jobs", "--seed": "random_state",
    "--treated-value": "a 0/1 T (recode the treatment)", "--drop-missing": "rows without "
    "missing values (dropna() first)", "--base": "models",
}


def _read_scores(source):
    """A scores file, its numbers exactly as written (pandas' default parser may differ from
    the shortest exact form in the last bit)."""
    return pd.read_csv(source, float_precision="round_trip")


def _frame(values, prefix):
    if values is None:
        return pd.DataFrame()
    if isinstance(values, pd.DataFrame):
        frame = values.reset_index(drop=True)
        frame.columns = [str(c) for c in frame.columns]
        return frame
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True).to_frame(str(values.name or prefix))
    array = np.asarray(values)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2:
        raise CausewayError(f"{prefix}: give a table (rows x columns), not a {array.ndim}-d array")
    return pd.DataFrame(array, columns=[f"{prefix}{j}" for j in range(array.shape[1])])


class _UpliftEstimator:
    method = "forest"
    _parameters = ("random_state", "n_jobs")

    def __init__(self, n_jobs=None, random_state=42):
        self.n_jobs = n_jobs
        self.random_state = random_state

    # scikit-learn's estimator protocol, so that clone() and grid searches can copy it.
    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._parameters}

    def set_params(self, **params):
        for name, value in params.items():
            if name not in self._parameters:
                raise CausewayError(f"{type(self).__name__} has no parameter '{name}'; "
                                    f"parameters: {', '.join(self._parameters)}")
            setattr(self, name, value)
        return self

    def _nuisance_args(self):
        return []

    def _custom_models(self):
        return False

    def fit(self, Y, T, X=None, W=None):
        x, w = _frame(X, "X"), _frame(W, "W")
        if x.shape[1] == 0:
            raise CausewayError("X: give at least one effect modifier (a column of X)")
        clash = set(x.columns) & set(w.columns)
        if clash:
            raise CausewayError(f"X and W share the column names {sorted(clash)}; rename one")
        for name, values in (("Y", Y), ("T", T)):
            if np.ndim(values) > 2 or (np.ndim(values) == 2 and np.shape(values)[1] != 1):
                raise CausewayError(f"{name} must be one column, not a table of shape "
                                    f"{np.shape(values)}")
        y, t = np.asarray(Y).reshape(-1), np.asarray(T).reshape(-1)
        if not (len(y) == len(t) == len(x)) or (w.shape[1] and len(w) != len(x)):
            raise CausewayError(f"Y, T, X and W must have the same rows: {len(y)}, {len(t)}, "
                                f"{len(x)} and {len(w)}")
        data = pd.concat([x, w], axis=1)
        data["__outcome"], data["__treatment"] = y, t
        self._features, self._controls = list(x.columns), list(w.columns)
        self.random_state_ = seed(self.random_state)
        args = ["uplift", "DataFrame", "--treatment", "__treatment", "--outcome", "__outcome",
                "--features", ",".join(self._features), "--method", self.method,
                "--seed", self.random_state_, "--quiet", "--id", "-"]
        if self._controls:
            args += ["--controls", ",".join(self._controls)]
        if self._custom_models():
            data["__y_hat"], data["__t_hat"] = cross_fitted(
                self.model_y, self.model_t, pd.concat([x, w], axis=1), y, t, self.cv,
                self.random_state_)
            args += ["--nuisance-columns", "__y_hat,__t_hat"]
        args += self._nuisance_args() + threads(self.n_jobs)
        with tempfile.TemporaryDirectory(prefix="causeway-") as folder:
            scores, model = os.path.join(folder, "scores.csv"), os.path.join(folder, "f.model")
            saving = ["--save-model", model] if self.method == "forest" else []
            self._report = run_json(args + ["--out", scores] + saving, data, SPELLING)
            self.scores_ = _read_scores(scores)
            if saving:  # kept with the object (and by pickling) for effect(X)
                with open(model, "rb") as handle:
                    self._model = handle.read()
            else:
                self._model = None
        self._args, self._data = args, data
        self.warnings = warn_all(self._report.get("warnings", []), SPELLING)
        return self

    def _check(self):
        if not hasattr(self, "_report"):
            raise CausewayError("call fit(Y, T, X=..., W=...) first")

    def effect(self, X=None):
        """Per-customer effects of the training customers (cross-fitted or out of bag)."""
        self._check()
        if X is not None:
            raise CausewayError(f"{type(self).__name__}.effect() gives the training customers' "
                                "effects; new customers need CausalForestDML")
        return self.scores_["predicted_uplift"].to_numpy()

    @property
    def ate_(self):
        self._check()
        return self._report["ate"]

    def ate_interval(self, alpha=0.05):
        self._check()
        if not 0 < alpha < 1:
            raise CausewayError(f"alpha must be between 0 and 1, not {alpha!r}")
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
        run(self._args + ["--report", os.fspath(path)], self._data, SPELLING)


class CausalForestDML(_UpliftEstimator):
    """The causal forest on locally centred data (double ML), as EconML's ``CausalForestDML``."""

    _parameters = ("model_y", "model_t", "discrete_treatment", "n_estimators",
                   "min_samples_leaf", "random_state", "n_jobs", "cv")

    def __init__(self, model_y="auto", model_t="auto", discrete_treatment=True, n_estimators=2000,
                 min_samples_leaf=8, random_state=42, n_jobs=None, cv=5, **kwargs):
        super().__init__(n_jobs, random_state)
        if kwargs:
            raise CausewayError(f"CausalForestDML: argument '{sorted(kwargs)[0]}' is not "
                                f"supported; supported: {', '.join(self._parameters)}")
        if not discrete_treatment:
            raise CausewayError("causeway's forest takes a two-arm treatment: "
                                "discrete_treatment=True")
        self.discrete_treatment = discrete_treatment
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
        if not self.discrete_treatment:
            raise CausewayError("causeway's forest takes a two-arm treatment: "
                                "discrete_treatment=True")
        for name in ("n_estimators", "min_samples_leaf"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise CausewayError(f"{name} must be an integer, not {value!r}")
        if self.n_estimators < 100 or self.n_estimators % 2:
            raise CausewayError(f"n_estimators must be even and at least 100 (trees are grown "
                                f"in pairs for the intervals), not {self.n_estimators}")
        super().fit(Y, T, X=X, W=W)
        # Importance per column of X: a text column's levels ("plan=pro", ...) summed.
        table = self._report.get("importance", {})
        self.feature_importances_ = np.array([
            sum(v for k, v in table.items() if k == f or k.startswith(f + "="))
            for f in self._features])
        return self

    def effect(self, X=None):
        """Per-customer effects: without X, the training customers' out-of-bag effects; with X,
        the effects of those customers from every tree (as ``causeway score``)."""
        return self._scores(X)["predicted_uplift"].to_numpy()

    def effect_interval(self, X=None, alpha=0.05):
        if alpha != 0.05:
            raise CausewayError("effect_interval: causeway's intervals are 95 % (alpha=0.05)")
        scores = self._scores(X)
        return scores["ci_low"].to_numpy(), scores["ci_high"].to_numpy()

    def _new_rows(self, X):
        """X's columns as the forest was fitted on them: a DataFrame's by name, an array's by
        position (then it must have as many columns as the fit)."""
        x = _frame(X, "X")
        if isinstance(X, (pd.DataFrame, pd.Series)):
            missing = [f for f in self._features if f not in x.columns]
            if missing:
                raise CausewayError(f"X lacks the column(s) {', '.join(missing)} the forest was "
                                    f"fitted on (it was fitted on {', '.join(self._features)})")
            return x[self._features]
        if x.shape[1] != len(self._features):
            raise CausewayError(f"X has {x.shape[1]} columns; the forest was fitted on "
                                f"{len(self._features)} ({', '.join(self._features)}), which an "
                                "array gives by position")
        x.columns = self._features
        return x

    def _scores(self, X):
        self._check()
        if X is None:
            return self.scores_
        x = self._new_rows(X)
        with tempfile.TemporaryDirectory(prefix="causeway-") as folder:
            model = os.path.join(folder, "forest.model")
            with open(model, "wb") as handle:
                handle.write(self._model)
            text = run(["score", "DataFrame", "--model", model, "--id", "-"], x, SPELLING)
        return _read_scores(io.StringIO(text))


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

    def get_params(self, deep=True):
        return {"models": self.models, **super().get_params(deep)}

    def set_params(self, **params):
        if "models" in params:
            self.models = params.pop("models")
        return super().set_params(**params)

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
