"""The Inbox page: filter bar on top, then a splitter with the mention list on the left.

The detail pane (``MentionDetail``) goes on the right of the splitter through
:meth:`InboxPage.set_detail_widget`. Other code talks to the page through
``selectionChanged(list[int])``, :meth:`selected_ids`, :meth:`refresh_rows` and :meth:`reload`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

import sqlite_utils
from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.errors import SearchSyntaxError
from crisisdesk.settings import Settings
from crisisdesk.store import assignees, mentions, overview, suggest
from crisisdesk.store import labels as store_labels
from crisisdesk.timeutil import now_utc
from crisisdesk.ui import errors
from crisisdesk.ui.inbox.column_fit import (
    fit_columns,
    title_width,
    widen_cut_titles,
)
from crisisdesk.ui.inbox.delegates import SentimentDelegate, sentiment_column_width
from crisisdesk.ui.inbox.filter_bar import FilterBar, FilterState
from crisisdesk.ui.inbox.model import COLUMN_INDEX, COLUMNS, InboxModel
from crisisdesk.ui.inbox.search_info import SearchInfo, plain_words
from crisisdesk.ui.inbox.stacking import PaneStacking
from crisisdesk.ui.tasks import TaskContext, TaskRunner
from crisisdesk.ui.theme import scale_font

TIME_REFRESH_MS = 60_000
#: the widest text a column usually shows, to size it in the user's font
WIDEST_TEXT = {
    "time": "59 min ago",
    "platform": "Facebook",
    "priority": "100",
    "status": "Taken offline",
    "waiting": "59 min",
}


class InboxPage(QWidget):
    """Mentions to triage: filter, list, and (added by the detail work) the selected mention."""

    #: ids of the selected mentions, in list order
    selectionChanged = Signal(list)
    #: the list was (re)loaded for a filter or sort (tests and the window listen)
    loaded = Signal()

    def __init__(
        self,
        db: sqlite_utils.Database,
        runner: TaskRunner,
        settings: Settings,
        *,
        now: Callable[[], datetime] = now_utc,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inboxPage")
        self._db = db
        self._runner = runner
        self._settings = settings
        self._now = now
        self._reselect: list[int] = []
        self._sources_stale = True
        #: columns hidden for lack of room (not by the user) → their width
        self._auto_hidden: dict[int, int] = {}
        #: column keys the user showed from the header menu: never hidden for room
        self._pinned = {k for k in settings.get("inbox/columns_kept").split(",") if k}
        self._author_width: int | None = None  # Author's own width, before narrowing
        self._fitting = False

        self.filter_bar = FilterBar(self, now=now)
        self.model = InboxModel(db, runner, now=now, parent=self)
        self.table = QTableView(self)
        self._setup_table()

        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setFont(scale_font(self.font(), 1.1))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setText("No mentions match these filters.\nTry the All view or Clear.")
        self.empty_label.hide()
        self.table.viewport().installEventFilter(self)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("inboxSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.filter_bar)
        self.search_info = SearchInfo(self)
        self.search_info.searchChosen.connect(self._search_for)
        layout.addWidget(self.search_info)
        layout.addWidget(self.splitter, 1)
        self.stacking = PaneStacking(self, settings)

        self.time_refresh = QTimer(self)
        self.time_refresh.setObjectName("timeRefresh")
        self.time_refresh.setInterval(TIME_REFRESH_MS)
        self.time_refresh.timeout.connect(self.model.refresh_times)
        self.time_refresh.start()

        # keyboard-only triage: j/k move through the list (Enter and status keys: detail work)
        for key, delta in (("J", 1), ("K", -1)):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda d=delta: self.move_selection(d))

        self.filter_bar.filterChanged.connect(self._filter_changed)
        self.filter_bar.leaveSearch.connect(self.focus_list)
        self.model.loaded.connect(self._on_loaded)
        self.model.loadFailed.connect(self._on_load_failed)
        self.model.sortApplied.connect(self._show_sort)
        self.model.modelReset.connect(self._update_empty)
        self.model.rowsInserted.connect(self._update_empty)
        self.table.selectionModel().selectionChanged.connect(self._emit_selection)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._header_sort)
        self.table.horizontalHeader().sectionResized.connect(self._section_resized)

        self._restore_settings()

    # --- setup --------------------------------------------------------------------------------

    def _setup_table(self) -> None:
        table = self.table
        table.setObjectName("mentionList")
        table.setAccessibleName("Mentions")
        table.setModel(self.model)
        table.setItemDelegateForColumn(COLUMN_INDEX["sentiment"], SentimentDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setTabKeyNavigation(False)  # Tab leaves the list, arrows move inside it
        table.setCornerButtonEnabled(False)
        vheader = table.verticalHeader()
        vheader.hide()
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(table.fontMetrics().height() + 14)
        header = table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        self._default_columns()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    def _default_columns(self) -> None:
        """Column widths that fit their widest usual content in the current font."""
        header = self.table.horizontalHeader()
        cell = self.table.fontMetrics()
        for index, column in enumerate(COLUMNS):
            width = max(column.width, title_width(header, index))
            if column.key == "sentiment":
                width = max(width, sentiment_column_width(cell))
            elif column.key in WIDEST_TEXT:
                width = max(width, cell.horizontalAdvance(WIDEST_TEXT[column.key]) + 16)
            header.setSectionResizeMode(index, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(index, width)
        header.setSectionResizeMode(COLUMN_INDEX["text"], QHeaderView.ResizeMode.Stretch)

    def set_detail_widget(self, widget: QWidget) -> None:
        """Put the mention detail on the right of the list (restores the remembered split)."""
        self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        saved = self._settings.get("inbox/splitter")
        if not saved or not self.splitter.restoreState(QByteArray(saved)):
            self.splitter.setSizes([700, 300])  # the list gets most of the room
        self.stacking.update()

    def _fit_columns(self) -> None:
        """Narrow list: other columns step aside or narrow before the mention text is squeezed
        (column_fit.fit_columns); the room is measured as if the scroll bar were there, so a
        view with a few rows shows the same columns as one with many."""
        header = self.table.horizontalHeader()
        bar = self.table.verticalScrollBar()
        # a scroll bar never shown has no real width yet: its size hint is what it will take
        available = self.table.viewport().width() - (
            0 if bar.isVisible() else bar.sizeHint().width()
        )
        if self._author_width is None:
            self._author_width = header.sectionSize(COLUMN_INDEX["author"])
        self._fitting = True
        try:
            fit_columns(
                header, available, self.table.fontMetrics().averageCharWidth(),
                kept={*self._pinned, COLUMNS[self.model.sort_column()].key},
                pinned=self._pinned, stepped_aside=self._auto_hidden,
                author_width=self._author_width,
            )  # fmt: skip
        finally:
            self._fitting = False

    def _section_resized(self, index: int, _old: int, _new: int) -> None:
        if index == COLUMN_INDEX["author"] and not self._fitting:
            self._pinned.add("author")  # dragged by the user: never narrowed for room

    @property
    def stepped_aside(self) -> dict[int, int]:
        """Columns hidden for lack of room (not by the owner) → their width."""
        return self._auto_hidden

    @property
    def auto_hidden_columns(self) -> list[str]:
        return [COLUMNS[i].key for i in self._auto_hidden]

    # --- public API ---------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.mention_at(row).id for row in rows]

    def select_ids(self, ids: Iterable[int]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        first = True
        for mention_id in ids:
            row = self.model.row_of(mention_id)
            if row is None:
                continue
            index = self.model.index(row, 0)
            flags = (
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            )
            if first:
                selection.setCurrentIndex(index, flags)
                first = False
            else:
                selection.select(index, flags)

    def refresh_rows(self, ids: Iterable[int]) -> None:
        """Re-read these mentions in place (after a triage action)."""
        self.model.refresh_rows(ids)

    def reload(self) -> None:
        """Read the list again for the current filter; keeps the selection where it can."""
        self._reselect = self.selected_ids()
        self.filter_bar.set_tags(store_labels.all_names(self._db))
        self.filter_bar.more.set_names(assignees.recent(self._db), self.filter_bar.state().assignee)
        self._sources_stale = True  # read after the list: the first page comes first
        self.model.set_filter(self.filter_bar.mention_filter())

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.table.selectionModel().hasSelection() and self.model.rowCount():
            self.move_selection(0)

    def apply_view(self, key: str) -> None:
        self.filter_bar.apply_view(key)

    def move_selection(self, delta: int) -> None:
        """j/k: select the next/previous mention (only that one)."""
        rows = self.model.rowCount()
        if not rows:
            return
        current = self.table.currentIndex()
        if not current.isValid():
            row = 0
        elif not self.table.selectionModel().hasSelection():
            row = current.row()  # the first key press selects the row the cursor is on
        else:
            row = min(max(current.row() + delta, 0), rows - 1)
        index = self.model.index(row, current.column() if current.isValid() else 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def move_past_selection(self) -> None:
        """After a triage key: select the mention after the selected ones (mail programs do)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        if rows and rows[-1] + 1 < self.model.rowCount():
            index = self.model.index(rows[-1] + 1, max(self.table.currentIndex().column(), 0))
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)

    # --- settings -----------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        header = self.table.horizontalHeader()
        saved = self._settings.get("inbox/header")
        if saved:
            header.blockSignals(True)
            try:
                if not header.restoreState(QByteArray(saved)):
                    self._default_columns()
                widen_cut_titles(header)  # saved with a smaller font: titles were cut
            finally:
                header.blockSignals(False)
        state = FilterState.from_json(self._settings.get("inbox/filter"))
        self.filter_bar.set_state(state, emit=False)
        self.model.set_sort_key(self._settings.get("inbox/sort"), load=False)
        self.reload()

    def save_settings(self) -> None:
        header = self.table.horizontalHeader()
        # remember the user's columns, not the ones stepped aside for a narrow window
        for index in self._auto_hidden:
            header.setSectionHidden(index, False)
        state = bytes(header.saveState().data())
        for index in self._auto_hidden:
            header.setSectionHidden(index, True)
        self._settings.set("inbox/header", state)
        self.stacking.save_settings()
        self._settings.set("inbox/filter", self.filter_bar.state().to_json())
        self._settings.set("inbox/sort", self.model.sort_key)
        self._settings.set("inbox/columns_kept", ",".join(sorted(self._pinned)))

    # --- reactions ----------------------------------------------------------------------------

    def _filter_changed(self, _state: FilterState) -> None:
        self._reselect = self.selected_ids()
        self.model.set_filter(self.filter_bar.mention_filter())

    def _load_sources(self) -> None:
        # DISTINCT over a big table is not instant: off the GUI thread
        self._runner.op(lambda ctx: overview.sources(ctx.db)).success(
            self.filter_bar.set_sources
        ).start()

    def _on_loaded(self) -> None:
        self.filter_bar.clear_search_error()
        if self._sources_stale:
            self._sources_stale = False
            self._load_sources()
        if self._reselect:
            self.select_ids(self._reselect)
            self._reselect = []
        self._emit_selection()
        self._update_empty()
        self._count_search()
        self.loaded.emit()

    def _count_search(self) -> None:
        """A search: say how many match, and when none does, offer the nearest words."""
        flt = self.model.mention_filter
        if not flt.search.strip():
            self.search_info.clear_result()
            return
        search, words = flt.search, plain_words(flt.search)

        def work(ctx: TaskContext) -> tuple[int, str, list[str]]:
            found = mentions.count(ctx.db, flt)
            for word in words if not found else ():
                if mentions.count(ctx.db, replace(flt, search=word)) == 0:
                    return found, word, suggest.nearest_words(ctx.db, word)
            return found, "", []

        self._runner.op(work).success(
            lambda r: (
                self.search_info.show_result(search, *r)
                if self.model.mention_filter.search == search
                else None
            )
        ).start()

    def _search_for(self, text: str) -> None:
        self.filter_bar.search.setText(text)
        self.filter_bar._apply_search_now()

    def _on_load_failed(self, exc: BaseException) -> None:
        if isinstance(exc, SearchSyntaxError):
            self.filter_bar.show_search_error(exc)
            return
        errors.show_error(self.window(), exc)

    def _emit_selection(self, *_args: object) -> None:
        self.selectionChanged.emit(self.selected_ids())

    def _update_empty(self, *_args: object) -> None:
        empty = self.model.rowCount() == 0 and not self.model.loading
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setGeometry(self.table.viewport().rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(self.table.viewport().rect())
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _header_sort(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)

    def _show_sort(self, column: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        if header.isSectionHidden(column) and column in self._auto_hidden:
            del self._auto_hidden[column]  # the sort column always shows
            header.setSectionHidden(column, False)
            self._fit_columns()
        header.blockSignals(True)
        try:
            header.setSortIndicator(column, order)
        finally:
            header.blockSignals(False)

    def _header_menu(self, pos: QPoint) -> None:
        """Right-click on the header: choose which columns to show (remembered)."""
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for index, column in enumerate(COLUMNS):
            action = menu.addAction(column.title)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(index))
            action.setEnabled(column.key != "text")  # the mention itself always shows
            action.toggled.connect(lambda shown, i=index: self._set_column_shown(i, shown))
        menu.addSeparator()
        menu.addAction("Reset columns", self._default_columns_shown)
        menu.popup(header.mapToGlobal(pos))

    def _set_column_shown(self, index: int, shown: bool) -> None:
        self._auto_hidden.pop(index, None)  # the user decides for this column now
        (self._pinned.add if shown else self._pinned.discard)(COLUMNS[index].key)
        self.table.horizontalHeader().setSectionHidden(index, not shown)

    def _default_columns_shown(self) -> None:
        self._auto_hidden.clear()
        self._pinned.clear()
        self._author_width = None
        header = self.table.horizontalHeader()
        for index in range(len(COLUMNS)):
            header.setSectionHidden(index, False)
            header.moveSection(header.visualIndex(index), index)
        self._fitting = True  # not the user's own sizes
        try:
            self._default_columns()
        finally:
            self._fitting = False
        self._fit_columns()
