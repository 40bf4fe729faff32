#!/usr/bin/env python3
"""Core benchmarks of issue 2; prints one JSON object per size on stdout.

    .venv/bin/python bench/bench_core.py --sizes 100000 1000000 [--workers N] [--keep DIR]

Per size, on a generated CSV (bench/gen_mentions.py), each phase in a fresh process:

* ``vader``: a plain one-core loop of VADER ``polarity_scores`` over the file's texts;
* ``import``: ``crisisdesk.services.importing.import_file`` into an empty database (parsing,
  scoring, priority, storage and FTS indexing), with peak RSS of the importer and its
  worker processes summed (psutil, sampled every 20 ms);
* ``query``: FTS search latency through ``store.mentions.query(limit=50)`` over common and rare
  words, phrases, prefixes, OR and exclusions; the first page of ``crisisdesk mentions
  --limit 50`` (default sort) run in-process, database opening included.

Targets (issue 2): import >= 1.3x the VADER loop rate; search p95 < 100 ms; first page < 50 ms;
import peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen_mentions  # noqa: E402

QUERIES = [
    "order", "cake", "refund", "thanks", "delivery", "sourdough", "rude", "stale",
    "macarons", "eclairs", "vegan", "hair", "charged twice", '"never showed up"',
    '"thanks a lot"', '"out of stock"', "deliv", "croiss", "refund -cake", "hair OR sick",
    "Elm Road", "#neveragain", "@bakery", "birthday cake mum", "zzzunknownword",
    "52731", "user4242", "allergic reaction",  # an order number, a customer, a rare phrase
]  # fmt: skip
REPEATS = 5


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def phase_vader(csv_path: Path) -> dict[str, Any]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    with csv_path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        column = next(reader).index("text")
        texts = [row[column] for row in reader]
    analyzer = SentimentIntensityAnalyzer()
    start = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    seconds = time.perf_counter() - start
    return {"vader_seconds": round(seconds, 2), "vader_per_s": round(len(texts) / seconds)}


class _PeakRss(threading.Thread):
    """Samples the RSS of this process plus all its children (the scoring workers)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        import psutil

        self._proc = psutil.Process()
        self._done = threading.Event()
        self.peak = 0

    def run(self) -> None:
        import psutil

        while not self._done.is_set():
            total = self._proc.memory_info().rss
            for child in self._proc.children(recursive=True):
                with contextlib.suppress(psutil.Error):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            self._done.wait(0.02)

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak


def phase_import(csv_path: Path, db_path: Path, workers: int | None) -> dict[str, Any]:
    from crisisdesk.services.importing import import_file
    from crisisdesk.store import open_database

    db = open_database(db_path)
    sampler = _PeakRss()
    sampler.start()
    start = time.perf_counter()
    report = import_file(db, csv_path, workers=workers)
    seconds = time.perf_counter() - start
    peak = sampler.stop()
    db.close()
    return {
        "imported": report.imported,
        "skipped": report.skipped,
        "import_seconds": round(seconds, 2),
        "import_per_s": round(report.imported / seconds),
        "import_peak_rss_mb": round(peak / 2**20, 1),
        "db_mb": round(db_path.stat().st_size / 2**20, 1),
    }


def phase_query(db_path: Path) -> dict[str, Any]:
    from crisisdesk import cli
    from crisisdesk.store import mentions, open_database

    db = open_database(db_path)
    timings: list[float] = []
    per_query: dict[str, float] = {}
    for query in QUERIES:
        flt = mentions.MentionFilter(search=query)
        mentions.query(db, flt, limit=50)  # warm the page cache once
        mine = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            mentions.query(db, flt, limit=50)
            mine.append((time.perf_counter() - start) * 1000)
        timings.extend(mine)
        per_query[query] = round(statistics.median(mine), 1)
    db.close()

    first_page: list[float] = []
    for _ in range(REPEATS + 1):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli.main(["--db", str(db_path), "mentions", "--limit", "50"])
        first_page.append((time.perf_counter() - start) * 1000)
        assert code == 0
    first_page = first_page[1:]
    slowest = sorted(per_query.items(), key=lambda kv: -kv[1])[:3]
    return {
        "search_p50_ms": round(_percentile(timings, 50), 1),
        "search_p95_ms": round(_percentile(timings, 95), 1),
        "search_slowest_ms": dict(slowest),
        "first_page_ms": round(statistics.median(first_page), 1),
        "first_page_max_ms": round(max(first_page), 1),
    }


def _child(phase: str, *args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--phase", phase, *args],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def run_size(size: int, workdir: Path, workers: int | None) -> dict[str, Any]:
    csv_path = workdir / f"mentions-{size}.csv"
    db_path = workdir / f"bench-{size}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    if not csv_path.exists():
        gen_mentions.write(csv_path, size)
    result: dict[str, Any] = {"size": size, "csv_mb": round(csv_path.stat().st_size / 2**20, 1)}
    result.update(_child("vader", str(csv_path)))
    extra = [] if workers is None else ["--workers", str(workers)]
    result.update(_child("import", str(csv_path), str(db_path), *extra))
    result["ratio_vs_vader"] = round(result["import_per_s"] / result["vader_per_s"], 2)
    result.update(_child("query", str(db_path)))
    result["targets_met"] = {
        "ratio>=1.3": result["ratio_vs_vader"] >= 1.3,
        "search_p95<100ms": result["search_p95_ms"] < 100,
        "first_page<50ms": result["first_page_ms"] < 50,
        "rss<500MB": result["import_peak_rss_mb"] < 500,
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description="crisisdesk core benchmarks (JSON out)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--workers", type=int, default=None, help="scoring processes")
    parser.add_argument("--keep", type=Path, help="folder for the CSV and database (kept)")
    parser.add_argument("--phase", choices=["vader", "import", "query"], help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.phase == "vader":
        print(json.dumps(phase_vader(Path(ns.args[0]))))
    elif ns.phase == "import":
        print(json.dumps(phase_import(Path(ns.args[0]), Path(ns.args[1]), ns.workers)))
    elif ns.phase == "query":
        print(json.dumps(phase_query(Path(ns.args[0]))))
    else:
        with contextlib.ExitStack() as stack:
            if ns.keep:
                workdir = ns.keep
                workdir.mkdir(parents=True, exist_ok=True)
            else:
                workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            for size in ns.sizes:
                print(json.dumps(run_size(size, workdir, ns.workers)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
