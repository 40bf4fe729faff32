"""Scoring workers run at a lower CPU priority than the importing process, which paces the
import (it parses and stores every row)."""

from __future__ import annotations

import os
from concurrent.futures import wait
from concurrent.futures.process import BrokenProcessPool

import psutil
import pytest

from crisisdesk.analysis.scoring import ScoreInput
from crisisdesk.services import scoring_pool as scoring

REFUND = ScoreInput("Still waiting for my refund", 10, 0, 0, 0, 5.0)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX process priorities only")
def test_pool_workers_yield_the_cpu_to_the_importer() -> None:
    pool = scoring.PoolScorer(1)
    try:
        result = pool.submit([REFUND]).result(60)
        assert result == scoring.score_batch([REFUND])
        workers = pool.worker_pids()
        assert workers
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        niceness = [os.getpriority(os.PRIO_PROCESS, pid) for pid in workers]
        assert all(n > mine or n == 19 for n in niceness), (mine, niceness)
        assert os.getpriority(os.PRIO_PROCESS, 0) == mine  # the importer keeps its priority
    finally:
        pool.close(cancel=False)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="POSIX process priorities only")
def test_inline_scoring_keeps_this_process_priority() -> None:
    before = os.getpriority(os.PRIO_PROCESS, 0)
    scoring.InlineScorer().submit([ScoreInput("Lovely cake", 0, 0, 0, 0, 0.0)]).result()
    assert os.getpriority(os.PRIO_PROCESS, 0) == before


def test_a_batch_no_worker_has_started_can_be_taken_back() -> None:
    """The importer scores a batch itself rather than wait idle (``PoolScorer.reclaim``)."""
    batch = [ScoreInput(f"Still waiting for refund {n}", n, 0, 0, 0, 1.0) for n in range(500)]
    pool = scoring.PoolScorer(1)
    try:
        futures = [pool.submit(batch) for _ in range(4)]
        # one worker: the pool gets three (one running), the fourth waits in the PoolScorer
        assert pool.reclaim(futures[-1])
        assert not pool.reclaim(futures[0])
        assert not pool.reclaim(futures[-1])  # once only
        want = scoring.score_batch(batch)
        assert [f.result(60) for f in futures[:-1]] == [want] * 3
    finally:
        pool.close(cancel=False)
    assert not scoring.InlineScorer().reclaim(scoring.InlineScorer().submit(batch[:1]))


def test_a_worker_dying_after_a_batch_was_taken_back_fails_every_other_batch() -> None:
    """A worker killed while a batch it was queued is taken back: each other batch must end
    (with the pool's error, so the importer falls back) instead of waiting forever. CPython
    3.11's pool stopped failing batches at one whose future had been cancelled."""
    slow = [ScoreInput(f"Still waiting for refund {n} " * 20, n, 0, 0, 0, 1.0) for n in range(800)]
    pool = scoring.PoolScorer(1)
    try:
        futures = [pool.submit(slow) for _ in range(5)]
        assert pool.reclaim(futures[3])
        workers = [psutil.Process(pid) for pid in pool.worker_pids()]
        assert len(workers) == 1
        workers[0].kill()
        others = [f for n, f in enumerate(futures) if n != 3]
        done, not_done = wait(others, timeout=30)
        assert not not_done, f"{len(not_done)} batches still waiting 30 s after the worker died"
        assert any(isinstance(f.exception(), BrokenProcessPool) for f in done)
    finally:
        pool.close(cancel=True)
    assert pool.worker_pids() == set()
