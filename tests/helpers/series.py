"""Synthetic hourly tallies for spike detection and chart series tests."""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from crisisdesk.analysis.spikes import hour_key
from crisisdesk.domain import HourTally

START = datetime(2026, 6, 1, tzinfo=UTC)  # a Monday
#: hour-of-day rhythm of a bakery's audience (quiet nights, busy afternoons), mean 1
_HOURS = [
    0.2,
    0.1,
    0.1,
    0.1,
    0.1,
    0.2,
    0.5,
    0.9,
    1.3,
    1.5,
    1.4,
    1.4,
    1.7,
    1.6,
    1.3,
    1.2,
    1.3,
    1.5,
    1.7,
    1.8,
    1.6,
    1.3,
    0.8,
    0.4,
]
_DAY_MEAN = sum(_HOURS) / 24
#: Monday..Sunday: Saturday is bake day
WEEKDAYS = [1.0, 0.95, 1.0, 1.05, 1.15, 1.45, 0.8]


def poisson(rng: random.Random, mu: float) -> int:
    """A Poisson draw (Knuth's method; small means, or a normal approximation)."""
    if mu > 60:
        return max(0, round(rng.gauss(mu, math.sqrt(mu))))
    limit, k, p = math.exp(-mu), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def calm(
    days: int,
    per_day: float,
    *,
    complaint_share: float = 0.1,
    negative_share: float = 0.2,
    seed: int = 1,
    seasonal: bool = True,
    engagement: float = 1.5,
) -> list[HourTally]:
    """*days* of ordinary traffic (about *per_day* mentions a day) with daily and weekly
    rhythm; complaints and negatives are Poisson draws at their usual shares; each negative
    mention's interactions are heavy-tailed (Pareto with shape *engagement*), as online."""
    rng = random.Random(seed)
    out = []
    for h in range(days * 24):
        at = START + timedelta(hours=h)
        rate = per_day / 24
        if seasonal:
            rate *= _HOURS[at.hour] / _DAY_MEAN * WEEKDAYS[at.weekday()]
        complaints = poisson(rng, rate * complaint_share)
        negative = complaints + poisson(rng, rate * max(0.0, negative_share - complaint_share))
        positive = poisson(rng, rate * 0.4)
        neutral = poisson(rng, rate * 0.4)
        total = negative + neutral + positive
        likes = [int(rng.paretovariate(engagement)) - 1 for _ in range(negative)]
        out.append(
            HourTally(
                hour_key(at),
                total,
                negative,
                neutral,
                positive,
                complaints,
                0.4 * (positive - negative),
                sum(likes),
                sum(v >= 10 for v in likes),
            )
        )
    return out


def inject(
    hours: list[HourTally],
    start: int,
    length: int,
    complaints: int,
    *,
    others: int = 0,
    engagement_each: int = 0,
) -> list[HourTally]:
    """Add *complaints* (negative) mentions spread evenly over hours start..start+length-1,
    plus *others* neutral ones; each added complaint has *engagement_each* interactions."""
    out = list(hours)
    for i in range(length):
        n = complaints // length + (1 if i < complaints % length else 0)
        o = others // length + (1 if i < others % length else 0)
        t = out[start + i]
        e = n * engagement_each
        out[start + i] = t._replace(
            total=t.total + n + o,
            negative=t.negative + n,
            neutral=t.neutral + o,
            complaints=t.complaints + n,
            negative_engagement=t.negative_engagement + e,
            engaged_negative=t.engaged_negative + (n if engagement_each >= 10 else 0),
        )
    return out


def at_hour(h: int) -> datetime:
    return START + timedelta(hours=h)
