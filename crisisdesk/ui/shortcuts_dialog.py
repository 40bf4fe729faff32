"""Help → Keyboard shortcuts: every key the window knows, in one list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.settings import Settings
from crisisdesk.ui.geometry import RememberGeometry


def _media_key(sequence: QKeySequence) -> bool:
    """A keyboard's Open/Refresh/Help media key (a standard key's extra binding): not listed."""
    if sequence.count() != 1:
        return False
    combination: Any = cast(Any, sequence)[0]  # QKeyCombination (the stubs lack __getitem__)
    return bool(combination.key().value >= Qt.Key.Key_Back.value)


def shortcut_rows(
    menu_bar: QMenuBar, extra: Iterable[tuple[str, str]] = ()
) -> list[tuple[str, str]]:
    """(keys, what) for every menu action with a shortcut, then the *extra* keys (those that
    work without a menu entry)."""
    rows: list[tuple[str, str]] = []
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            keys = ", ".join(
                k.toString(QKeySequence.SequenceFormat.NativeText)
                for k in action.shortcuts()
                if not _media_key(k)
            )
            if keys:
                rows.append((keys, action.text().replace("&", "").rstrip("…")))
    rows.extend(extra)
    return rows


class ShortcutsDialog(RememberGeometry, QDialog):
    """A read-only two-column table: keys, and what they do."""

    def __init__(
        self, settings: Settings, rows: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 2, self)
        table.setObjectName("shortcutsTable")
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().hide()
        table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(what))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(460, 420)
        self.remember_geometry(settings, "shortcuts")
