#!/bin/bash
# Time of `causeway identify` (default backdoor set, front door, instruments, ID) on random
# sparse DAGs of 50 to 10,000 nodes with about 3 parents each, written by random_dag.py; with
# and without hidden confounding (bidirected edges). Writes bench/out/identify_results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
mkdir -p bench/out
OUT=bench/out/identify_results.md
{
  echo "| nodes | bidirected edges | median s (hyperfine, 10 runs) | peak RSS MB | default backdoor set size |"
  echo "|---|---|---|---|---|"
} > "$OUT"
for n in 50 200 1000 10000; do
  for bi in 0 1; do
    dot=bench/out/dag_${n}_${bi}.dot
    read -r t y < <(/usr/bin/python3 bench/random_dag.py "$n" 3 1 "$dot" 2>&1)
    if [ "$bi" = 1 ]; then  # hidden confounding between random pairs of nodes
      /usr/bin/python3 - "$dot" "$n" <<'PY'
import random, sys
path, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(3)
text = open(path).read().rstrip().rstrip("}")
for _ in range(max(2, n // 20)):
    a, b = rng.sample(range(n), 2)
    text += f"  v{a} -> v{b} [dir=both];\n"
open(path, "w").write(text + "}\n")
PY
    fi
    cmd="$CAUSEWAY identify --graph $dot --treatment $t --outcome $y --json"
    hyperfine -N -w 2 -r 10 --export-json bench/out/h.json "$cmd" -i > /dev/null 2>&1
    med=$(jq '.results[0].median' bench/out/h.json)
    /usr/bin/time -f "%M" -o bench/out/rss.txt $cmd > bench/out/identify_$n.json 2>/dev/null || true
    rss=$(awk '{printf "%.1f", $1/1024}' bench/out/rss.txt)
    size=$(jq '.strategies[0].variables | length' bench/out/identify_$n.json)
    nbi=$(grep -c "dir=both" "$dot" || true)
    printf "| %s | %s | %.4f | %s | %s |\n" "$n" "$nbi" "$med" "$rss" "$size" | tee -a "$OUT"
  done
done
echo "table written to $OUT"
