"""The demo's vocabulary: its size and calendar, the seed text, and what it hands over."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from typing import Any

from crisisdesk import paths
from crisisdesk.domain import NewMention

SOURCES = ("mastodon", "bluesky", "reddit", "x", "facebook", "rss")
DAYS = 60
INCIDENT_DAYS_AGO = 21
MAX_COUNT = 100_000
DAY = timedelta(days=1)

INCIDENT_KINDS = frozenset(
    {"incident_complaint", "sarcasm", "outrage", "defender", "incident_neutral", "incident_news"}
)


@cache
def fragments() -> dict[str, Any]:
    """The seed text (names, products, templates) shipped in resources/demo."""
    path = paths.resources_dir() / "demo" / "fragments.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@dataclass(frozen=True)
class DemoReply:
    """A reply the owner sent (state 'sent'), linked to a mention by its external id."""

    mention_external_id: str
    channel: str  # public | private
    body: str
    created_at: str
    sent_at: str
    external_id: str
    url: str
    idempotency_key: str


@dataclass(frozen=True)
class DemoStatusChange:
    mention_external_id: str
    old: str
    new: str
    at: str


@dataclass(frozen=True)
class DemoData:
    business: str
    handle: str
    now: str
    incident_start: str
    #: the new mentions, oldest first, not yet scored
    mentions: list[NewMention]
    #: external id -> its status now (the owner already answered or closed many)
    statuses: dict[str, str]
    #: external id -> what the text was written as (praise, incident_complaint, ...)
    kinds: dict[str, str]
    replies: list[DemoReply]
    status_changes: list[DemoStatusChange]


@dataclass
class DemoReport:
    business: str
    requested: int
    added: int = 0
    duplicates: int = 0
    complaints: int = 0
    replies: int = 0
    events: int = 0
    incident_start: str = ""
    by_source: dict[str, int] = field(default_factory=dict)

    def summary_text(self) -> str:
        if not self.added:
            return (
                f"The demo data for {self.business} is already loaded "
                f"({self.duplicates:,} mentions); nothing was added."
            )
        sources = ", ".join(f"{n:,} {s}" for s, n in sorted(self.by_source.items()))
        return (
            f"Added {self.added:,} demo mentions for {self.business} over {DAYS} days "
            f"({sources}): {self.complaints:,} complaints, {self.replies:,} replies sent, "
            f"a backlash starting {self.incident_start[:10]}."
        )
