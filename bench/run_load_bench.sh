#!/usr/bin/env bash
# Load-throughput benchmark: how fast causeway reads a large CSV.
#
# Writes a ~1 GB retention simulation CSV to bench/out/, then times
#   causeway estimate FILE --treatment call --outcome renew --method naive --json
# under /usr/bin/time -v. The naive estimator is two passes over the outcome, so the wall time
# is almost all CSV reading, parsing and building the analysis sample. Reports throughput as
# MB/s = file size (10^6 bytes) / median wall time, and the peak RSS. The big file is deleted
# at the end, also when the script fails.
#
# The file's page-cache state is whatever writing it left (on a machine with more free memory
# than the file, it is cached): this measures parsing, not the disk.
#
# Environment:
#   LOAD_ROWS   rows to simulate (default 74000000: the simulation writes ~13.5 bytes per row,
#               so this is ~1.0 GB)
#   LOAD_RUNS   timed runs (default 3); wall = median, RSS = max over runs
#   CAUSEWAY    path to the causeway binary (default build/causeway)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out="$here/out"
causeway=${CAUSEWAY:-$root/build/causeway}
rows=${LOAD_ROWS:-74000000}
runs=${LOAD_RUNS:-3}

die() { echo "run_load_bench: $*" >&2; exit 1; }
[[ -x $causeway ]] || die "no causeway binary at $causeway (build: cmake -S $root -B $root/build && make -C $root/build -j2 causeway_cli)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install -y time)"
command -v jq >/dev/null || die "jq missing (apt-get install -y jq)"
[[ $rows =~ ^[1-9][0-9]*$ ]] || die "LOAD_ROWS must be a positive integer"
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "LOAD_RUNS must be a positive integer"

mkdir -p "$out"
csv="$out/load_$rows.csv"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; rm -f "$csv"' EXIT

# Room for the file: ~14 bytes per row plus a margin.
need_kb=$(( rows * 14 / 1024 + 100 * 1024 ))
free_kb=$(df -Pk "$out" | awk 'NR == 2 { print $4 }')
(( free_kb > need_kb )) || die "not enough disk in $out: need ~$((need_kb / 1024)) MB, have $((free_kb / 1024)) MB"

to_seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.3f", s }' <<<"$1"; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "writing $rows rows to $csv" >&2
t0=$(date +%s%N)
"$causeway" simulate retention --n "$rows" --seed 7 --out "$csv" >/dev/null 2>&1
t1=$(date +%s%N)
bytes=$(stat -c %s "$csv")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
sim_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
echo "wrote $mb MB in $sim_s s" >&2

: >"$tmp/runs"
for ((r = 1; r <= runs; r++)); do
  echo "  run $r/$runs: causeway estimate --method naive" >&2
  set +e
  /usr/bin/time -v -o "$tmp/timev.txt" "$causeway" estimate "$csv" --treatment call --outcome renew \
    --method naive --json >"$tmp/out.json" 2>"$tmp/stderr.txt"
  rc=$?
  set -e
  if ((rc != 0)); then cat "$tmp/stderr.txt" "$tmp/timev.txt" >&2; die "causeway exited with status $rc"; fi
  elapsed=$(sed -n 's/.*Elapsed (wall clock) time ([^)]*): //p' "$tmp/timev.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/timev.txt")
  user=$(sed -n 's/.*User time (seconds): //p' "$tmp/timev.txt")
  sys=$(sed -n 's/.*System time (seconds): //p' "$tmp/timev.txt")
  [[ -n $elapsed && -n $rss ]] || die "could not parse /usr/bin/time -v output"
  echo "$(to_seconds "$elapsed") $rss $user $sys" >>"$tmp/runs"
done

rows_read=$(jq -r '.rows_read' "$tmp/out.json")
[[ $rows_read == "$rows" ]] || die "causeway read $rows_read rows, expected $rows"
estimate=$(jq -r '.estimates[0].estimate' "$tmp/out.json")
wall=$(cut -d' ' -f1 "$tmp/runs" | median)
rss_kb=$(cut -d' ' -f2 "$tmp/runs" | sort -g | tail -n 1)
user=$(cut -d' ' -f3 "$tmp/runs" | median)
sys=$(cut -d' ' -f4 "$tmp/runs" | median)
rss_mb=$(awk -v k="$rss_kb" 'BEGIN { printf "%.0f", k / 1024 }')
mbps=$(awk -v b="$bytes" -v s="$wall" 'BEGIN { printf "%.1f", b / 1e6 / s }')
rss_ratio=$(awk -v k="$rss_kb" -v b="$bytes" 'BEGIN { printf "%.2f", k * 1024 / b }')
bytes_per_row=$(awk -v b="$bytes" -v n="$rows" 'BEGIN { printf "%.1f", b / n }')

header="rows|CSV MB|bytes/row|median wall s|user s|sys s|MB/s|peak RSS MB|peak RSS / CSV size|naive estimate"
row="$rows|$mb|$bytes_per_row|$(printf '%.2f' "$wall")|$(printf '%.2f' "$user")|$(printf '%.2f' "$sys")|$mbps|$rss_mb|$rss_ratio|$(printf '%.6f' "$estimate")"
{ echo "$header"; echo "$row"; } | column -t -s '|'

{
  echo "# Load benchmark: causeway estimate --method naive"
  echo
  echo "- date: $(date -u +%Y-%m-%d), host: $(nproc) cores, $(uname -sr)"
  echo "- causeway binary: \`$causeway\` (sha256 $(sha256sum "$causeway" | cut -c1-12)); source tree $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"
  echo "- $runs timed runs; wall/user/sys = median, RSS = max over runs; MB = 10^6 bytes"
  echo "- file written just before the runs (page cache warm); simulation took $sim_s s"
  echo
  echo "| ${header//|/ | } |"
  echo "|$(sed 's/[^|]*/---/g' <<<"$header")|"
  echo "| ${row//|/ | } |"
} >"$out/load_results.md"
echo "markdown table written to $out/load_results.md; deleting $csv" >&2
