#!/usr/bin/python3
"""Writes a synthetic interactions export as JSON Lines for the signals benchmark.

usage: interactions.py TARGET_BYTES CUSTOMERS OUT.jsonl
Records look like a conversation-analytics export: a customer id (text), a start time, channel,
direction, intents, and nested analysis scores. Seeded, so the file is the same every time.
"""
import json
import random
import sys

target, customers, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
intents = ["pricing", "cancel", "upgrade", "support", "billing"]
written = 0
with open(path, "w") as out:
    n = 0
    while written < target:
        record = {
            "customer": {"id": f"C{rng.randrange(customers):07d}"},
            "startedAt": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                         f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z",
            "channel": rng.choice(["voice", "chat", "email"]),
            "direction": rng.choice(["inbound", "outbound"]),
            "intents": rng.sample(intents, rng.randint(0, 2)),
            "analysis": {"signal": {"riskScore": round(rng.random(), 4)},
                         "sentiment": round(rng.uniform(-1, 1), 3)},
            "transcriptSummary": "customer asked about the plan and the next invoice " * 3,
        }
        line = json.dumps(record, separators=(",", ":")) + "\n"
        out.write(line)
        written += len(line)
        n += 1
print(f"wrote {n} records, {written} bytes, to {path}", file=sys.stderr)
