"""Welcome panel → "Load demo data": the demo dataset added in the background, with progress.

Cancelling stores nothing and says nothing; any other failure is shown as an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from crisisdesk.errors import ImportCancelled
from crisisdesk.ui import errors
from crisisdesk.ui.tasks import TaskContext, TaskHandle, TaskRunner

#: how many made-up mentions the demo adds
DEMO_COUNT = 3000


def load_demo(
    runner: TaskRunner,
    parent: QWidget,
    *,
    busy: Callable[[str], None],
    loaded: Callable[[str], None],
    count: int = DEMO_COUNT,
) -> TaskHandle:
    """Add *count* demo mentions off the GUI thread.

    *busy* gets a short text while it runs and ``""`` when it ends either way; *loaded* gets
    a one-line summary for the status bar once the mentions are stored.
    """
    from crisisdesk.demo import load_demo as store_demo

    busy("Adding demo mentions…")

    def work(ctx: TaskContext) -> Any:
        def progress(done: int, total: int) -> bool:
            ctx.report(done, total, f"Scoring and storing demo mentions… {done:,} of {total:,}")
            return not ctx.cancelled

        return store_demo(ctx.db, count=count, progress=progress)

    def done(report: Any) -> None:
        busy("")
        summary = getattr(report, "summary_text", None)
        # the first clause fits beside the counts; the per-platform detail does not
        loaded(str(summary()).split(" (")[0] + "." if callable(summary) else "")

    def failed(exc: BaseException) -> None:
        busy("")
        if not isinstance(exc, ImportCancelled):  # cancelled: nothing stored, say nothing
            errors.show_error(parent, exc)

    return (
        runner.op(work)
        .success(done)
        .failure(failed)
        .cancelled(lambda: busy(""))
        .progress("Adding demo mentions for a small bakery…", parent=parent)
        .start()
    )
