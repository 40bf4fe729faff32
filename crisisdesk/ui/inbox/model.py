"""The inbox table model: pages of ~200 mentions read from SQLite as the view scrolls.

Nothing here loads the whole table or counts it: the first page of a filter is one indexed
``LIMIT`` query, and ``canFetchMore``/``fetchMore`` read the next page when the view reaches the
bottom. Queries run through the task runner (their own connection on a pool thread), so a slow
filter never freezes the window; a newer filter cancels (interrupts) the older query and stale
results are dropped by generation number. Text from the internet is only ever returned as plain
strings; tooltips, which Qt would render as rich text, are HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from crisisdesk.analysis.waiting import waiting_hours
from crisisdesk.domain import UNANSWERED
from crisisdesk.store import mentions
from crisisdesk.store.mentions import Mention, MentionFilter
from crisisdesk.timeutil import now_utc
from crisisdesk.ui.format import (
    duration_text,
    followers_text,
    local_time_text,
    one_line,
    plain_tooltip,
    platform_text,
    relative_text,
    sentiment_badge_text,
    sentiment_description,
    status_text,
)
from crisisdesk.ui.icons import icon, sentiment_icon_name
from crisisdesk.ui.tasks import TaskHandle, TaskRunner

PAGE_SIZE = 200

# custom roles
MentionIdRole = Qt.ItemDataRole.UserRole + 1
MentionRole = Qt.ItemDataRole.UserRole + 2
SentimentRole = Qt.ItemDataRole.UserRole + 3  # (sentiment, complaint) for the badge delegate


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    width: int
    tooltip: str


COLUMNS: tuple[Column, ...] = (
    Column("time", "Time", 72, "When it was posted (your local time)"),
    Column("platform", "Platform", 80, "Where it was posted"),
    Column("author", "Author", 136, "Who posted it"),
    Column("text", "Mention", 320, "What they wrote (first line)"),
    Column("sentiment", "Sentiment", 116, "Sentiment, and whether it reads as a complaint"),
    Column("priority", "Priority", 66, "How urgently it needs attention (0–100)"),
    Column("status", "Status", 96, "Where it is in your triage"),
    Column("waiting", "Waiting", 64, "How long it has waited for an answer"),
)
#: on a narrow list these make room for the mention text first (the user can show them again)
#: (never Priority, the default sort key, nor the column the list is sorted by)
AUTO_HIDE_ORDER = ("platform", "waiting", "status")
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}

Order = Qt.SortOrder
#: header column + order → store sort key; a column missing here is not sortable
SORTS: dict[tuple[str, Order], str] = {
    ("priority", Order.DescendingOrder): "priority",
    ("time", Order.DescendingOrder): "newest",
    ("time", Order.AscendingOrder): "oldest",
    ("sentiment", Order.AscendingOrder): "most_negative",
    ("sentiment", Order.DescendingOrder): "most_positive",
    ("author", Order.AscendingOrder): "author",
    ("text", Order.AscendingOrder): "text",
    ("platform", Order.AscendingOrder): "platform",
    ("status", Order.AscendingOrder): "status",
    ("waiting", Order.DescendingOrder): "waiting",
}
#: the order of a column's first click: newest, most urgent, longest waiting first
FIRST_ORDER = dict.fromkeys(("time", "priority", "waiting"), Order.DescendingOrder)
SORT_COLUMNS: dict[str, tuple[int, Order]] = {
    key: (COLUMN_INDEX[col], order) for (col, order), key in SORTS.items()
}
SORTABLE = {COLUMN_INDEX[col] for col, _ in SORTS}

# roles as plain ints: data() runs for every role of every painted cell
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_UNUSED_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.StatusTipRole,
        Qt.ItemDataRole.WhatsThisRole,
    )
)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_PRIORITY_COLUMN = COLUMN_INDEX["priority"]


class InboxModel(QAbstractTableModel):
    """Mentions matching one filter, in one sort order, read page by page."""

    #: a (re)load finished and the rows were replaced
    loaded = Signal()
    #: a query failed; the page shows a SearchSyntaxError inline and the rest as errors
    loadFailed = Signal(object)
    #: the effective sort after ``sort()``: (column, order) for the header indicator
    sortApplied = Signal(int, Qt.SortOrder)

    def __init__(
        self,
        db: sqlite_utils.Database,
        runner: TaskRunner,
        *,
        now: Callable[[], datetime] = now_utc,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._db = db  # GUI-thread connection: only for quick primary-key re-reads
        self._runner = runner
        self._now = now
        self._rows: list[Mention] = []
        #: display strings per row, made when a row is first painted
        self._cell_cache: dict[int, tuple[str, ...]] = {}
        self._filter = MentionFilter()
        self._sort = "priority"
        self._exhausted = True
        self._generation = 0
        self._reset_handle: TaskHandle | None = None
        self._fetch_handle: TaskHandle | None = None
        self._loading = False

    # --- what it shows ------------------------------------------------------------------------

    @property
    def mention_filter(self) -> MentionFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        """True once every matching mention is loaded."""
        return self._exhausted

    def set_filter(self, flt: MentionFilter) -> None:
        self._filter = flt
        self.reload()

    def sort_column(self) -> int:
        """The header column the current sort belongs to."""
        return SORT_COLUMNS[self._sort][0]

    def set_sort_key(self, key: str, *, load: bool = True) -> None:
        if key not in mentions.SORTS:
            key = "priority"
        self._sort = key
        column, order = SORT_COLUMNS[key]
        self.sortApplied.emit(column, order)
        if load:
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Order.AscendingOrder) -> None:
        """Header click: map to a store sort; unsupported orders fall back to the column's own."""
        if column not in SORTABLE:
            column, order = SORT_COLUMNS[self._sort]
            self.sortApplied.emit(column, order)
            return
        key = COLUMNS[column].key
        store_key = SORTS.get((key, order)) or next(v for (c, _), v in SORTS.items() if c == key)
        self.set_sort_key(store_key)

    # --- loading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the first page again (rows stay on screen until the new ones arrive)."""
        self._cancel_pending()
        self._generation += 1
        generation = self._generation
        flt, sort = self._filter, self._sort
        self._loading = True
        self._reset_handle = (
            self._runner.op(lambda ctx: mentions.query(ctx.db, flt, sort=sort, limit=PAGE_SIZE))
            .success(lambda rows: self._replace(generation, rows))
            .failure(lambda exc: self._failed(generation, exc))
            .start()
        )

    def _cancel_pending(self) -> None:
        for handle in (self._reset_handle, self._fetch_handle):
            if handle is not None and not handle.done:
                handle.cancel()
        self._reset_handle = self._fetch_handle = None

    def _replace(self, generation: int, rows: list[Mention]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.beginResetModel()
        self._rows = list(rows)
        self._cell_cache.clear()
        self._exhausted = len(rows) < PAGE_SIZE
        self.endResetModel()
        self.loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self.loadFailed.emit(exc)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return not self._exhausted and not self._loading and self._fetch_handle is None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        generation = self._generation
        flt, sort, offset = self._filter, self._sort, len(self._rows)
        self._fetch_handle = (
            self._runner.op(
                lambda ctx: mentions.query(ctx.db, flt, sort=sort, limit=PAGE_SIZE, offset=offset)
            )
            .success(lambda rows: self._append(generation, rows))
            .failure(lambda exc: self._fetch_failed(generation, exc))
            .start()
        )
        if self._fetch_handle.done and generation == self._generation:
            self._fetch_handle = None  # synchronous runner: already delivered

    def _append(self, generation: int, rows: list[Mention]) -> None:
        if generation != self._generation:
            return
        self._fetch_handle = None
        known = {m.id for m in self._rows[-PAGE_SIZE:]}
        # a mention whose priority changed between pages could repeat; show it once
        rows = [m for m in rows if m.id not in known]
        self._exhausted = len(rows) < PAGE_SIZE
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def _fetch_failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        self._fetch_handle = None
        self._exhausted = True  # do not retry in a loop; F5 reloads
        self.loadFailed.emit(exc)

    def refresh_rows(self, ids: Iterable[int]) -> None:
        """Re-read these mentions in place (after triage). Rows stay where they are."""
        wanted = set(ids)
        for row, old in enumerate(self._rows):
            if old.id not in wanted:
                continue
            fresh = mentions.get(self._db, old.id)
            if fresh is None or fresh == old:
                continue
            self._rows[row] = fresh
            self._cell_cache.pop(row, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def refresh_times(self) -> None:
        """The relative times and waiting times move on; repaint those columns."""
        self._cell_cache.clear()
        if self._rows:
            for key in ("time", "waiting"):
                col = COLUMN_INDEX[key]
                self.dataChanged.emit(
                    self.index(0, col),
                    self.index(len(self._rows) - 1, col),
                    [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
                )

    # --- lookups ------------------------------------------------------------------------------

    def mention_at(self, row: int) -> Mention:
        return self._rows[row]

    def ids(self) -> list[int]:
        return [m.id for m in self._rows]

    def row_of(self, mention_id: int) -> int | None:
        for row, m in enumerate(self._rows):
            if m.id == mention_id:
                return row
        return None

    def mentions_loaded(self) -> Sequence[Mention]:
        return tuple(self._rows)

    # --- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        column = COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            sortable = " — click to sort" if section in SORTABLE else ""
            return column.tooltip + sortable
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            return int(FIRST_ORDER.get(column.key, Order.AscendingOrder).value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.key == "priority":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # painting asks for every role of every visible cell: plain ints and a per-row cache
        row = index.row()
        if not 0 <= row < len(self._rows) or not index.isValid():
            return None
        if role == _DISPLAY:
            return self._cells(row)[index.column()]
        if role == _ALIGNMENT:
            return _RIGHT if index.column() == _PRIORITY_COLUMN else _LEFT
        if role in _UNUSED_ROLES:
            return None
        m = self._rows[row]
        key = COLUMNS[index.column()].key
        if role == _TOOLTIP:
            return self._tooltip(m, key)
        if role == _DECORATION:
            return icon(sentiment_icon_name(m.label, m.complaint)) if key == "sentiment" else None
        if role == _ACCESSIBLE:
            return (
                sentiment_description(m.label, m.complaint)
                if key == "sentiment"
                else self._cells(row)[index.column()]
            )
        if role == MentionIdRole:
            return m.id
        if role == MentionRole:
            return m
        if role == SentimentRole:
            return (m.label, m.complaint)
        return None

    def _cells(self, row: int) -> tuple[str, ...]:
        cells = self._cell_cache.get(row)
        if cells is None:
            m = self._rows[row]
            cells = tuple(self._display(m, column.key) for column in COLUMNS)
            self._cell_cache[row] = cells
        return cells

    def _display(self, m: Mention, key: str) -> str:
        if key == "time":
            return relative_text(m.created_at, self._now(), short=True)
        if key == "platform":
            return platform_text(m.source)
        if key == "author":
            name = one_line(m.author_name, 60)
            handle = one_line(m.author_handle, 60)
            if name and handle and name != handle:
                return f"{name} (@{handle.lstrip('@')})"
            return name or (f"@{handle.lstrip('@')}" if handle else "(unknown)")
        if key == "text":
            return one_line(m.text)
        if key == "sentiment":
            return sentiment_badge_text(m.label, m.complaint)
        if key == "priority":
            return str(m.priority)
        if key == "status":
            return status_text(m.status)
        if key == "waiting":
            hours = waiting_hours(m.created_at, m.status, self._now())
            return "—" if hours is None else duration_text(hours * 3600)
        return ""

    def _tooltip(self, m: Mention, key: str) -> str | None:
        if key == "time":
            return html.escape(local_time_text(m.created_at))
        if key == "author":
            followers = followers_text(m.author_followers)
            lines = [m.author_name, f"@{m.author_handle.lstrip('@')}", followers]
            return plain_tooltip("\n".join(line for line in lines if line.strip("@")))
        if key == "text":
            return plain_tooltip(m.text[:2000])
        if key == "sentiment":
            score = f"sentiment score {m.sentiment:+.2f}"
            cues = ("\ncues: " + ", ".join(m.cues)) if m.cues else ""
            return plain_tooltip(f"{sentiment_description(m.label, m.complaint)} ({score}){cues}")
        if key == "waiting" and m.status in UNANSWERED:
            return "Waiting for an answer since " + html.escape(local_time_text(m.created_at))
        return None
