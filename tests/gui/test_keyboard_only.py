"""Issue 15 (done when #3): with the keyboard alone, Tab reaches every control of the inbox,
the Accounts page and each dialog, and never gets stuck (items 3 and 5)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from crisisdesk.ui.main_window import MainWindow
from tests.gui.test_accessibility import DIALOGS, _dialogs
from tests.gui.test_accessibility import window as window  # the same window fixture
from tests.helpers.a11y import tab_stops, tab_through


def _describe(widgets: list[QWidget]) -> list[str]:
    return [f"{type(w).__name__}:{w.accessibleName() or w.objectName()}" for w in widgets]


def activate(qtbot: Any, root: QWidget) -> None:
    root.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is root)


@pytest.mark.parametrize("page", ["inbox", "accounts"])
def test_tab_reaches_every_control_of_the_page_and_comes_round(
    window: MainWindow, qtbot: Any, page: str
) -> None:
    window.show_page(page)
    if page == "inbox":
        window.inbox.table.selectRow(0)
    activate(qtbot, window)
    window.nav.setFocus(Qt.FocusReason.TabFocusReason)
    stops = tab_stops(window)
    seen = tab_through(qtbot, window, 2 * len(stops) + 4)
    assert _describe([w for w in stops if w not in seen]) == []
    assert seen.count(window.nav) >= 2  # round the whole window, twice: no trap


def test_tab_leaves_the_accounts_table_and_keeps_its_selection(
    window: MainWindow, qtbot: Any
) -> None:
    """Issue 15.3: 24 Tabs stayed in the table and tabbing cleared the selection."""
    window.show_page("accounts")
    activate(qtbot, window)
    table = window.accounts_page.table
    table.setFocus(Qt.FocusReason.TabFocusReason)
    table.selectRow(0)
    assert window.accounts_page.remove_button.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert table.hasFocus()
    assert table.selectionModel().selectedRows()
    assert window.accounts_page.remove_button.isEnabled()


def test_left_and_right_move_between_the_view_buttons(window: MainWindow, qtbot: Any) -> None:
    """Issue 15.5: the views were skipped by Tab and arrows (a button group's radio rules)."""
    activate(qtbot, window)
    first, second, *_, last = window.inbox.filter_bar.view_buttons.buttons()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(first, Qt.Key.Key_Right)
    assert second.hasFocus()
    qtbot.keyClick(second, Qt.Key.Key_Tab)
    assert not second.hasFocus()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(first, Qt.Key.Key_Left)
    assert last.hasFocus()
    qtbot.keyClick(last, Qt.Key.Key_Space)
    assert window.inbox.filter_bar.current_view() == last.property("viewKey")


@pytest.mark.parametrize("name", DIALOGS)
def test_tab_reaches_every_control_of_each_dialog(
    qtbot: Any, db: Any, db_path: Path, name: str
) -> None:
    dialog = _dialogs(db, db_path)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    if QApplication.focusWidget() is None:
        dialog.focusNextChild()
    stops = tab_stops(dialog)
    assert stops
    seen = tab_through(qtbot, dialog, 2 * len(stops) + 4)
    assert _describe([w for w in stops if w not in seen]) == []
