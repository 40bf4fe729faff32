"""Background work, in the spirit of Anki's ``QueryOp``: say what to run and what to do after.

    runner.op(lambda ctx: mentions.query(ctx.db, flt))
        .success(model.show_rows)
        .failure(bar.show_error)          # optional: without it the user still sees the error
        .progress("Loading…", cancellable=True)
        .start()

The function runs on a ``QThreadPool`` thread with its *own* database connection
(``ctx.db``, opened lazily from the runner's database path: SQLite connections are per
thread). Results, failures and progress come back to the GUI thread by queued signals. A
failure with no handler is shown to the user (``errors.show_error``), never only logged.
Cancelling sets a flag the function can poll (``ctx.cancelled`` / ``ctx.raise_if_cancelled()``)
and interrupts a running SQLite statement.

Everything a running task sends back before it ends travels through ONE queued signal: progress
(``ctx.report(done, total, text)``, throttled, for the dialog and ``on_progress_update``) and
partial results (``ctx.publish(item)``, never dropped, for ``.partial(callback)``), e.g. each
account a sync has finished. Nothing else crosses threads, so there are no private signals to add
per feature. Once cancelled, a task's caller hears only ``cancelled`` (its dialog may be gone).

:class:`SyncTaskRunner` runs every task at once inside ``start()`` (Picard's fake thread pool),
so tests are deterministic.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

import sqlite_utils
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from crisisdesk.errors import CrisisdeskError
from crisisdesk.ui import errors

log = logging.getLogger(__name__)

T = TypeVar("T")

#: progress updates closer together than this are dropped (the last one always gets through)
PROGRESS_INTERVAL_S = 0.05
#: a progress dialog appears only for work that takes longer than this
PROGRESS_DIALOG_DELAY_MS = 400
#: SQLite virtual-machine steps between cancel checks inside one statement
SQLITE_CANCEL_CHECK_OPS = 100_000


class Progress(NamedTuple):
    """A progress update as it travels from the worker to the GUI thread."""

    done: int
    total: int
    text: str


class TaskCancelled(CrisisdeskError):
    """Raised inside a task by ``ctx.raise_if_cancelled()`` once the user cancelled."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")


class TaskContext:
    """What a background function gets: its own database connection, progress, cancel flag."""

    def __init__(
        self,
        db_path: Path | None,
        cancel_event: threading.Event,
        report_progress: Callable[[int, int, str], None],
        publish: Callable[[object], None] | None = None,
        *,
        busy_timeout_ms: int | None = None,
    ) -> None:
        self._db_path = db_path
        self._cancel = cancel_event
        self._report = report_progress
        self._publish = publish
        self._busy_timeout_ms = busy_timeout_ms
        self._db: sqlite_utils.Database | None = None
        self._lock = threading.Lock()
        self._last_report = 0.0

    @property
    def db(self) -> sqlite_utils.Database:
        """A connection opened in (and only for) this task's thread."""
        if self._db is None:
            if self._db_path is None:
                raise RuntimeError("this runner has no database")
            from crisisdesk.store.db import connect

            # the GUI opened (and migrated) the file already; a task only connects
            db = connect(self._db_path, migrate=False)
            if self._busy_timeout_ms is not None:
                db.conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout_ms)}")
            # a cancel that lands between statements still stops the next one
            db.conn.set_progress_handler(self._cancel.is_set, SQLITE_CANCEL_CHECK_OPS)
            with self._lock:
                self._db = db
        return self._db

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelled()

    def report(self, done: int, total: int = 0, text: str = "") -> None:
        """Progress: *done* of *total* (0 = unknown), with an optional line of text."""
        now = time.monotonic()
        if now - self._last_report < PROGRESS_INTERVAL_S and done != total:
            return
        self._last_report = now
        self._report(done, total, text)

    def publish(self, item: object) -> None:
        """Hand a partial result to the GUI thread now (``Task.partial``); not throttled.

        Items arrive in the order they were published and before the task's end.
        """
        if self._publish is None:
            raise RuntimeError("this context has no partial-result channel")
        self._publish(item)

    def interrupt(self) -> None:
        """Stop a running SQLite statement (called from the GUI thread on cancel)."""
        with self._lock:
            if self._db is not None:
                self._db.conn.interrupt()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


