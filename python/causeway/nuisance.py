"""Cross-fitted nuisance predictions from the caller's own scikit-learn models."""
import numbers

import numpy as np
import pandas as pd

from ._engine import CausewayError


def _fresh(model):
    """An unfitted copy of a scikit-learn-style model (sklearn.base.clone when available)."""
    try:
        from sklearn.base import clone
        return clone(model)
    except (ImportError, TypeError):
        import copy
        return copy.deepcopy(model)


def _checked(values, rows, what):
    values = np.asarray(values, dtype=float).reshape(-1) if np.ndim(values) <= 1 else None
    if values is None or len(values) != rows:
        raise CausewayError(f"{what} gave {'a table' if values is None else len(values)} "
                            f"predictions for {rows} rows")
    return values


def cross_fitted(model_y, model_t, features, y, t, folds, seed):
    """Out-of-fold predictions of the outcome (``predict``) and of the treatment's probability
    (``predict_proba``, the column of class 1) from a fresh copy of each model per fold."""
    if not hasattr(model_y, "fit") or not hasattr(model_y, "predict"):
        raise CausewayError("model_y must have fit and predict (a scikit-learn regressor)")
    if not hasattr(model_t, "fit") or not hasattr(model_t, "predict_proba"):
        raise CausewayError("model_t must have fit and predict_proba (a scikit-learn classifier) "
                            "for a discrete treatment")
    if isinstance(folds, bool) or not isinstance(folds, numbers.Integral) or \
            not 2 <= folds <= len(y):
        raise CausewayError(f"cv must be an integer from 2 to the number of rows, not {folds!r}")
    if not all(pd.api.types.is_numeric_dtype(features[c]) for c in features.columns):
        raise CausewayError("custom model_y/model_t need numeric X and W columns; encode text "
                            "columns first, or use model_y='auto', model_t='auto'")
    try:
        y = np.asarray(y, dtype=float)
        t = np.asarray(t, dtype=float)
    except (TypeError, ValueError):
        raise CausewayError("custom model_y/model_t need a numeric Y and a 0/1 T; recode them, "
                            "or use model_y='auto', model_t='auto'") from None
    if not set(np.unique(t)) <= {0.0, 1.0} or np.isnan(y).any():
        raise CausewayError("custom model_t needs T coded 0/1, and Y without missing values")
    x = features.to_numpy(dtype=float)
    fold = np.random.default_rng(seed).permutation(len(y)) % folds
    y_hat, t_hat = np.empty(len(y)), np.empty(len(y))
    for k in range(folds):
        train, test = fold != k, fold == k
        fitted_y = _fresh(model_y).fit(x[train], y[train])
        y_hat[test] = _checked(fitted_y.predict(x[test]), test.sum(), "model_y.predict")
        fitted_t = _fresh(model_t).fit(x[train], t[train])
        proba = np.asarray(fitted_t.predict_proba(x[test]))
        classes = list(getattr(fitted_t, "classes_", [0, 1]))
        if proba.ndim != 2 or proba.shape[1] != len(classes) or 1 not in classes:
            raise CausewayError("model_t.predict_proba must give one column per class, the "
                                "treated class (1) among them")
        t_hat[test] = _checked(proba[:, classes.index(1)], test.sum(), "model_t.predict_proba")
    return y_hat, t_hat
