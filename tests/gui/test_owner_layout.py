"""Issue 9.16 (and 9.13): the window at 1024x640 and the columns an owner chose."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.timeutil import now_utc, to_iso
from crisisdesk.ui.inbox.column_fit import TEXT_MIN_CHARS
from crisisdesk.ui.inbox.model import COLUMN_INDEX
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row


def open_window(qtbot, db, db_path, settings):
    win = MainWindow(db, db_path, settings, SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    qtbot.waitExposed(win)
    QApplication.processEvents()
    return win


def shown_columns(win) -> set[str]:
    header = win.inbox.table.horizontalHeader()
    return {k for k, i in COLUMN_INDEX.items() if not header.isSectionHidden(i)}


def test_at_1024x640_priority_shows_and_the_text_keeps_its_width(qtbot, db, db_path):
    insert_mentions(db, [mention_row(priority=p) for p in range(60)])
    insert_mentions(db, [mention_row(created_at=to_iso(now_utc()))])
    win = open_window(qtbot, db, db_path, Settings(DictStorage()))
    table = win.inbox.table
    columns = shown_columns(win)
    assert {"priority", "time", "author", "text", "sentiment"} <= columns
    char = table.fontMetrics().averageCharWidth()
    assert table.horizontalHeader().sectionSize(COLUMN_INDEX["text"]) >= TEXT_MIN_CHARS * char
    # a view with one row (no scroll bar) shows the same columns as one with many
    win.inbox_feature.apply_view("today")
    qtbot.waitUntil(lambda: win.inbox.model.rowCount() == 1)
    QApplication.processEvents()
    assert shown_columns(win) == columns


def test_a_column_shown_from_the_header_menu_stays_after_restart(qtbot, db, db_path):
    insert_mentions(db, [mention_row(priority=p) for p in range(5)])
    settings = Settings(DictStorage())
    win = open_window(qtbot, db, db_path, settings)
    assert "waiting" not in shown_columns(win)  # no room at 1024 px
    win.inbox._set_column_shown(COLUMN_INDEX["waiting"], True)  # the header menu's action
    win.resize(1030, 640)
    QApplication.processEvents()
    assert "waiting" in shown_columns(win)
    win.close()
    again = open_window(qtbot, db, db_path, settings)
    assert "waiting" in shown_columns(again)


def test_the_empty_accounts_page_keeps_its_heading_text_and_buttons_together(qtbot, db, db_path):
    """Issue 9.13: no spreading of the heading, text and buttons over the whole height."""
    win = open_window(qtbot, db, db_path, Settings(DictStorage()))
    win.show_page("accounts")
    QApplication.processEvents()
    page = win.accounts_page
    assert page.empty_label.isVisible() and not page.table.isVisible()
    gap = page.empty_label.geometry().top() - page.add_button.geometry().bottom()
    assert 0 <= gap < 3 * page.fontMetrics().height()
    assert page.empty_label.geometry().bottom() < page.height() // 3


def test_the_add_account_result_is_a_status_apart_from_the_steps(qtbot, db, db_path):
    """Issue 9.13: the Test result is its own status line with an icon; the help has steps."""
    from crisisdesk.domain import Severity

    win = open_window(qtbot, db, db_path, Settings(DictStorage()))
    win.show_page("accounts")
    win.accounts_page.open_add_dialog()
    dialog = win.accounts_page.add_dialog
    qtbot.waitExposed(dialog)
    assert "README" not in dialog.help_label.text()
    assert dialog.help_label.text().startswith("1. ")
    assert not dialog.status_box.isVisible()
    dialog.show_message("The check failed. Wrong token.", Severity.ERROR)
    assert dialog.status_box.isVisible() and dialog.message_label.parent() is dialog.status_box
    assert not dialog.status_icon.pixmap().isNull()
    assert dialog.status_box.geometry().top() > dialog.help_label.geometry().bottom()
    assert dialog.message == "The check failed. Wrong token."
    dialog.reject()


def test_the_mention_gets_room_above_the_reply_the_first_time(qtbot, db, db_path):
    """A fresh install: the selected mention (its text, why it is a complaint, its priority)
    is not squeezed to three lines above the reply; a split the owner dragged is kept."""
    from PySide6.QtWidgets import QSplitter

    insert_mentions(db, [mention_row(priority=p) for p in range(5)])
    settings = Settings(DictStorage())
    win = open_window(qtbot, db, db_path, settings)
    win.resize(1280, 800)
    win.inbox.table.selectRow(0)
    right = win.findChild(QSplitter, "mentionAndReply")
    qtbot.waitUntil(lambda: sum(right.sizes()) > 0)
    qtbot.waitUntil(lambda: right.sizes()[0] >= 0.35 * sum(right.sizes()))
    total = sum(right.sizes())
    right.setSizes([total // 5, total - total // 5])  # the owner drags the handle
    right.splitterMoved.emit(total // 5, 1)
    dragged = right.sizes()[0]
    win.close()
    again = open_window(qtbot, db, db_path, settings)
    again.resize(1280, 800)
    QApplication.processEvents()
    right = again.findChild(QSplitter, "mentionAndReply")
    assert abs(right.sizes()[0] - dragged) <= 2
