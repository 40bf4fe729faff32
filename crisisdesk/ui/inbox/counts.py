"""The inbox counts in the status bar: new mentions, complaints waiting, the oldest unanswered.

They scan the whole table, so they are computed through the task runner, never on the GUI
thread; a newer refresh cancels an older one still running.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from crisisdesk.analysis.waiting import waiting_hours
from crisisdesk.domain import Status
from crisisdesk.store import overview
from crisisdesk.timeutil import now_utc
from crisisdesk.ui.format import duration_text
from crisisdesk.ui.tasks import TaskHandle, TaskRunner

REFRESH_MS = 60_000


class InboxCounts(QObject):
    """Three plain-text labels for the status bar and the timer that keeps them fresh."""

    #: the counts were refreshed (tests and the window listen)
    updated = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget,
        *,
        now: Callable[[], datetime] = now_utc,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._now = now
        self._handle: TaskHandle | None = None
        self.last_summary: overview.InboxSummary | None = None
        self.new_label = self._label(parent, "countNew", "New mentions")
        self.complaints_label = self._label(parent, "countComplaints", "Complaints waiting")
        self.oldest_label = self._label(parent, "oldestWaiting", "Oldest unanswered")
        self.timer = QTimer(self)
        self.timer.setObjectName("summaryRefresh")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    @staticmethod
    def _label(parent: QWidget, name: str, accessible: str) -> QLabel:
        label = QLabel(parent)
        label.setObjectName(name)
        label.setAccessibleDescription(accessible)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def labels(self) -> list[QLabel]:
        return [self.new_label, self.complaints_label, self.oldest_label]

    def refresh(self) -> None:
        """Count again off the GUI thread (a refresh still running is cancelled)."""
        if self._handle is not None and not self._handle.done:
            self._handle.cancel()
        self._handle = (
            self._runner.op(lambda ctx: overview.summary(ctx.db))
            .success(self._show)
            .failure(self._failed)
            .start()
        )

    def stop(self) -> None:
        self.timer.stop()

    def _failed(self, exc: BaseException) -> None:
        # counts are a convenience; say they are unavailable instead of interrupting
        self.new_label.setText("counts unavailable")
        self.new_label.setToolTip(str(exc))

    def _show(self, summary: overview.InboxSummary) -> None:
        self.last_summary = summary
        self.new_label.setText(f"{summary.new:,} new")
        noun = "complaint" if summary.complaints_waiting == 1 else "complaints"
        self.complaints_label.setText(f"{summary.complaints_waiting:,} {noun} waiting")
        if summary.oldest_unanswered_at:
            # the oldest unanswered mention is by definition still waiting
            hours = waiting_hours(summary.oldest_unanswered_at, Status.NEW, self._now()) or 0.0
            self.oldest_label.setText(f"oldest waiting {duration_text(hours * 3600)}")
        else:
            self.oldest_label.setText("nothing waiting")
        self.updated.emit(summary)
