#!/bin/bash
# Time per refuter: causeway refute with aipw, 100 simulations each, on REFUTE_ROWS rows
# (default 100,000) and 10 covariates. Writes bench/out/refute_results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
ROWS=${REFUTE_ROWS:-100000}
SIMS=${REFUTE_SIMULATIONS:-100}
METHOD=${REFUTE_METHOD:-aipw}
mkdir -p bench/out
DATA=bench/out/wide_${ROWS}.csv
[ -f "$DATA" ] || /usr/bin/python3 bench/wide_data.py "$ROWS" 10 7 "$DATA"
COVS=$(head -1 "$DATA" | cut -d, -f3- )
OUT=bench/out/refute_results.md
{
  echo "| refuter | simulations | wall s | user s | verdict |"
  echo "|---|---|---|---|---|"
} > "$OUT"
for r in placebo random-common-cause subset bootstrap dummy-outcome unobserved-common-cause; do
  /usr/bin/time -f "%e %U" -o bench/out/time.txt "$CAUSEWAY" refute "$DATA" --treatment call \
    --outcome renew --common-causes "$COVS" --method "$METHOD" --refuters "$r" \
    --simulations "$SIMS" --quiet --json > bench/out/refute_$r.json
  read -r wall user < bench/out/time.txt
  verdict=$(jq -r '.refutations[0].verdict' bench/out/refute_$r.json)
  n=$(jq -r '.refutations[0].simulations' bench/out/refute_$r.json)
  echo "| $r | $n | $wall | $user | $verdict |" | tee -a "$OUT"
done
/usr/bin/time -f "%e %U" -o bench/out/time.txt "$CAUSEWAY" estimate "$DATA" --treatment call \
  --outcome renew --common-causes "$COVS" --method "$METHOD" --json > /dev/null
read -r wall user < bench/out/time.txt
echo "| (one $METHOD estimate, whole command) | 1 | $wall | $user | |" | tee -a "$OUT"
echo "table written to $OUT"
