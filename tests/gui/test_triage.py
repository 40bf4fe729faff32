"""Triage actions: statuses, assign, labels, follow-ups — each in the audit log and undoable."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from crisisdesk.store import events, follow_ups, labels, mentions, open_database
from crisisdesk.store.follow_ups import Plan
from crisisdesk.ui.dialogs.assign_dialog import AssignDialog
from crisisdesk.ui.dialogs.follow_up_dialog import FollowUpDialog, default_due
from crisisdesk.ui.dialogs.label_picker import LabelPicker
from crisisdesk.ui.inbox.triage import STATUS_ACTIONS, TriageController
from crisisdesk.ui.tasks import SyncTaskRunner, TaskRunner
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


class Harness:
    def __init__(self, qtbot, db, db_path):
        self.db = db
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.stack = QUndoStack(self.window)
        self.selection: list[int] = []
        # immediate: every write has landed when the call returns
        self.runner = SyncTaskRunner(db_path)
        self.runner.set_error_parent(lambda: self.window)
        self.controller = TriageController(
            self.runner, self.stack, lambda: self.selection, self.window
        )
        self.changed: list[list[int]] = []
        self.controller.mentionsChanged.connect(self.changed.append)
        self.messages: list[str] = []
        self.controller.statusMessage.connect(self.messages.append)

    def select(self, ids):
        self.selection = list(ids)
        self.controller.update_enabled()

    def statuses(self, ids):
        return [mentions.get(self.db, i).status for i in ids]

    def assignees(self, ids):
        return [mentions.get(self.db, i).assignee for i in ids]


@pytest.fixture
def h(qtbot, db, db_path):
    return Harness(qtbot, db, db_path)


def _status_events(db, mid):
    return [(e.old, e.new) for e in events.for_entity(db, "mention", mid) if e.action == "status"]


def test_actions_are_disabled_without_selection_and_have_distinct_single_keys(h):
    actions = [a for a in h.controller.actions() if not a.isSeparator()]
    assert actions and not any(a.isEnabled() for a in actions)
    keys = [a.shortcut().toString() for a in h.controller.status_actions.values()]
    assert len(set(keys)) == len(keys) == len(STATUS_ACTIONS)
    assert all(len(k) == 1 for k in keys)
    all_keys = {a.shortcut().toString().lower() for a in actions}
    assert not all_keys & {"j", "k", "/"}
    assert len(all_keys) == len(actions)
    h.select([1])
    assert all(a.isEnabled() for a in actions)


def test_mark_replied_then_undo_restores_each_previous_status_then_redo(h, db, qtbot):
    a, b, c, d = insert_mentions(
        db,
        [
            mention_row(status="new"),
            mention_row(status="open"),
            mention_row(status="resolved"),
            mention_row(status="replied"),
        ],
    )
    h.select([a, b, c, d])

    with qtbot.waitSignal(h.controller.mentionsChanged) as sig:
        h.controller.status_actions["replied"].trigger()

    assert sig.args == [[a, b, c]]  # d was already replied: not a change
    assert h.statuses([a, b, c, d]) == ["replied"] * 4
    assert _status_events(db, a) == [("new", "replied")]
    assert _status_events(db, d) == []
    assert h.stack.count() == 1
    assert h.stack.undoText() == "Mark 3 mentions as replied"
    assert "Undo with Ctrl+Z" in h.messages[-1]

    with qtbot.waitSignal(h.controller.mentionsChanged) as sig:
        h.stack.undo()
    assert sorted(sig.args[0]) == [a, b, c]
    assert h.statuses([a, b, c, d]) == ["new", "open", "resolved", "replied"]
    assert _status_events(db, b) == [("open", "replied"), ("replied", "open")]

    h.stack.redo()
    assert h.statuses([a, b, c, d]) == ["replied"] * 4
    assert _status_events(db, c) == [
        ("resolved", "replied"),
        ("replied", "resolved"),
        ("resolved", "replied"),
    ]


def test_nothing_to_change_pushes_no_command(h, db):
    (a,) = insert_mentions(db, [mention_row(status="archived")])
    h.select([a])
    h.controller.set_status("archived")
    assert h.stack.count() == 0
    assert h.messages == ["Already archived."]
    assert not h.changed


def test_archive_never_deletes(h, db):
    ids = insert_mentions(db, [mention_row(), mention_row()])
    before = len(table_snapshot(db))
    h.select(ids)
    h.controller.status_actions["archived"].trigger()
    assert len(table_snapshot(db)) == before
    assert h.statuses(ids) == ["archived", "archived"]


def test_two_changes_undo_in_reverse_order(h, db):
    (a,) = insert_mentions(db, [mention_row(status="new")])
    h.select([a])
    h.controller.set_status("open")
    h.controller.set_status("offline")
    h.stack.undo()
    assert h.statuses([a]) == ["open"]
    h.stack.undo()
    assert h.statuses([a]) == ["new"]
    assert not h.stack.canUndo()


def test_assign_with_dialog_previous_names_and_undo(h, db, monkeypatch):
    a, b, c = insert_mentions(db, [mention_row(), mention_row(), mention_row()])
    mentions.set_assignee(db, [b], "Priya")
    mentions.set_assignee(db, [c], "Sam")
    seen_names = []

    def fake_exec(dialog):
        seen_names.extend(dialog.name_box.itemText(i) for i in range(dialog.name_box.count()))
        dialog.name_box.setCurrentText("  Sam  ")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AssignDialog, "exec", fake_exec)
    h.select([a, b, c])

    h.controller.assign_action.trigger()

    assert seen_names == ["Sam", "Priya"]
    assert h.assignees([a, b, c]) == ["Sam", "Sam", "Sam"]
    assert h.stack.undoText() == "Assign 2 mentions to Sam"
    h.stack.undo()
    assert h.assignees([a, b, c]) == [None, "Priya", "Sam"]
    h.stack.redo()
    assert h.assignees([a, b, c]) == ["Sam", "Sam", "Sam"]


def test_assign_with_empty_name_unassigns(h, db, monkeypatch):
    (a,) = insert_mentions(db, [mention_row()])
    mentions.set_assignee(db, [a], "Sam")

    def fake_exec(dialog):
        assert dialog.name_box.currentText() == "Sam"  # the current assignee is offered
        dialog.name_box.setCurrentText("")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AssignDialog, "exec", fake_exec)
    h.select([a])
    h.controller.assign()
    assert h.assignees([a]) == [None]
    h.stack.undo()
    assert h.assignees([a]) == ["Sam"]


def test_real_modal_assign_dialog_typed_and_accepted(h, db, qtbot):
    (a,) = insert_mentions(db, [mention_row()])
    h.select([a])

    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AssignDialog)
        qtbot.keyClicks(dialog.name_box.lineEdit(), "Jo")
        qtbot.keyClick(dialog.name_box.lineEdit(), Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)
    h.controller.assign()
    assert h.assignees([a]) == ["Jo"]
    assert h.stack.count() == 1


def test_cancelled_dialogs_change_nothing(h, db, monkeypatch):
    (a,) = insert_mentions(db, [mention_row()])
    h.select([a])
    for cls in (AssignDialog, LabelPicker, FollowUpDialog):
        monkeypatch.setattr(cls, "exec", lambda _d: QDialog.DialogCode.Rejected)
    snapshot = [table_snapshot(db, t) for t in ("mentions", "events", "mention_labels")]
    h.controller.assign()
    h.controller.edit_labels()
    h.controller.follow_up()
    assert [table_snapshot(db, t) for t in ("mentions", "events", "mention_labels")] == snapshot
    assert h.stack.count() == 0


def _tick(dialog, name, state):
    for row in range(dialog.list.count()):
        if dialog.list.item(row).text() == name:
            dialog.list.item(row).setCheckState(state)
            return
    raise AssertionError(name)


def test_labels_dialog_adds_new_and_removes_then_undo_restores_exact_sets(h, db, monkeypatch):
    a, b = insert_mentions(db, [mention_row(), mention_row()])
    labels.add(db, [a], "press")
    labels.add(db, [a, b], "vip")
    states = {}

    def fake_exec(dialog):
        for row in range(dialog.list.count()):
            item = dialog.list.item(row)
            states[item.text()] = item.checkState()
        _tick(dialog, "vip", Qt.CheckState.Unchecked)
        dialog.new_edit.setText("Refund")
        dialog.add_new()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LabelPicker, "exec", fake_exec)
    h.select([a, b])
    h.controller.labels_action.trigger()

    assert states == {"press": Qt.CheckState.PartiallyChecked, "vip": Qt.CheckState.Checked}
    assert labels.for_mentions(db, [a, b]) == {a: ("press", "Refund"), b: ("Refund",)}
    h.stack.undo()
    assert labels.for_mentions(db, [a, b]) == {a: ("press", "vip"), b: ("vip",)}
    h.stack.redo()
    assert labels.for_mentions(db, [a, b]) == {a: ("press", "Refund"), b: ("Refund",)}
    label_events = [e for e in events.for_entity(db, "mention", b) if e.action == "label"]
    assert len(label_events) == 1 + 2 + 2 + 2  # initial vip, change, undo, redo


def test_label_picker_rejects_a_bad_name_inline(qtbot, db):
    dialog = LabelPicker([], {1: ()})
    qtbot.addWidget(dialog)
    dialog.new_edit.setText("\u200b\u200bsneaky\u200b")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_label.isVisibleTo(dialog)
    assert "control characters" in dialog.error_label.text()
    assert dialog.changes() == ([], [])


def test_follow_up_dialog_then_clear_with_undo(h, db, monkeypatch):
    a, b = insert_mentions(db, [mention_row(), mention_row()])
    follow_ups.schedule(db, [b], "2026-12-01T09:00:00Z", "old note")
    target = datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=3)

    def fake_exec(dialog):
        from PySide6.QtCore import QDateTime

        dialog.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(target.timestamp())))
        dialog.note_edit.setText("ask about the refund")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(FollowUpDialog, "exec", fake_exec)
    h.select([a, b])
    h.controller.follow_up_action.trigger()

    due = target.strftime("%Y-%m-%dT%H:%M:%SZ")
    pending = follow_ups.pending_for(db, [a, b])
    assert {k: (v.due_at, v.note) for k, v in pending.items()} == {
        a: (due, "ask about the refund"),
        b: (due, "ask about the refund"),
    }
    h.stack.undo()
    pending = follow_ups.pending_for(db, [a, b])
    assert {k: (v.due_at, v.note) for k, v in pending.items()} == {
        b: ("2026-12-01T09:00:00Z", "old note")
    }
    h.stack.redo()
    h.controller.clear_follow_up_action.trigger()
    assert follow_ups.pending_for(db, [a, b]) == {}
    h.stack.undo()
    assert follow_ups.pending_for(db, [a, b])[a].due_at == due
    # rows are only ever closed, never deleted: old, set, undo, redo, undo of clear
    assert len(follow_ups.history(db, b)) == 5
    assert [f.done_at is None for f in follow_ups.history(db, b)] == [False] * 4 + [True]


def test_follow_up_dialog_defaults_to_tomorrow_morning_and_reads_back(qtbot):
    dialog = FollowUpDialog(2)
    qtbot.addWidget(dialog)
    expected = default_due()
    assert dialog.due() == expected
    assert expected.hour == 9 and expected.minute == 0
    assert expected.date() == (datetime.now().astimezone() + timedelta(days=1)).date()
    plan_due = datetime(2026, 12, 24, 15, 30).astimezone()
    dialog = FollowUpDialog(1, due=plan_due, note="n")
    qtbot.addWidget(dialog)
    assert dialog.due() == plan_due and dialog.note() == "n"


def _error_boxes(h):
    return [b for b in h.window.findChildren(QMessageBox) if b.isVisible()]


def test_store_error_is_shown_and_nothing_is_pushed(h, db, qtbot):
    (a,) = insert_mentions(db, [mention_row()])
    h.window.show()
    h.select([a])
    # a label name the store refuses (too long) reaching change_labels
    h.controller.change_labels(["x" * 100], [])
    (box,) = _error_boxes(h)
    assert "too long" in box.text()
    assert h.stack.count() == 0
    assert labels.for_mention(db, a) == []
    box.close()


def test_busy_database_says_so_and_changes_nothing(h, db, db_path, qtbot):
    a, b = insert_mentions(db, [mention_row(), mention_row(status="open")])
    h.window.show()
    h.select([a, b])
    h.controller.set_status("resolved")
    before = [table_snapshot(db, t) for t in ("mentions", "events")]
    other = open_database(db_path)  # like an import writing on a worker thread
    other.execute("BEGIN IMMEDIATE")
    h.runner.busy_timeout_ms = 20  # the tasks' connections give up quickly
    try:
        h.controller.set_status("archived")
        assert h.stack.count() == 1 and h.stack.index() == 1  # nothing was pushed
        (box,) = _error_boxes(h)
        assert "busy" in box.text() and "Nothing was changed" in box.informativeText()
        box.close()
        h.stack.undo()  # undo while busy: reported too, and the stored state is untouched
        (box,) = _error_boxes(h)
        assert "busy" in box.text()
        box.close()
        assert [table_snapshot(db, t) for t in ("mentions", "events")] == before
        # the stack steps back so it matches what is stored: Ctrl+Z can be pressed again
        qtbot.waitUntil(h.stack.canUndo)
        assert h.stack.index() == 1
        assert [table_snapshot(db, t) for t in ("mentions", "events")] == before
    finally:
        other.execute("ROLLBACK")
        other.close()
    h.stack.undo()
    assert h.statuses([a, b]) == ["new", "open"]


def test_set_plans_value_object_round_trip(h, db):
    (a,) = insert_mentions(db, [mention_row()])
    h.select([a])
    h.controller.set_follow_up(Plan("2026-12-01T09:00:00Z", None))
    assert h.stack.count() == 1
    h.controller.set_follow_up(Plan("2026-12-01T09:00:00Z", None))  # changes nothing
    assert h.messages[-1] == "Nothing to change."
    assert h.stack.count() == 1


@pytest.fixture
def pool(qtbot):
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    yield pool
    pool.waitForDone(10_000)


@pytest.fixture
def threaded(h, db_path, pool):
    """The harness with a real threaded runner: writes land later, through the event loop."""
    h.runner = TaskRunner(db_path, pool=pool)
    h.runner.set_error_parent(lambda: h.window)
    h.controller = TriageController(h.runner, h.stack, lambda: h.selection, h.window)
    h.controller.mentionsChanged.connect(h.changed.append)
    h.controller.statusMessage.connect(h.messages.append)
    return h


def _lock_writes(db_path):
    other = open_database(db_path)  # like an import writing on a worker thread
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_write_waiting_for_the_lock_does_not_block_the_gui_and_lands_after(
    threaded, db, db_path, qtbot
):
    h = threaded
    a, b = insert_mentions(db, [mention_row(status="new"), mention_row(status="replied")])
    h.select([a, b])
    other = _lock_writes(db_path)
    try:
        started = time.monotonic()
        h.controller.set_status("replied")
        assert time.monotonic() - started < 1.0  # the busy timeout is 5 s: not waited here
        # the GUI keeps running while the write waits for the lock
        ticks: list[int] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(1))
        timer.start(20)
        qtbot.wait(300)
        timer.stop()
        assert len(ticks) >= 5
        assert not h.controller.idle and h.changed == []
        assert h.statuses([a, b]) == ["new", "replied"]
    finally:
        other.execute("ROLLBACK")
        other.close()
    with qtbot.waitSignal(h.controller.mentionsChanged, timeout=5000) as sig:
        pass
    assert sig.args == [[a]]
    assert h.statuses([a, b]) == ["replied", "replied"]
    assert h.stack.count() == 1 and h.stack.undoText() == "Mark 1 mention as replied"
    assert h.messages[-1] == "Marked 1 mention as replied. Undo with Ctrl+Z."
    qtbot.waitUntil(lambda: h.controller.idle)


def test_undo_pressed_while_the_change_waits_undoes_that_change_once_it_landed(
    threaded, db, db_path, qtbot
):
    h = threaded
    a, b = insert_mentions(db, [mention_row(status="new"), mention_row(status="open")])
    h.select([a, b])
    other = _lock_writes(db_path)
    try:
        h.controller.set_status("resolved")
        h.stack.undo()  # at once, before the write could land
        assert h.stack.index() == 0 and h.stack.canRedo()
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(lambda: h.controller.idle and len(h.changed) == 2, timeout=5000)
    assert h.changed == [[a, b], [a, b]]
    assert h.statuses([a, b]) == ["new", "open"]
    assert _status_events(db, b) == [("open", "resolved"), ("resolved", "open")]
    assert h.stack.index() == 0 and h.stack.count() == 1
    h.stack.redo()
    qtbot.waitUntil(lambda: h.controller.idle and h.statuses([a, b]) == ["resolved"] * 2)


def test_a_write_that_stays_busy_reports_and_leaves_the_stack_as_stored(
    threaded, db, db_path, qtbot
):
    h = threaded
    (a,) = insert_mentions(db, [mention_row(status="new")])
    h.window.show()
    h.select([a])
    h.controller.set_status("open")
    qtbot.waitUntil(lambda: h.controller.idle, timeout=5000)
    h.runner.busy_timeout_ms = 100
    before = [table_snapshot(db, t) for t in ("mentions", "events")]
    other = _lock_writes(db_path)
    try:
        h.controller.set_status("archived")  # pushed at once, waits, fails: taken back
        h.stack.undo()  # undoes "archived" at once; queued behind it, dropped with it
        qtbot.waitUntil(lambda: bool(_error_boxes(h)), timeout=5000)
        qtbot.waitUntil(lambda: h.controller.idle, timeout=5000)
        (box,) = _error_boxes(h)
        assert "busy" in box.text() and "Nothing was changed" in box.informativeText()
        box.close()
        assert h.stack.count() == 1 and h.stack.index() == 1
        assert h.stack.undoText() == "Mark 1 mention as open"
        assert [table_snapshot(db, t) for t in ("mentions", "events")] == before
    finally:
        other.execute("ROLLBACK")
        other.close()
    h.stack.undo()
    qtbot.waitUntil(lambda: h.controller.idle and h.statuses([a]) == ["new"], timeout=5000)
