"""Ctrl-C stops a long fit: KeyboardInterrupt, and the interpreter goes on."""
import os
import signal
import subprocess
import sys
import time

from conftest import BIN, ROOT

SCRIPT = r"""
import sys
import numpy as np, pandas as pd, causeway
rng = np.random.default_rng(0)
n = 20000
df = pd.DataFrame({"x": rng.standard_normal(n), "t": rng.integers(0, 2, n)})
df["y"] = (rng.random(n) < 0.4 + 0.1 * df.t).astype(int)
print("fitting", flush=True)
try:
    causeway.CausalForestDML(n_estimators=100000, n_jobs=1).fit(df.y, df.t, X=df[["x"]])
    print("finished")
except KeyboardInterrupt:
    print("interrupted", flush=True)
# The module still works afterwards (the stop request was cleared).
est = causeway.CausalForestDML(n_estimators=100).fit(df.y, df.t, X=df[["x"]])
print("after", len(est.effect()))
"""


def test_ctrl_c_interrupts_a_fit_and_the_module_still_works():
    env = dict(os.environ)
    child = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    assert child.stdout.readline().strip() == "fitting"
    time.sleep(2)  # into the fit (100,000 trees would take minutes)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=300)  # a guard against a hang, not a speed check
    assert "interrupted" in out and "finished" not in out, err
    assert "after 20000" in out, err
