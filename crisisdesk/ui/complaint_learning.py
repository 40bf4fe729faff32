"""After the owner corrects complaint flags: re-judge the stored mentions in the background.

The owner's answers teach the recogniser (``services.complaint_learning``); what it now says
about the other stored mentions is worked out by a task with progress in the status bar,
a moment after the last correction (a burst of corrections starts one run), with its
progress in the status bar. A flag the owner set by hand is never changed by it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from crisisdesk.ui.tasks import TaskHandle, TaskRunner

#: quiet time after the last correction before re-judging starts
SETTLE_MS = 3_000


class ComplaintRelearning(QObject):
    """Debounces corrections into one background re-judging task."""

    #: the re-judging finished: how many complaint flags changed
    finished = Signal(int)
    #: a short note for the status bar
    message = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._handle: TaskHandle | None = None
        self.timer = QTimer(self)
        self.timer.setObjectName("complaintRelearning")
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self.timer.timeout.connect(self.run)

    def corrected(self) -> None:
        """An answer was saved, undone or redone: re-judge once the owner pauses."""
        if self._handle is not None and not self._handle.done:
            self._handle.cancel()  # it learned from fewer answers; the next run starts over
        self.timer.start()

    def run(self) -> None:
        from crisisdesk.services.complaint_learning import rescore_all

        def work(ctx: object) -> int:
            from crisisdesk.ui.tasks import TaskContext

            assert isinstance(ctx, TaskContext)
            return rescore_all(
                ctx.db,
                progress=lambda done, total: ctx.report(
                    done, total, "Applying your complaint corrections…"
                ),
                cancelled=lambda: ctx.cancelled,
            )

        def done(changed: int) -> None:
            self.finished.emit(changed)
            if changed:
                flags = "1 complaint flag" if changed == 1 else f"{changed} complaint flags"
                self.message.emit(f"Learned from your corrections: {flags} changed.")

        self._handle = (
            self._runner.op(work)
            .success(done)
            .on_progress_update(lambda n, total, text: self.message.emit(f"{text} {n:,}/{total:,}"))
            .start()
        )
