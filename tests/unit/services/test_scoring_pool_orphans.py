"""Issue 8, defect 18: scoring workers exit when the import that started them is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

_IMPORTER = """
import sys, time
from crisisdesk.services.scoring_pool import PoolScorer
from crisisdesk.analysis.scoring import ScoreInput
scorer = PoolScorer(2)
items = [ScoreInput("the cake was awful", 10, 1, 0, 0, 1.0)] * 50
scorer.submit(items).result()
scorer.submit(items).result()
print(" ".join(map(str, sorted(scorer.worker_pids()))), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead (its parent, the test, is not the one that reaps it)
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to tell a zombie")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_exit_when_the_importing_process_dies(sig: signal.Signals) -> None:
    importer = subprocess.Popen(
        [sys.executable, "-c", _IMPORTER], stdout=subprocess.PIPE, text=True, env=os.environ
    )
    try:
        assert importer.stdout is not None
        pids = [int(p) for p in importer.stdout.readline().split()]
        assert pids and all(_alive(p) for p in pids)
        importer.send_signal(sig)
        importer.wait(10)
        ends = time.monotonic() + 10
        while any(_alive(p) for p in pids) and time.monotonic() < ends:
            time.sleep(0.1)
        assert not [p for p in pids if _alive(p)]
    finally:
        if importer.poll() is None:
            importer.kill()


_WORKER = (
    "import os, sys, time\n"
    "from crisisdesk.services.scoring_pool import _yield_to_the_importer\n"
    "_yield_to_the_importer(int(sys.argv[1]))\n"
    "print('ready', flush=True)\n"
    "time.sleep(120)  # a worker blocked on a queue that never says EOF\n"
)
_STAND_IN = (
    "import os, subprocess, sys, time\n"
    "worker = subprocess.Popen([sys.executable, '-c', sys.argv[1], str(os.getpid())],"
    " stdout=subprocess.PIPE, text=True)\n"
    "print(worker.pid, worker.stdout.readline().strip(), flush=True)\n"
    "time.sleep(120)\n"
)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to tell a zombie")
def test_a_worker_exits_by_itself_when_its_importer_is_gone_even_if_its_queue_stays_open() -> None:
    importer = subprocess.Popen(
        [sys.executable, "-c", _STAND_IN, _WORKER], stdout=subprocess.PIPE, text=True
    )
    worker = 0
    try:
        assert importer.stdout is not None
        worker_pid, state = importer.stdout.readline().split()
        worker = int(worker_pid)
        assert state == "ready" and _alive(worker)
        importer.kill()
        importer.wait(10)
        ends = time.monotonic() + 5
        while _alive(worker) and time.monotonic() < ends:
            time.sleep(0.1)
        assert not _alive(worker)
    finally:
        if importer.poll() is None:
            importer.kill()
        if worker and _alive(worker):
            os.kill(worker, signal.SIGKILL)