class _Relay(QObject):
    """Lives in the GUI thread; the worker emits its signals, the slots run in the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()
    #: the one channel for what a task sends while it runs: Progress or a published item
    reported = Signal(object)

    def __init__(self, job: _Job[Any]) -> None:
        super().__init__()
        self._job = job
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)
        self.cancelled.connect(self._on_cancelled)
        self.reported.connect(self._on_reported)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        self._job.deliver_success(result)

    @Slot(object, str)
    def _on_failed(self, exc: object, details: str) -> None:
        assert isinstance(exc, BaseException)
        self._job.deliver_failure(exc, details)

    @Slot()
    def _on_cancelled(self) -> None:
        self._job.deliver_cancelled()

    @Slot(object)
    def _on_reported(self, item: object) -> None:
        self._job.deliver_report(item)


class TaskHandle:
    """Returned by ``start()``: lets the caller cancel or ask whether the task is done."""

    def __init__(self, job: _Job[Any]) -> None:
        self._job = job

    def cancel(self) -> None:
        self._job.cancel()

    @property
    def done(self) -> bool:
        return self._job.finished

    @property
    def cancelled(self) -> bool:
        return self._job.cancel_event.is_set()


class _Job(Generic[T]):
    """One run of one task: the worker half and the GUI half."""

    def __init__(self, task: Task[T]) -> None:
        self.task = task
        self.runner = task.runner
        self.cancel_event = threading.Event()
        self.finished = False
        self.relay = _Relay(self)
        reported = self.relay.reported.emit  # progress and partial results: one channel
        self.context = TaskContext(
            self.runner.db_path,
            self.cancel_event,
            lambda done, total, text: reported(Progress(done, total, text)),
            reported,
            busy_timeout_ms=self.runner.busy_timeout_ms,
        )
        self.dialog: QProgressDialog | None = None

    # --- worker thread ----------------------------------------------------------------------

    def run_in_worker(self) -> None:
        ctx = self.context
        try:
            if ctx.cancelled:
                raise TaskCancelled()
            result = self.task.fn(ctx)
        except TaskCancelled:
            self.relay.cancelled.emit()
        except sqlite3.OperationalError as exc:
            if ctx.cancelled and "interrupted" in str(exc):
                self.relay.cancelled.emit()
            else:
                self.relay.failed.emit(exc, traceback.format_exc())
        except Exception as exc:
            self.relay.failed.emit(exc, traceback.format_exc())
        else:
            if ctx.cancelled:
                self.relay.cancelled.emit()
            else:
                self.relay.succeeded.emit(result)
        finally:
            ctx.close()

    # --- GUI thread ---------------------------------------------------------------------------

    def cancel(self) -> None:
        if self.finished:
            return
        self.cancel_event.set()
        self.context.interrupt()

    def _finish(self) -> None:
        self.finished = True
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None
        self.runner.forget(self)

    def _dropped(self) -> bool:
        """Cancelled after its end was already on the way: whoever asked (a closed dialog, say)
        hears only ``cancelled``. A change that must finish still reports how it went."""
        return self.cancel_event.is_set() and not self.task.must_finish

    def deliver_success(self, result: object) -> None:
        if self._dropped():
            return self.deliver_cancelled()
        self._finish()
        if self.task.on_success is not None:
            self.task.on_success(result)  # type: ignore[arg-type]
        self.runner.taskFinished.emit()

    def deliver_failure(self, exc: BaseException, details: str) -> None:
        if self._dropped():
            return self.deliver_cancelled()
        self._finish()
        if self.task.on_failure is not None:
            self.task.on_failure(exc)
        else:
            self.runner.show_failure(exc, details)
        self.runner.taskFinished.emit()

    def deliver_cancelled(self) -> None:
        self._finish()
        if self.task.on_cancel is not None:
            self.task.on_cancel()
        self.runner.taskFinished.emit()

    def deliver_report(self, item: object) -> None:
        if self.finished:
            return
        if isinstance(item, Progress):
            if not self._dropped():
                self._deliver_progress(*item)
        elif self.task.on_partial is not None and (
            self.task.partial_after_cancel or not self._dropped()
        ):
            self.task.on_partial(item)

    def _deliver_progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(min(done, total) if total else 0)
            if text:
                self.dialog.setLabelText(text)
        if self.task.on_progress is not None:
            self.task.on_progress(done, total, text)

    def show_dialog(self) -> None:
        task = self.task
        parent = task.dialog_parent or self.runner.error_parent()
        dialog = QProgressDialog(task.progress_label, "Cancel", 0, 0, parent)
        dialog.setWindowTitle(task.progress_title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_DIALOG_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setAccessibleName(task.progress_title)
        if task.cancellable:
            dialog.canceled.connect(self.cancel)
        else:
            dialog.setCancelButton(None)
        dialog.setValue(0)  # starts the minimum-duration clock
        self.dialog = dialog


class Task(Generic[T]):
    """Builder: configure with the chained methods, then ``start()``."""

    def __init__(self, runner: TaskRunner, fn: Callable[[TaskContext], T]) -> None:
        self.runner = runner
        self.fn = fn
        self.on_success: Callable[[T], None] | None = None
        self.on_failure: Callable[[BaseException], None] | None = None
        self.on_cancel: Callable[[], None] | None = None
        self.on_progress: Callable[[int, int, str], None] | None = None
        self.on_partial: Callable[[Any], None] | None = None
        self.partial_after_cancel = False
        self.on_start: Callable[[TaskHandle], None] | None = None
        self.must_finish = False
        self.progress_label = ""
        self.progress_title = "crisisdesk"
        self.cancellable = True
        self.dialog_parent: QWidget | None = None
        self.with_dialog = False

    def success(self, callback: Callable[[T], None]) -> Task[T]:
        self.on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Task[T]:
        """Handle failures yourself (otherwise the user sees an error dialog)."""
        self.on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> Task[T]:
        self.on_cancel = callback
        return self

    def progress(
        self,
        label: str,
        *,
        title: str = "crisisdesk",
        cancellable: bool = True,
        parent: QWidget | None = None,
    ) -> Task[T]:
        """Show a progress dialog (after a short delay) with an optional Cancel button."""
        self.with_dialog = True
        self.progress_label = label
        self.progress_title = title
        self.cancellable = cancellable
        self.dialog_parent = parent
        return self

    def on_progress_update(self, callback: Callable[[int, int, str], None]) -> Task[T]:
        """Receive ``(done, total, text)`` in the GUI thread, e.g. for a status bar."""
        self.on_progress = callback
        return self

    def partial(self, callback: Callable[[Any], None], *, after_cancel: bool = False) -> Task[T]:
        """Receive each ``ctx.publish(item)`` in the GUI thread, in order, before the end; after
        a cancel only with *after_cancel* (a caller that must account for every item)."""
        self.on_partial = callback
        self.partial_after_cancel = after_cancel
        return self

    def started(self, callback: Callable[[TaskHandle], None]) -> Task[T]:
        """Get the handle before the task runs (an immediate runner runs it inside ``start()``,
        so a caller that may cancel from a partial-result callback keeps it from here)."""
        self.on_start = callback
        return self

    def uninterruptible(self) -> Task[T]:
        """A change the user asked for: ``cancel_all``/``shutdown`` let it finish (and wait)."""
        self.must_finish = True
        return self

    def start(self) -> TaskHandle:
        job = _Job(self)
        if self.with_dialog:
            job.show_dialog()
        handle = TaskHandle(job)
        if self.on_start is not None:
            self.on_start(handle)
        self.runner.launch(job)
        return handle


class _ImmediatePool:
    """Picard's trick: a "thread pool" whose ``start()`` runs the work at once."""

    def start(self, work: Callable[[], None]) -> None:
        work()

    def waitForDone(self, msecs: int = -1) -> bool:
        return True


