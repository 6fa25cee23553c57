"""Running causeway's commands in process on a pandas DataFrame.

A DataFrame is handed to the engine column by column: numeric columns as float64 arrays (a
float64 column is read in place, others are converted once), every other column (text,
categorical, boolean, dates) as its text cells. Text follows the command line's rules for CSV
cells, so a DataFrame reads as the CSV file ``df.to_csv(index=False)`` would, except that numbers
are taken as numbers rather than re-parsed.
"""
import json
import numbers
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


def warn_all(messages):
    for message in messages:
        warnings.warn(message, CausewayWarning, stacklevel=3)


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


def frame_columns(data, used=None):
    """(columns, rows) for the engine: [(name, float64 array, list of str, or None)]. Numeric
    columns cost nothing to hand over; text columns are converted only when the run uses them
    (`used`: names, None for all) or name the rows (an id column)."""
    require_frame(data)
    columns = []
    for i, name in enumerate(str(c) for c in data.columns):
        series = data.iloc[:, i]
        text = pd.api.types.is_bool_dtype(series.dtype) or \
            not pd.api.types.is_numeric_dtype(series.dtype)
        skip = text and used is not None and name not in used and not _id_like(name)
        columns.append((name, None if skip else _column(series)))
    return columns, len(data)


def categorical_args(data, used):
    """--categorical for used columns of pandas' category dtype: their levels stay levels even
    when they look like numbers (a CSV file cannot say so; a DataFrame can)."""
    args = []
    for name in data.columns:
        used_here = used is None or str(name) in used
        if isinstance(data[name].dtype, pd.CategoricalDtype) and used_here:
            args += ["--categorical", str(name)]
    return args


def run(args, data=None, spelling=None):
    """Runs ``causeway ARGS...``; returns its standard output, raises CausewayError on failure.
    `spelling` maps the command line's words in messages to the caller's (option names)."""
    args = [str(a) for a in args]
    if data is None:
        code, out, error = _causeway.run(args)
    else:
        require_frame(data)
        used = used_columns(args)
        args += categorical_args(data, used)
        columns, rows = frame_columns(data, used)
        code, out, error = _causeway.run(args, columns, rows)
    if error is not None:
        for word, said in (spelling or {}).items():
            error = error.replace(word, said)
        raise CausewayError(error, code, out)
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
