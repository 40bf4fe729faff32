"""The main window's extension API: a feature adds a page, menu actions and status items
without touching main_window.py, and its undo history stays its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QLabel, QMenu, QWidget

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from crisisdesk.ui.window_api import MenuSections
from tests.helpers.builders import insert_mentions, mention_row


class Rename(QUndoCommand):
    """A page's own edit: sets a label's text, undoably."""

    def __init__(self, label: QLabel, text: str) -> None:
        super().__init__(f"rename to {text}")
        self.label, self.text, self.before = label, text, label.text()

    def redo(self) -> None:
        self.label.setText(self.text)

    def undo(self) -> None:
        self.label.setText(self.before)


@pytest.fixture
def window(qtbot, db, db_path: Path) -> MainWindow:
    insert_mentions(db, [mention_row(text="a mention")])
    win = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def add_notes_page(window: MainWindow) -> tuple[QWidget, QLabel]:
    page = QWidget()
    label = QLabel("draft", page)
    window.add_page("notes", "Notes", page, "inbox", shortcut="Ctrl+Shift+H")
    return page, label


def test_a_page_added_through_the_api_appears_in_the_navigation(window: MainWindow) -> None:
    page, _label = add_notes_page(window)
    keys = [window.nav.item(r).text() for r in range(window.nav.count())]
    assert keys == ["Inbox", "Accounts", "Plan", "Charts", "Notes"]
    assert window.nav.count() == window.pages.count()
    window.show_page("notes")
    assert window.current_page() == "notes" and window.pages.currentWidget() is page
    with pytest.raises(ValueError, match="exists already"):
        window.add_page("notes", "Notes again", QWidget(), "inbox")


def test_a_page_attached_after_start_up_is_shown_when_it_was_last(qtbot, db, db_path: Path) -> None:
    insert_mentions(db, [mention_row(text="a mention")])
    settings = Settings(DictStorage({"window/page": "notes"}))
    window = MainWindow(db, db_path, settings, SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    assert window.current_page() == "inbox"  # no notes page yet
    add_notes_page(window)
    assert window.current_page() == "notes"
    window.save_settings()
    assert settings.get("window/page") == "notes"


def test_a_page_shortcut_gets_a_view_menu_entry(window: MainWindow) -> None:
    add_notes_page(window)
    go = next(a for a in window.view_menu.actions() if a.text() == "Go to Notes")
    assert go.shortcut() == QKeySequence("Ctrl+Shift+H")
    go.trigger()
    assert window.current_page() == "notes"
    assert ("Ctrl+Shift+H", "Go to Notes") in window.shortcut_rows()


def test_menu_actions_go_into_named_sections(window: MainWindow) -> None:
    export = QAction("&Export notes…", window)
    window.add_menu_action("File", export, "export", toolbar=True)
    shown = [a for a in window.file_menu.actions() if a.isVisible()]
    sync = window.sync
    # import and sync, then export (the features' exports in the order they attached: the
    # plan's, the post-crisis report, this one), then quit — a separator between sections
    earlier = [a.text() for a in window.menus["File"].actions("export")][:-1]
    assert earlier[-1] == "Post-crisis &report…" and "Export plan as &PDF…" in earlier
    assert [a.text() for a in shown] == [
        "&Import…", sync.sync_action.text(), sync.stop_action.text(), "", *earlier,
        "&Export notes…", "", "&Quit",
    ]  # fmt: skip
    assert export in window.main_toolbar.actions()
    with pytest.raises(ValueError, match="no section 'nowhere'"):
        window.add_menu_action("File", QAction("x", window), "nowhere")
    with pytest.raises(ValueError, match="no menu"):
        window.add_menu_action("Plan", QAction("x", window), "main")


def test_status_items_keep_their_order_left_of_the_counts(window: MainWindow) -> None:
    item = QLabel("plan: 3 steps left")
    window.add_status_item(item)
    counts = window.inbox_feature.counts.labels()
    order = [w for w in window.statusBar().findChildren(QLabel) if w is item or w in counts]
    assert item.isVisible()
    assert sorted(order, key=lambda w: w.x()) == [item, *counts]


def test_each_page_has_its_own_undo_stack(window: MainWindow, qtbot) -> None:
    _page, label = add_notes_page(window)
    notes_stack = window.page_undo_stack("notes")
    inbox_stack = window.page_undo_stack("inbox")
    assert notes_stack is not inbox_stack
    assert window.undo_stack is inbox_stack  # the inbox is on screen
    window.show_page("notes")
    assert window.undo_stack is notes_stack
    notes_stack.push(Rename(label, "final"))
    assert label.text() == "final"
    assert inbox_stack.count() == 0  # notes edits never land in the triage history
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert label.text() == "draft"
    notes_stack.redo()
    window.show_page("inbox")
    # Edit → Undo now follows the inbox, which has nothing to undo
    assert not window.undo_action.isEnabled()
    assert label.text() == "final"


def test_sections_show_separators_only_between_filled_sections(qtbot) -> None:
    menu = QMenu("&Things")
    qtbot.addWidget(menu)
    sections = MenuSections(menu, ("a", "b", "c"))
    assert not menu.menuAction().isVisible()  # nothing in it yet
    c = QAction("C", menu)
    sections.add(c, "c")
    assert [a.text() for a in menu.actions() if a.isVisible()] == ["C"]
    a = QAction("A", menu)
    sections.add(a, "a")
    b = QAction("B", menu)
    sections.add(b, "b")
    a2 = QAction("A2", menu)
    sections.add(a2, "a")
    visible = [a.text() or "|" for a in menu.actions() if a.isVisible()]
    assert visible == ["A", "A2", "|", "B", "|", "C"]
    assert menu.menuAction().isVisible()
    assert sections.actions("a") == [a, a2]
