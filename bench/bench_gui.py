#!/usr/bin/env python3
"""GUI responsiveness on big databases: first paint, filter round trips, scrolling.

    .venv/bin/python bench/bench_gui.py --sizes 100000 [1000000] [--runs 7] [--platform offscreen]

For each size a database of synthetic, already scored mentions is built under bench/out/
(reused when present; no VADER: rows go straight through ``store.mentions`` bulk inserts).
Then the real app (``crisisdesk.app.start_gui``, threaded task runner) runs in a fresh process
with empty settings, and one JSON object per size is printed:

- ``first_paint_ms``: process launch (just before ``Popen``) → the inbox table has painted its
  first page of rows (Python start-up and imports included). Target < 1500 at 1M.
- ``filters``: per filter, ms from applying it (search as if Enter was pressed, i.e. without
  the 250 ms typing debounce; other filters as a click) → model reset → the rows painted,
  p50/p95 over ``--runs`` runs, each after a reset to "All". Target < 150.
- ``scroll_page_ms``: scroll to the bottom → the next page of 200 fetched and painted.
- ``max_gui_stall_ms``: the longest gap of a 10 ms heartbeat timer while filtering and
  scrolling: how long the window was ever unresponsive.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SOURCES = ["x", "facebook", "reddit", "bluesky", "mastodon", "rss"]
SOURCE_WEIGHTS = [30, 25, 18, 12, 11, 4]
STATUSES = ["new", "open", "replied", "offline", "resolved", "archived"]
STATUS_WEIGHTS = [55, 10, 20, 3, 9, 3]
LABELS = ["negative", "neutral", "positive"]
LABEL_WEIGHTS = [35, 40, 25]
BATCH = 20_000


# --- building the databases -------------------------------------------------------------------


def synthetic_rows(start: int, count: int, now: datetime, rng: random.Random) -> list[dict]:
    from gen_mentions import mention_text

    rows = []
    span = 60 * 86400
    for n in range(start, start + count):
        label = rng.choices(LABELS, LABEL_WEIGHTS)[0]
        complaint = label == "negative" and rng.random() < 0.6
        if complaint:
            priority = rng.randint(45, 100)
        elif label == "negative":
            priority = rng.randint(25, 80)
        else:
            priority = rng.randint(0, 50)
        # a backlash: the last few days are busier
        age = rng.random() ** 2 * span if rng.random() < 0.7 else rng.random() * span
        created = now - timedelta(seconds=age)
        sentiment = {
            "negative": -rng.uniform(0.05, 1),
            "neutral": rng.uniform(-0.05, 0.05),
            "positive": rng.uniform(0.05, 1),
        }[label]
        rows.append(
            {
                "source": rng.choices(SOURCES, SOURCE_WEIGHTS)[0],
                "external_id": f"bench-{n}",
                "url": f"https://social.example/p/{n}",
                "author_handle": f"user{rng.randint(1, 200_000)}",
                "author_name": f"User {rng.randint(1, 200_000)}",
                "author_followers": int(rng.paretovariate(1.2) * 20),
                "text": mention_text(rng),
                "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "fetched_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sentiment": round(sentiment, 4),
                "label": label,
                "complaint": complaint,
                "cues": ["wants their money back"] if complaint and rng.random() < 0.3 else [],
                "priority": priority,
                "status": rng.choices(STATUSES, STATUS_WEIGHTS)[0],
            }
        )
    return rows


def ensure_database(size: int) -> tuple[Path, float | None]:
    """bench/out/gui-SIZE.sqlite3, built when missing. Returns (path, build seconds or None)."""
    from crisisdesk.store import bulk, open_database

    path = OUT / f"gui-{size}.sqlite3"
    if path.exists():
        db = open_database(path)
        have = db.execute("SELECT max(id) FROM mentions").fetchone()[0] or 0
        db.close()
        if have == size:
            return path, None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    db = open_database(path)
    rng = random.Random(size)
    now = datetime.now(UTC)
    with db.atomic(), bulk.bulk_insert(db) as inserter:
        for start in range(0, size, BATCH):
            inserter.insert_many(synthetic_rows(start, min(BATCH, size - start), now, rng))
    db.execute("ANALYZE")
    db.close()
    return path, time.perf_counter() - started


# --- the measured app (child process) -----------------------------------------------------------


def child(db_path: Path, runs: int) -> None:
    """Runs inside the fresh process: start the app, measure, print one JSON line."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from crisisdesk.app import start_gui
    from crisisdesk.ui.inbox.filter_bar import FilterState

    started = start_gui(db_path)
    assert started is not None
    app, window, _db = started
    page = window.inbox
    model = page.model
    viewport = page.table.viewport()
    result: dict[str, object] = {}

    class PaintWatch(QObject):
        """Stamps the end of the first viewport paint after ``arm()``."""

        def __init__(self) -> None:
            super().__init__()
            self.armed = False
            self.need_rows = True
            self.painted_at: float | None = None

        def arm(self, need_rows: bool = False) -> None:
            self.armed, self.need_rows, self.painted_at = True, need_rows, None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            rows_ok = not self.need_rows or model.rowCount() > 0
            if self.armed and event.type() == QEvent.Type.Paint and rows_ok:
                self.armed = False
                QTimer.singleShot(0, self._stamp)  # after this paint has finished
            return False

        def _stamp(self) -> None:
            self.painted_at = time.time()
            wake()

    watch = PaintWatch()
    watch.arm(need_rows=True)
    viewport.installEventFilter(watch)

    waiting: dict[str, object] = {}

    def wake() -> None:
        """Called by the app's signals: stop waiting once the awaited state is there."""
        loop, predicate = waiting.get("loop"), waiting.get("predicate")
        if isinstance(loop, QEventLoop) and callable(predicate) and predicate():
            loop.quit()

    def wait_until(predicate, timeout_ms: int = 60_000) -> None:  # type: ignore[no-untyped-def]
        # an event loop woken by signals: no polling that would compete with the app
        if predicate():
            return
        loop = QEventLoop()
        waiting.update(loop=loop, predicate=predicate)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        waiting.clear()
        if not predicate():
            raise TimeoutError("the app did not answer in time")

    model.rowsInserted.connect(wake)
    model.loaded.connect(wake)

    stall = {"last": time.perf_counter(), "max": 0.0, "on": False}

    def beat() -> None:
        now = time.perf_counter()
        if stall["on"]:
            stall["max"] = max(stall["max"], now - stall["last"])  # type: ignore[call-overload]
        stall["last"] = now

    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.timeout.connect(beat)

    def apply(state: FilterState) -> float:
        """Apply a filter like a user; ms until its rows are painted."""
        bar = page.filter_bar
        done = {"loaded": False}

        def on_loaded() -> None:
            done["loaded"] = True
            watch.arm()
            viewport.update()
            wake()

        if state == bar.state():
            return 0.0
        model.loaded.connect(on_loaded)
        t0 = time.time()
        if state == FilterState(search=state.search) and bar.state() == FilterState():
            bar.search.setText(state.search)
            bar.search.returnPressed.emit()  # typed, then Enter: no debounce wait
        else:
            bar.set_state(state)  # a click on a view or a choice
        wait_until(lambda: done["loaded"] and watch.painted_at is not None)
        model.loaded.disconnect(on_loaded)
        assert watch.painted_at is not None
        return (watch.painted_at - t0) * 1000

    def measure() -> None:
        result["first_paint_at"] = watch.painted_at
        result["first_page_rows"] = model.rowCount()
        filters = {
            "search common word (refund)": FilterState(search="refund"),
            'search phrase ("wedding cake")': FilterState(search='"wedding cake"'),
            "search two words (stale sourdough)": FilterState(search="stale sourdough"),
            "search rare (macarons OR eclairs -cake)": FilterState(
                search="macarons OR eclairs -cake"
            ),
            "sentiment negative": FilterState(sentiment="negative"),
            "complaints view": FilterState(complaints_only=True),
            "needs reply view": FilterState(statuses=("new", "open")),
            "platform rss (rarest)": FilterState(source="rss"),
            "today view": FilterState(period="today"),
            "complaints + refund + needs reply": FilterState(
                search="refund", complaints_only=True, statuses=("new", "open")
            ),
        }
        everything = FilterState()
        heartbeat.start()
        stall["on"] = True
        timings: dict[str, dict[str, float]] = {}
        all_ms: list[float] = []
        for name, state in filters.items():
            samples = []
            for _ in range(runs):
                apply(everything)
                samples.append(apply(state))
            samples.sort()
            all_ms.extend(samples)
            timings[name] = {
                "p50": round(statistics.median(samples), 1),
                "p95": round(samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))], 1),
                "rows_first_page": model.rowCount(),
            }
        result["filters"] = timings
        all_ms.sort()
        result["filter_all_p50_ms"] = round(statistics.median(all_ms), 1)
        result["filter_all_p95_ms"] = round(all_ms[round(0.95 * (len(all_ms) - 1))], 1)

        apply(everything)
        scroll: list[float] = []
        for _ in range(10):
            rows = model.rowCount()
            t0 = time.time()
            watch.arm()
            page.table.scrollToBottom()
            wait_until(lambda rows=rows: model.rowCount() > rows or model.exhausted)
            page.table.viewport().update()
            wait_until(lambda: watch.painted_at is not None)
            assert watch.painted_at is not None
            scroll.append((watch.painted_at - t0) * 1000)
        scroll.sort()
        result["scroll_page_ms"] = {
            "p50": round(statistics.median(scroll), 1),
            "max": round(scroll[-1], 1),
            "rows_after": model.rowCount(),
        }
        stall["on"] = False
        heartbeat.stop()
        result["max_gui_stall_ms"] = round(stall["max"] * 1000, 1)  # type: ignore[operator]
        print("RESULT " + json.dumps(result), flush=True)
        window.close()
        app.quit()

    def measure_or_fail() -> None:
        # an exception in a slot would only be printed, leaving the app running forever
        try:
            measure()
        except BaseException:
            traceback.print_exc()
            app.exit(1)

    def after_first_paint() -> None:
        if watch.painted_at is None:
            QTimer.singleShot(5, after_first_paint)
            return
        QTimer.singleShot(0, measure_or_fail)

    QTimer.singleShot(0, after_first_paint)
    app.exec()
    QApplication.processEvents()


# --- the driver -------------------------------------------------------------------------------


def bench_size(size: int, runs: int, platform: str) -> dict[str, object]:
    db_path, built = ensure_database(size)
    with tempfile.TemporaryDirectory() as home:
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=platform,
            XDG_CONFIG_HOME=f"{home}/config",
            XDG_DATA_HOME=f"{home}/data",
            XDG_CACHE_HOME=f"{home}/cache",
        )
        launched = time.time()
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(db_path), "--runs", str(runs)],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"the app failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    data = json.loads(lines[-1][len("RESULT ") :])
    first_paint = (float(data.pop("first_paint_at")) - launched) * 1000
    return {
        "mentions": size,
        "database_mb": round(db_path.stat().st_size / 1e6, 1),
        "build_s": round(built, 1) if built is not None else "reused",
        "platform": platform,
        "first_paint_ms": round(first_paint, 1),
        **data,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", type=int, default=7, help="runs per filter")
    parser.add_argument("--platform", default="offscreen", help="Qt platform (xcb under Xvfb)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.runs)
        return 0
    for size in args.sizes:
        print(json.dumps(bench_size(size, args.runs, args.platform)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
