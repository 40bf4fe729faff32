"""Priority: which mention to answer first, as a 0..100 score with a one-sentence reason.

Three parts, each non-decreasing in what it measures, so the total is monotonic:

* concern (up to 65): complaint 40, how negative VADER reads it (up to 15), and for complaints a
  severity bonus for the gravest cue (health and safety, escalation threats...; up to 10);
* reach (up to 20): author followers (up to 12) and engagement (likes, reposts, replies; up to
  8), both on a log scale so 10 -> 1,000 followers counts as much as 1,000 -> 100,000;
* waiting (up to 15): time without an answer, log-scaled so the first hours count most, capped
  at :data:`WAITING_CAP_HOURS`. ``None`` means answered or closed: no waiting part.

Complaints come first: the mildest complaint (40) outranks any mention that is not negative,
whatever its reach and waiting time (at most 35).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from crisisdesk.analysis.cues import CUE_DESCRIPTIONS, CUE_ORDER

WAITING_CAP_HOURS: float = 48.0

COMPLAINT_POINTS = 40.0
NEGATIVITY_POINTS = 15.0
SEVERITY_POINTS = 10.0
FOLLOWER_POINTS = 12.0
ENGAGEMENT_POINTS = 8.0
WAITING_POINTS = 15.0

#: followers at which the follower part is full; engagement likewise
FOLLOWERS_FULL = 1_000_000
ENGAGEMENT_FULL = 10_000

#: share of SEVERITY_POINTS a complaint gets for its gravest cue
SEVERITY: dict[str, float] = {
    "health_safety": 1.0,
    "escalation": 0.8,
    "privacy": 0.8,
    "never_again": 0.5,
    "billing_error": 0.5,
    "rude_staff": 0.4,
    "non_delivery": 0.4,
    "refund": 0.3,
    "wrong_order": 0.3,
    "no_response": 0.3,
    "repeat_contact": 0.3,
    "contempt": 0.3,
}

_RANK = {cue: i for i, cue in enumerate(CUE_ORDER)}
_NOTABLE_FOLLOWERS = 1_000
_NOTABLE_ENGAGEMENT = 10


@dataclass(frozen=True, slots=True)
class Priority:
    score: int  # 0..100, higher = answer first
    reason: str  # one plain-English sentence naming the main drivers


def _log_share(value: float, full: float) -> float:
    if value <= 0:
        return 0.0
    return min(1.0, math.log1p(value) / math.log1p(full))


def _engagement(likes: int, reposts: int, replies: int) -> int:
    # reposts and replies spread a mention further than a like does
    return max(0, likes) + 2 * max(0, reposts) + 2 * max(0, replies)


def score(
    *,
    sentiment: float,
    complaint: bool,
    cues: Sequence[str],
    followers: int,
    likes: int,
    reposts: int,
    replies: int,
    waiting_hours: float | None,
) -> Priority:
    """Score one mention; see the module docstring for the parts."""
    total = points(
        sentiment=sentiment,
        complaint=complaint,
        cues=cues,
        followers=followers,
        likes=likes,
        reposts=reposts,
        replies=replies,
        waiting_hours=waiting_hours,
    )
    return Priority(
        total,
        _reason(sentiment, complaint, cues, followers, likes, reposts, replies, waiting_hours),
    )


def points(
    *,
    sentiment: float,
    complaint: bool,
    cues: Sequence[str],
    followers: int,
    likes: int,
    reposts: int,
    replies: int,
    waiting_hours: float | None,
) -> int:
    """Just the 0..100 score of :func:`score`, without building the reason (bulk updates)."""
    negativity = min(1.0, max(0.0, -sentiment)) if math.isfinite(sentiment) else 0.0
    concern = NEGATIVITY_POINTS * negativity
    if complaint:
        concern += COMPLAINT_POINTS
        concern += SEVERITY_POINTS * max((SEVERITY.get(c, 0.0) for c in cues), default=0.0)
    reach = FOLLOWER_POINTS * _log_share(followers, FOLLOWERS_FULL)
    reach += ENGAGEMENT_POINTS * _log_share(_engagement(likes, reposts, replies), ENGAGEMENT_FULL)
    waiting = 0.0
    if waiting_hours is not None and waiting_hours > 0:  # NaN compares False: no waiting
        waiting = WAITING_POINTS * _log_share(
            min(waiting_hours, WAITING_CAP_HOURS), WAITING_CAP_HOURS
        )
    return min(100, max(0, math.floor(concern + reach + waiting + 0.5)))


# --- the reason sentence ------------------------------------------------------------------


def _compact(n: int) -> str:
    """12 -> '12', 1_234 -> '1.2k', 12_345 -> '12k', 3_400_000 -> '3.4M'."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if n >= size:
            value = n / size
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return text.removesuffix(".0") + suffix
    return str(n)


def _plural(n: int, word: str, plural: str = "") -> str:
    return f"{_compact(n)} {word if n == 1 else plural or word + 's'}"


def _duration(hours: float) -> str:
    if hours < 1:
        minutes = max(1, int(hours * 60))
        return _plural(minutes, "minute")
    if hours < 48:
        return _plural(int(hours), "hour")
    return _plural(int(hours // 24), "day")


def _subject(sentiment: float, complaint: bool, cues: Sequence[str]) -> str:
    if complaint:
        known = sorted((c for c in set(cues) if c in CUE_DESCRIPTIONS), key=_RANK.__getitem__)
        if known:
            return f"Complaint ({'; '.join(CUE_DESCRIPTIONS[c] for c in known[:2])})"
        return "Complaint"
    if sentiment <= -0.6:
        return "Very negative mention"
    if sentiment <= -0.05:
        return "Negative mention"
    if sentiment >= 0.05:
        return "Positive mention"
    return "Neutral mention"


def _reason(
    sentiment: float,
    complaint: bool,
    cues: Sequence[str],
    followers: int,
    likes: int,
    reposts: int,
    replies: int,
    waiting_hours: float | None,
) -> str:
    parts = [_subject(sentiment, complaint, cues)]
    if followers >= _NOTABLE_FOLLOWERS:
        parts.append(f"from an account with {_plural(followers, 'follower')}")
    if _engagement(likes, reposts, replies) >= _NOTABLE_ENGAGEMENT:
        counts = [
            _plural(n, word, plural)
            for n, word, plural in (
                (likes, "like", "likes"),
                (reposts, "repost", "reposts"),
                (replies, "reply", "replies"),
            )
            if n > 0
        ]
        joined = counts[0] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
        parts.append(f"with {joined}")
    sentence = parts[0] + (" " + ", ".join(parts[1:]) if len(parts) > 1 else "")
    if waiting_hours is None:
        sentence += ", already answered"
    elif waiting_hours > 0:  # NaN compares False
        sentence += f", waiting {_duration(min(waiting_hours, 1e6))}"
    return sentence + "."
