"""The filter bar above the inbox: search as you type, a few choices, and saved views.

Typing restarts the ``searchDebounce`` timer (``ui/debounce.py``, 250 ms); only when it fires is
the search checked and the filter applied. A search the FTS syntax cannot take shows an inline
message under the box and the previous results stay on screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.domain import Sentiment
from crisisdesk.errors import SearchSyntaxError
from crisisdesk.store.mentions import MentionFilter
from crisisdesk.store.search import build_fts_query
from crisisdesk.timeutil import now_utc
from crisisdesk.ui.debounce import Debounce
from crisisdesk.ui.flow_layout import FlowLayout
from crisisdesk.ui.format import platform_text, sentiment_text
from crisisdesk.ui.icons import icon
from crisisdesk.ui.inbox.filter_state import (  # re-exported: the bar's data lives there
    COMPLAINT as COMPLAINT,
)
from crisisdesk.ui.inbox.filter_state import (
    PERIODS,
    STATUS_CHOICES,
    VIEWS_BY_KEY,
    _status_key,
    view_for,
)
from crisisdesk.ui.inbox.filter_state import (
    SAVED_VIEWS as SAVED_VIEWS,
)
from crisisdesk.ui.inbox.filter_state import (
    FilterState as FilterState,
)
from crisisdesk.ui.inbox.more_filters import MoreFilters
from crisisdesk.ui.inbox.view_buttons import ViewButtons
from crisisdesk.ui.widgets import WrapLabel, date_edit, hidden_buddy, name_clear_button

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250
#: the search box keeps room for this many characters of typed text, beside its search icon and
#: clear button; the saved views wrap around it (at 200 % it was squeezed to "S…": issue 15.8)
SEARCH_MIN_CHARS = 12


class _SearchEdit(QLineEdit):
    """Down/Escape hand the keyboard back to the list (keyboard-only triage)."""

    leaveRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Escape):
            self.leaveRequested.emit()
            return
        super().keyPressEvent(event)


class FilterBar(QWidget):
    """Emits ``filterChanged(FilterState)`` when the user changes what the inbox shows."""

    filterChanged = Signal(object)
    #: the saved view now matching the controls ('' when the filter is custom)
    viewChanged = Signal(str)
    #: Down/Escape in the search box: the page moves focus to the list
    leaveSearch = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, now: Callable[[], datetime] = now_utc
    ) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self._now = now
        self._state = FilterState()
        self._updating = False

        self.search = _SearchEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText('Search mentions — words, "a phrase", OR, -exclude  (/)')
        self.search.setAccessibleName("Search mentions")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition).setText(
            "Search"
        )
        name_clear_button(self.search, "Clear the search")
        metrics = self.search.fontMetrics()
        icons = 2 * (metrics.height() + 12)  # the leading icon and the clear button, with margins
        self.search.setMinimumWidth(SEARCH_MIN_CHARS * metrics.averageCharWidth() + icons)
        self.search.leaveRequested.connect(self.leaveSearch)

        search_later = Debounce(self, "searchDebounce", SEARCH_DEBOUNCE_MS, self._apply_search)
        self.search_debounce = search_later.timer
        self.search.textChanged.connect(search_later)
        self.search.returnPressed.connect(self._apply_search_now)

        self.search_error = WrapLabel(parent=self, description="Search problem")
        self.search_error.setObjectName("searchError")
        self.search_error.hide()

        self.view_buttons = ViewButtons(self)  # each a Tab stop; a custom filter checks none
        # the search box and the views wrap as one row: the search box keeps SEARCH_MIN_CHARS
        # and takes what a row leaves (an HBox beside a nested flow squeezed it to "S…" and let
        # a third row of views overlap the filters at 200 %)
        top = self._top = FlowLayout(spacing=4)
        top.addWidget(self.search)
        # a short window (large text, 200 %): the choices fold behind this button beside the
        # search box, and the saved views step aside (View menu, Ctrl+1…)
        self.filters_button = QToolButton(self)
        self.filters_button.setObjectName("filtersButton")
        self.filters_button.setText("Filters")
        self.filters_button.setAccessibleName("Show the filters")
        self.filters_button.setToolTip(
            "Show or hide the filter choices (folded in a short window; the saved views are "
            "in the View menu: Ctrl+1 to Ctrl+5)"
        )
        self.filters_button.setCheckable(True)
        self.filters_button.hide()
        self.filters_button.toggled.connect(self._show_controls)
        top.addWidget(self.filters_button)
        for view in SAVED_VIEWS:
            button = QToolButton(self)
            button.setObjectName(f"view_{view.key}")
            button.setText(view.title)
            button.setToolTip(view.tooltip)
            button.setAccessibleName(f"Saved view: {view.title}")
            button.setCheckable(True)
            button.setProperty("viewKey", view.key)
            button.clicked.connect(lambda _checked, key=view.key: self.apply_view(key))
            self.view_buttons.addButton(button)
            top.addWidget(button)
        self.compact = False

        self.sentiment = self._combo("Sentiment", [(None, "Any sentiment")] + [
            (s.value, sentiment_text(s)) for s in Sentiment
        ] + [(COMPLAINT, "Complaint")])  # fmt: skip
        self.complaints = QCheckBox("Complaints only", self)
        self.complaints.setAccessibleName("Complaints only")
        self.complaints.toggled.connect(self._controls_changed)
        status_items: list[tuple[object, str]] = [("", "Any status")]
        status_items += [(key, STATUS_CHOICES[key][1]) for key in STATUS_CHOICES]
        self.status = self._combo("Status", status_items)
        self.platform = self._combo("Platform", [(None, "All platforms")])
        self.tag = self._combo("Label", [(None, "Any label")])
        self.tag.setVisible(False)  # absent until there are labels to filter by
        self.period = self._combo("Date range", list(PERIODS.items()))
        self.date_from = self._date_edit("From date")
        self.date_to = self._date_edit("To date")
        self.dates_dash = QLabel("–", self)
        for widget in (self.date_from, self.dates_dash, self.date_to):
            widget.setVisible(False)
        self.more = MoreFilters(self)
        self.more.changed.connect(self._controls_changed)
        self.clear = QPushButton("Clear", self)
        self.clear.setAccessibleName("Clear all filters")
        self.clear.setToolTip("Show every mention (the All view)")
        self.clear.clicked.connect(lambda: self.apply_view("all"))

        self.controls_box = QWidget(self)
        self.controls_box.setObjectName("filterControls")
        # wraps at a large font or 200% instead of widening the window
        controls = self._controls = FlowLayout(self.controls_box)
        for control in (
            self.sentiment,
            self.complaints,
            self.status,
            self.platform,
            self.tag,
            self.more,
            self.period,
            self.date_from,
            self.dates_dash,
            self.date_to,
        ):
            controls.addWidget(control)
        controls.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.search_error)
        layout.addWidget(self.controls_box)
        self._sync_view_buttons()

    def set_compact(self, compact: bool) -> None:
        """A short window: the filter choices fold behind the Filters button and the saved
        views step aside (they are in the View menu, Ctrl+1…; with them unfolded too, the
        rows overlapped the list at 14 pt and 200 %). A choice with the focus stays shown."""
        if compact == self.compact:
            return
        self.compact = compact
        focus = QApplication.focusWidget()
        if compact and focus is not None and self.controls_box.isAncestorOf(focus):
            self.filters_button.setChecked(True)
        if compact and focus in self.view_buttons.buttons():
            self.search.setFocus(Qt.FocusReason.OtherFocusReason)  # the nearest that stays
        for button in self.view_buttons.buttons():
            button.setVisible(not compact)
        self.filters_button.setVisible(compact)
        self._show_controls(not compact or self.filters_button.isChecked())

    def _show_controls(self, shown: bool) -> None:
        shown = shown or not self.compact
        self.controls_box.setVisible(shown)
        self._name_filters_button()

    def unfolded_height(self, width: int) -> int:
        """The bar's height at *width* with its saved views and filter choices shown."""
        layout = self.layout()
        assert layout is not None  # made in __init__
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        top = self._top.height_with(inner, self.view_buttons.buttons(), [self.filters_button])
        height = margins.top() + margins.bottom() + top + layout.spacing()
        height += self._controls.heightForWidth(inner)
        if self.search_error.isVisibleTo(self):
            height += layout.spacing() + self.search_error.heightForWidth(inner)
        return height

    def _combo(self, name: str, items: Sequence[tuple[object, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name.lower().replace(" ", "_"))
        combo.setAccessibleName(name)
        # on Linux a screen reader names a combo by its label, not its accessible name
        # (that is its current value); the values name themselves on screen (issue 15.4)
        hidden_buddy(self, combo, name)
        combo.setToolTip(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for data, text in items:
            combo.addItem(text, data)
        combo.currentIndexChanged.connect(self._controls_changed)
        return combo

    def _date_edit(self, name: str) -> QDateEdit:
        edit = date_edit(self, name)
        edit.dateChanged.connect(self._controls_changed)
        return edit

    # --- public API ---------------------------------------------------------------------------

    def state(self) -> FilterState:
        return self._state

    def current_view(self) -> str:
        return view_for(self._state)

    def set_sources(self, sources: Sequence[str]) -> None:
        """Fill the platform choice (kept when still present)."""
        wanted = list(
            dict.fromkeys([*sources, *([self._state.source] if self._state.source else [])])
        )
        self._refill(self.platform, "All platforms", [(s, platform_text(s)) for s in wanted])

    def set_tags(self, names: Sequence[str]) -> None:
        wanted = list(dict.fromkeys([*names, *([self._state.tag] if self._state.tag else [])]))
        self._refill(self.tag, "Any label", [(n, n) for n in wanted])
        self.tag.setVisible(bool(wanted))

    def _refill(self, combo: QComboBox, any_text: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        self._updating = True
        try:
            combo.clear()
            combo.addItem(any_text, None)
            for data, text in items:
                combo.addItem(text, data)
            found = combo.findData(current)
            combo.setCurrentIndex(max(found, 0))
        finally:
            self._updating = False

    def set_state(self, state: FilterState, *, emit: bool = True) -> None:
        """Show *state* in the controls (e.g. restored from settings or a saved view)."""
        self._updating = True
        try:
            if self.search.text() != state.search:
                self.search.setText(state.search)
            self.search_debounce.stop()
            complaint = state.complaints_only and not state.sentiment
            self._select(self.sentiment, COMPLAINT if complaint else state.sentiment)
            self.more.show_assignee(state.assignee)
            self.complaints.setChecked(state.complaints_only)
            self._select(self.status, _status_key(state.statuses))
            if state.source and self.platform.findData(state.source) < 0:
                self.platform.addItem(platform_text(state.source), state.source)
            self._select(self.platform, state.source)
            if state.tag and self.tag.findData(state.tag) < 0:
                self.tag.addItem(state.tag, state.tag)
                self.tag.setVisible(True)
            self._select(self.tag, state.tag)
            self._select(self.period, state.period)
            if state.date_from:
                self.date_from.setDate(QDate.fromString(state.date_from, "yyyy-MM-dd"))
            if state.date_to:
                self.date_to.setDate(QDate.fromString(state.date_to, "yyyy-MM-dd"))
        finally:
            self._updating = False
        self.clear_search_error()
        self._set_state(state, emit=emit)

    def apply_view(self, key: str) -> None:
        self.set_state(VIEWS_BY_KEY[key].state)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_search_error(self, error: SearchSyntaxError) -> None:
        self.search_error.setText(f"⚠ {error.user_text()}".replace("\n", " — "))
        self.search_error.show()
        self.search.setProperty("invalid", True)
        self._repolish(self.search)

    def clear_search_error(self) -> None:
        if self.search_error.isVisible() or self.search.property("invalid"):
            self.search_error.hide()
            self.search_error.clear()
            self.search.setProperty("invalid", False)
            self._repolish(self.search)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)

    # --- internals ----------------------------------------------------------------------------

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        found = combo.findData(data)
        combo.setCurrentIndex(max(found, 0))

    def _apply_search_now(self) -> None:
        self.search_debounce.stop()
        self._apply_search()

    def _apply_search(self) -> None:
        text = self.search.text()
        try:
            build_fts_query(text)
        except SearchSyntaxError as exc:
            self.show_search_error(exc)  # keep the previous results on screen
            return
        self.clear_search_error()
        if text != self._state.search:
            self._set_state(replace(self._state, search=text))

    def _controls_changed(self, *_args: object) -> None:
        if self._updating:
            return
        period = self.period.currentData()
        custom = period == "custom"
        for widget in (self.date_from, self.dates_dash, self.date_to):
            widget.setVisible(custom)
        start, end = self.date_from.date(), self.date_to.date()
        if custom and start > end:
            start, end = end, start  # read a reversed range the way it was meant
        status_key = self.status.currentData()
        sentiment, complaints = self.sentiment.currentData(), self.complaints.isChecked()
        if sentiment == COMPLAINT:  # "Complaint" is "Complaints only" (unticking ends both)
            sentiment, complaints = None, self.sender() is not self.complaints
            self._updating = True
            self.complaints.setChecked(complaints)
            self._select(self.sentiment, COMPLAINT if complaints else None)
            self._updating = False
        state = replace(
            self._state,
            assignee=self.more.assignee.currentData(),
            sentiment=sentiment,
            complaints_only=complaints,
            statuses=STATUS_CHOICES[status_key][0] if status_key else (),
            source=self.platform.currentData(),
            tag=self.tag.currentData(),
            period=period,
            date_from=start.toString("yyyy-MM-dd") if custom else None,
            date_to=end.toString("yyyy-MM-dd") if custom else None,
        )
        self._set_state(state)

    def _set_state(self, state: FilterState, *, emit: bool = True) -> None:
        changed = state != self._state
        self._state = state
        custom = state.period == "custom"
        for widget in (self.date_from, self.dates_dash, self.date_to):
            widget.setVisible(custom)
        self._sync_view_buttons()
        if emit and changed:
            self.filterChanged.emit(state)
            self.viewChanged.emit(self.current_view())

    def _sync_view_buttons(self) -> None:
        current = self.current_view()
        for button in self.view_buttons.buttons():
            button.setChecked(button.property("viewKey") == current)
        self._name_filters_button()

    def active_filters(self) -> int:
        """How many filter choices differ from "any" (the search box aside)."""
        st = self._state
        return sum(
            map(bool, (st.sentiment, st.complaints_only, st.statuses, st.source, st.tag,
                       st.period != "any", st.assignee, st.follow_ups_due))
        )  # fmt: skip

    def _name_filters_button(self) -> None:
        """Folded, the button says how many filters are on (they are out of sight)."""
        count = self.active_filters()
        self.filters_button.setText(f"Filters ({count})" if count else "Filters")
        verb = "Hide" if self.controls_box.isVisibleTo(self) else "Show"
        on = f", {count} on" if count else ""
        self.filters_button.setAccessibleName(f"{verb} the filters{on}")

    def mention_filter(self) -> MentionFilter:
        return self._state.to_filter(self._now())
