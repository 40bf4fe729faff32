"""The filter bar above the inbox: search as you type, a few choices, and saved views.

Typing restarts the ``searchDebounce`` timer (``ui/debounce.py``, 250 ms); only when it fires is
the search checked and the filter applied. A search the FTS syntax cannot take shows an inline
message under the box and the previous results stay on screen.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.domain import UNANSWERED, Sentiment, Status
from crisisdesk.errors import SearchSyntaxError
from crisisdesk.store.mentions import MentionFilter
from crisisdesk.store.search import build_fts_query
from crisisdesk.timeutil import now_utc, to_iso
from crisisdesk.ui.debounce import Debounce
from crisisdesk.ui.format import platform_text, sentiment_text, status_text
from crisisdesk.ui.icons import icon
from crisisdesk.ui.inbox.more_filters import MoreFilters
from crisisdesk.ui.widgets import WrapLabel

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250
SENTIMENTS = frozenset(s.value for s in Sentiment)
COMPLAINT = "complaint"  # the sentiment choice "Complaint": complaints_only
NEEDS_REPLY: tuple[str, ...] = tuple(s.value for s in Status if s in UNANSWERED)
PERIODS = {
    "any": "Any time",
    "today": "Today",
    "24h": "Last 24 hours",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "custom": "Between dates…",
}


#: status choice key → (statuses, text); "Needs reply" is new or open
STATUS_CHOICES: dict[str, tuple[tuple[str, ...], str]] = {
    "needs_reply": (NEEDS_REPLY, "Needs reply"),
    **{s.value: ((s.value,), status_text(s)) for s in Status},
}


def _status_key(statuses: tuple[str, ...]) -> str:
    """The status combo entry for *statuses* ('' = any; unknown combinations show as any)."""
    return next((k for k, (v, _) in STATUS_CHOICES.items() if v == statuses), "")


@dataclass(frozen=True)
class FilterState:
    """What the filter bar shows; turned into a store :class:`MentionFilter` on demand."""

    search: str = ""
    sentiment: str | None = None  # a Sentiment value
    complaints_only: bool = False
    statuses: tuple[str, ...] = ()
    source: str | None = None
    tag: str | None = None  # a user label
    period: str = "any"
    date_from: str | None = None  # local date 'YYYY-MM-DD', inclusive (period "custom")
    date_to: str | None = None  # local date 'YYYY-MM-DD', inclusive (period "custom")
    assignee: str | None = None
    follow_ups_due: bool = False  # only mentions whose follow-up date has come

    def to_filter(self, now: datetime | None = None) -> MentionFilter:
        now = now or now_utc()
        since, until = self._range(now)
        return MentionFilter(
            assignee=self.assignee,
            search=self.search,
            label=self.sentiment,
            complaints_only=self.complaints_only,
            statuses=self.statuses,
            sources=(self.source,) if self.source else (),
            since=since,
            until=until,
            tag=self.tag,
            follow_up_due_before=to_iso(now or now_utc()) if self.follow_ups_due else None,
        )

    def _range(self, now: datetime) -> tuple[str | None, str | None]:
        """Local calendar days → UTC bounds for the store."""

        def local_midnight(day: date) -> datetime:
            return datetime.combine(day, time()).astimezone()

        today = now.astimezone().date()
        if self.period == "today":
            return to_iso(local_midnight(today)), None
        if self.period == "24h":
            return to_iso(now - timedelta(hours=24)), None
        if self.period in ("7d", "30d"):
            days = 7 if self.period == "7d" else 30
            return to_iso(now - timedelta(days=days)), None
        if self.period == "custom":
            since = until = None
            if self.date_from:
                since = to_iso(local_midnight(date.fromisoformat(self.date_from)))
            if self.date_to:
                end = date.fromisoformat(self.date_to) + timedelta(days=1)
                until = to_iso(local_midnight(end))
            return since, until
        return None, None

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> FilterState:
        """Tolerant: anything unreadable (old version, hand edits) gives the default filter."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
            state = cls(
                search=str(data.get("search", "")),
                sentiment=data.get("sentiment") if data.get("sentiment") in SENTIMENTS else None,
                complaints_only=bool(data.get("complaints_only", False)),
                # only combinations the status choice can show
                statuses=STATUS_CHOICES.get(_status_key(tuple(data.get("statuses", ()))), ((),))[0],
                source=str(data["source"]) if data.get("source") else None,
                tag=str(data["tag"]) if data.get("tag") else None,
                period=data.get("period") if data.get("period") in PERIODS else "any",
                date_from=_valid_date(data.get("date_from")),
                date_to=_valid_date(data.get("date_to")),
                assignee=str(data["assignee"]) if data.get("assignee") else None,
                follow_ups_due=bool(data.get("follow_ups_due", False)),
            )
        except (ValueError, TypeError, AttributeError, KeyError):
            log.warning("ignoring an unreadable remembered filter")
            return cls()
        return state


def _valid_date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return None


@dataclass(frozen=True)
class SavedView:
    key: str
    title: str
    state: FilterState
    tooltip: str


_DUE_TIP = "Mentions whose follow-up date has come"
SAVED_VIEWS: tuple[SavedView, ...] = (
    SavedView(
        "needs_reply",
        "Needs reply",
        FilterState(statuses=NEEDS_REPLY),
        "New and open mentions nobody has answered yet",
    ),
    SavedView(
        "complaints",
        "Complaints",
        FilterState(complaints_only=True),
        "Everything that reads as a complaint",
    ),
    SavedView("today", "Today", FilterState(period="today"), "Posted today (your local time)"),
    SavedView("all", "All", FilterState(), "Every mention, no filter"),
    SavedView("follow_ups", "Follow-ups due", FilterState(follow_ups_due=True), _DUE_TIP),
)
VIEWS_BY_KEY = {v.key: v for v in SAVED_VIEWS}


def view_for(state: FilterState) -> str:
    """The saved view *state* equals, or '' for a custom filter."""
    return next((v.key for v in SAVED_VIEWS if v.state == state), "")


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
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.leaveRequested.connect(self.leaveSearch)

        search_later = Debounce(self, "searchDebounce", SEARCH_DEBOUNCE_MS, self._apply_search)
        self.search_debounce = search_later.timer
        self.search.textChanged.connect(search_later)
        self.search.returnPressed.connect(self._apply_search_now)

        self.search_error = WrapLabel(parent=self, accessible_name="Search problem")
        self.search_error.setObjectName("searchError")
        self.search_error.hide()

        self.view_buttons = QButtonGroup(self)
        self.view_buttons.setExclusive(False)  # a custom filter unchecks them all
        views = QHBoxLayout()
        views.setSpacing(2)
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
            views.addWidget(button)

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

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addLayout(views)
        controls = QHBoxLayout()
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
        controls.addStretch(1)
        controls.addWidget(self.clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.search_error)
        layout.addLayout(controls)
        self._sync_view_buttons()

    def _combo(self, name: str, items: Sequence[tuple[object, str]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name.lower().replace(" ", "_"))
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for data, text in items:
            combo.addItem(text, data)
        combo.currentIndexChanged.connect(self._controls_changed)
        return combo

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDate(QDate.currentDate())
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

    def mention_filter(self) -> MentionFilter:
        return self._state.to_filter(self._now())
