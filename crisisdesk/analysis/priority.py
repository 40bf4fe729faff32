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
    "apology": 0.3,
}

_RANK = {cue: i for i, cue in enumerate(CUE_ORDER)}
_NOTABLE_FOLLOWERS = 1_000
_NOTABLE_ENGAGEMENT = 10


@dataclass(frozen=True, slots=True)
class Priority:
    score: int  # 0..100, higher = answer first
    reason: str  # one plain-English sentence naming the main drivers


# points per unit of log1p(value) for the log-scaled parts (full marks at the *_FULL value)
_FOLLOWER_SCALE = FOLLOWER_POINTS / math.log1p(FOLLOWERS_FULL)
_ENGAGEMENT_SCALE = ENGAGEMENT_POINTS / math.log1p(ENGAGEMENT_FULL)
_WAITING_SCALE = WAITING_POINTS / math.log1p(WAITING_CAP_HOURS)


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
    return Priority(
        _points(sentiment, complaint, cues, followers, likes, reposts, replies, waiting_hours),
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
    """Just ``score(...).score``, without building the reason: use it for bulk work (import,
    sync, refresh), where the sentence would cost twice the arithmetic."""
    return _points(sentiment, complaint, cues, followers, likes, reposts, replies, waiting_hours)


def _points(
    sentiment: float,
    complaint: bool,
    cues: Sequence[str],
    followers: int,
    likes: int,
    reposts: int,
    replies: int,
    waiting_hours: float | None,
) -> int:
    total = 0.0  # every part is >= 0; comparisons with NaN are False, so NaN adds nothing
    if sentiment < 0:
        total = NEGATIVITY_POINTS * (1.0 if sentiment <= -1.0 else -sentiment)
    if complaint:
        total += COMPLAINT_POINTS
        worst = 0.0
        for cue in cues:
            severity = SEVERITY.get(cue, 0.0)
            if severity > worst:
                worst = severity
        total += SEVERITY_POINTS * worst
    if followers > 0:
        total += (
            FOLLOWER_POINTS
            if followers >= FOLLOWERS_FULL
            else _FOLLOWER_SCALE * math.log1p(followers)
        )
    engagement = _engagement(likes, reposts, replies)
    if engagement > 0:
        total += (
            ENGAGEMENT_POINTS
            if engagement >= ENGAGEMENT_FULL
            else _ENGAGEMENT_SCALE * math.log1p(engagement)
        )
    if waiting_hours is not None and waiting_hours > 0:
        total += (
            WAITING_POINTS
            if waiting_hours >= WAITING_CAP_HOURS
            else _WAITING_SCALE * math.log1p(waiting_hours)
        )
    return min(100, int(total + 0.5))


# --- the reason sentence ------------------------------------------------------------------


def _compact(n: int) -> str:
    """12 -> '12', 1_234 -> '1.2k', 12_345 -> '12k', 3_400_000 -> '3.4M'."""
    if n < 1_000:
        return str(n)
    value, suffix = (n / 1_000_000, "M") if n >= 1_000_000 else (n / 1_000, "k")
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.removesuffix(".0") + suffix


def _count(n: int, one: str, many: str) -> str:
    return f"{_compact(n)} {one if n == 1 else many}"


def _duration(hours: float) -> str:
    if hours < 1:
        return _count(max(1, int(hours * 60)), "minute", "minutes")
    if hours < 48:
        return _count(int(hours), "hour", "hours")
    return _count(int(hours // 24), "day", "days")


def _subject(sentiment: float, complaint: bool, cues: Sequence[str]) -> str:
    if complaint:
        if len(cues) == 1 and cues[0] in CUE_DESCRIPTIONS:
            return f"Complaint ({CUE_DESCRIPTIONS[cues[0]]})"
        known = [CUE_DESCRIPTIONS[c] for c in CUE_ORDER if c in cues][:2]
        return f"Complaint ({'; '.join(known)})" if known else "Complaint"
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
    sentence = _subject(sentiment, complaint, cues)
    reach = []
    if followers >= _NOTABLE_FOLLOWERS:
        reach.append(f"from an account with {_count(followers, 'follower', 'followers')}")
    if _engagement(likes, reposts, replies) >= _NOTABLE_ENGAGEMENT:
        counts = []
        if likes > 0:
            counts.append(_count(likes, "like", "likes"))
        if reposts > 0:
            counts.append(_count(reposts, "repost", "reposts"))
        if replies > 0:
            counts.append(_count(replies, "reply", "replies"))
        joined = counts[-1] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
        reach.append("with " + joined)
    if reach:
        sentence += " " + ", ".join(reach)
    if waiting_hours is None:
        return sentence + ", already answered."
    if waiting_hours > 0:  # NaN compares False
        return f"{sentence}, waiting {_duration(min(waiting_hours, 1e6))}."
    return sentence + "."
