#!/usr/bin/python3
"""Writes the worked example's data (README, "From a conversation export to scores in the CRM").

interactions.jsonl: the conversations of 400 customers in the quarter before a call campaign,
one JSON object per line, as a conversation-analytics platform exports them. renewals.csv: from
the CRM, whether success managers called the customer in the campaign and whether the customer
renewed. Managers called the riskier customers more often (confounding); the call raised the
renewal probability by 0.05, and by 0.30 for customers who had asked about pricing.

Run from this folder: ./make_example.py (the files are deterministic: seed 7).
"""
import json
import math
import random

rng = random.Random(7)
CUSTOMERS = 400


def clip(x, low, high):
    return max(low, min(high, x))


def logistic(x):
    return 1 / (1 + math.exp(-x))


with open("interactions.jsonl", "w") as records, open("renewals.csv", "w") as crm:
    crm.write("customer_id,called,renewed\n")
    for c in range(1, CUSTOMERS + 1):
        cid = f"C{c:04d}"
        risk = rng.random()
        pricing = rng.random() < 0.35
        sentiments = []
        for n in range(rng.choice([1, 1, 2, 2, 3])):
            record = {
                "customer": {"id": cid},
                "startedAt": f"2024-0{rng.randint(1, 3)}-{rng.randint(10, 28)}T"
                             f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00Z",
                "channel": rng.choice(["chat", "voice"]),
                "intents": (["pricing"] if pricing and rng.random() < 0.8 else [])
                           + (["support"] if rng.random() < 0.5 else []),
            }
            signal = round(clip(risk + rng.gauss(0, 0.1), 0, 1), 2)
            sentiment = round(clip(0.5 - risk + rng.gauss(0, 0.3), -1, 1), 2)
            sentiments.append(sentiment)
            # Some records lack a sentiment (the platform could not score them).
            analysis = {"signal": {"riskScore": signal}}
            if rng.random() < 0.9:
                analysis["sentiment"] = sentiment
            record["analysis"] = analysis
            records.write(json.dumps(record, separators=(",", ":")) + "\n")
        called = rng.random() < logistic(-1 + 2.5 * risk)
        effect = 0.30 if pricing else 0.05
        p_renew = clip(0.85 - 0.5 * risk + 0.1 * sum(sentiments) / len(sentiments)
                       + (effect if called else 0), 0.02, 0.98)
        crm.write(f"{cid},{int(called)},{int(rng.random() < p_renew)}\n")
