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
