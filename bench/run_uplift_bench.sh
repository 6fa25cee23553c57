#!/bin/bash
# causeway uplift (causal forest, 2,000 trees, and its boosting T-learner) against
# scikit-learn's gradient-boosting T-learner on the same simulated CSV: wall time, peak memory,
# CATE RMSE, interval coverage. Sizes: UPLIFT_SIZES (default "20000 200000").
# UPLIFT_WIDE=1 adds the wide run: 1,000,000 rows x 25 features (the three of the simulation and
# 22 pure-noise columns), causeway's forest only. Writes bench/out/uplift_results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
mkdir -p bench/out
OUT=bench/out/uplift_results.md
{
  echo "| rows x features | tool | wall s | peak RSS MB | CATE RMSE | 95 % coverage |"
  echo "|---|---|---|---|---|---|"
} > "$OUT"

# RMSE and coverage of a scores file against the data's true_effect column.
judge() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys, numpy as np, pandas as pd
truth = pd.read_csv(sys.argv[1], usecols=["true_effect"])["true_effect"].to_numpy()
s = pd.read_csv(sys.argv[2])
tau = s["predicted_uplift"].to_numpy()
rmse = np.sqrt(np.mean((tau - truth) ** 2))
if s["ci_low"].isna().all():
    print(f"{rmse:.4f} none")
else:
    inside = (s["ci_low"].to_numpy() <= truth) & (truth <= s["ci_high"].to_numpy())
    print(f"{rmse:.4f} {inside.mean():.3f}")
PY
}

# run LABEL SIZE DATA FEATURES [causeway uplift options...]
run() {
  local label=$1 size=$2 data=$3 features=$4
  shift 4
  /usr/bin/time -f "%e %M" -o bench/out/time.txt "$CAUSEWAY" uplift "$data" --treatment call \
    --outcome renew --features "$features" --quiet --out bench/out/scores.csv --json "$@" \
    > /dev/null
  read -r wall rss < bench/out/time.txt
  read -r rmse cover < <(judge "$data" bench/out/scores.csv)
  printf "| %s | %s | %s | %.0f | %s | %s |\n" "$size" "$label" "$wall" \
    "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$rmse" "$cover" | tee -a "$OUT"
}

for n in ${UPLIFT_SIZES:-20000 200000}; do
  data=bench/out/uplift_$n.csv
  [ -f "$data" ] || "$CAUSEWAY" simulate uplift --n "$n" --seed 7 --with-truth --out "$data" 2>/dev/null
  f=motivation,usage_depth,tenure_months
  run "causeway forest" "$n x 3" "$data" "$f"
  run "causeway T-learner (boosting)" "$n x 3" "$data" "$f" --method t
  run "causeway X-learner (boosting)" "$n x 3" "$data" "$f" --method x
  /usr/bin/time -f "%e %M" -o bench/out/time.txt /usr/bin/python3 bench/peer_sklearn_tlearner.py "$data" > bench/out/peer_$n.json
  read -r wall rss < bench/out/time.txt
  rmse=$(jq -r '.rmse' bench/out/peer_$n.json)
  printf "| %s | sklearn GB T-learner | %s | %.0f | %.4f | none |\n" "$n x 3" "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$rmse" | tee -a "$OUT"
done

if [ "${UPLIFT_WIDE:-0}" = 1 ]; then
  data=bench/out/uplift_wide_1000000.csv
  [ -f "$data" ] || /usr/bin/python3 bench/wide_uplift.py 1000000 22 "$data"
  f=motivation,usage_depth,tenure_months$(for k in $(seq 1 22); do printf ",noise%d" "$k"; done)
  run "causeway forest" "1000000 x 25" "$data" "$f"
fi
echo "table written to $OUT"
