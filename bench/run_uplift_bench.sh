#!/bin/bash
# causeway uplift (causal forest, 2,000 trees) against scikit-learn's gradient-boosting
# T-learner on the same simulated CSV: wall time, peak memory, CATE RMSE, interval coverage.
# Sizes: UPLIFT_SIZES (default "20000 100000"). Writes bench/out/uplift_results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
mkdir -p bench/out
OUT=bench/out/uplift_results.md
{
  echo "| rows | tool | wall s | peak RSS MB | CATE RMSE | 95 % coverage |"
  echo "|---|---|---|---|---|---|"
} > "$OUT"
for n in ${UPLIFT_SIZES:-20000 100000}; do
  data=bench/out/uplift_$n.csv
  [ -f "$data" ] || "$CAUSEWAY" simulate uplift --n "$n" --seed 7 --with-truth --out "$data" 2>/dev/null
  /usr/bin/time -f "%e %M" -o bench/out/time.txt "$CAUSEWAY" uplift "$data" --treatment call \
    --outcome renew --features motivation,usage_depth,tenure_months --out bench/out/scores_$n.csv \
    --json > /dev/null
  read -r wall rss < bench/out/time.txt
  read -r rmse cover < <(/usr/bin/python3 - "$data" bench/out/scores_$n.csv <<'PY'
import sys, numpy as np, pandas as pd
truth = pd.read_csv(sys.argv[1])["true_effect"].to_numpy()
s = pd.read_csv(sys.argv[2])
tau = s["predicted_uplift"].to_numpy()
inside = (s["ci_low"].to_numpy() <= truth) & (truth <= s["ci_high"].to_numpy())
print(f"{np.sqrt(np.mean((tau - truth) ** 2)):.4f} {inside.mean():.3f}")
PY
)
  printf "| %s | causeway forest | %s | %.0f | %s | %s |\n" "$n" "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$rmse" "$cover" | tee -a "$OUT"
  /usr/bin/time -f "%e %M" -o bench/out/time.txt /usr/bin/python3 bench/peer_sklearn_tlearner.py "$data" > bench/out/peer_$n.json
  read -r wall rss < bench/out/time.txt
  rmse=$(jq -r '.rmse' bench/out/peer_$n.json)
  printf "| %s | sklearn GB T-learner | %s | %.0f | %.4f | no intervals |\n" "$n" "$wall" "$(awk -v k="$rss" 'BEGIN{print k/1024}')" "$rmse" | tee -a "$OUT"
done
echo "table written to $OUT"
