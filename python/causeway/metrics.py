"""Uplift metrics: of a fitted model (its report), or of any score on randomised data."""
import numpy as np
import pandas as pd

from ._engine import CausewayError, run_json, warn_all


# The command line's words in evaluate_score's messages, as its call spells them.
SPELLING = {"'treatment'": "t", "'outcome'": "y", "'score'": "score",
            "--treated-value and --control-value": "t coded 0/1",
            "--treated-value": "t coded 0/1", "--drop-missing": "scores for every customer",
            "causeway uplift --features ...": "CausalForestDML"}


class UpliftEvaluation:
    """The targeting figures of a fitted model: Qini, AUUC and the decile table."""

    def __init__(self, report):
        self._report = report

    @property
    def qini(self):
        """(area, standard error): above 0, ranking by the model beats random targeting."""
        return self._report["qini_area"], self._report["qini_se"]

    @property
    def auuc(self):
        return self._report["auuc"], self._report["auuc_se"]

    def deciles(self):
        """The decile table as a DataFrame (decile 1: highest predicted uplift)."""
        return pd.DataFrame(self._report["deciles"])


def evaluate_score(y, t, score, metric="deciles"):
    """``causeway uplift --score``: a given uplift score judged on randomised data by decile and
    cumulative lift (metric="deciles"), or by the Qini curve (metric="qini", a 0/1 outcome).
    Returns the command's JSON as a dict, with the deciles also as a DataFrame."""
    if metric not in ("deciles", "qini"):
        raise CausewayError(f"metric must be 'deciles' or 'qini', not {metric!r}")
    try:
        score = np.asarray(score, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        raise CausewayError("score must hold numbers (one uplift score per customer)") from None
    columns = {"outcome": np.asarray(y).reshape(-1), "treatment": np.asarray(t).reshape(-1),
               "score": score}
    if len({len(v) for v in columns.values()}) != 1:
        raise CausewayError("y, t and score must have the same length")
    result = run_json(["uplift", "DataFrame", "--treatment", "treatment", "--outcome", "outcome",
                       "--score", "score", "--metric", metric, "--id", "-"],
                      pd.DataFrame(columns), SPELLING)
    result["warnings"] = warn_all(result.get("warnings", []), SPELLING)
    result["deciles_frame"] = pd.DataFrame(result["deciles"])
    return result
