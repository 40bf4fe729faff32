"""The debounce helper: one call after a burst, flush runs a pending call at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from crisisdesk.ui.debounce import Debounce


def test_a_burst_of_calls_runs_once_after_the_pause(qtbot: Any) -> None:
    owner = QObject()
    calls: list[int] = []
    later = Debounce(owner, "check", 20, lambda: calls.append(1))
    for _ in range(5):
        later("ignored signal argument")
    assert calls == [] and later.pending
    timer = owner.findChild(QTimer, "check")
    assert timer is later.timer
    qtbot.waitUntil(lambda: calls == [1])
    assert not later.pending


def test_flush_and_cancel(qtbot: Any) -> None:
    owner = QObject()
    calls: list[int] = []
    later = Debounce(owner, "save", 10_000, lambda: calls.append(1))
    later.flush()
    assert calls == []  # nothing pending: nothing run
    later()
    later.flush()
    assert calls == [1] and not later.pending
    later()
    later.cancel()
    later.flush()
    assert calls == [1]
