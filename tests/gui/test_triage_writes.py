"""The triage write queue when the undo stack moves ahead of the writes (Ctrl+Z, a new change).

A held pool runs each write only when the test says so (Picard's fake pool, but deferred), so
the order of "asked for" and "landed" is exact.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import mentions as stored
from crisisdesk.store import open_database
from crisisdesk.ui.dialogs.assign_dialog import AssignDialog
from crisisdesk.ui.dialogs.follow_up_dialog import FollowUpDialog
from crisisdesk.ui.dialogs.label_picker import LabelPicker
from crisisdesk.ui.inbox.triage import TriageController
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import TaskRunner
from tests.helpers.builders import insert_mentions, mention_row


class HeldPool:
    """A "thread pool" that runs its work in the calling thread, one job when told."""

    def __init__(self) -> None:
        self.work: list[Callable[[], None]] = []

    def start(self, work: Callable[[], None]) -> None:
        self.work.append(work)

    def waitForDone(self, msecs: int = -1) -> bool:
        return not self.work

    def run_next(self) -> None:
        self.work.pop(0)()

    def run_all(self) -> None:
        while self.work:
            self.run_next()


class Held:
    def __init__(self, qtbot, db, db_path) -> None:
        self.db = db
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.stack = QUndoStack(self.window)
        self.pool = HeldPool()
        self.runner = TaskRunner(db_path, pool=self.pool)  # type: ignore[arg-type]
        self.runner.set_error_parent(lambda: self.window)
        self.selection: list[int] = []
        self.controller = TriageController(
            self.runner, self.stack, lambda: self.selection, self.window
        )

    def statuses(self, ids):
        return [stored.get(self.db, i).status for i in ids]

    def texts(self):
        return [self.stack.command(i).text() for i in range(self.stack.count())]


@pytest.fixture
def held(qtbot, db, db_path):
    return Held(qtbot, db, db_path)


def test_a_new_change_over_an_undone_waiting_change_still_undoes_it_and_writes_on(held, db):
    h = held
    a, b = insert_mentions(db, [mention_row(status="new"), mention_row(status="new")])
    h.selection = [a]
    h.controller.set_status("replied")  # waits (e.g. for a sync's write lock)
    h.stack.undo()  # Ctrl+Z at once
    h.selection = [b]
    h.controller.set_status("archived")  # the stack deletes the undone command here
    assert h.texts() == ["Mark 1 mention as archived"]
    h.pool.run_next()  # "replied" lands on a command the stack no longer has
    h.pool.run_all()
    assert h.controller.idle
    assert h.statuses([a, b]) == ["new", "archived"]
    assert h.texts() == ["Mark 1 mention as archived"] and h.stack.index() == 1


def test_a_busy_write_under_a_deleted_command_steps_the_stack_back_cleanly(
    held, db, db_path, qtbot
):
    h = held
    h.window.show()
    h.runner.busy_timeout_ms = 50
    a, b = insert_mentions(db, [mention_row(status="new"), mention_row(status="new")])
    h.selection = [a]
    h.controller.set_status("replied")
    h.stack.undo()
    h.selection = [b]
    h.controller.set_status("archived")
    other = open_database(db_path)
    other.execute("BEGIN IMMEDIATE")
    try:
        h.pool.run_next()  # stays busy: it and everything behind it are dropped
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert h.controller.idle and not h.pool.work
    boxes = [box for box in h.window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1 and "busy" in boxes[0].text()
    boxes[0].close()
    assert h.statuses([a, b]) == ["new", "new"]
    assert h.stack.count() == 0


def test_a_change_that_changed_nothing_leaves_the_redo_side_too(held, db):
    h = held
    (a,) = insert_mentions(db, [mention_row(status="replied")])
    h.selection = [a]
    h.controller.set_status("open")
    h.pool.run_all()  # settled: replied -> open
    h.controller.set_status("open")  # will change nothing
    h.stack.undo()  # its undo: queued, nothing to put back
    h.stack.undo()  # undo "replied -> open": queued
    h.pool.run_all()
    assert h.statuses([a]) == ["replied"]
    # only the real change is left, on the redo side, with its own text
    assert h.texts() == ["Mark 1 mention as open"] and h.stack.index() == 0
    h.stack.redo()
    h.pool.run_all()
    assert h.statuses([a]) == ["open"]
    assert not h.stack.canRedo() and h.stack.redoText() == ""


def test_an_unchanged_command_under_a_newer_one_leaves_without_moving_the_rest(held, db):
    h = held
    a, b = insert_mentions(db, [mention_row(status="open"), mention_row(status="new")])
    h.selection = [a]
    h.controller.set_status("open")  # will change nothing
    h.selection = [b]
    h.controller.set_status("replied")  # pushed on top before the first landed
    h.pool.run_all()
    assert h.texts() == ["Mark 1 mention as replied"] and h.stack.index() == 1
    assert h.statuses([a, b]) == ["open", "replied"]
    h.stack.undo()
    h.pool.run_all()
    assert h.statuses([a, b]) == ["open", "new"] and h.controller.idle


def test_closing_the_window_writes_the_queued_changes_first(qtbot, db, db_path):
    a, b = insert_mentions(db, [mention_row(status="new"), mention_row(status="new")])
    pool = QThreadPool()
    window = MainWindow(db, db_path, Settings(DictStorage()), TaskRunner(db_path, pool=pool))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 2)
    other = sqlite3.connect(db_path, isolation_level=None)  # e.g. a sync, writing 300 ms more
    other.execute("BEGIN IMMEDIATE")
    QTimer.singleShot(300, lambda: other.execute("ROLLBACK"))
    window.triage.set_assignee("Sam", [a])
    window.triage.set_assignee("Kim", [b])  # queued behind the first, not yet in the pool
    window.close()
    pool.waitForDone(5000)
    other.close()
    assert [stored.get(db, i).assignee for i in (a, b)] == ["Sam", "Kim"]
    assert window.triage.idle


def test_a_write_failing_while_closing_is_logged_with_what_was_lost(held, db, db_path, caplog):
    h = held
    h.window.show()
    h.runner.busy_timeout_ms = 50
    (a,) = insert_mentions(db, [mention_row(status="new")])
    h.selection = [a]
    h.controller.set_status("replied")
    h.stack.undo()
    other = open_database(db_path)
    other.execute("BEGIN IMMEDIATE")
    try:
        QTimer.singleShot(0, h.pool.run_next)  # runs inside the closing wait, stays busy
        lost = h.controller.flush(2000)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert lost == ["Mark 1 mention as replied", "Undo: Mark 1 mention as replied"]
    assert "could be saved: Mark 1 mention as replied" in caplog.text
    assert "busy" in caplog.text
    assert h.controller.idle and h.statuses([a]) == ["new"]


def test_closing_stops_waiting_after_the_time_given(held, db):
    h = held
    a, b = insert_mentions(db, [mention_row(status="new"), mention_row(status="new")])
    h.selection = [a]
    h.controller.set_status("replied")
    h.selection = [b]
    h.controller.set_status("open")
    lost = h.controller.flush(100)  # the pool never runs them
    assert lost == ["Mark 1 mention as replied", "Mark 1 mention as open"]


def test_a_second_press_while_a_dialog_loads_or_is_open_opens_no_second_one(held, db, monkeypatch):
    h = held
    (a,) = insert_mentions(db, [mention_row()])
    h.selection = [a]
    opened: list[str] = []

    def exec_(dialog):
        opened.append(type(dialog).__name__)
        h.controller.assign()  # pressed again while the dialog is open
        return QDialog.DialogCode.Rejected

    for cls in (AssignDialog, LabelPicker, FollowUpDialog):
        monkeypatch.setattr(cls, "exec", exec_)
    for press in (h.controller.assign, h.controller.edit_labels, h.controller.follow_up):
        press()
        press()  # before the first one's data was read
        assert len(h.pool.work) == 1
        h.pool.run_all()
    assert opened == ["AssignDialog", "LabelPicker", "FollowUpDialog"]
