"""Scoring workers run at a lower CPU priority than the importing process, which paces the
import (it parses and stores every row)."""

from __future__ import annotations

import os

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
        # one worker: the first batch runs, one more waits in the pipe to it, the rest queue
        assert pool.reclaim(futures[-1])
        assert not pool.reclaim(futures[0])
        assert not pool.reclaim(futures[-1])  # once only
        want = scoring.score_batch(batch)
        assert [f.result(60) for f in futures[:-1]] == [want] * 3
    finally:
        pool.close(cancel=False)
    assert not scoring.InlineScorer().reclaim(scoring.InlineScorer().submit(batch[:1]))
