#!/usr/bin/env python3
"""CPU time a scoring worker spends per mention, for one checkout or several side by side.

    .venv/bin/python bench/bench_worker.py CSV [TREE ...] [--count 20000] [--rounds 3]
    .venv/bin/python bench/bench_worker.py CSV --profile [--count 20000]   # this tree, cProfile

Each run is a fresh process with that tree first on PYTHONPATH: it reads the first *count*
rows of a generated CSV (bench/gen_mentions.py), then times ``services.scoring_pool.
score_batch`` on batches of the import's size with one text cache, as an import's worker does
(``time.process_time``: CPU, so a busy machine matters less than for wall time). The first
batch, which loads VADER and the models, is reported apart. Trees alternate per round.
Prints one JSON object per run, then a summary (median µs per mention per tree).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BATCH = 2000


def _inputs(csv_path: Path, count: int) -> list[Any]:
    from crisisdesk.analysis.scoring import ScoreInput

    out = []
    with csv_path.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            if n >= count:
                break
            waited = float(n % 500)
            fields = (
                row["text"], int(row["followers"]), int(row["likes"]),
                int(row["reposts"]), int(row["replies"]), waited, waited,
            )  # fmt: skip
            # older checkouts have no age_hours field
            out.append(ScoreInput(*fields[: len(ScoreInput._fields)]))
    return out


def measure(csv_path: Path, count: int, profile: bool) -> dict[str, Any]:
    from crisisdesk.analysis.scoring import TextCache
    from crisisdesk.services.scoring_pool import SEEN_LIMIT, score_batch

    items = _inputs(csv_path, count)
    batches = [items[i : i + BATCH] for i in range(0, len(items), BATCH)]
    cache = TextCache(SEEN_LIMIT)
    start = time.process_time()
    score_batch(batches[0], cache)
    first = time.process_time() - start
    rest = batches[1:]
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.process_time()
    for batch in rest:
        score_batch(batch, cache)
    spent = time.process_time() - start
    if profile:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    scored = sum(map(len, rest))
    return {
        "count": len(items),
        "first_batch_ms": round(first * 1000, 1),
        "us_per_mention": round(spent / scored * 1e6, 1),
        "distinct_texts": len(cache),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("trees", type=Path, nargs="*")
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.child or ns.profile or not ns.trees:
        print(json.dumps(measure(ns.csv, ns.count, ns.profile)))
        return 0
    results: dict[str, list[float]] = {str(t): [] for t in ns.trees}
    for round_ in range(ns.rounds):
        trees = ns.trees if round_ % 2 == 0 else list(reversed(ns.trees))
        for tree in trees:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run(
                [sys.executable, __file__, str(ns.csv), "--child", "--count", str(ns.count)],
                check=True, stdout=subprocess.PIPE, text=True, env=env, cwd=tree,
            ).stdout  # fmt: skip
            found = json.loads(out.strip().splitlines()[-1])
            results[str(tree)].append(found["us_per_mention"])
            print(json.dumps({"round": round_ + 1, "tree": str(tree), **found}), flush=True)
    print(json.dumps({t: {"median": statistics.median(v), "runs": v} for t, v in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
