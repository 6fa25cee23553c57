#!/bin/bash
# causeway signals on a synthetic JSON Lines export of SIGNALS_BYTES (default 2 GB): wall time,
# peak memory (the issue's goal: under 300 MB at 2 GB) and throughput. The export is written to
# bench/out/ and deleted on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
CAUSEWAY=${CAUSEWAY:-build/causeway}
BYTES=${SIGNALS_BYTES:-2000000000}
CUSTOMERS=${SIGNALS_CUSTOMERS:-200000}
mkdir -p bench/out
data=bench/out/interactions.jsonl
trap 'rm -f "$data"' EXIT
/usr/bin/python3 bench/interactions.py "$BYTES" "$CUSTOMERS" "$data"
cat > bench/out/signals_map.json <<'MAP'
{"id": "customer.id", "id_column": "customer_id", "timestamp": "startedAt",
 "columns": [
  {"name": "risk_max", "source": "analysis.signal.riskScore", "aggregate": "max", "default": 0},
  {"name": "risk_last", "source": "analysis.signal.riskScore", "aggregate": "last"},
  {"name": "sentiment", "source": "analysis.sentiment", "aggregate": "mean"},
  {"name": "pricing", "aggregate": "any", "default": false,
   "source": {"contains": {"path": "intents", "value": "pricing"}}},
  {"name": "called", "aggregate": "any", "default": 0,
   "source": {"all": [{"path": "channel", "equals": "voice"},
                      {"path": "direction", "equals": "outbound"}]}},
  {"name": "interactions", "aggregate": "count"}]}
MAP
size=$(stat -c %s "$data")
/usr/bin/time -f "%e %M" -o bench/out/signals_time.txt "$CAUSEWAY" signals "$data" \
  --mapping bench/out/signals_map.json --out bench/out/signals_table.csv > /dev/null
read -r wall rss < bench/out/signals_time.txt
awk -v s="$size" -v w="$wall" -v r="$rss" 'BEGIN {
  printf "| %.0f MB | %s s | %.0f MB/s | %.0f MB peak |\n", s / 1e6, w, s / 1e6 / w, r / 1024 }'
