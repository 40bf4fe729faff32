"""Keyboard-only triage through the real main window: j/k, status keys, undo/redo, Enter, /."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import events, mentions
from crisisdesk.ui.dialogs.assign_dialog import AssignDialog
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row

HTML = '<b>never</b> <a href="https://evil.example">rendered</a>'


@pytest.fixture
def ids(db):
    # default sort is priority, highest first: a, b, c, d, e
    return insert_mentions(
        db,
        [
            mention_row(priority=90, status="new", url="https://social.example/@a/1"),
            mention_row(priority=70, status="open", text=HTML),
            mention_row(priority=50, status="new"),
            mention_row(priority=30, status="resolved"),
            mention_row(priority=10, status="new", url=None),
        ],
    )


@pytest.fixture
def window(qtbot, db, db_path, ids):
    win = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.inbox.focus_list()
    qtbot.waitUntil(win.inbox.table.hasFocus)
    return win


def when_modal(cls, act):
    """Run *act* on the modal dialog of type *cls* once it is open (exec() blocks the test)."""

    def poll():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, cls) and QApplication.activeWindow() is dialog:
            act(dialog)
            return
        if isinstance(dialog, cls):
            dialog.activateWindow()  # the offscreen platform does not activate it by itself
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def _key(qtbot, win, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget() or win, key, modifier)


def _statuses(db, ids):
    return [mentions.get(db, i).status for i in ids]


def test_move_mark_undo_redo_with_keys_only(window, qtbot, db, ids):
    a, b, c, d, e = ids
    table = window.inbox.table
    assert window.inbox.selected_ids() == [a]
    assert window.detail.mention_id == a

    _key(qtbot, window, Qt.Key.Key_J)
    assert window.inbox.selected_ids() == [b]
    assert window.detail.mention_id == b
    assert window.detail.text_view.toPlainText() == HTML  # literal, in the real window too

    with qtbot.waitSignal(window.triage.mentionsChanged):
        _key(qtbot, window, Qt.Key.Key_R)
    assert _statuses(db, [b]) == ["replied"]
    assert window.statusBar().currentMessage() == ("Marked 1 mention as replied. Undo with Ctrl+Z.")
    # the selection moved on to the next mention, as in mail programs
    assert window.inbox.selected_ids() == [c]
    _key(qtbot, window, Qt.Key.Key_K)
    assert window.detail.status_label.text() == "Replied"
    assert "Open → Replied" in window.detail.history_view.toPlainText()

    # several rows at once: c and d (d is resolved already and must stay untouched)
    _key(qtbot, window, Qt.Key.Key_J)
    _key(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert window.inbox.selected_ids() == [c, d]
    assert window.detail.mention_id is None  # "2 mentions selected"
    _key(qtbot, window, Qt.Key.Key_D)
    assert _statuses(db, [a, b, c, d, e]) == ["new", "replied", "resolved", "resolved", "new"]

    _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _statuses(db, [a, b, c, d, e]) == ["new", "replied", "new", "resolved", "new"]
    _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _statuses(db, [b]) == ["open"]
    _key(
        qtbot,
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier,
    )
    assert _statuses(db, [b]) == ["replied"]
    # the list repainted the changed row in place
    status_col = next(
        i
        for i in range(window.inbox.model.columnCount())
        if window.inbox.model.headerData(i, Qt.Orientation.Horizontal) == "Status"
    )
    row_b = window.inbox.model.row_of(b)
    assert window.inbox.model.index(row_b, status_col).data() == "Replied"
    # every change and every undo is in the audit log
    assert [
        (ev.old, ev.new) for ev in events.for_entity(db, "mention", b) if ev.action == "status"
    ] == [("open", "replied"), ("replied", "open"), ("open", "replied")]
    assert table.hasFocus()


def test_k_moves_up_and_keys_do_nothing_without_selection(window, qtbot, db, ids):
    a, _b, *_ = ids
    _key(qtbot, window, Qt.Key.Key_J)
    _key(qtbot, window, Qt.Key.Key_K)
    assert window.inbox.selected_ids() == [a]
    window.inbox.table.clearSelection()
    qtbot.waitUntil(lambda: not window.triage.status_actions["archived"].isEnabled())
    _key(qtbot, window, Qt.Key.Key_E)
    assert _statuses(db, ids).count("archived") == 0
    assert window.undo_stack.count() == 0


def test_slash_focuses_search_and_letters_then_type_text(window, qtbot, db, ids):
    _key(qtbot, window, Qt.Key.Key_Slash)
    search = window.inbox.filter_bar.search
    qtbot.waitUntil(search.hasFocus)
    qtbot.keyClicks(search, "rejected")  # r, e, j... are status/move keys in the list
    assert "rejected" in search.text()
    assert _statuses(db, ids) == ["new", "open", "new", "resolved", "new"]
    assert window.undo_stack.count() == 0


def test_enter_opens_the_link_or_goes_to_the_details(window, qtbot, ids, url_catcher):
    _a, *_, e = ids
    _key(qtbot, window, Qt.Key.Key_Return)
    assert url_catcher.urls == ["https://social.example/@a/1"]

    window.inbox.select_ids([e])
    window.inbox.table.setFocus()
    qtbot.waitUntil(window.inbox.table.hasFocus)
    _key(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(window.detail.text_view.hasFocus)
    assert url_catcher.urls == ["https://social.example/@a/1"]


def test_assign_from_the_keyboard_and_context_menu_has_the_actions(window, qtbot, db, ids):
    a = ids[0]

    def type_name(dialog):
        qtbot.keyClicks(dialog.name_box.lineEdit(), "Sam")
        qtbot.keyClick(dialog.name_box.lineEdit(), Qt.Key.Key_Return)

    when_modal(AssignDialog, type_name)
    _key(qtbot, window, Qt.Key.Key_A)
    assert mentions.get(db, a).assignee == "Sam"
    assert window.detail.assignee_label.text() == "Sam"
    window.activateWindow()  # offscreen: the closed dialog does not hand activation back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mentions.get(db, a).assignee is None

    table_actions = window.inbox.table.actions()
    assert window.triage.status_actions["replied"] in table_actions
    assert window.triage.assign_action in table_actions
    assert window.inbox.table.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    menu_texts = [act.text() for act in window.mention_menu.actions()]
    assert "Mark &Replied" in menu_texts
    assert window.triage.status_actions["replied"].shortcut().toString() == "R"


def test_new_label_from_the_keyboard_becomes_a_filter_choice(window, qtbot, db, ids):
    from crisisdesk.store import labels
    from crisisdesk.ui.dialogs.label_picker import LabelPicker

    def add_label(dialog):
        qtbot.keyClicks(dialog.new_edit, "cakegate")
        qtbot.keyClick(dialog.new_edit, Qt.Key.Key_Return)  # adds it, ticked
        dialog.accept()

    when_modal(LabelPicker, add_label)
    _key(qtbot, window, Qt.Key.Key_L)
    assert labels.for_mention(db, ids[0]) == ["cakegate"]
    tag_box = window.inbox.filter_bar.tag
    assert tag_box.findData("cakegate") >= 0
    assert window.detail.labels_label.text() == "cakegate"


def test_a_triage_key_on_another_page_changes_nothing_and_works_again_on_the_inbox(
    window, qtbot, db, ids
):
    a = ids[0]
    assert window.inbox.selected_ids() == [a]
    window.show_page("accounts")
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    _key(qtbot, window, Qt.Key.Key_D)  # the inbox's selection is hidden: no change to it
    assert _statuses(db, [a]) == ["new"]
    assert window.page_undo_stack("inbox").count() == 0
    assert not window.triage.status_actions["resolved"].isEnabled()
    window.show_page("inbox")
    window.inbox.focus_list()
    qtbot.waitUntil(window.inbox.table.hasFocus)
    assert window.triage.status_actions["resolved"].isEnabled()
    _key(qtbot, window, Qt.Key.Key_D)
    assert _statuses(db, [a]) == ["resolved"]
    _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _statuses(db, [a]) == ["new"]


@pytest.mark.parametrize("key", ["F", "A", "L"])
def test_closed_triage_dialogs_are_deleted(window, qtbot, key):
    """Issue 15.12: every closed Follow-up (Assign, Labels) dialog stayed, hidden, in the
    window and in the accessibility tree (two copies after two uses)."""
    from PySide6.QtWidgets import QDialog

    from crisisdesk.ui.dialogs.follow_up_dialog import FollowUpDialog
    from crisisdesk.ui.dialogs.label_picker import LabelPicker

    cls = {"F": FollowUpDialog, "A": AssignDialog, "L": LabelPicker}[key]
    closed = []

    def close(dialog):
        closed.append(dialog.objectName())
        dialog.reject()

    for n in range(2):
        when_modal(cls, close)
        _key(qtbot, window, getattr(Qt.Key, f"Key_{key}"))
        qtbot.waitUntil(lambda n=n: len(closed) == n + 1)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        window.inbox.focus_list()
    qtbot.waitUntil(lambda: window.findChildren(cls) == [])
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog)]
