#!/bin/bash
# The notebook benchmark of the Python module: bench/notebook_causeway.py (causeway's module)
# against bench/notebook_sklearn.py (the scikit-learn recipe), each a whole /usr/bin/python3
# process on the same two CSV files (retention and uplift simulations, seed 7), at 20,000 and
# 1,000,000 rows (PY_SIZES). Wall time and peak RSS from /usr/bin/time; writes
# bench/out/python_results.md. Needs the module built (build/python) and python3-sklearn.
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
SIMULATIONS=${PY_SIMULATIONS:-100}
export PYTHONPATH=$PWD/build/python${PYTHONPATH:+:$PYTHONPATH}
mkdir -p bench/out
OUT=bench/out/python_results.md
{
  echo "# Notebook benchmark: causeway's Python module vs the scikit-learn recipe"
  echo
  echo "- $(date -u +%F), $(nproc) cores; $SIMULATIONS simulations per refuter"
  echo
  echo "| rows | tool | wall s | peak RSS MB | time ratio sklearn/causeway |"
  echo "|---|---|---|---|---|"
} > "$OUT"
for n in ${PY_SIZES:-20000 1000000}; do
  r=bench/out/nb_retention_$n.csv u=bench/out/nb_uplift_$n.csv
  [ -f "$r" ] || "$CAUSEWAY" simulate retention --n "$n" --seed 7 --out "$r" 2>/dev/null
  [ -f "$u" ] || "$CAUSEWAY" simulate uplift --n "$n" --seed 7 --out "$u" 2>/dev/null
  declare -A wall rss
  for tool in causeway sklearn; do
    /usr/bin/time -f "%e %M" -o bench/out/time.txt /usr/bin/python3 \
      "bench/notebook_$tool.py" "$r" "$u" "$SIMULATIONS" > "bench/out/nb_${tool}_$n.json"
    read -r wall[$tool] rss[$tool] < bench/out/time.txt
  done
  ratio=$(awk -v a="${wall[sklearn]}" -v b="${wall[causeway]}" 'BEGIN{printf "%.1f", a/b}')
  for tool in causeway sklearn; do
    printf "| %s | %s | %s | %.0f | %s |\n" "$n" "$tool" "${wall[$tool]}" \
      "$(awk -v k="${rss[$tool]}" 'BEGIN{print k/1024}')" \
      "$([ $tool = causeway ] && echo "$ratio" || echo 1.0)" | tee -a "$OUT"
  done
done
echo "table written to $OUT"
