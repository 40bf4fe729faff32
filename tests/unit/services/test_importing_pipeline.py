"""The import pipeline: worker pool scoring, cancel, a worker dying, the importer killed mid-write.

Pool tests use a few thousand rows and workers=2 ('spawn' processes, as on Windows/macOS).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pytest

from crisisdesk.errors import ImportCancelled
from crisisdesk.services.importing import BATCH_ROWS, import_file
from crisisdesk.store import bulk, mentions, open_database
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot, write_csv

ROOT = Path(__file__).resolve().parents[3]
TEXTS = [
    "Ordered a {n} cake and it never showed up. Nobody answers the phone.",
    "Great, another order lost. Thanks a lot. Order #{n}",
    "Lovely sourdough today, thank you! {n}",
    "Do you open at {n} on Sunday?",
    "Still waiting for my refund for order {n}, third email now",
]


def mentions_csv(path: Path, count: int) -> Path:
    rows = [
        [f"id-{n}", TEXTS[n % len(TEXTS)].format(n=n), f"user{n % 97}",
         f"2026-01-{1 + n % 28:02d}T10:{n % 60:02d}:00Z", n % 7, n % 3, n % 1000]
        for n in range(count)
    ]  # fmt: skip
    header = ["id", "text", "author", "created_at", "likes", "replies", "followers"]
    return write_csv(path, header, rows)


def scored(db: Any) -> set[tuple[Any, ...]]:
    return set(
        db.execute(
            "SELECT external_id, text, sentiment, label, complaint, cues, priority FROM mentions"
        ).fetchall()
    )


def pool_workers() -> list[psutil.Process]:
    """Live scoring workers started by this test process."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            # spawn_main: pool workers, not multiprocessing's long-lived resource tracker
            if "spawn_main" in " ".join(child.cmdline()) and child.is_running():
                found.append(child)
        except psutil.Error:
            continue
    return found


def kill_as_the_system_would(worker: psutil.Process) -> None:
    """SIGKILL a pool worker, as the out-of-memory killer does, and wait until it is dead
    without reaping it: its exit status stays for the pool. (psutil's ``wait`` reaps a child;
    multiprocessing then finds no status and takes the worker for alive, forever.)"""
    worker.kill()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if worker.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return  # the pool reaped it already
        time.sleep(0.01)
    raise AssertionError(f"worker {worker.pid} still running 5 s after SIGKILL")


@pytest.fixture
def stored(db: Any) -> list[tuple[Any, ...]]:
    insert_mentions(db, [mention_row(text=f"stored before {n}") for n in range(3)])
    return table_snapshot(db)


def trigger_count(db: Any) -> int:
    return int(
        db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'mentions_ai'").fetchone()[0]
    )


def pool_threads() -> list[threading.Thread]:
    """Live process-pool manager threads (CPython's _ExecutorManagerThread)."""
    return [
        t
        for t in threading.enumerate()
        if type(t).__name__ == "_ExecutorManagerThread" and t.is_alive()
    ]


def test_pool_scores_like_in_process(db: Any, tmp_path: Path) -> None:
    path = mentions_csv(tmp_path / "m.csv", 5000)
    other = open_database(tmp_path / "inline.sqlite3")
    try:
        pooled = import_file(db, path, workers=2)
        inline = import_file(other, path, workers=1)
        assert pooled.imported == inline.imported == 5000
        assert scored(db) == scored(other)
    finally:
        other.close()
    assert pool_workers() == []
    complaints = mentions.count(db, mentions.MentionFilter(complaints_only=True))
    assert 0 < complaints < 5000
    found = mentions.count(db, mentions.MentionFilter(search='"never showed up"'))
    assert found == 1000  # FTS indexed every row of every batch
    assert trigger_count(db) == 1


