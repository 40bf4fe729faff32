#!/usr/bin/env python3
"""Import speed before and after a change, side by side on one machine, alternating.

    .venv/bin/python bench/side_by_side.py BEFORE_TREE AFTER_TREE [--size N] [--pairs K]

Each checkout imports the same generated CSV (bench/gen_mentions.py) into an empty database
with its own code (``bench_core.py --phase import`` run from that tree, its tree first on
PYTHONPATH); a plain VADER loop runs once per pair as the machine's yardstick. Pairs alternate
the order (before→after, after→before...), so a machine that gets busier or quieter during the
run does not favour one side; each run's database is deleted and the disk synced before the
next starts. Prints one JSON object per run, then a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_mentions  # noqa: E402


def _phase(tree: Path, phase: str, *args: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, str(tree / "bench" / "bench_core.py"), "--phase", phase, *args],
        check=True, stdout=subprocess.PIPE, text=True, env=env, cwd=tree,
    ).stdout  # fmt: skip
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--pairs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="folder for the CSV (reused)")
    ns = parser.parse_args()
    workdir = ns.keep or Path(tempfile.mkdtemp(prefix="side-by-side-"))
    workdir.mkdir(parents=True, exist_ok=True)
    csv_path = workdir / f"mentions-{ns.size}.csv"
    if not csv_path.exists():
        gen_mentions.write(csv_path, ns.size)
    runs: list[dict[str, Any]] = []
    for pair in range(ns.pairs):
        vader = _phase(ns.after, "vader", str(csv_path))
        order = [("before", ns.before), ("after", ns.after)]
        if pair % 2:
            order.reverse()
        for name, tree in order:
            db_path = workdir / f"{name}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            found = _phase(tree, "import", str(csv_path), str(db_path))
            run = {"pair": pair + 1, "tree": name, **vader, **found,
                   "ratio_vs_vader": round(found["import_per_s"] / vader["vader_per_s"], 2),
                   "load": round(os.getloadavg()[0], 1)}  # fmt: skip
            runs.append(run)
            print(json.dumps(run), flush=True)
            # the next run must not share the disk with this one's writes still being flushed
            # (measured: the second run of a pair was ~10 % slower, whichever tree it was)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            os.sync()
    for name in ("before", "after"):
        rates = [r["import_per_s"] for r in runs if r["tree"] == name]
        ratios = [r["ratio_vs_vader"] for r in runs if r["tree"] == name]
        print(json.dumps({"tree": name, "import_per_s": rates, "ratio_vs_vader": ratios}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
