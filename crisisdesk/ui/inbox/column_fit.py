"""How much room the mention list needs: the numbers the list fits its columns by, the width a
pane beside it (the composer) leaves it, and the width a column's title needs."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtWidgets import QHeaderView, QTableView

from crisisdesk.ui.inbox.model import AUTO_HIDE_ORDER, COLUMN_INDEX, COLUMNS

#: the mention text keeps at least this many average characters before other columns step
#: aside (and before Author narrows to AUTHOR_MIN_CHARS)
TEXT_MIN_CHARS = 40
AUTHOR_MIN_CHARS = 13
#: below TEXT_MIN_CHARS the text still keeps this many: the list goes above the details
#: (ui/inbox/stacking.py) and then the badge columns step aside too (large text, 200 %)
READABLE_CHARS = 25
#: stepped aside last, after Author has narrowed, even when they are the sort column (the View
#: menu shows the sort); a column the owner showed from the header menu stays
LAST_RESORT_HIDE = ("priority", "sentiment")
#: the narrowest the mention and its reply get beside the list (below it, they are stacked)
RIGHT_MIN_CHARS = 46
#: beside a column's title: the sort arrow and the section's padding
TITLE_ROOM = 28


def comfortable_width(
    table: QTableView, text_chars: int = TEXT_MIN_CHARS, stepped_aside: dict[int, int] | None = None
) -> int:
    """Width *table* needs for its key columns (Author at its narrowest) and *text_chars*
    of text, with its scroll bar and frame. *stepped_aside*: columns hidden for room → their
    width (they count: they come back when there is room)."""
    header = table.horizontalHeader()
    char = table.fontMetrics().averageCharWidth()
    aside = stepped_aside or {}
    columns = sum(
        aside.get(i) or header.sectionSize(i)
        for i, column in enumerate(COLUMNS)
        if column.key not in (*AUTO_HIDE_ORDER, "text", "author")
        and (i in aside or not header.isSectionHidden(i))
    )
    chrome = table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth()
    return columns + (text_chars + AUTHOR_MIN_CHARS) * char + chrome


def fit_columns(
    header: QHeaderView,
    available: int,
    char: int,
    *,
    kept: Collection[str],
    pinned: Collection[str],
    stepped_aside: dict[int, int],
    author_width: int,
) -> int:
    """Give the mention text its room first: Platform, Waiting and Status step aside (in that
    order) while the text would keep less than TEXT_MIN_CHARS, then Author narrows down to
    AUTHOR_MIN_CHARS, then (LAST_RESORT_HIDE) Priority and Sentiment step aside while it would
    keep less than READABLE_CHARS. Columns in *kept* (the owner's and the sort column) never
    step aside, *pinned* ones not even last. Decided afresh from *available* every time, so a
    wider list brings back what a narrower one hid. Updates *stepped_aside* (index → width);
    returns the width Author got (*author_width*: its own width)."""
    text, author = COLUMN_INDEX["text"], COLUMN_INDEX["author"]

    def width(i: int) -> int:
        return stepped_aside[i] if i in stepped_aside else header.sectionSize(i)

    shown = {i for i in range(len(COLUMNS)) if i in stepped_aside or not header.isSectionHidden(i)}
    narrows = "author" not in kept
    widths = {i: width(i) for i in shown if i != text}
    if narrows:
        widths[author] = author_width

    def deficit(chars: int) -> int:
        return chars * char + sum(widths[i] for i in shown if i != text) - available

    steps = [(key, TEXT_MIN_CHARS, kept) for key in AUTO_HIDE_ORDER]
    steps += [("author", TEXT_MIN_CHARS, ())]
    steps += [(key, READABLE_CHARS, pinned) for key in LAST_RESORT_HIDE]
    for key, chars, stays in steps:
        index = COLUMN_INDEX[key]
        if index not in shown or key in stays or deficit(chars) <= 0:
            continue
        if key == "author":
            if narrows:
                widths[author] = max(AUTHOR_MIN_CHARS * char, author_width - deficit(chars))
        else:
            shown.discard(index)
    for index in range(len(COLUMNS)):
        if index in stepped_aside and index in shown:
            del stepped_aside[index]
            header.setSectionHidden(index, False)
        elif index not in shown and not header.isSectionHidden(index):
            stepped_aside[index] = header.sectionSize(index)
            header.setSectionHidden(index, True)
    if narrows:
        header.resizeSection(author, widths[author])
    return header.sectionSize(author)


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
