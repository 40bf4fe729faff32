"""The words of the domain, in one place: what a mention's status, sentiment, platform and
an account's state can be, and what a new mention is when it reaches crisisdesk.

Every layer imports from here (it imports nothing of crisisdesk). The enums are ``StrEnum``s:
they are stored and printed as their plain value ("new", "negative"), so a stored row, a CLI
argument and a settings value compare equal to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Status(StrEnum):
    """Where a mention is in the owner's triage."""

    NEW = "new"
    OPEN = "open"
    REPLIED = "replied"
    OFFLINE = "offline"  # taken to a private channel (phone, e-mail, direct message)
    RESOLVED = "resolved"
    ARCHIVED = "archived"

    @property
    def unanswered(self) -> bool:
        """Still waiting for an answer: the waiting time counts and the priority grows."""
        return self in UNANSWERED


#: statuses that still wait for an answer
UNANSWERED: frozenset[Status] = frozenset({Status.NEW, Status.OPEN})


class Sentiment(StrEnum):
    """How the customer's words read (VADER's compound score, bucketed). A complaint is
    always negative. Not to be confused with the tone check of the owner's own reply."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


class Platform(StrEnum):
    """Platforms crisisdesk connects to. Imported files may name other sources."""

    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    FEEDS = "feeds"
    REDDIT = "reddit"
    X = "x"
    FACEBOOK = "facebook"


class AccountState(StrEnum):
    """How an account's last sync went."""

    NEVER_SYNCED = "never_synced"
    OK = "ok"
    OFFLINE = "offline"  # the network could not be reached; nothing is wrong with the account
    FAILED = "failed"  # the platform refused or answered something unusable; see last_error


class Severity(StrEnum):
    """How a message to the owner should look: a note, something to check, or a failure."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class PlanEntryKind(StrEnum):
    """A row of a crisis plan: a section heading or a checklist item."""

    SECTION = "section"
    ITEM = "item"


class PlanSectionRole(StrEnum):
    """What a plan section holds besides steps, so other features can find it by role."""

    STEPS = "steps"  # ordinary checklist items
    CONTACTS = "contacts"  # item text = the role, owner = the person, notes = how to reach them
    STATEMENTS = "statements"  # item text = the statement's name, notes = its words
    RULES = "rules"  # standing rules and thresholds: reference, not steps to tick
    REVIEW = "review"  # post-crisis review questions; the notes are the lessons learned


class ToneSeverity(StrEnum):
    """How much a finding of the reply tone check matters (analysis/tone.py)."""

    BLOCK = "block"  # the platform refuses it, or it exposes a customer: fix before sending
    WARN = "warn"  # hurts the business in public
    TIP = "tip"  # would make a good reply better


@dataclass(frozen=True, slots=True)
class NewMention:
    """A mention as a connector or a file row hands it over: before analysis, before storage.

    Times are UTC ISO 8601 (``2026-11-23T15:04:05Z``). ``raw`` is the payload as JSON text,
    kept for the detail view and for replies that need platform ids.
    """

    source: str
    external_id: str
    text: str  # plain text: HTML already converted by sources/text.py
    created_at: str
    fetched_at: str
    author_handle: str = ""
    author_name: str = ""
    author_followers: int = 0
    url: str | None = None
    in_reply_to: str | None = None
    thread_root: str | None = None
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    raw: str | None = None
    account_id: int | None = None


class Scores(NamedTuple):
    """What analysis adds to a new mention (plain data: crosses process boundaries)."""

    sentiment: float  # VADER compound, unmodified
    label: Sentiment
    complaint: bool
    cues: tuple[str, ...]  # complaint cue ids, most important first
    priority: int  # 0..100 at the time it was scored


class ReplyRoute(StrEnum):
    """How a reply reaches the customer from the composer."""

    SEND = "send"  # posted through the account's connector
    COPY = "copy"  # copied for the platform's own app, then marked replied here


class HourTally(NamedTuple):
    """What was posted in one UTC hour: the store's answer for charts and spike detection."""

    hour: str  # 'YYYY-MM-DDTHH', UTC
    total: int
    negative: int
    neutral: int
    positive: int
    complaints: int
    sentiment_sum: float  # sum of VADER compounds (mean = sentiment_sum / total)
    negative_engagement: int  # likes + reposts + replies of the negative mentions
    engaged_negative: int  # negative mentions with at least ENGAGED interactions each


class PlatformTally(NamedTuple):
    """What one source brought over a range of hours."""

    source: str
    total: int
    negative: int
    complaints: int


class ResponseTally(NamedTuple):
    """How fast the complaints posted in one UTC hour got their first sent reply."""

    hour: str
    complaints: int
    answered: int
    within_1h: int
    within_4h: int
    delay_sum_s: float  # sum of first-reply delays of the answered ones, in seconds
