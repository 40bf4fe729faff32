"""Scoring imported texts: in-process for small files, a process pool for big ones.

The pool uses the 'spawn' start method on every platform, so what runs on Linux is what runs
on Windows and macOS, and no worker inherits the importer's SQLite connection or GUI threads.
Workers import only this module and ``crisisdesk.analysis``: the task function and the
tuples it exchanges are plain data, cheap to pickle.
"""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

#: what a worker needs per mention: text, followers, likes, reposts, replies, waiting hours
ScoreInput = tuple[str, int, int, int, int, float]
#: what it sends back: sentiment, label, complaint, cues, priority
ScoreOutput = tuple[float, str, bool, tuple[str, ...], int]


#: analyses of texts seen lately in this process. Copy-pasted posts (pile-ons, reposts quoting
#: the same words) are common in a backlash; each distinct text is analysed once. Bounded.
_SEEN: dict[str, tuple[float, str, bool, tuple[str, ...]]] = {}
SEEN_LIMIT = 50_000


def _analyse(texts: list[str]) -> dict[str, tuple[float, str, bool, tuple[str, ...]]]:
    from crisisdesk.analysis import sentiment

    found: dict[str, tuple[float, str, bool, tuple[str, ...]]] = {}
    missing: list[str] = []
    for text in dict.fromkeys(texts):
        known = _SEEN.get(text)
        if known is None:
            missing.append(text)
        else:
            found[text] = known
    fresh = dict(zip(missing, map(sentiment.score_text, missing), strict=True))
    if len(_SEEN) + len(fresh) > SEEN_LIMIT:
        _SEEN.clear()
    _SEEN.update(itertools.islice(fresh.items(), SEEN_LIMIT))
    found.update(fresh)
    return found


def score_batch(items: Sequence[ScoreInput]) -> list[ScoreOutput]:
    """Sentiment, complaint cues and priority for each item (runs in a worker or inline)."""
    from crisisdesk.analysis import priority

    analyses = _analyse([item[0] for item in items])
    out: list[ScoreOutput] = []
    for text, followers, likes, reposts, replies, waiting in items:
        value, label, complaint, cues = analyses[text]
        prio = priority.points(
            sentiment=value,
            complaint=complaint,
            cues=cues,
            followers=followers,
            likes=likes,
            reposts=reposts,
            replies=replies,
            waiting_hours=waiting,
        )
        out.append((value, label, complaint, cues, prio))
    return out


#: how much lower the workers' CPU priority is than the importing process's (POSIX nice)
WORKER_NICENESS = 10


def _yield_to_the_importer() -> None:
    """Runs first in each worker. The importing process parses and stores every row, so it is
    the one that paces the import: when the CPU is short, it should run and the workers wait
    (there are more of them than spare cores). Where there is no ``nice``, nothing changes."""
    nice = getattr(os, "nice", None)
    if nice is not None:
        with contextlib.suppress(OSError):
            nice(WORKER_NICENESS)


class Scorer(Protocol):
    #: how many submitted batches may wait for their results before the caller must store one
    max_in_flight: int

    def submit(self, items: Sequence[ScoreInput]) -> Future[list[ScoreOutput]]: ...

    def close(self, *, cancel: bool) -> None: ...


class InlineScorer:
    """Scores at submit time in this process: no start-up cost, for small files."""

    max_in_flight = 1

    def submit(self, items: Sequence[ScoreInput]) -> Future[list[ScoreOutput]]:
        future: Future[list[ScoreOutput]] = Future()
        try:
            future.set_result(score_batch(items))
        except Exception as exc:  # a bug in analysis: re-raised by result() in the caller
            future.set_exception(exc)
        return future

    def close(self, *, cancel: bool) -> None:
        pass


class PoolScorer:
    """Scores batches in worker processes while the caller parses and stores.

    At most ``max_in_flight`` batches are queued or running, which bounds memory however big
    the file is, and keeps every worker busy while the caller writes the batch before.
    """

    #: how long a cancelled import lets a running batch finish before stopping its worker
    STOP_GRACE_SECONDS = 5.0
    #: after a finished import, workers only have to read their stop signal
    FINISH_SECONDS = 30.0
    #: after the grace, how long killing stragglers may take before we stop waiting
    KILL_SECONDS = 10.0

    def __init__(self, workers: int) -> None:
        self.max_in_flight = workers * 2 + 1
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_yield_to_the_importer,
        )

    def submit(self, items: Sequence[ScoreInput]) -> Future[list[ScoreOutput]]:
        return self._pool.submit(score_batch, list(items))

    def close(self, *, cancel: bool) -> None:
        """Stop the workers; return when none is left running and the pool's thread ended.

        ``cancel`` drops queued batches; a running one (a fraction of a second of work) may
        finish. A worker that does not stop in time is killed. After a worker died, CPython
        3.11 can start a replacement that its own clean-up never stops, and the pool's manager
        thread then spins until that process ends, keeping the interpreter from exiting: so
        we watch the pool's *live* process table (replacements included) and its thread.
        """
        # the executor drops its references on shutdown: keep the live table and the thread
        table: dict[int, Any] = getattr(self._pool, "_processes", None) or {}
        manager = getattr(self._pool, "_executor_manager_thread", None)
        broken = bool(getattr(self._pool, "_broken", False))
        self._pool.shutdown(wait=False, cancel_futures=cancel or broken)
        started = time.monotonic()
        grace = 0.0 if broken else (self.STOP_GRACE_SECONDS if cancel else self.FINISH_SECONDS)
        while time.monotonic() - started < grace + self.KILL_SECONDS:
            alive = [p for p in list(table.values()) if p.is_alive()]
            if not alive and (manager is None or not manager.is_alive()):
                return
            if time.monotonic() - started >= grace:
                for process in alive:
                    process.kill()
            if manager is not None and manager.is_alive():
                manager.join(0.05)
            else:
                time.sleep(0.05)
