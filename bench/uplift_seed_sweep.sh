#!/bin/bash
# How the forest's accuracy and coverage vary with the data: for data seeds 1..SEEDS (default
# 12) of the 20,000-row uplift simulation, `causeway uplift` (2,000 trees, forest seed 42, any
# extra options given to this script) judged against the true effects: CATE RMSE, share of 95 %
# intervals covering the truth, mean prediction for tenure < 6 (truth 0.30). Prints one line per
# seed and the means, and how many seeds meet issue 5's figures (RMSE <= 0.037, coverage >= 0.92).
# Usage: bench/uplift_seed_sweep.sh [uplift options, e.g. --min-node-size 10]
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for s in $(seq 1 "${SEEDS:-12}"); do
  "$CAUSEWAY" simulate uplift --n 20000 --seed "$s" --with-truth --out "$work/u.csv" 2>/dev/null
  "$CAUSEWAY" uplift "$work/u.csv" --treatment call --outcome renew --quiet \
    --features motivation,usage_depth,tenure_months --out "$work/s.csv" "$@" > /dev/null
  /usr/bin/python3 - "$work/u.csv" "$work/s.csv" "$s" <<'PY'
import sys
import numpy as np, pandas as pd
d = pd.read_csv(sys.argv[1]); s = pd.read_csv(sys.argv[2], float_precision="round_trip")
t, tau = d["true_effect"].to_numpy(), s["predicted_uplift"].to_numpy()
cover = ((s["ci_low"] <= t) & (t <= s["ci_high"])).mean()
young = d["tenure_months"].to_numpy() < 6
print(f"{sys.argv[3]} {np.sqrt(np.mean((tau - t) ** 2)):.4f} {cover:.3f} {tau[young].mean():.3f}")
PY
done | tee "$work/lines" | sed 's/^/seed rmse coverage young: /'
awk '{r += $2; c += $3; y += $4; if ($2 <= 0.037 && $3 >= 0.92) ok++}
     END {printf "mean RMSE %.4f, mean coverage %.3f, mean for tenure < 6 %.3f; ", r / NR,
          c / NR, y / NR; printf "both goals on %d of %d seeds\n", ok, NR}' "$work/lines"