def test_cancel_in_process_changes_nothing(
    db: Any, tmp_path: Path, stored: list[tuple[Any, ...]]
) -> None:
    path = mentions_csv(tmp_path / "m.csv", 3 * BATCH_ROWS)
    calls = 0

    def progress(done: int, total: int) -> bool:
        nonlocal calls
        calls += 1
        return calls < 5  # after the first batch was stored

    with pytest.raises(ImportCancelled, match="nothing from it was stored"):
        import_file(db, path, workers=1, progress=progress)

    assert calls == 5
    assert table_snapshot(db) == stored
    assert trigger_count(db) == 1
    # the database is fully usable afterwards: the same file imports and is searchable
    assert import_file(db, path, workers=1).imported == 3 * BATCH_ROWS
    assert mentions.count(db, mentions.MentionFilter(search="sourdough")) == 3 * BATCH_ROWS // 5


def test_cancel_with_pool_changes_nothing_and_stops_workers(
    db: Any, tmp_path: Path, stored: list[tuple[Any, ...]]
) -> None:
    path = mentions_csv(tmp_path / "m.csv", 6 * BATCH_ROWS)
    seen: list[int] = []

    def progress(done: int, total: int) -> bool:
        seen.append(done)
        return done < total // 2

    with pytest.raises(ImportCancelled):
        import_file(db, path, workers=2, progress=progress)

    assert table_snapshot(db) == stored
    assert trigger_count(db) == 1
    assert seen[-1] >= path.stat().st_size // 2
    assert pool_workers() == []
    assert pool_threads() == []


