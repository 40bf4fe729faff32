"""Priority: which mention to answer first, as a 0..100 score with a one-sentence reason.

Built for a live backlash: what can still grow comes first. The parts, each non-decreasing in
what it measures:

* concern (up to 52): complaint 30, how negative VADER reads it (up to 6), and for complaints a
  severity bonus for the gravest reason (health and safety, threats to report or sue, a thread
  with many replies...; up to 16, of which 70% fades as the post gets old, like freshness);
* reach (up to 18): author followers (up to 12) and engagement so far (up to 6), log-scaled;
* velocity (up to 16): engagement per hour since posting (likes, reposts and replies; log
  scale, full at 1,000 an hour): a post gathering attention now outranks one that gathered it
  last week;
* new and unanswered (up to 12): falls from 12 when just posted to 0 at
  :data:`FRESH_HOURS` (log-scaled: the first hours count most); answered mentions get none;
* waiting (up to 3): a slowly rising tie-break, log-scaled up to :data:`WAITING_CAP_HOURS`
  (14 days): among old unanswered mentions, the longest waiting first, with no cliff.

``age_hours`` is the time since posting (velocity and freshness); ``waiting_hours`` the time
without an answer (``None`` once answered). Unanswered, they are the same.

Complaints come first: the mildest complaint (30) outranks any mention that is not a complaint
and not negative that nobody engages with (at most 12 + 12 + 3 = 27); not against a viral
neutral post (up to 12 + 6 + 16 + 12 + 3 = 49 of non-concern points), and on purpose: a
neutral post with a thousand reposts an hour is worth a look before an old complaint). The
intended order is a table of scenarios in tests/unit/analysis/test_priority.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from crisisdesk.analysis.reasons import REASON_DESCRIPTIONS, REASON_ORDER

#: the waiting tie-break stops growing here (and the periodic refresh looks this far back)
WAITING_CAP_HOURS: float = 14 * 24.0
#: a mention is "new" for this long: its freshness points fall to 0 by then
FRESH_HOURS: float = 72.0

COMPLAINT_POINTS = 30.0
NEGATIVITY_POINTS = 6.0
SEVERITY_POINTS = 16.0
FOLLOWER_POINTS = 12.0
ENGAGEMENT_POINTS = 6.0
VELOCITY_POINTS = 16.0
FRESH_POINTS = 12.0
WAITING_POINTS = 3.0

#: followers at which the follower part is full; engagement and velocity (per hour) likewise
FOLLOWERS_FULL = 1_000_000
ENGAGEMENT_FULL = 10_000
VELOCITY_FULL = 1_000
#: velocity divides by at least this many hours (a post seconds old with 3 likes is not viral)
MIN_AGE_HOURS = 0.5
#: replies at which a complaint counts as a heated thread (a severity)
THREAD_REPLIES = 20
THREAD_SEVERITY = 0.6
#: share of the severity points an old complaint keeps (the rest fades like freshness)
SEVERITY_KEPT = 0.3

#: share of SEVERITY_POINTS a complaint gets for its gravest reason
SEVERITY: dict[str, float] = {
    "health_safety": 1.0,
    "escalation": 1.0,
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
    "money": 0.3,
    "account_problem": 0.3,
}

_RANK = {cue: i for i, cue in enumerate(REASON_ORDER)}
_NOTABLE_FOLLOWERS = 1_000
_NOTABLE_ENGAGEMENT = 10
_NOTABLE_VELOCITY = 5.0  # interactions an hour worth naming


@dataclass(frozen=True, slots=True)
class Priority:
    score: int  # 0..100, higher = answer first
    reason: str  # one plain-English sentence naming the main drivers


# points per unit of log1p(value) for the log-scaled parts (full marks at the *_FULL value)
_FOLLOWER_SCALE = FOLLOWER_POINTS / math.log1p(FOLLOWERS_FULL)
_ENGAGEMENT_SCALE = ENGAGEMENT_POINTS / math.log1p(ENGAGEMENT_FULL)
_VELOCITY_SCALE = VELOCITY_POINTS / math.log1p(VELOCITY_FULL)
_WAITING_SCALE = WAITING_POINTS / math.log1p(WAITING_CAP_HOURS)
_FRESH_SCALE = 1.0 / math.log1p(FRESH_HOURS)


def _engagement(likes: int, reposts: int, replies: int) -> int:
    # reposts and replies spread a mention further than a like does
    return max(0, likes) + 2 * max(0, reposts) + 2 * max(0, replies)


def _age(age_hours: float | None, waiting_hours: float | None) -> float:
    """Hours since posting; unknown: the waiting time, else a day. NaN and negatives: 0."""
    if age_hours is None:
        age_hours = waiting_hours if waiting_hours is not None else 24.0
    return age_hours if age_hours > 0 else 0.0  # NaN compares False


def _velocity(engagement: int, age: float) -> float:
    return engagement / max(age, MIN_AGE_HOURS) if age < math.inf else 0.0


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
    age_hours: float | None = None,
) -> Priority:
    """Score one mention; see the module docstring for the parts."""
    args = (sentiment, complaint, cues, followers, likes, reposts, replies, waiting_hours)
    return Priority(_points(*args, age_hours), _reason(*args, age_hours))


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
    age_hours: float | None = None,
) -> int:
    """Just ``score(...).score``, without building the reason: use it for bulk work (import,
    sync, refresh), where the sentence would cost twice the arithmetic."""
    return _points(
        sentiment, complaint, cues, followers, likes, reposts, replies, waiting_hours, age_hours
    )


def _severity(cues: Sequence[str], replies: int) -> float:
    worst = THREAD_SEVERITY if replies >= THREAD_REPLIES else 0.0
    for cue in cues:
        severity = SEVERITY.get(cue, 0.0)
        if severity > worst:
            worst = severity
    return worst


def _points(
    sentiment: float,
    complaint: bool,
    cues: Sequence[str],
    followers: int,
    likes: int,
    reposts: int,
    replies: int,
    waiting_hours: float | None,
    age_hours: float | None,
) -> int:
    total = 0.0  # every part is >= 0; comparisons with NaN are False, so NaN adds nothing
    if sentiment < 0:
        total = NEGATIVITY_POINTS * (1.0 if sentiment <= -1.0 else -sentiment)
    age = _age(age_hours, waiting_hours)
    fresh = 1.0 - _FRESH_SCALE * math.log1p(age) if age < FRESH_HOURS else 0.0
    if complaint:
        # 30% of the severity stays, the rest fades with freshness: what can still grow first
        total += COMPLAINT_POINTS + SEVERITY_POINTS * _severity(cues, replies) * (
            SEVERITY_KEPT + (1.0 - SEVERITY_KEPT) * fresh
        )
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
        velocity = _velocity(engagement, age)
        total += (
            VELOCITY_POINTS if velocity >= VELOCITY_FULL else _VELOCITY_SCALE * math.log1p(velocity)
        )
    if waiting_hours is not None and waiting_hours >= 0:  # unanswered (NaN compares False)
        total += FRESH_POINTS * fresh + (
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
        known = sorted(
            (c for c in dict.fromkeys(cues) if c in REASON_DESCRIPTIONS), key=_RANK.__getitem__
        )
        described = [REASON_DESCRIPTIONS[c] for c in known[:2]]
        return f"Complaint ({'; '.join(described)})" if described else "Complaint"
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
    age_hours: float | None,
) -> str:
    sentence = _subject(sentiment, complaint, cues)
    if complaint and replies >= THREAD_REPLIES and _severity(cues, 0) < THREAD_SEVERITY:
        sentence += " in a heated thread"
    reach = []
    if followers >= _NOTABLE_FOLLOWERS:
        reach.append(f"from an account with {_count(followers, 'follower', 'followers')}")
    engagement = _engagement(likes, reposts, replies)
    if engagement >= _NOTABLE_ENGAGEMENT:
        counts = []
        if likes > 0:
            counts.append(_count(likes, "like", "likes"))
        if reposts > 0:
            counts.append(_count(reposts, "repost", "reposts"))
        if replies > 0:
            counts.append(_count(replies, "reply", "replies"))
        joined = counts[-1] if len(counts) == 1 else ", ".join(counts[:-1]) + " and " + counts[-1]
        text = "with " + joined
        velocity = _velocity(engagement, _age(age_hours, waiting_hours))
        if velocity >= _NOTABLE_VELOCITY:
            text += f" (about {_compact(int(velocity))} an hour)"
        reach.append(text)
    if reach:
        sentence += " " + ", ".join(reach)
    if waiting_hours is None:
        return sentence + ", already answered."
    if not waiting_hours >= 0:  # NaN
        return sentence + "."
    age = _age(age_hours, waiting_hours)
    if age < FRESH_HOURS:
        return f"{sentence}, posted {_duration(min(age, 1e6))} ago, not answered yet."
    return f"{sentence}, waiting {_duration(min(waiting_hours, 1e6))}."
