"""How the whole UI writes times, durations, counts, excerpts and domain words: one rule each.

Every widget that shows a time or a count calls these, so the list, the detail pane, the
status bar and the accounts page never disagree. Where a narrow column needs a compact form,
it is the same function with ``short=True`` — never a second function of the same name.
Times are stored in UTC ISO 8601 and shown in the user's local time zone.
"""

from __future__ import annotations

import html
from datetime import datetime

from crisisdesk.domain import Sentiment, Status
from crisisdesk.sources.platforms.registry import PLATFORMS
from crisisdesk.timeutil import now_utc, parse_iso

#: the longest excerpt of a mention shown on one line (the list, tooltips of other pages)
EXCERPT_CHARS = 240

STATUS_TEXT: dict[str, str] = {
    Status.NEW: "New",
    Status.OPEN: "Open",
    Status.REPLIED: "Replied",
    Status.OFFLINE: "Taken offline",
    Status.RESOLVED: "Resolved",
    Status.ARCHIVED: "Archived",
}
SENTIMENT_TEXT: dict[str, str] = {
    Sentiment.NEGATIVE: "Negative",
    Sentiment.NEUTRAL: "Neutral",
    Sentiment.POSITIVE: "Positive",
}
#: sources that are not a platform connector, and other spellings of a platform's name
#: (the platforms' own names live in the registry, the one table of platforms)
OTHER_SOURCE_TEXT = {"import": "Imported", "demo": "Demo"}
SOURCE_ALIASES = {"twitter": "x", "feed": "feeds", "rss": "feeds"}


def _aware(value: str | datetime) -> datetime:
    return parse_iso(value) if isinstance(value, str) else value


# --- times ------------------------------------------------------------------------------------


def local_time_text(value: str | datetime) -> str:
    """A stored UTC time in the user's local zone: 'Fri 20 Nov 2026, 11:00'."""
    return _aware(value).astimezone().strftime("%a %d %b %Y, %H:%M")


def short_time_text(value: str | datetime, now: datetime | None = None) -> str:
    """Compact local time for lists: '2 Nov, 17:04' this year, '2 Nov 2025, 17:04' otherwise."""
    local = _aware(value).astimezone()
    this_year = (now or now_utc()).astimezone().year == local.year
    return f"{local.day} " + local.strftime("%b, %H:%M" if this_year else "%b %Y, %H:%M")


def local_date_text(value: str | datetime, now: datetime | None = None) -> str:
    """A local calendar date: '02 Nov' this year, '02 Nov 2025' otherwise."""
    local = _aware(value).astimezone()
    this_year = (now or now_utc()).astimezone().year == local.year
    return local.strftime("%d %b" if this_year else "%d %b %Y")


def duration_text(seconds: float) -> str:
    """'45 min', '3 h', '2 d' — short enough for a narrow column and a status bar."""
    minutes = int(max(seconds, 0) // 60)
    if minutes < 1:
        return "< 1 min"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    days = hours // 24
    if days < 60:
        return f"{days} d"
    return f"{days // 30} mo"


def relative_text(
    value: str | datetime, now: datetime | None = None, *, short: bool = False
) -> str:
    """How long ago: 'just now', '5 min ago', '2 h ago', '3 days ago', 'in 2 days'.

    ``short=True`` is the compact form for a narrow column: '3 d ago' (via
    :func:`duration_text`), and a local date for posts older than 30 days or in the future.
    """
    when = _aware(value)
    seconds = ((now or now_utc()) - when).total_seconds()
    if short:
        if seconds < -60 or seconds >= 30 * 86400:
            return local_date_text(when)  # old, or clock skew / a post dated in the future
        return "just now" if seconds < 60 else duration_text(seconds) + " ago"
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "just now" if not future else "in under a minute"
    if seconds < 3600:
        amount = f"{int(seconds // 60)} min"
    elif seconds < 86400:
        amount = f"{int(seconds // 3600)} h"
    else:
        days = int(seconds // 86400)
        amount = f"{days} day" if days == 1 else f"{days} days"
    return f"in {amount}" if future else f"{amount} ago"


# --- numbers and text -------------------------------------------------------------------------


def count_text(value: int) -> str:
    """12 → '12', 12_345 → '12k', 2_400_000 → '2.4M'."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return str(value)


def plural_text(n: int, word: str) -> str:
    """'1 like', '1.2k likes' (counts as :func:`count_text`)."""
    return f"{count_text(n)} {word}" if n == 1 else f"{count_text(n)} {word}s"


def followers_text(n: int | None) -> str:
    """'12k followers'; 0 or None → 'follower count unknown' (feeds, imports and some
    platforms never give one, and a real 0 changes nothing in priority either)."""
    return plural_text(n, "follower") if n else "follower count unknown"


def these_mentions(count: int) -> str:
    """'this mention' or 'these 3 mentions', for dialogs acting on a selection."""
    return "this mention" if count == 1 else f"these {count} mentions"


def one_line(text: str, limit: int = EXCERPT_CHARS) -> str:
    """A plain one-line excerpt: whitespace and line breaks folded, cut with '…' at *limit*."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def plain_tooltip(text: str) -> str:
    """Tooltips render rich text automatically; escape so internet text shows literally."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


# --- domain words -----------------------------------------------------------------------------


def status_text(status: str) -> str:
    """'Taken offline' for ``Status.OFFLINE``; an unknown stored status shows as itself."""
    return STATUS_TEXT.get(status, status)


def platform_text(source: str) -> str:
    """The short name of where a mention came from: 'Mastodon', 'X', 'Feed', 'Imported'."""
    key = source.lower()
    key = SOURCE_ALIASES.get(key, key)
    info = PLATFORMS.get(key)
    if info is not None:
        return info.short_label
    return OTHER_SOURCE_TEXT.get(key, source[:1].upper() + source[1:])


def sentiment_text(sentiment: str) -> str:
    """'Negative', 'Neutral', 'Positive' (an unknown stored value shows as itself)."""
    return SENTIMENT_TEXT.get(sentiment, sentiment)


def sentiment_badge_text(sentiment: str, complaint: bool) -> str:
    """The word on the list's badge: a complaint says so; otherwise the sentiment."""
    return "Complaint" if complaint else sentiment_text(sentiment)


def sentiment_description(sentiment: str, complaint: bool) -> str:
    """The full description (tooltip, screen readers): sentiment and complaint."""
    text = f"{sentiment_text(sentiment)} sentiment"
    return f"Complaint, {text.lower()}" if complaint else text
