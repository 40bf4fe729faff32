"""Issue 9 (items 11, 12, 19, 23, 24) and issue 15 item 1: what an owner found with the keys.

Single-letter triage keys act only in the list, never from typing that started in a dialog or a
text field, can be turned off, and a run of them is one undo step; mention actions never reach
the hidden inbox; the status bar says what happened (and what Ctrl+Z did).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import mentions
from crisisdesk.ui.dialogs.label_picker import LabelPicker
from crisisdesk.ui.inbox.single_keys import TYPING_GRACE_S
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.gui.test_keyboard_triage import when_modal
from tests.helpers.builders import insert_mentions, mention_row


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ids(db):
    return insert_mentions(
        db, [mention_row(priority=p, status="new") for p in (90, 70, 50, 30, 10)]
    )


@pytest.fixture
def settings() -> Settings:
    return Settings(DictStorage())


@pytest.fixture
def window(qtbot, db, db_path, ids, settings):
    win = MainWindow(db, db_path, settings, SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.inbox.focus_list()
    qtbot.waitUntil(win.inbox.table.hasFocus)
    win.inbox_feature.single_keys.clock = Clock()
    return win


def statuses(db, ids):
    return [mentions.get(db, i).status for i in ids]


def clock(window) -> Clock:
    return window.inbox_feature.single_keys.clock


def focus(qtbot, widget):
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(widget.hasFocus)


# --- 9.11: the Labels dialog --------------------------------------------------------------------


def test_enter_in_new_label_adds_the_label_and_keeps_the_dialog_open(qtbot):
    dialog = LabelPicker(["cake"], {1: ()})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    focus(qtbot, dialog.new_edit)
    qtbot.keyClicks(dialog.new_edit, "refund")
    qtbot.keyClick(dialog.new_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.changes() == (["refund"], [])
    assert dialog.new_edit.text() == ""
    # Enter with nothing typed is OK, as in any dialog
    fresh = LabelPicker([], {1: ()})
    qtbot.addWidget(fresh)
    assert fresh.focusWidget() is fresh.new_edit  # no labels yet: typing names a new one
    qtbot.keyClick(dialog.new_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_letters_typed_on_after_the_labels_dialog_closes_change_nothing(window, qtbot, db, ids):
    def type_label_then_enter_twice(dialog):
        qtbot.keyClicks(dialog.new_edit, "cake")
        qtbot.keyClick(dialog.new_edit, Qt.Key.Key_Return)  # adds "cake"
        qtbot.keyClick(dialog.new_edit, Qt.Key.Key_Return)  # OK

    when_modal(LabelPicker, type_label_then_enter_twice)
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_L)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.inbox.table.hasFocus())
    # the owner keeps typing "refund" (r: replied, e: archive, d: resolved...)
    clock(window).now += 0.3
    qtbot.keyClicks(window.inbox.table, "refund")
    assert statuses(db, ids) == ["new"] * 5
    assert window.undo_stack.count() == 1  # the labels only
    # once the typing has stopped, a key acts again
    clock(window).now += TYPING_GRACE_S + 0.1
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_R)
    assert statuses(db, ids[:1]) == ["replied"]


def test_a_run_of_triage_keys_undoes_as_one_step(window, qtbot, db, ids):
    a, b, c, *_ = ids
    for key in (Qt.Key.Key_R, Qt.Key.Key_E, Qt.Key.Key_D):
        qtbot.keyClick(window.inbox.table, key)
        clock(window).now += 0.2
    assert statuses(db, [a, b, c]) == ["replied", "archived", "resolved"]
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert statuses(db, [a, b, c]) == ["new", "new", "new"]
    qtbot.keyClick(
        window.inbox.table,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert statuses(db, [a, b, c]) == ["replied", "archived", "resolved"]


def test_keys_with_a_pause_or_a_move_between_are_separate_steps(window, qtbot, db, ids):
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_R)
    clock(window).now += 5
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_R)
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_J)
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_E)
    assert window.undo_stack.count() == 3


# --- 15.1: letters only where they belong, and they can be turned off ---------------------------


def test_single_letter_keys_do_nothing_outside_the_list(window, qtbot, db, ids):
    bar = window.inbox.filter_bar
    for widget in (bar.complaints, bar.clear, window.nav):
        focus(qtbot, widget)
        for key in (Qt.Key.Key_O, Qt.Key.Key_R, Qt.Key.Key_T, Qt.Key.Key_D, Qt.Key.Key_E):
            qtbot.keyClick(widget, key)
    window.show_page("accounts")
    focus(qtbot, window.accounts_page.add_button)
    qtbot.keyClicks(window.accounts_page.add_button, "wedding")
    assert statuses(db, ids) == ["new"] * 5
    assert window.page_undo_stack("inbox").count() == 0


def test_single_letter_keys_can_be_turned_off_and_it_is_remembered(
    window, qtbot, db, ids, settings
):
    action = window.inbox_feature.single_keys_action
    assert action.isChecked()
    action.trigger()
    assert settings.get("inbox/single_keys") is False
    assert window.triage.status_actions["replied"].shortcut().isEmpty()  # menus show no key
    qtbot.keyClicks(window.inbox.table, "roted")
    assert statuses(db, ids) == ["new"] * 5
    action.trigger()
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_R)
    assert statuses(db, ids[:1]) == ["replied"]


# --- 9.12: no mention action off the inbox -------------------------------------------------------


def test_mention_actions_do_nothing_off_the_inbox(window, qtbot, db, ids):
    window.show_page("accounts")
    assert not window.triage.status_actions["archived"].isEnabled()
    window.triage.set_status("archived")  # e.g. a toolbar button that was still enabled
    window.triage.set_assignee("Sam")
    assert statuses(db, ids) == ["new"] * 5
    assert mentions.get(db, ids[0]).assignee is None


# --- 9.19: the status bar says what happened -----------------------------------------------------


def test_undo_and_redo_say_what_they_did(window, qtbot, db, ids):
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_R)
    assert window.statusBar().currentMessage().startswith("Marked 1 mention as replied.")
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Undone: Mark 1 mention as replied."
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "Redone: Mark 1 mention as replied."


def test_the_last_sync_result_steps_aside_for_a_later_message(window, qtbot):
    sync = window.sync
    sync._show_status("10:42: 1 account offline")
    assert sync.status_label.isVisible()
    window.show_message("Marked 1 mention as replied.")
    assert not sync.status_label.isVisible()
    window.statusBar().clearMessage()
    assert sync.status_label.isVisible()


# --- 9.23 and 9.24 -------------------------------------------------------------------------------


def test_a_status_key_moves_on_to_the_next_mention(window, qtbot, db, ids):
    _a, b, _c, *_ = ids
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_E)
    assert window.inbox.selected_ids() == [b]
    assert window.detail.mention_id == b


def test_the_accounts_page_has_a_shortcut_and_a_menu_item(window, qtbot):
    go = next(a for a in window.view_menu.actions() if a.text() == "Go to Accounts")
    assert go.shortcut().toString() == "Ctrl+Shift+A"
    go.trigger()
    assert window.current_page() == "accounts"


def test_the_window_title_names_the_app_once(window, db_path):
    QGuiApplication.setApplicationDisplayName("crisisdesk")
    title = window.windowTitle()
    # Qt appends the display name unless the title ends with it: say it once, at the end
    assert title.endswith("crisisdesk") and title.count("— crisisdesk") == 1
    assert title.startswith(db_path.name)


# --- 9.20: Enter with no browser -----------------------------------------------------------------


def test_enter_without_a_browser_says_so_and_copies_the_link(window, qtbot, db):
    (mid,) = insert_mentions(db, [mention_row(priority=99, url="https://social.example/@a/9")])
    window.reload()
    qtbot.waitUntil(lambda: window.inbox.model.row_of(mid) == 0)
    window.inbox.select_ids([mid])
    window.detail.open_url = lambda _url: False  # no browser on this machine
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_Return)
    message = window.statusBar().currentMessage()
    assert message.startswith("No web browser could open the post")
    assert QGuiApplication.clipboard().text() == "https://social.example/@a/9"


def test_fetching_now_is_replaced_when_the_sync_ends(window, qtbot):
    """Issue 9.19: no stale "Fetching its mentions now…" after the sync ended."""
    from crisisdesk.ui.sync import SyncOutcome

    page = window.accounts_page
    page.show_message("Added 'bakery'. Fetching its mentions now…", syncing=True)
    outcome = SyncOutcome([], total=1)
    window.sync.finished.emit(outcome)
    assert "Fetching" not in page.message_label.text()
    assert page.message_label.text() == outcome.message()


@pytest.mark.parametrize("page", ["inbox", "accounts", "plan", "charts"])
def test_no_letter_changes_a_mention_from_any_other_focusable_widget(window, qtbot, db, ids, page):
    """Issue 15 (done when): every single-letter key, with focus on every other widget of each
    page (the inbox with its detail pane and reply composer, Accounts, Plan, Charts)."""
    from PySide6.QtWidgets import QWidget

    letters = [Qt.Key.Key_O, Qt.Key.Key_R, Qt.Key.Key_T, Qt.Key.Key_D, Qt.Key.Key_E]
    window.inbox.select_ids([ids[0]])  # a mention is selected: the keys would act on it
    checked = 0
    window.show_page(page)
    for widget in window.findChildren(QWidget):
        if (
            widget is window.inbox.table
            or not widget.isVisible()
            or not widget.isEnabled()
            or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            continue
        window.show_page(page)  # a key may have moved on (a button pressed by a letter)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        if not widget.hasFocus():
            continue
        for key in letters:
            qtbot.keyClick(widget, key)
            qtbot.keyClick(widget, key, Qt.KeyboardModifier.ShiftModifier)
        checked += 1
    assert checked >= {"inbox": 12, "accounts": 3, "plan": 4, "charts": 2}[page]
    if page == "inbox":  # the composer's editor and template choice are among them
        assert window.composer.pane.editor.isVisible()
    assert statuses(db, ids) == ["new"] * 5
    assert window.page_undo_stack("inbox").count() == 0
