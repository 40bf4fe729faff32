"""The background task runner: success, failure (handled and not), cancel, progress, threads."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from crisisdesk.errors import CrisisdeskError
from crisisdesk.ui import errors
from crisisdesk.ui.tasks import SyncTaskRunner, TaskCancelled, TaskContext, TaskRunner
from tests.helpers.builders import insert_mentions, mention_row


def _open_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


@pytest.fixture
def pool(qtbot):
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    yield pool
    pool.waitForDone(5000)


@pytest.fixture
def parent_widget(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_sync_runner_delivers_result_before_start_returns(db, db_path: Path, qtbot) -> None:
    insert_mentions(db, [mention_row(), mention_row()])
    runner = SyncTaskRunner(db_path)
    seen: list[object] = []
    contexts: list[TaskContext] = []

    def work(ctx: TaskContext) -> int:
        contexts.append(ctx)
        assert ctx.db.conn is not db.conn  # the task has its own connection
        return ctx.db.execute("SELECT count(*) FROM mentions").fetchone()[0]

    handle = runner.op(work).success(seen.append).start()
    assert seen == [2]
    assert handle.done and not handle.cancelled
    assert runner.active_count == 0
    # the task's connection was closed when it finished
    assert contexts[0]._db is None


def test_threaded_runner_runs_off_the_gui_thread_and_answers_on_it(
    db, db_path: Path, qtbot, pool
) -> None:
    insert_mentions(db, [mention_row(text="one"), mention_row(text="two")])
    runner = TaskRunner(db_path, pool=pool)
    gui_thread = threading.get_ident()
    worker_threads: list[int] = []
    callback_threads: list[int] = []
    results: list[list[str]] = []

    def work(ctx: TaskContext) -> list[str]:
        worker_threads.append(threading.get_ident())
        return [r[0] for r in ctx.db.execute("SELECT text FROM mentions ORDER BY id")]

    def done(rows: list[str]) -> None:
        callback_threads.append(threading.get_ident())
        results.append(rows)

    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        runner.op(work).success(done).start()
    assert results == [["one", "two"]]
    assert worker_threads and worker_threads[0] != gui_thread
    assert callback_threads == [gui_thread]


def test_failure_handler_gets_the_exception_and_no_dialog_opens(db_path: Path, qtbot) -> None:
    runner = SyncTaskRunner(db_path)
    failures: list[BaseException] = []
    successes: list[object] = []

    def work(ctx: TaskContext) -> None:
        raise CrisisdeskError("The file is empty.", hint="Pick another file.")

    runner.op(work).success(successes.append).failure(failures.append).start()
    assert successes == []
    assert [str(e) for e in failures] == ["The file is empty."]
    assert _open_boxes() == []


def test_unhandled_user_error_shows_its_message_and_hint(
    db_path: Path, qtbot, parent_widget: QWidget
) -> None:
    runner = SyncTaskRunner(db_path)
    runner.set_error_parent(lambda: parent_widget)

    def work(ctx: TaskContext) -> None:
        raise CrisisdeskError("That search is not valid.", hint="Close the quote.")

    runner.op(work).start()
    boxes = _open_boxes()
    assert len(boxes) == 1
    box = boxes[0]
    assert box.text() == "That search is not valid."
    assert box.informativeText() == "Close the quote."
    assert box.detailedText() == ""  # a user error is not a bug: no traceback
    assert box.parent() is parent_widget
    box.close()


def test_unhandled_bug_shows_something_went_wrong_with_details(db_path: Path, qtbot) -> None:
    runner = SyncTaskRunner(db_path)

    def work(ctx: TaskContext) -> float:
        return 1 / 0

    runner.op(work).start()
    boxes = _open_boxes()
    assert len(boxes) == 1
    box = boxes[0]
    assert box.windowTitle() == errors.BUG_TITLE
    assert "Your data is safe" in box.text()
    assert "ZeroDivisionError" in box.detailedText()
    assert "Traceback" in box.detailedText()
    box.close()
    qtbot.waitUntil(lambda: not _open_boxes())


def test_unhandled_failure_in_a_thread_reaches_the_user(db_path: Path, qtbot, pool) -> None:
    runner = TaskRunner(db_path, pool=pool)

    def work(ctx: TaskContext) -> None:
        raise KeyError("missing")

    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        runner.op(work).start()
    boxes = _open_boxes()
    assert len(boxes) == 1 and "KeyError" in boxes[0].detailedText()
    boxes[0].close()


def test_cancel_stops_a_cooperative_task(db_path: Path, qtbot, pool) -> None:
    runner = TaskRunner(db_path, pool=pool)
    started = threading.Event()
    outcome: list[str] = []

    def work(ctx: TaskContext) -> str:
        started.set()
        for _ in range(10_000):
            ctx.raise_if_cancelled()
            threading.Event().wait(0.001)
        return "finished"

    handle = (
        runner.op(work)
        .success(lambda _r: outcome.append("success"))
        .failure(lambda _e: outcome.append("failure"))
        .cancelled(lambda: outcome.append("cancelled"))
        .start()
    )
    assert started.wait(5)
    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        handle.cancel()
    assert outcome == ["cancelled"]
    assert handle.done and handle.cancelled
    assert _open_boxes() == []


def test_cancel_interrupts_a_running_sqlite_query(db, db_path: Path, qtbot, pool) -> None:
    runner = TaskRunner(db_path, pool=pool)
    started = threading.Event()
    outcome: list[str] = []
    slow = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000)"
        " SELECT count(*) FROM n"
    )

    def work(ctx: TaskContext) -> int:
        ctx.db.execute("SELECT 1")  # connection open before we say we started
        started.set()
        return ctx.db.execute(slow).fetchone()[0]

    handle = (
        runner.op(work)
        .success(lambda _r: outcome.append("success"))
        .cancelled(lambda: outcome.append("cancelled"))
        .start()
    )
    assert started.wait(5)
    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        handle.cancel()
    assert outcome == ["cancelled"]
    assert _open_boxes() == []  # an interrupted query after cancel is not an error


def test_task_raising_task_cancelled_counts_as_cancelled_not_failed(db_path: Path, qtbot) -> None:
    runner = SyncTaskRunner(db_path)
    outcome: list[str] = []

    def work(ctx: TaskContext) -> None:
        raise TaskCancelled()

    runner.op(work).success(lambda _r: outcome.append("success")).cancelled(
        lambda: outcome.append("cancelled")
    ).start()
    assert outcome == ["cancelled"]
    assert _open_boxes() == []


def test_a_task_queued_behind_others_and_cancelled_never_runs(db_path: Path, qtbot) -> None:
    pool = QThreadPool()
    pool.setMaxThreadCount(1)
    runner = TaskRunner(db_path, pool=pool)
    release = threading.Event()
    ran: list[str] = []
    runner.op(lambda ctx: release.wait(5)).start()
    queued = runner.op(lambda ctx: ran.append("queued")).start()
    queued.cancel()
    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        release.set()
    qtbot.waitUntil(lambda: runner.active_count == 0)
    pool.waitForDone(5000)
    assert ran == []
    assert queued.cancelled


def test_progress_reaches_the_gui_with_the_last_update(db_path: Path, qtbot) -> None:
    runner = SyncTaskRunner(db_path)
    updates: list[tuple[int, int, str]] = []

    def work(ctx: TaskContext) -> str:
        for i in range(1, 101):
            ctx.report(i, 100, f"row {i}")
        return "ok"

    result: list[str] = []
    runner.op(work).on_progress_update(
        lambda done, total, text: updates.append((done, total, text))
    ).success(result.append).progress("Working…").start()
    assert result == ["ok"]
    assert updates[0] == (1, 100, "row 1")
    assert updates[-1] == (100, 100, "row 100")  # the final update is never dropped
    assert [u[0] for u in updates] == sorted(u[0] for u in updates)


def test_progress_dialog_cancel_button_cancels(db_path: Path, qtbot, pool, parent_widget) -> None:
    runner = TaskRunner(db_path, pool=pool)
    started = threading.Event()
    outcome: list[str] = []

    def work(ctx: TaskContext) -> None:
        started.set()
        for _ in range(2500):  # bounded, so a broken cancel fails instead of hanging
            ctx.raise_if_cancelled()
            threading.Event().wait(0.002)

    handle = (
        runner.op(work)
        .cancelled(lambda: outcome.append("cancelled"))
        .progress("Importing…", parent=parent_widget)
        .start()
    )
    assert started.wait(5)
    dialog = handle._job.dialog
    assert dialog is not None and dialog.labelText() == "Importing…"
    cancel_button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    assert outcome == ["cancelled"]
    assert handle._job.dialog is None


def test_shutdown_cancels_running_tasks(db_path: Path, qtbot, pool) -> None:
    runner = TaskRunner(db_path, pool=pool)
    started = threading.Event()

    def work(ctx: TaskContext) -> None:
        started.set()
        for _ in range(2500):
            ctx.raise_if_cancelled()
            threading.Event().wait(0.002)

    runner.op(work).start()
    assert started.wait(5)
    runner.shutdown(5000)
    assert pool.activeThreadCount() == 0
    qtbot.waitUntil(lambda: runner.active_count == 0)


def test_partial_results_reach_the_gui_thread_in_order_before_the_end(
    db_path: Path, qtbot, pool
) -> None:
    runner = TaskRunner(db_path, pool=pool)
    gui_thread = threading.get_ident()
    seen: list[tuple[object, int]] = []
    progress: list[tuple[int, int, str]] = []

    def work(ctx: TaskContext) -> str:
        for i in range(50):
            ctx.publish(("account", i))  # published items are never dropped
            ctx.report(i + 1, 50, "")
        return "done"

    def partial(item: object) -> None:
        seen.append((item, threading.get_ident()))

    def success(result: str) -> None:
        seen.append((result, threading.get_ident()))

    with qtbot.waitSignal(runner.taskFinished, timeout=5000):
        runner.op(work).partial(partial).on_progress_update(
            lambda *update: progress.append(update)
        ).success(success).start()
    assert [item for item, _ in seen] == [("account", i) for i in range(50)] + ["done"]
    assert {thread for _, thread in seen} == {gui_thread}
    assert progress[-1] == (50, 50, "")  # progress travels the same channel, throttled


def test_cancel_from_a_partial_result_with_the_handle_from_started(db_path: Path, qtbot) -> None:
    runner = SyncTaskRunner(db_path)  # runs inside start(): only started() has the handle yet
    handles: list[object] = []
    seen: list[object] = []
    outcome: list[str] = []

    def work(ctx: TaskContext) -> None:
        for i in range(10):
            if ctx.cancelled:
                return
            ctx.publish(i)

    def partial(item: object) -> None:
        seen.append(item)
        if item == 2:
            handles[0].cancel()  # type: ignore[attr-defined]

    runner.op(work).started(handles.append).partial(partial).success(
        lambda _r: outcome.append("success")
    ).cancelled(lambda: outcome.append("cancelled")).start()
    assert seen == [0, 1, 2]
    assert outcome == ["cancelled"]


def test_task_connections_use_the_runners_busy_timeout(db_path: Path, qtbot) -> None:
    results: list[int] = []
    for runner in (SyncTaskRunner(db_path, busy_timeout_ms=25), SyncTaskRunner(db_path)):
        runner.op(lambda ctx: ctx.db.execute("PRAGMA busy_timeout").fetchone()[0]).success(
            results.append
        ).start()
    from crisisdesk.store.db import BUSY_TIMEOUT_MS

    assert results == [25, BUSY_TIMEOUT_MS]


def test_shutdown_lets_an_uninterruptible_change_finish(db_path: Path, qtbot, pool) -> None:
    runner = TaskRunner(db_path, pool=pool)
    started = threading.Event()
    outcome: list[str] = []

    def work(ctx: TaskContext) -> str:
        started.set()
        for _ in range(20):
            ctx.raise_if_cancelled()
            threading.Event().wait(0.005)
        return "saved"

    runner.op(work).uninterruptible().success(outcome.append).cancelled(
        lambda: outcome.append("cancelled")
    ).start()
    assert started.wait(5)
    runner.shutdown(5000)
    qtbot.waitUntil(lambda: runner.active_count == 0)
    assert outcome == ["saved"]


def test_show_failure_is_the_default_failure_path(db_path: Path, qtbot, parent_widget) -> None:
    runner = SyncTaskRunner(db_path)
    runner.set_error_parent(lambda: parent_widget)
    try:
        {}["missing"]
    except KeyError as exc:
        runner.show_failure(exc)
    (box,) = _open_boxes()
    assert box.parent() is parent_widget
    assert "KeyError" in box.detailedText() and "Traceback" in box.detailedText()
    box.close()


def _ended_then_cancelled(runner: TaskRunner, pool: QThreadPool, task) -> list[object]:
    """Start *task*, let its end be queued for the GUI thread, then cancel before it arrives."""
    seen: list[object] = []
    handle = (
        task.partial(lambda item: seen.append(("partial", item)))
        .success(lambda result: seen.append(("success", result)))
        .failure(lambda exc: seen.append(("failure", exc)))
        .cancelled(lambda: seen.append("cancelled"))
        .start()
    )
    pool.waitForDone(5000)  # the worker is done; its signals wait in the GUI's queue
    handle.cancel()
    QApplication.processEvents()
    return seen


def _publish_and_return(ctx: TaskContext) -> str:
    ctx.publish("half")
    return "all"


def test_a_cancel_after_the_result_was_queued_delivers_cancelled_only(db_path: Path, qtbot, pool):
    runner = TaskRunner(db_path, pool=pool)
    assert _ended_then_cancelled(runner, pool, runner.op(_publish_and_return)) == ["cancelled"]

    def fail(_ctx: TaskContext) -> None:
        raise CrisisdeskError("no")

    assert _ended_then_cancelled(runner, pool, runner.op(fail)) == ["cancelled"]
    assert not _open_boxes()


def test_an_uninterruptible_task_reports_its_end_even_after_a_cancel(db_path: Path, qtbot, pool):
    runner = TaskRunner(db_path, pool=pool)
    seen = _ended_then_cancelled(runner, pool, runner.op(_publish_and_return).uninterruptible())
    assert seen == [("partial", "half"), ("success", "all")]


def test_partial_results_after_cancel_reach_a_caller_that_asks_for_them(db_path: Path, qtbot, pool):
    runner = TaskRunner(db_path, pool=pool)  # an import's summary must list every file
    seen: list[object] = []
    handle = (
        runner.op(_publish_and_return)
        .partial(seen.append, after_cancel=True)
        .success(seen.append)
        .cancelled(lambda: seen.append("cancelled"))
        .start()
    )
    pool.waitForDone(5000)
    handle.cancel()
    QApplication.processEvents()
    assert seen == ["half", "cancelled"]
