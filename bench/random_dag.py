#!/usr/bin/python3
"""Writes a random sparse DAG as DOT: nodes v0..v{n-1} in causal order, each with about
`parents` parents drawn from earlier nodes (nearer ones more often), a few hidden confounders as
bidirected edges. Prints the treatment and outcome to use on stderr: a node in the middle and one
of its descendants."""
import random
import sys

n, parents, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
edges = set()
for v in range(1, n):
    k = min(v, max(0, round(rng.gauss(parents, 1))))
    for _ in range(k):
        # Mostly recent nodes: a layered look, like real models.
        p = max(0, v - 1 - int(abs(rng.gauss(0, max(3, n / 20)))))
        edges.add((p, v))
children = {v: [] for v in range(n)}
for a, b in edges:
    children[a].append(b)
t = n // 2
seen, stack = set(), [t]
while stack:
    v = stack.pop()
    for c in children[v]:
        if c not in seen:
            seen.add(c)
            stack.append(c)
y = max(seen) if seen else n - 1
with open(out, "w") as f:
    f.write("digraph random {\n")
    for a, b in sorted(edges):
        f.write(f"  v{a} -> v{b};\n")
    f.write(f"  v{t} -> v{y};\n")
    f.write("}\n")
print(f"v{t} v{y}", file=sys.stderr)
