"""Scoring throughput on CPython: how many assessments per second the engine scores.

Generates N random assessments (seeded) against each shipped standard of the current year, then
times `check` + `score` over all of them, several rounds; prints medians as a table.

    .venv/bin/python bench/scoring_throughput.py [--n 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scorer import assessment, tree  # noqa: E402
from scorer.scoring import score  # noqa: E402


def generate(bundle, n, rng):
    ids = sorted(assessment.item_ids(bundle))
    year = bundle["year"]["year"]
    out = []
    for i in range(n):
        value = assessment.empty(bundle, f"党组织{i}")
        for item in rng.sample(ids, rng.randint(0, min(12, len(ids)))):
            value["items"][item] = [{"date": f"{year}-{rng.randint(1, 12):02d}-15", "count": rng.randint(1, 4),
                                     "note": "基准测试"}]
        out.append(value)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    year = tree.load("standards").current
    rng = random.Random(2019)
    rows = []
    for sid in year.standards:
        bundle = year.bundle(sid).to_json()
        cases = generate(bundle, args.n, rng)
        timings = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for value in cases:
                score(bundle, value)
            timings.append(time.perf_counter() - start)
        median = statistics.median(timings)
        rows.append((sid, args.n, median, args.n / median, median / args.n * 1e6))
    print(f"Python {sys.version.split()[0]}, {args.rounds} rounds, median per round")
    print(f"{'standard':<10} {'assessments':>11} {'seconds':>8} {'per second':>11} {'µs each':>8}")
    for sid, n, median, rate, each in rows:
        print(f"{sid:<10} {n:>11} {median:>8.2f} {rate:>11,.0f} {each:>8.0f}")


if __name__ == "__main__":
    main()
