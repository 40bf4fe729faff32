"""How much room the mention list needs: the numbers the list fits its columns by, the width a
pane beside it (the composer) leaves it, and the width a column's title needs."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView

from crisisdesk.ui.inbox.model import AUTO_HIDE_ORDER, COLUMNS

#: the mention text keeps at least this many average characters before other columns step
#: aside (and before Author narrows to AUTHOR_MIN_CHARS)
TEXT_MIN_CHARS = 40
AUTHOR_MIN_CHARS = 13
#: beside a column's title: the sort arrow and the section's padding
TITLE_ROOM = 28


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


def title_width(header: QHeaderView, index: int) -> int:
    """The width column *index* needs to show its whole title and the sort arrow."""
    return header.fontMetrics().horizontalAdvance(COLUMNS[index].title) + TITLE_ROOM


def widen_cut_titles(header: QHeaderView) -> list[str]:
    """Widen every column too narrow for its title; the keys of those widened.

    A header state saved with a smaller font keeps its pixel widths, so at 14 pt the titles
    were cut ("Sentim…", issue 15.11). Wider columns keep the width the owner gave them."""
    widened = []
    for index, column in enumerate(COLUMNS):
        if header.sectionResizeMode(index) == QHeaderView.ResizeMode.Stretch:
            continue  # the mention text takes what is left
        need = title_width(header, index)
        if header.sectionSize(index) < need:
            header.resizeSection(index, need)
            widened.append(column.key)
    return widened
