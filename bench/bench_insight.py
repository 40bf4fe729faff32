#!/usr/bin/env python3
"""Insight benchmarks of issue 13; prints one JSON object on stdout.

    .venv/bin/python bench/bench_insight.py --size 1000000 [--keep DIR]

Builds (or, with ``--keep``, reuses) a database the way ``bench_core.py`` does: a generated
CSV (``gen_mentions.py``, 60 days of mentions) imported with ``services.importing.import_file``.
Then, each measured ``REPEATS`` times after one warm-up, in this process:

* ``series_90d_ms``: the chart series of 90 days (``services.insight.chart_data`` without the
  spike search: hourly tallies, by platform, response times, replies sent, bucketed per day);
* ``tallies_90d_ms``: the hourly tallies query alone (``store.series.hourly``);
* ``spikes_ms``: ``services.insight.find_spikes`` over the whole database (90 days of alerts
  and the 60-day baseline before them, driving mention ids included).

Targets (issue 13): series for 90 days over 1M mentions < 300 ms; spikes over 1M < 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_core  # noqa: E402
import gen_mentions  # noqa: E402

REPEATS = 5


def _median_ms(fn: Any) -> tuple[float, float]:
    fn()  # warm the page cache
    runs = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(runs), 1), round(max(runs), 1)


def measure(db_path: Path) -> dict[str, Any]:
    from zoneinfo import ZoneInfo

    from crisisdesk.analysis.series import Unit
    from crisisdesk.services import insight
    from crisisdesk.store import open_database, series
    from crisisdesk.timeutil import parse_iso, to_iso

    db = open_database(db_path)  # runs m008 (the hourly tallies) on an older database
    count = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    bounds = series.data_range(db)
    assert bounds is not None
    until = parse_iso(bounds[1]) + timedelta(hours=1)
    since = until - timedelta(days=90)
    tz = ZoneInfo("Europe/London")

    def chart_series() -> None:
        data = insight.chart_data(db, since, until, tz, unit=Unit.DAY, thresholds=None)
        assert data.sentiment

    # chart_data includes the spike search; measure the series part on its own as well
    original = insight.find_spikes
    insight.find_spikes = lambda *a, **k: []  # type: ignore[assignment]
    try:
        series_ms, series_max = _median_ms(chart_series)
    finally:
        insight.find_spikes = original
    tallies_ms, _ = _median_ms(lambda: series.hourly(db, to_iso(since), to_iso(until)))
    spikes_ms, spikes_max = _median_ms(lambda: insight.find_spikes(db))
    alerts = len(insight.find_spikes(db))
    db.close()
    return {
        "mentions": count,
        "series_90d_ms": series_ms,
        "series_90d_max_ms": series_max,
        "tallies_90d_ms": tallies_ms,
        "spikes_ms": spikes_ms,
        "spikes_max_ms": spikes_max,
        "alerts_found": alerts,
        "targets_met": {"series<300ms": series_ms < 300, "spikes<1s": spikes_ms < 1000},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="crisisdesk insight benchmarks (JSON out)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="folder for the CSV and database (reused)")
    ns = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if ns.keep:
            workdir = ns.keep
            workdir.mkdir(parents=True, exist_ok=True)
        else:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        csv_path = workdir / f"mentions-{ns.size}.csv"
        db_path = workdir / f"bench-{ns.size}.sqlite3"
        result: dict[str, Any] = {"size": ns.size}
        if not db_path.exists():
            if not csv_path.exists():
                gen_mentions.write(csv_path, ns.size)
            result.update(bench_core.phase_import(csv_path, db_path, None))
        result.update(measure(db_path))
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
