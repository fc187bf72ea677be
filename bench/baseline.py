#!/usr/bin/env python3
"""The straightforward script an operator would write: walk the session dirs, json.loads every line, sum usage per
model with a fixed price table. It reads the same files openclaw-budget counts (live, .reset., .deleted.; never
checkpoints, backups or trajectories), so both read the same bytes. Prints one JSON object."""
import json
import os
import re
import sys

PRICES = {  # USD per 1M tokens: input, output, cache read, cache write
    "claude-opus-4-5": (5, 25, 0.5, 6.25),
    "claude-sonnet-4-5-20250929": (3, 15, 0.3, 3.75),
    "gpt-5.2": (1.75, 14, 0.175, 0),
}
COUNTED = re.compile(r"\.jsonl(\.(reset|deleted)\.[0-9TZ.:-]+)?$")
EXCLUDED = re.compile(r"\.checkpoint\.|\.trajectory|\.bak")


def main(root):
    totals = {}
    files = lines = size = calls = bad = 0
    dirs = [os.path.join(root, "sessions")]
    agents = os.path.join(root, "agents")
    if os.path.isdir(agents):
        dirs += [os.path.join(agents, a, "sessions") for a in os.listdir(agents)]
    for d in dirs:
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            if not COUNTED.search(name) or EXCLUDED.search(name):
                continue
            path = os.path.join(d, name)
            files += 1
            size += os.path.getsize(path)
            with open(path, "rb") as f:
                for line in f:
                    lines += 1
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        bad += 1
                        continue
                    msg = entry.get("message") if isinstance(entry, dict) else None
                    if not isinstance(msg, dict) or msg.get("role") != "assistant":
                        continue
                    usage = msg.get("usage") or entry.get("usage")
                    if not isinstance(usage, dict):
                        continue
                    model = msg.get("model") or entry.get("model") or "unknown"
                    t = totals.setdefault(model, [0, 0, 0, 0, 0])
                    for i, k in enumerate(("input", "output", "cacheRead", "cacheWrite")):
                        v = usage.get(k)
                        t[i] += v if isinstance(v, (int, float)) else 0
                    t[4] += 1
                    calls += 1
    cost = 0.0
    for model, t in totals.items():
        p = PRICES.get(model)
        if p:
            cost += sum(t[i] * p[i] for i in range(4)) / 1e6
    print(json.dumps({"files": files, "lines": lines, "bytes": size, "calls": calls, "unparsable": bad, "costUsd": cost, "models": len(totals)}))


if __name__ == "__main__":
    main(sys.argv[1])
