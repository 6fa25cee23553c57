"""Running causeway's commands in process on a pandas DataFrame.

A DataFrame is handed to the engine column by column: numeric columns as float64 arrays (a
float64 column is read in place, others are converted once), every other column (text,
categorical, boolean, dates) as its text cells. Text follows the command line's rules for CSV
cells, so a DataFrame reads as the CSV file ``df.to_csv(index=False)`` would, except that numbers
are taken as numbers rather than re-parsed.
"""
import json
import numbers
import os
import warnings

import numpy as np
import pandas as pd

from . import _causeway

SOURCE = "DataFrame"


class CausewayError(ValueError):
    """A request causeway refuses: the message is the command line's (column, row, what to do),
    with its options spelt as the Python call spells them."""

    def __init__(self, message, exit_code=2, output=""):
        super().__init__(message)
        self.exit_code = exit_code
        self.output = output


class CausewayWarning(UserWarning):
    """A warning of causeway's report (also in the result's to_dict()["warnings"])."""


HERE = os.path.dirname(os.path.abspath(__file__))


def _caller_level():
    """The stack level of the first frame outside this package (the user's call)."""
    import inspect
    frame, level = inspect.currentframe(), 1
    while frame is not None and os.path.dirname(os.path.abspath(frame.f_code.co_filename)) == HERE:
        frame, level = frame.f_back, level + 1
    return level - 1


def warn_all(messages, spelling=None):
    """Issues each of a report's warnings as CausewayWarning (at the user's line), in Python's
    words; returns them."""
    level = _caller_level()
    said = [respell(m, spelling) for m in messages]
    for message in said:
        warnings.warn(message, CausewayWarning, stacklevel=level)
    return said


# The command line's words that mean the same for every Python call.
COMMON_SPELLING = {
    "--proceed-when-unidentifiable": "proceed_when_unidentifiable=True",
    "--graph FILE": "graph=", "--graph": "graph=", "--drop-missing": "drop_missing=True",
    "--treated-value": "treatment_value", "--control-value": "control_value",
    "--common-causes": "common_causes", "--instruments": "instruments",
    "--effect-modifiers": "effect_modifiers", "--mediators": "a graph naming the mediators",
}


def respell(message, spelling=None):
    """`message` in a Python call's words: the common ones and `spelling`'s; as it is when
    `spelling` is None (causeway.run speaks as the command line)."""
    if spelling is None:
        return message
    table = dict(COMMON_SPELLING)
    table.update(spelling or {})
    for word in sorted(table, key=len, reverse=True):
        message = message.replace(word, table[word])
    return message


def _column(series):
    if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
        return [None if pd.isna(v) else str(v) for v in series.tolist()]
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


# Options whose values name columns; with any other way of naming them (--graph), every column is
# handed over.
COLUMN_OPTIONS = {"--treatment", "--outcome", "--common-causes", "--instruments", "--mediators",
                  "--effect-modifiers", "--features", "--controls", "--nuisance-columns",
                  "--score", "--id", "--id-column", "--categorical"}


def used_columns(args):
    """The columns a command line names, or None when it may use others (a graph, a model)."""
    if "--graph" in args or (args and args[0] == "score"):
        return None
    used = set()
    for option, value in zip(args, args[1:]):
        if option in COLUMN_OPTIONS:
            used.update(name.strip() for name in value.split(","))
    return used


def _id_like(name):
    lower = name.lower()
    return lower == "id" or (len(lower) > 3 and lower.endswith("_id"))


def require_frame(data):
    if not isinstance(data, pd.DataFrame):
        raise CausewayError(
            f"data must be a pandas DataFrame, not {type(data).__name__}; "
            "wrap arrays with pandas.DataFrame(...)")
    from collections import Counter
    twice = sorted(n for n, k in Counter(str(c) for c in data.columns).items() if k > 1)
    if twice:
        raise CausewayError(f"the DataFrame has more than one column named {twice[0]!r} (as "
                            "text); rename them so that each name is one column")


def frame_columns(data, used=None):
    """(columns, rows) for the engine: [(name, float64 array, list of str, or None)]. Numeric
    columns cost nothing to hand over; text columns are converted only when the run uses them
    (`used`: names, None for all) or name the rows (an id column). `data` has passed
    require_frame."""
    columns = []
    for i, name in enumerate(str(c) for c in data.columns):
        series = data.iloc[:, i]
        text = pd.api.types.is_bool_dtype(series.dtype) or \
            not pd.api.types.is_numeric_dtype(series.dtype)
        skip = text and used is not None and name not in used and not _id_like(name)
        columns.append((name, None if skip else _column(series)))
    return columns, len(data)


def categorical_args(data, args, used):
    """--categorical for the covariates of pandas' category dtype: their levels stay levels even
    when they look like numbers (a CSV file cannot say so; a DataFrame can). The treatment and
    the outcome are coded by their own rules."""
    roles = {value for option, value in zip(args, args[1:])
             if option in ("--treatment", "--outcome")}
    out = []
    for i, name in enumerate(str(c) for c in data.columns):
        used_here = (used is None or name in used) and name not in roles
        if isinstance(data.iloc[:, i].dtype, pd.CategoricalDtype) and used_here:
            out += ["--categorical", name]
    return out


def run(args, data=None, spelling=None):
    """Runs ``causeway ARGS...``; returns its standard output, raises CausewayError on failure.
    `spelling` maps the command line's words in messages to the caller's (option names)."""
    args = [str(a) for a in args]
    if data is None:
        code, out, error = _causeway.run(args)
    else:
        require_frame(data)
        used = used_columns(args)
        args += categorical_args(data, args, used)
        columns, rows = frame_columns(data, used)
        code, out, error = _causeway.run(args, columns, rows)
    if error is not None:
        raise CausewayError(respell(error, spelling), code, out)
    return out


def run_json(args, data=None, spelling=None):
    return json.loads(run(list(args) + ["--json"], data, spelling))


def names(value, what):
    """A column list from a name or a list of names (a column label that is not text is named
    by its text, as the DataFrame's columns are); commas inside a name are refused."""
    if value is None:
        return []
    if isinstance(value, (str, numbers.Number)):
        value = [value]
    try:
        items = [str(v) for v in value]
    except TypeError:
        raise CausewayError(f"{what}: give a column name or a list of them, not {value!r}")
    for item in items:
        if not item or "," in item:
            raise CausewayError(f"{what}: {item!r} is not a column name causeway can use")
    return items


def one_name(value, what):
    items = names(value, what)
    if len(items) != 1:
        raise CausewayError(f"{what}: causeway takes exactly one column, got {items}")
    return items[0]


def threads(n_jobs):
    """--threads for scikit-learn's n_jobs: None or -1 is every core."""
    if n_jobs is None or (isinstance(n_jobs, numbers.Integral) and n_jobs == -1):
        return []
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, numbers.Integral) or n_jobs < 1:
        raise CausewayError(f"n_jobs must be a positive integer or -1, not {n_jobs!r}")
    return ["--threads", int(n_jobs)]


def seed(random_state):
    """--seed from scikit-learn's random_state: an integer; None draws one (as scikit-learn
    would), and so does a numpy RandomState or Generator (from itself)."""
    if random_state is None:
        return int(np.random.default_rng().integers(0, 2**32))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**31 - 1))
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(0, 2**32))
    if isinstance(random_state, bool) or not isinstance(random_state, numbers.Integral) or \
            random_state < 0:
        raise CausewayError(f"random_state must be a non-negative integer, None or a numpy "
                            f"random generator, not {random_state!r}")
    return int(random_state)