class TaskRunner(QObject):
    """Runs :class:`Task` functions on a thread pool; one per window, given the database path."""

    #: emitted after any task's callbacks ran (tests and the status bar use it)
    taskFinished = Signal()

    def __init__(
        self,
        db_path: Path | None,
        *,
        pool: QThreadPool | None = None,
        busy_timeout_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db_path = db_path
        #: how long a task's connection waits for another writer (None: the store's default)
        self.busy_timeout_ms = busy_timeout_ms
        self._pool: QThreadPool | _ImmediatePool = pool or QThreadPool.globalInstance()
        self._active: set[_Job[Any]] = set()
        self._error_parent: Callable[[], QWidget | None] = lambda: None

    def set_error_parent(self, provider: Callable[[], QWidget | None]) -> None:
        """Which window unhandled errors and progress dialogs belong to."""
        self._error_parent = provider

    def error_parent(self) -> QWidget | None:
        return self._error_parent()

    def show_failure(self, exc: BaseException, details: str = "") -> None:
        """The default failure path: the user sees *exc*; a bug is logged with its traceback.

        Failure handlers that only add to what happens (e.g. undo bookkeeping) call this too.
        """
        if not isinstance(exc, CrisisdeskError):
            trace = details or "".join(traceback.format_exception(exc))
            log.error("background task failed:\n%s", trace)
        errors.show_error(self.error_parent(), exc, details)

    def op(self, fn: Callable[[TaskContext], T]) -> Task[T]:
        return Task(self, fn)

    def launch(self, job: _Job[Any]) -> None:
        self._active.add(job)
        # a plain callable: Qt wraps it; the bound method keeps the job alive while it runs
        self._pool.start(job.run_in_worker)

    def forget(self, job: _Job[Any]) -> None:
        self._active.discard(job)

    @property
    def active_count(self) -> int:
        return len(self._active)

    def cancel_all(self) -> None:
        for job in list(self._active):
            if not job.task.must_finish:
                job.cancel()

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Cancel what runs (but uninterruptible writes) and wait for the threads (on close)."""
        self.cancel_all()
        self._pool.waitForDone(timeout_ms)


class SyncTaskRunner(TaskRunner):
    """Runs each task inside ``start()``: callbacks have run when ``start()`` returns."""

    def __init__(
        self,
        db_path: Path | None,
        *,
        busy_timeout_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(db_path, busy_timeout_ms=busy_timeout_ms, parent=parent)
        self._pool = _ImmediatePool()
