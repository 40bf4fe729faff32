"""Issue 9.22: Help has a getting-started page in the app, and lists each key once."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.ui.getting_started import GettingStartedDialog
from tests.gui.test_owner_layout import open_window
from tests.helpers.builders import insert_mentions, mention_row


def test_help_has_getting_started_and_lists_slash_once(qtbot, db, db_path):
    insert_mentions(db, [mention_row()])
    win = open_window(qtbot, db, db_path, Settings(DictStorage()))
    texts = [a.text() for a in win.help_menu.actions()]
    assert "&Getting started" in texts
    assert win.getting_started_action.shortcut() == QKeySequence(
        QKeySequence.StandardKey.HelpContents
    )
    rows = win.shortcut_rows()
    assert sum(1 for keys, _ in rows if "/" in keys.split(", ")) == 1
    win.getting_started_action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), GettingStartedDialog))
    dialog = QApplication.activeModalWidget()
    text = dialog.browser.toPlainText()
    for words in ("Getting started", "Import", "Needs reply", "Ctrl+Z", "Mastodon", "1. "):
        assert words in text
    assert "README" not in text
    dialog.reject()


def test_search_says_how_many_match_and_offers_the_nearest_words(qtbot, db, db_path):
    """Issue 9.18: a result count, and "did you mean" for a typo like "refnud"."""
    insert_mentions(
        db,
        [
            mention_row(text="I want a refund now"),
            mention_row(text="Still no refund"),
            mention_row(text="Lovely cinnamon buns"),
        ],
    )
    win = open_window(qtbot, db, db_path, Settings(DictStorage()))
    page, bar = win.inbox, win.inbox.filter_bar
    bar.search.setText("refund")
    bar._apply_search_now()
    qtbot.waitUntil(lambda: page.search_info.label.text() == "2 mentions match.")
    bar.search.setText("refnud")
    bar._apply_search_now()
    qtbot.waitUntil(lambda: page.search_info.suggestions() == ["refund"])
    assert page.search_info.label.text() == "No mentions match. Did you mean:"
    page.search_info.buttons[0].click()
    assert bar.search.text() == "refund"
    qtbot.waitUntil(lambda: page.search_info.label.text() == "2 mentions match.")
    bar.search.setText("")
    bar._apply_search_now()
    qtbot.waitUntil(lambda: not page.search_info.isVisible())
