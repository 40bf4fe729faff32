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
from tests.helpers.a11y import shift_tab, tab_stops, tab_through


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
    shift_tab(qtbot, QApplication.focusWidget())
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
    qtbot: Any, db: Any, db_path: Path, name: str, memory_keyring: Any
) -> None:
    # a working keyring, whatever this machine has (without one, Add account disables its
    # fields and says why: nothing to tab to)
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


def test_add_account_opens_on_its_first_field_and_tabs_fields_then_buttons(
    qtbot: Any, db: Any, db_path: Path, memory_keyring: Any
) -> None:
    """Issue 15.9: focus opened on Test; Tab went Test, Cancel, then the fields."""
    from crisisdesk.domain import Severity
    from crisisdesk.ui import announce

    dialog = _dialogs(db, db_path)["add account"]()
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.platform_combo
    order = [QApplication.focusWidget(), *tab_through(qtbot, dialog, 8)]
    names = [w.accessibleName() or w.text() for w in order]  # type: ignore[attr-defined]
    assert names[:4] == ["Platform", "Name", "Address", "Mastodon access token"]
    buttons = [n for n in names if n in ("Test", "Save", "Cancel")]
    assert names.index(buttons[0]) > names.index("Search terms")
    dialog.set_platform("bluesky")  # new password rows still come before the buttons
    dialog.platform_combo.setFocus()
    qtbot.waitUntil(dialog.secret_edits["app_password"].isVisible)  # the layout shows it
    order = tab_through(qtbot, dialog, 12)
    assert _describe(order[: order.index(dialog.test_button)])[-1] == "QLineEdit:Search terms"
    assert order.index(dialog.secret_edits["app_password"]) < order.index(dialog.test_button)
    dialog.show_message("The token was refused.", Severity.ERROR)
    assert announce.announced[-1] == "The token was refused."


def _shift_tab_through(qtbot: Any, presses: int) -> list[QWidget]:
    seen = []
    for _ in range(presses):
        current = QApplication.focusWidget()
        shift_tab(qtbot, current)
        seen.append(QApplication.focusWidget())
    return seen


def test_add_account_tab_and_shift_tab_go_round_fields_then_buttons(
    qtbot: Any, db: Any, db_path: Path, memory_keyring: Any
) -> None:
    """Issue 15.9: with a working keyring (Save shown), Tab went Test, Save, Cancel, Save,
    Cancel... and never back to the fields: the button box was a Tab stop of its own (its focus
    proxy, its first button) left before the fields in the focus chain."""
    dialog = _dialogs(db, db_path)["add account"]()
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    # the keyring's answer can come after the dialog is shown: Save hidden, then shown
    dialog._keyring_checked(False)
    dialog._keyring_checked(True)
    assert dialog.save_button.isVisible()
    fields = [w for w in dialog.tab_chain() if w.isVisible()]
    ring = [*fields, dialog.test_button, dialog.save_button, dialog.cancel_button]
    assert QApplication.focusWidget() is ring[0]
    forward = tab_through(qtbot, dialog, 2 * len(ring))
    assert _describe(forward) == _describe([*ring[1:], *ring, ring[0]])
    backward = _shift_tab_through(qtbot, 2 * len(ring))
    assert _describe(backward) == _describe(2 * ring[::-1])


def test_menus_use_the_platforms_standard_keys(window: MainWindow) -> None:
    """Issue 15.12: Quit, Redo, Refresh and Help follow QKeySequence's standard keys."""
    from PySide6.QtGui import QKeySequence

    standard = QKeySequence.StandardKey
    for action, key in (
        (window.quit_action, standard.Quit),
        (window.redo_action, standard.Redo),
        (window.refresh_action, standard.Refresh),
        (window.getting_started_action, standard.HelpContents),
        (window.import_action, standard.Open),
    ):
        bindings = QKeySequence.keyBindings(key)
        assert not bindings or set(action.shortcuts()) >= {
            b for b in bindings if b != QKeySequence("Ctrl+R")
        }, action.text()


def test_import_opens_in_the_folder_used_last(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from crisisdesk.ui.dialogs.import_dialog import choose_files

    folder = tmp_path / "exports"
    folder.mkdir()
    asked: list[str] = []

    def pick(_parent: Any, _title: str, start: str, _filter: str) -> tuple[list[str], str]:
        asked.append(start)
        return [str(folder / "orders.csv")], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", pick)
    settings = window._settings
    assert choose_files(window, settings) == [folder / "orders.csv"]
    choose_files(window, settings)
    assert asked == [str(Path.home()), str(folder)]


def test_status_messages_are_announced(window: MainWindow) -> None:
    """Issue 15.12: a triage or sync confirmation in the status bar is spoken."""
    from crisisdesk.ui import announce

    window.show_message("Marked replied. Ctrl+Z undoes it.")
    assert announce.announced[-1] == "Marked replied. Ctrl+Z undoes it."


def test_sorting_and_columns_are_in_the_view_menu(window: MainWindow, qtbot: Any) -> None:
    """Issue 15.5: without a mouse on the header, View → Sort by and View → Columns."""
    feature = window.inbox_feature
    feature.sort_menu.aboutToShow.emit()
    newest = next(a for a in feature.sort_menu.actions() if a.data() == "newest")
    newest.trigger()
    assert window.inbox.model.sort_key == "newest"
    feature.sort_menu.aboutToShow.emit()
    checked = [a.data() for a in feature.sort_menu.actions() if a.isChecked()]
    assert checked == ["newest"]
    feature.columns_menu.aboutToShow.emit()
    author = next(a for a in feature.columns_menu.actions() if a.text() == "Author")
    author.setChecked(False)
    from crisisdesk.ui.inbox.model import COLUMN_INDEX

    assert window.inbox.table.horizontalHeader().isSectionHidden(COLUMN_INDEX["author"])
    titles = [a.text() for a in window.view_menu.actions()]
    assert "&Sort by" in titles and "C&olumns" in titles
