"""Scoring imported texts: in-process for small files, a process pool for big ones.

The pool uses the 'spawn' start method on every platform, so what runs on Linux is what runs
on Windows and macOS, and no worker inherits the importer's SQLite connection or GUI threads.
Workers import only this module, ``crisisdesk.analysis`` and ``crisisdesk.domain``; they run
``analysis.scoring.score_inputs`` on :class:`ScoreInput` tuples and send back :class:`Scores`.
Each process keeps its own ``TextCache`` (a pile-on repeats the same words): the inline scorer
holds one per import, a worker one for its lifetime (one import).
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from crisisdesk.analysis import recogniser
from crisisdesk.analysis.scoring import ScoreInput, TextCache, score_inputs
from crisisdesk.domain import Scores

__all__ = [
    "InlineScorer",
    "PoolScorer",
    "ScoreInput",
    "Scorer",
    "default_processes",
    "score_batch",
]

#: distinct texts a scoring process remembers the analysis of (see ``TextCache``)
SEEN_LIMIT = 50_000
HELPER_SEEN_LIMIT = 5_000  #: the same, for the importing process when it scores too
#: how long the importing process waits for the batch it needs next while a worker scores it
#: before it scores later batches itself (a batch takes ~0.1 s on a quiet machine)
RUNNING_GRACE_S = 0.25
#: processes that score a big file by default, the importing one included (it parses and
#: stores every row, and scores a batch itself when the workers fall behind): one per CPU, so
#: no worker shares a CPU with the process that paces the import (measured on 2 CPUs, 1M rows:
#: one worker 14,000 rows/s, two 11,000; bench/README.md). No more than this: the importing
#: process stores about as fast as three workers score, more would only cost memory (~60 MB
#: each)
MAX_DEFAULT_PROCESSES = 4


def default_processes() -> int:
    """How many processes score a big file, the importing one included."""
    return min(os.cpu_count() or 1, MAX_DEFAULT_PROCESSES)


@functools.cache
def _process_cache() -> TextCache:
    """This worker process's text cache: it lives as long as the process (one import)."""
    return TextCache(SEEN_LIMIT)


def score_batch(items: Sequence[ScoreInput], cache: TextCache | None = None) -> list[Scores]:
    """Sentiment, complaint cues and priority for each item (runs in a worker or inline)."""
    return score_inputs(items, _process_cache() if cache is None else cache)


# Batches cross the process boundary as lists of plain tuples, the NamedTuples' fields in
# order: pickling a NamedTuple runs Python code for every item (its __getnewargs__, and its
# __new__ when loaded), which costs the importing process, the one that paces an import, about
# 1.5 µs a row. The typed tuples are rebuilt on each side by the C tuple constructor.
_Wire = list[tuple[Any, ...]]
#: ``Scores._make`` without its Python-level length check (the worker built them as Scores)
_scores = functools.partial(tuple.__new__, Scores)


#: ``ScoreInput._make`` without its Python-level length check (the importer built them)
_inputs = functools.partial(tuple.__new__, ScoreInput)


def _score_wire(rows: _Wire) -> _Wire:
    """What a worker runs: plain tuples in, plain tuples out."""
    return list(map(tuple, score_batch(list(map(_inputs, rows)))))


def _forward(source: Future[_Wire], typed: Future[list[Scores]]) -> None:
    """When the pool's *source* is done, give *typed* its scores (or its error)."""

    def done(finished: Future[_Wire]) -> None:
        try:
            typed.set_result(list(map(_scores, finished.result())))
        except BaseException as exc:  # BrokenProcessPool, a bug in analysis: for result()
            typed.set_exception(exc)

    source.add_done_callback(done)


#: how much lower the workers' CPU priority is than the importing process's (POSIX nice)
WORKER_NICENESS = 10


