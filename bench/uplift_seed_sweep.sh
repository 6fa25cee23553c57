#!/bin/bash
# How the forest's accuracy and coverage vary with the data: for data seeds FIRST..LAST (default
# 1..12) of the 20,000-row uplift simulation, `causeway uplift` (2,000 trees, forest seed 42, any
# extra options given to this script) judged against the true effects: CATE RMSE, share of 95 %
# intervals covering the truth, mean prediction for tenure < 6 (truth 0.30). Prints one line per
# seed and the means, and how many seeds meet issue 5's figures (RMSE <= 0.037, coverage >= 0.92;
# mean for tenure < 6 within 0.03 of 0.30).
#
# The last column is a yardstick for the tenure < 6 figure: the doubly robust mean effect of
# those customers computed with the simulation's own outcome and propensity functions (an
# oracle no estimator has). The clip of the renewal probability at 0.99 makes their true mean
# effect on the probability about 0.275, not 0.30, and the sample's noise is about 0.023, so
# even the oracle lands within 0.03 of 0.30 on only some seeds.
# Usage: FIRST=1 LAST=48 bench/uplift_seed_sweep.sh [uplift options, e.g. --min-node-size 10]
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
if ((${FIRST:-1} > ${LAST:-12})); then echo "FIRST must not exceed LAST" >&2; exit 2; fi
case " $* " in *" --method "*) echo "the sweep judges the forest's intervals: no --method" >&2
  exit 2 ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for s in $(seq "${FIRST:-1}" "${LAST:-12}"); do
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
# The oracle: the simulation's propensity and outcome probabilities (DESIGN.md).
base = 0.5 + 0.2 * d["motivation"] + 0.1 * d["usage_depth"]
e = 1 / (1 + np.exp(-(0.2 + 1.1 * d["motivation"] - 0.1 * d["usage_depth"])))
mu1, mu0 = np.clip(base + t, 0.01, 0.99), np.clip(base, 0.01, 0.99)
w, y = d["call"], d["renew"]
dr = (mu1 - mu0 + w * (y - mu1) / e - (1 - w) * (y - mu0) / (1 - e)).to_numpy()
print(f"{sys.argv[3]} {np.sqrt(np.mean((tau - t) ** 2)):.4f} {cover:.3f} {tau[young].mean():.3f}"
      f" {dr[young].mean():.3f}")
PY
done | tee "$work/lines" |
  awk '{printf "seed %s: RMSE %s, coverage %s, tenure < 6 mean %s (oracle %s)\n", $1, $2, $3, $4, $5}'
awk 'function near(v) { return v > 0.27 && v < 0.33 }
     { r += $2; c += $3; y += $4; o += $5; if ($2 <= 0.037 && $3 >= 0.92) ok++
       if (near($4)) yok++; if (near($5)) ook++
       if (NR == 1 || $2 < rlo) rlo = $2; if ($2 > rhi) rhi = $2
       if (NR == 1 || $3 < clo) clo = $3; if ($3 > chi) chi = $3 }
     END { printf "mean RMSE %.4f (%.4f to %.4f), mean coverage %.3f (%.3f to %.3f); ", r / NR,
           rlo, rhi, c / NR, clo, chi
           printf "RMSE and coverage goals both met on %d of %d seeds\n", ok, NR
           printf "tenure < 6: mean prediction %.3f, within 0.03 of 0.30 on %d of %d seeds ", \
             y / NR, yok, NR
           printf "(the oracle: mean %.3f, on %d)\n", o / NR, ook }' "$work/lines"
