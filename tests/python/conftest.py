import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("CAUSEWAY_SHARED", os.path.join(ROOT, "..", "shared"))
BIN = os.environ.get("CAUSEWAY_BIN", os.path.join(ROOT, "build", "causeway"))
LALONDE = os.path.join(SHARED, "data", "lalonde", "lalonde_matchit.csv")
COVARIATES = ["age", "educ", "race", "married", "nodegree", "re74", "re75"]


def cli(*args, check=True):
    """The command line's run: (exit code, stdout, stderr)."""
    done = subprocess.run([BIN, *map(str, args)], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise AssertionError(f"causeway {' '.join(map(str, args))} failed: {done.stderr}")
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="session")
def lalonde():
    import pandas as pd
    return pd.read_csv(LALONDE, float_precision="round_trip")
