#!/usr/bin/env python3
"""bench_core.py of two checkouts, alternating, on the same generated file: before/after figures
on a noisy shared machine without one side getting the quiet minutes.

    .venv/bin/python bench/side_by_side.py BEFORE_TREE AFTER_TREE [--size 1000000] [--pairs 2]

Each run is ``BEFORE_TREE/bench/bench_core.py --sizes SIZE --keep DIR`` with that tree first on
``PYTHONPATH`` (its code measured by its own bench script); ``--keep`` shares the CSV, so it is
generated once. Prints each run's JSON with its side, then the medians per side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

FIELDS = ("vader_per_s", "import_per_s", "ratio_vs_vader", "import_peak_rss_mb",
          "search_p95_ms", "first_page_ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=2)
    ns = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    with tempfile.TemporaryDirectory(prefix="crisisdesk-side-by-side-") as keep:
        for pair in range(ns.pairs):
            order = ["before", "after"] if pair % 2 == 0 else ["after", "before"]
            for side in order:
                tree = (ns.before if side == "before" else ns.after).resolve()
                env = {**os.environ, "PYTHONPATH": str(tree)}
                out = subprocess.run(
                    [sys.executable, str(tree / "bench" / "bench_core.py"), "--sizes",
                     str(ns.size), "--keep", keep],
                    cwd=tree, env=env, check=True, capture_output=True, text=True,
                ).stdout  # fmt: skip
                result = json.loads(out.strip().splitlines()[-1])
                runs[side].append(result)
                print(json.dumps({"side": side, "pair": pair + 1, **result}), flush=True)
    medians = {
        side: {f: statistics.median(r[f] for r in results) for f in FIELDS if f in results[0]}
        for side, results in runs.items()
    }
    print(json.dumps({"medians": medians}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
