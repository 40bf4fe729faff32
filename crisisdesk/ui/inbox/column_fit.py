"""How much room the mention list needs: the numbers the list fits its columns by, and the
width a pane beside it (the composer) leaves it."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from crisisdesk.ui.inbox.model import AUTO_HIDE_ORDER, COLUMNS

#: the mention text keeps at least this many average characters before other columns step
#: aside (and before Author narrows to AUTHOR_MIN_CHARS)
TEXT_MIN_CHARS = 40
AUTHOR_MIN_CHARS = 13


def comfortable_width(table: QTableView) -> int:
    """Width *table* needs for its key columns (Author at its narrowest) and TEXT_MIN_CHARS
    of text, with its scroll bar and frame."""
    header = table.horizontalHeader()
    char = table.fontMetrics().averageCharWidth()
    columns = sum(
        header.sectionSize(i)
        for i, column in enumerate(COLUMNS)
        if column.key not in (*AUTO_HIDE_ORDER, "text", "author") and not header.isSectionHidden(i)
    )
    chrome = table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth()
    return columns + (TEXT_MIN_CHARS + AUTHOR_MIN_CHARS) * char + chrome