def _start_worker(importer: int, adjustment: recogniser.Adjustment | None = None) -> None:
    """Runs first in each worker: lower its priority, leave when the importer is gone, and
    score complaints with what the owner's corrections taught the importing process
    (:func:`recogniser.adjustment`)."""
    _yield_to_the_importer(importer)
    recogniser.use_adjustment(adjustment)


#: how often a worker checks that the importing process is still there
PARENT_CHECK_S = 0.5


def _yield_to_the_importer(importer: int | None = None) -> None:
    """Runs first in each worker. The importing process parses and stores every row, so it is
    the one that paces the import: when the CPU is short, it should run and the workers wait
    (there are more of them than spare cores). Where there is no ``nice``, nothing changes.

    It also starts :func:`_exit_with_parent`: a worker of a killed import must not live on."""
    nice = getattr(os, "nice", None)
    if nice is not None:
        with contextlib.suppress(OSError):
            nice(WORKER_NICENESS)
    if importer is not None:
        _exit_with_parent(importer)


def _exit_with_parent(importer: int) -> None:
    """End this worker as soon as *importer*, the process that started it, is gone (SIGKILL,
    SIGTERM, a crash): the pool's own shutdown never runs then, and workers (and, once they
    are gone, multiprocessing's resource tracker) would otherwise sit in memory for minutes.
    The importer's pid is handed over, not read here: a worker that starts after its importer
    died (spawning takes a while on a busy machine) is already re-parented."""

    def gone() -> bool:
        return os.getppid() != importer

    if gone():
        os._exit(0)

    def watch() -> None:
        while not gone():
            time.sleep(PARENT_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


class Scorer(Protocol):
    #: how many submitted batches may wait for their results before the caller must store one
    max_in_flight: int

    def submit(self, items: Sequence[ScoreInput]) -> Future[list[Scores]]:
        """Score *items*; whatever goes wrong (a worker died) is raised by ``result()``."""
        ...

    def reclaim(self, future: Future[list[Scores]]) -> bool:
        """Take back a submitted batch that no worker has started (True: the caller scores it
        itself and *future* is dropped)."""
        ...

    def close(self, *, cancel: bool) -> None: ...


class InlineScorer:
    """Scores at submit time in this process: no start-up cost, for small files."""

    max_in_flight = 1

    def __init__(self, seen_limit: int = SEEN_LIMIT) -> None:
        self._cache = TextCache(seen_limit)

    def submit(self, items: Sequence[ScoreInput]) -> Future[list[Scores]]:
        future: Future[list[Scores]] = Future()
        try:
            future.set_result(score_batch(items, self._cache))
        except Exception as exc:  # a bug in analysis: re-raised by result() in the caller
            future.set_exception(exc)
        return future

    def reclaim(self, future: Future[list[Scores]]) -> bool:
        return False  # scored when submitted

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
        #: batches handed to the pool at a time: one running for each worker and two waiting
        #: (the importing process hands over more only between batches). The others wait
        #: here, where the importing process can take them back (:meth:`reclaim`). The pool's
        #: own futures are never cancelled: when a worker dies, CPython 3.11's pool stops
        #: failing its batches at the first cancelled one, and the batches after it would
        #: wait forever.
        self._room = workers + 2
        self.max_in_flight = self._room + workers
        context = multiprocessing.get_context("spawn")
        # children this process had before the pool: every newer one is a worker of ours, also a
        # replacement the pool starts after a worker died (no pid is passed between processes:
        # a replacement started while the pool breaks could not be handed a queue to report on)
        self._older = {child.pid for child in multiprocessing.active_children()}
        # submitted batches not handed to the pool yet, oldest first; and the pool's futures
        # of those handed over, until done (the pool's thread fails held ones when it breaks)
        self._lock = threading.RLock()
        self._held: dict[Future[list[Scores]], _Wire] = {}
        self._in_pool: list[Future[_Wire]] = []
        self._broken = False
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(), recogniser.adjustment()),
        )

    def submit(self, items: Sequence[ScoreInput]) -> Future[list[Scores]]:
        """Queue *items*; a broken pool fails the returned future with ``BrokenProcessPool``."""
        typed: Future[list[Scores]] = Future()
        with self._lock:
            self._held[typed] = list(map(tuple, items))
        self._feed()
        return typed

    def _feed(self, *, all_held: bool = False) -> None:
        """Hand the pool the oldest held batches it has room for (*all_held*: every one)."""
        with self._lock:
            self._in_pool = [future for future in self._in_pool if not future.done()]
            while self._held and not self._broken and (all_held or len(self._in_pool) < self._room):
                typed = next(iter(self._held))
                try:
                    source = self._pool.submit(_score_wire, self._held[typed])
                except (BrokenProcessPool, OSError):
                    # OSError: a worker died and the pool is breaking: CPython 3.11 may try to
                    # start a replacement with the queue its manager thread just closed
                    # ("handle is closed") before it marks the pool broken. The same to us
                    self._broken = True
                    break
                del self._held[typed]
                self._in_pool.append(source)
                source.add_done_callback(self._note_broken)
                _forward(source, typed)
        if self._broken:
            self._fail_held()

    def reclaim(self, future: Future[list[Scores]]) -> bool:
        # a batch the pool has room for goes there: a worker is free for it
        self._feed()
        with self._lock:
            return self._held.pop(future, None) is not None

    def _note_broken(self, future: Future[_Wire]) -> None:
        """Runs when a batch handed to the pool is done (in the pool's thread, mostly)."""
        if not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
            self._broken = True
            self._fail_held()  # no worker will ever take them: the caller falls back now

    def _fail_held(self) -> None:
        for typed in self._take_held():
            typed.set_exception(BrokenProcessPool("a scoring worker stopped"))

    def _take_held(self) -> list[Future[list[Scores]]]:
        """Every batch still held here, no longer held (their futures for the caller to end)."""
        with self._lock:
            held = list(self._held)
            self._held.clear()
        return held

    def worker_pids(self) -> set[int]:
        """Process ids of the live workers (replacements included)."""
        return {p.pid for p in self._workers() if p.pid is not None}

    def _workers(self) -> list[multiprocessing.process.BaseProcess]:
        return [
            p
            for p in multiprocessing.active_children()
            if p.pid not in self._older and p.is_alive()
        ]

    def close(self, *, cancel: bool) -> None:
        """Stop the workers; return when none is left running and the pool has shut down.

        ``cancel`` drops queued batches; a running one (a fraction of a second of work) may
        finish. A worker that does not stop in time is killed. After a worker died, CPython
        3.11 can start a replacement that its own clean-up never stops, and the pool's manager
        thread then spins until that process ends, keeping the interpreter from exiting: so the
        pool's own shutdown is waited for in a helper thread (it joins every process the pool
        started), while every worker (each child started since the pool was made, replacements
        included) is killed once the grace is over. Batches still held here are handed to the
        pool to finish, or with ``cancel`` cancelled.
        """
        if not cancel:
            self._feed(all_held=True)
        for typed in self._take_held():
            typed.cancel()
        broken = self._broken
        # one shutdown call: a second one would find the pool's references already dropped
        waiter = threading.Thread(
            target=self._pool.shutdown,
            kwargs={"wait": True, "cancel_futures": cancel or broken},
            name="scoring-pool-shutdown",
            daemon=True,
        )
        waiter.start()
        started = time.monotonic()
        grace = 0.0 if broken else (self.STOP_GRACE_SECONDS if cancel else self.FINISH_SECONDS)
        while time.monotonic() - started < grace + self.KILL_SECONDS:
            if not waiter.is_alive():
                break  # the pool's shutdown joined every process it started, replacements too
            alive = self._workers()
            if time.monotonic() - started >= grace:
                for process in alive:
                    process.kill()
            if waiter.is_alive():
                waiter.join(0.05)
            else:
                time.sleep(0.05)
