"""What the inbox filter bar holds, as data: the filter state, the saved views, the choices.

Split from ``filter_bar.py`` (the widgets) so both stay short; the bar re-exports these names.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta

from crisisdesk.domain import UNANSWERED, Sentiment, Status
from crisisdesk.store.mentions import MentionFilter
from crisisdesk.timeutil import now_utc, to_iso
from crisisdesk.ui.format import status_text

log = logging.getLogger(__name__)

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
