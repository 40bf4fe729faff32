"""Waiting points grow while mentions wait: recompute the stored priorities now and then.

The work runs through the task runner (services.priorities); when some priority moved,
``changed`` fires so the inbox repaints its loaded rows. A failure (a sync holding the write
lock, say) is only a status-bar note: the next refresh catches up.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from crisisdesk.ui.tasks import TaskRunner

#: how often stored priorities are brought up to date while the app runs
REFRESH_MS = 10 * 60_000


class PriorityRefresh(QObject):
    """A named timer plus :meth:`refresh`; start it once the inbox shows its first page."""

    #: some stored priorities changed (the number of mentions)
    changed = Signal(int)
    #: a short note for the status bar when a refresh could not run
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.timer = QTimer(self)
        self.timer.setObjectName("priorityRefresh")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def refresh(self) -> None:
        """Recompute waiting points off the GUI thread."""
        from crisisdesk.services.priorities import refresh_priorities

        def done(changed: int) -> None:
            if changed:
                self.changed.emit(changed)

        def failed(exc: BaseException) -> None:
            self.failed.emit(f"Priorities not updated this time: {exc}")

        self._runner.op(lambda ctx: refresh_priorities(ctx.db)).success(done).failure(
            failed
        ).start()