def test_a_worker_dying_falls_back_to_in_process_scoring(db: Any, tmp_path: Path) -> None:
    path = mentions_csv(tmp_path / "m.csv", 5 * BATCH_ROWS)
    killed: list[int] = []

    def progress(done: int, total: int) -> bool:
        if not killed:
            for worker in pool_workers()[:1]:
                kill_as_the_system_would(worker)
                killed.append(worker.pid)
        return True

    report = import_file(db, path, workers=2, progress=progress)

    assert killed
    assert report.imported == 5 * BATCH_ROWS
    assert any("in one process" in w for w in report.warnings)
    assert pool_workers() == []
    # nothing of the broken pool may outlive the import: its manager thread spinning on a
    # replacement worker once kept the interpreter (and CI) from exiting
    assert pool_threads() == []
    assert mentions.count(db, mentions.MentionFilter(search="refund")) == BATCH_ROWS


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import crisisdesk.services.importing as files
    from crisisdesk.store import open_database

    files.IMPORT_CACHE_KIB = 256  # small cache: pages spill into the WAL mid-transaction
    db = open_database(sys.argv[1])

    def progress(done, total):
        print(done, flush=True)
        return True

    files.import_file(db, Path(sys.argv[2]), workers=1, progress=progress)
    print("finished", flush=True)
    """
)


def test_import_killed_mid_write_leaves_whole_transactions_only(
    db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    insert_mentions(db, [mention_row(text=f"stored before {n}") for n in range(3)])
    before = table_snapshot(db)
    db.close()
    wal = Path(f"{db_path}-wal")
    path = mentions_csv(tmp_path / "big.csv", 30_000)

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes any workers too
    )
    assert child.stdout is not None
    try:
        for line in child.stdout:
            assert line.strip() != "finished", "the import ended before it could be killed"
            # uncommitted pages of the import are in the WAL: it is writing right now
            if int(line) > 0 and wal.exists() and wal.stat().st_size > 512 * 1024:
                break
        os.killpg(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait(10)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    db = open_database(db_path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert table_snapshot(db) == before
        assert trigger_count(db) == 1
        db.execute("INSERT INTO mentions_fts(mentions_fts) VALUES('integrity-check')")
        assert mentions.count(db, mentions.MentionFilter(search="stored")) == 3
    finally:
        db.close()


def test_score_batch_matches_analysis_and_its_cache_stays_bounded() -> None:
    from crisisdesk.analysis import priority
    from crisisdesk.analysis.scoring import ScoreInput, TextCache
    from crisisdesk.analysis.sentiment import analyze
    from crisisdesk.services import scoring_pool as scoring

    cache = TextCache(limit=7)
    texts = [TEXTS[n % 3].format(n=n % 4) for n in range(30)]  # many repeats
    items = [ScoreInput(t, n * 10, n % 5, n % 2, n % 3, float(n)) for n, t in enumerate(texts)]

    out = scoring.score_batch(items, cache)

    for (text, followers, likes, reposts, replies, waiting, age), got in zip(
        items, out, strict=True
    ):
        a = analyze(text)
        p = priority.score(sentiment=a.sentiment, complaint=a.complaint, cues=a.cues,
                           followers=followers, likes=likes, reposts=reposts, replies=replies,
                           waiting_hours=waiting, age_hours=age)  # fmt: skip
        assert got == (a.sentiment, a.label, a.complaint, a.cues, p.score)
    assert 0 < len(cache) <= 7
    assert scoring.score_batch(items, cache) == out  # answered from the cache, same results
    assert scoring.score_batch(items) == out  # this process's own cache: the same


def test_database_busy_with_another_writer_is_a_clear_error(
    db: Any, db_path: Path, tmp_path: Path, stored: list[tuple[Any, ...]]
) -> None:
    from crisisdesk.errors import DatabaseError

    other = open_database(db_path)
    other.execute("BEGIN IMMEDIATE")  # e.g. a sync writing right now
    db.execute("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(DatabaseError, match="busy with another change") as err:
            import_file(db, mentions_csv(tmp_path / "m.csv", 10), workers=1)
        assert "import again" in err.value.hint
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert table_snapshot(db) == stored
    assert trigger_count(db) == 1
    assert import_file(db, tmp_path / "m.csv", workers=1).imported == 10


def test_full_text_index_topped_up_mid_import_finds_every_row(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Big imports index in chunks (every FTS_ROWS rows): every chunk must be searchable."""
    monkeypatch.setattr(bulk.BulkInserter, "FTS_ROWS", 700)
    count = 3 * BATCH_ROWS + 123  # several mid-import top-ups and a final partial one
    path = mentions_csv(tmp_path / "m.csv", count)

    report = import_file(db, path)

    assert report.imported == count
    db.execute("INSERT INTO mentions_fts(mentions_fts) VALUES ('integrity-check')")
    indexed = db.execute("SELECT count(*) FROM mentions_fts").fetchone()[0]
    assert indexed == count
    for n in (0, count // 2, count - 1):  # first, middle and last rows, by their author
        hits = mentions.query(db, mentions.MentionFilter(search=f"user{n % 97}"), limit=1000)
        assert any(m.external_id == f"id-{n}" for m in hits)
    assert trigger_count(db) == 1  # the per-row trigger is back for later writes


class _StalledPool:
    """Workers that never get to a batch: everything submitted waits until taken back."""

    max_in_flight = 5
    reclaimed = 0

    def __init__(self, workers: int) -> None:
        self.futures: set[Any] = set()

    def submit(self, items: Any) -> Any:
        from concurrent.futures import Future

        future: Future[Any] = Future()
        self.futures.add(future)
        # a batch never taken back fails the import (rather than hang the test)
        timer = threading.Timer(30, self._give_up, [future])
        timer.daemon = True
        timer.start()
        return future

    def _give_up(self, future: Any) -> None:
        if future in self.futures:
            future.set_exception(RuntimeError("the importer waited for a stalled worker"))

    def reclaim(self, future: Any) -> bool:
        if future not in self.futures:
            return False
        self.futures.remove(future)
        type(self).reclaimed += 1
        return True

    def close(self, *, cancel: bool) -> None:
        pass


def test_the_importer_scores_what_the_workers_have_not_started(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a busy machine the workers (at a lower priority) fall behind: rather than wait, the
    importing process scores batches no worker has started. The same scores are stored."""
    from crisisdesk.services import importing

    count = 4 * BATCH_ROWS + 17
    path = mentions_csv(tmp_path / "m.csv", count)
    other = open_database(tmp_path / "inline.sqlite3")
    monkeypatch.setattr(importing, "PoolScorer", _StalledPool)
    try:
        report = import_file(db, path, workers=2)
        inline = import_file(other, path, workers=1)
        assert report.imported == inline.imported == count
        assert _StalledPool.reclaimed == 5  # every batch
        assert scored(db) == scored(other)
    finally:
        other.close()
