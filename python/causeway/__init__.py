"""causeway: causal inference on customer data, from pandas.

DoWhy's calls (``CausalModel``, ``identify_effect``, ``estimate_effect``, ``refute_estimate``)
and EconML's (``CausalForestDML``: ``fit``, ``effect``, ``effect_interval``, ``ate_``) run
causeway's C++ engine in process, with the command line's checks, messages and numbers.
"""
from ._causeway import __version__
from ._engine import CausewayError, CausewayWarning, run
from .dowhy_api import CausalEstimate, CausalModel, CausalRefutation, IdentifiedEstimand
from .econml_api import CausalForestDML, DRLearner, SLearner, TLearner, XLearner
from .metrics import UpliftEvaluation, evaluate_score

__all__ = ["CausalEstimate", "CausalForestDML", "CausalModel", "CausalRefutation",
           "CausewayError", "CausewayWarning", "DRLearner", "IdentifiedEstimand", "SLearner",
           "TLearner", "UpliftEvaluation", "XLearner", "__version__", "evaluate_score", "run"]
