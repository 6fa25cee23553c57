#!/usr/bin/env bash
# Matching benchmark: causeway vs the scikit-learn propensity-matching recipe.
#
# For each size N (default "20000 1000000", override with BENCH_SIZES="..."):
#   - writes bench/out/retention_N.csv with `causeway simulate retention --seed 7`
#   - runs each tool RUNS times (default 3, override with BENCH_RUNS) as a whole
#     process under /usr/bin/time -v, after one untimed warm-up run
#   - reports median wall time, peak RSS (max over the runs) and the ATT
# Prints a table and writes the same figures to bench/out/matching_results.md.
#
# Environment:
#   BENCH_SIZES  space-separated row counts (default "20000 1000000")
#   BENCH_RUNS   timed runs per tool and size (default 3)
#   CAUSEWAY     path to the causeway binary (default build/causeway)
#   PEER_PYTHON  interpreter for the peer (default /usr/bin/python3; it must
#                have sklearn and pandas, the python3 first on PATH may not)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out="$here/out"
causeway=${CAUSEWAY:-$root/build/causeway}
peer_python=${PEER_PYTHON:-/usr/bin/python3}
sizes=${BENCH_SIZES:-20000 1000000}
runs=${BENCH_RUNS:-3}

die() { echo "run_matching_bench: $*" >&2; exit 1; }
[[ -x $causeway ]] || die "no causeway binary at $causeway (build: cmake -S $root -B $root/build && make -C $root/build -j2 causeway_cli)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install -y time)"
command -v jq >/dev/null || die "jq missing (apt-get install -y jq)"
"$peer_python" -c 'import sklearn, pandas' 2>/dev/null \
  || die "$peer_python lacks sklearn/pandas (apt-get install -y python3-sklearn python3-pandas)"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer"

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "h:mm:ss.cc" or "m:ss.cc" -> seconds
to_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }' <<<"$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -g | tail -n 1; }

# time_tool LABEL STDOUT_FILE -- CMD...  -> appends "wall_timev wall_hires rss_kb" to $tmp/LABEL.runs
time_tool() {
  local label=$1 stdout_file=$2; shift 3
  local tv="$tmp/timev.txt" t0 t1 rc
  t0=$(date +%s%N)
  set +e
  /usr/bin/time -v -o "$tv" "$@" >"$stdout_file" 2>"$tmp/stderr.txt"
  rc=$?
  set -e
  t1=$(date +%s%N)
  if ((rc != 0)); then
    cat "$tmp/stderr.txt" >&2
    die "$label exited with status $rc"
  fi
  local elapsed rss
  elapsed=$(sed -n 's/.*Elapsed (wall clock) time ([^)]*): //p' "$tv")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tv")
  [[ -n $elapsed && -n $rss ]] || die "could not parse /usr/bin/time -v output for $label"
  printf '%s %s %s\n' "$(to_seconds "$elapsed")" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')" "$rss" >>"$tmp/$label.runs"
}

rows=()   # one "size|csv_mb|tool|wall_timev|wall_hires|rss_mb|att|ratio|rss_per_csv" per line

for n in $sizes; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "bad size '$n' in BENCH_SIZES"
  csv="$out/retention_$n.csv"
  "$causeway" simulate retention --n "$n" --seed 7 --out "$csv" >/dev/null
  csv_bytes=$(stat -c %s "$csv")
  csv_mb=$(awk -v b="$csv_bytes" 'BEGIN { printf "%.1f", b / 1e6 }')

  cw_cmd=("$causeway" estimate "$csv" --treatment call --outcome renew
          --common-causes motivation_proxy --method matching --replace --target att --json)
  peer_cmd=("$peer_python" "$here/peer_sklearn_matching.py" "$csv")

  for tool in causeway sklearn; do
    if [[ $tool == causeway ]]; then cmd=("${cw_cmd[@]}"); else cmd=("${peer_cmd[@]}"); fi
    label="${tool}_$n"
    rm -f "$tmp/$label.runs"
    echo "  $n rows: $tool (warm-up + $runs timed runs)" >&2
    "${cmd[@]}" >/dev/null 2>&1 || die "$tool warm-up failed on $csv"
    for ((r = 1; r <= runs; r++)); do
      time_tool "$label" "$tmp/$label.json" -- "${cmd[@]}"
    done
    if [[ $tool == causeway ]]; then
      att=$(jq -r '.estimates[0].estimate' "$tmp/$label.json")
    else
      att=$(jq -r '.att' "$tmp/$label.json")
    fi
    wall_tv=$(cut -d' ' -f1 "$tmp/$label.runs" | median)
    wall_hr=$(cut -d' ' -f2 "$tmp/$label.runs" | median)
    rss_kb=$(cut -d' ' -f3 "$tmp/$label.runs" | maxof)
    rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    printf -v "wall_${tool}" '%s' "$wall_hr"
    if [[ $tool == causeway ]]; then
      ratio="1.00"
      rss_per_csv=$(awk -v k="$rss_kb" -v b="$csv_bytes" 'BEGIN { printf "%.2f", k * 1024 / b }')
    else
      ratio=$(awk -v p="$wall_sklearn" -v c="$wall_causeway" 'BEGIN { printf "%.1f", p / c }')
      rss_per_csv=$(awk -v k="$rss_kb" -v b="$csv_bytes" 'BEGIN { printf "%.2f", k * 1024 / b }')
    fi
    rows+=("$n|$csv_mb|$tool|$(printf '%.2f' "$wall_tv")|$(printf '%.3f' "$wall_hr")|$rss_mb|$(printf '%.6f' "$att")|$ratio|$rss_per_csv")
  done
done

header="size|CSV MB|tool|median wall s (time -v)|median wall s (ns clock)|peak RSS MB|ATT|time ratio peer/causeway|peak RSS / CSV size"

# Plain table on stdout
{
  echo "$header"
  printf '%s\n' "${rows[@]}"
} | column -t -s '|'

# Markdown copy
{
  echo "# Matching benchmark: causeway vs scikit-learn recipe"
  echo
  echo "- date: $(date -u +%Y-%m-%d), host: $(nproc) cores, $(uname -sr)"
  echo "- causeway binary: \`$causeway\` (sha256 $(sha256sum "$causeway" | cut -c1-12)); source tree $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"
  echo "- peer: \`$peer_python\` (scikit-learn $("$peer_python" -c 'import sklearn; print(sklearn.__version__)'), pandas $("$peer_python" -c 'import pandas; print(pandas.__version__)'))"
  echo "- $runs timed runs per tool after one warm-up; wall = median, RSS = max over runs"
  echo "- time ratio uses the ns-clock wall (the time -v clock only has 10 ms resolution)"
  echo
  echo "| ${header//|/ | } |"
  echo "|$(sed 's/[^|]*/---/g' <<<"$header")|"
  for row in "${rows[@]}"; do echo "| ${row//|/ | } |"; done
} >"$out/matching_results.md"

echo >&2
echo "markdown table written to $out/matching_results.md" >&2
