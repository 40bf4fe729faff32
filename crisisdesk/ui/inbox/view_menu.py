"""View → Sort by and View → Columns: what the list header does by clicking, from the menu bar
(issue 15.5: sorting and the column chooser only worked with a mouse on the header)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import QMenu

from crisisdesk.ui.inbox.model import COLUMNS, SORT_COLUMNS

if TYPE_CHECKING:
    from crisisdesk.ui.inbox.page import InboxPage
    from crisisdesk.ui.main_window import MainWindow

#: the menu's words for each store sort
SORT_TITLES = {
    "priority": "Priority (most urgent first)",
    "newest": "Newest first",
    "oldest": "Oldest first",
    "most_negative": "Most negative first",
    "most_positive": "Most positive first",
    "author": "Author",
    "text": "Mention text",
    "platform": "Platform",
    "status": "Status",
    "waiting": "Waiting longest first",
}


def attach_view_menu(window: MainWindow, page: InboxPage) -> tuple[QMenu, QMenu]:
    """Add the Sort by and Columns submenus to View; both are filled when opened."""
    sort_menu = QMenu("&Sort by", window)
    sort_menu.setObjectName("sortMenu")
    columns_menu = QMenu("C&olumns", window)
    columns_menu.setObjectName("columnsMenu")

    def fill_sort() -> None:
        sort_menu.clear()
        group = QActionGroup(sort_menu)
        for key in SORT_COLUMNS:
            action = sort_menu.addAction(SORT_TITLES.get(key, key.replace("_", " ").title()))
            action.setCheckable(True)
            action.setChecked(key == page.model.sort_key)
            action.setData(key)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, k=key: page.model.set_sort_key(k))

    def fill_columns() -> None:
        columns_menu.clear()
        header = page.table.horizontalHeader()
        for index, column in enumerate(COLUMNS):
            action = columns_menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(index))
            action.setEnabled(column.key != "text")  # the mention itself always shows
            action.toggled.connect(lambda shown, i=index: page._set_column_shown(i, shown))

    sort_menu.aboutToShow.connect(fill_sort)
    columns_menu.aboutToShow.connect(fill_columns)
    window.add_menu_action("View", sort_menu.menuAction(), "views")
    window.add_menu_action("View", columns_menu.menuAction(), "views")
    return sort_menu, columns_menu
