"""Chart and report series built from the store's hourly tallies (no I/O here).

The store counts per UTC hour (``store/series.py``); this module groups those hours into the
owner's hours, days or weeks (local time, weeks starting on Monday), fills empty buckets so a
quiet day shows as zero rather than missing, and derives mean sentiment, negative share and
response times. The Charts page and the post-crisis report draw exactly these numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum

from crisisdesk.analysis.spikes import hour_start
from crisisdesk.domain import HourTally, PlatformTally, ResponseTally

#: customers expect an answer to a complaint within about an hour on social media
FAST_REPLY = timedelta(hours=1)


class Unit(StrEnum):
    """How long one bucket of a chart is."""

    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


def unit_for(since: datetime, until: datetime) -> Unit:
    """A readable bucket for a range: hours up to 4 days, weeks past 120 days, else days."""
    span = until - since
    if span <= timedelta(days=4):
        return Unit.HOUR
    return Unit.WEEK if span > timedelta(days=120) else Unit.DAY


def bucket_start(at: datetime, unit: Unit, tz: tzinfo) -> datetime:
    """The local start of the bucket holding *at* (aware), in *tz*."""
    local = at.astimezone(tz)
    if unit is Unit.HOUR:
        return local.replace(minute=0, second=0, microsecond=0)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit is Unit.WEEK:
        day -= timedelta(days=day.weekday())
    return day


def bucket_starts(since: datetime, until: datetime, unit: Unit, tz: tzinfo) -> list[datetime]:
    """Every bucket start from the one holding *since* up to *until* (exclusive)."""
    out: list[datetime] = []
    at = bucket_start(since, unit, tz)
    while at < until:
        out.append(at)
        if unit is Unit.HOUR:  # in UTC: a wall-clock hour can repeat or vanish at DST
            at = (at.astimezone(UTC) + timedelta(hours=1)).astimezone(tz)
        else:  # in wall time (a local day can be 23 or 25 hours), then back to its start
            days = 1 if unit is Unit.DAY else 7
            at = bucket_start(at + timedelta(days=days, hours=12), unit, tz)
    return out


def _index(starts: Sequence[datetime]) -> dict[datetime, int]:
    return {s: i for i, s in enumerate(starts)}


@dataclass(frozen=True)
class SentimentPoint:
    """One bucket of the sentiment and complaint charts."""

    start: datetime
    total: int
    negative: int
    neutral: int
    positive: int
    complaints: int
    sentiment_sum: float

    @property
    def mean_sentiment(self) -> float | None:
        """The mean VADER compound (-1..1), or None for an empty bucket."""
        return self.sentiment_sum / self.total if self.total else None

    @property
    def negative_share(self) -> float | None:
        return self.negative / self.total if self.total else None


def sentiment_series(
    tallies: Iterable[HourTally], since: datetime, until: datetime, unit: Unit, tz: tzinfo
) -> list[SentimentPoint]:
    """Counts per bucket of [*since*, *until*), empty buckets included."""
    starts = bucket_starts(since, until, unit, tz)
    index = _index(starts)
    sums = [[0, 0, 0, 0, 0, 0.0] for _ in starts]
    for t in tallies:
        i = index.get(bucket_start(hour_start(t.hour), unit, tz))
        if i is None:
            continue
        row = sums[i]
        row[0] += t.total
        row[1] += t.negative
        row[2] += t.neutral
        row[3] += t.positive
        row[4] += t.complaints
        row[5] += t.sentiment_sum
    return [
        SentimentPoint(s, int(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[4]), float(r[5]))
        for s, r in zip(starts, sums, strict=True)
    ]


def counts_series(
    hours: Iterable[tuple[str, int]], since: datetime, until: datetime, unit: Unit, tz: tzinfo
) -> list[int]:
    """(UTC hour, count) pairs summed per bucket of [*since*, *until*) (e.g. replies sent)."""
    starts = bucket_starts(since, until, unit, tz)
    index = _index(starts)
    out = [0] * len(starts)
    for hour, n in hours:
        i = index.get(bucket_start(hour_start(hour), unit, tz))
        if i is not None:
            out[i] += n
    return out


@dataclass(frozen=True)
class PlatformShare:
    """What one source brought over a whole range."""

    source: str
    total: int
    negative: int
    complaints: int


def platform_breakdown(tallies: Iterable[PlatformTally]) -> list[PlatformShare]:
    """Totals per source, the busiest first."""
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for t in tallies:
        row = sums[t.source]
        row[0] += t.total
        row[1] += t.negative
        row[2] += t.complaints
    shares = [PlatformShare(src, *row) for src, row in sums.items()]
    return sorted(shares, key=lambda p: (-p.total, p.source))


@dataclass(frozen=True)
class ResponsePoint:
    """How fast complaints posted in one bucket (or a whole range) were answered."""

    start: datetime | None
    complaints: int
    answered: int
    within_1h: int
    within_4h: int
    delay_sum_s: float

    @property
    def mean_delay_hours(self) -> float | None:
        return self.delay_sum_s / self.answered / 3600 if self.answered else None

    @property
    def share_within_1h(self) -> float | None:
        """Of all complaints (answered or not): the owner's promise is about every one."""
        return self.within_1h / self.complaints if self.complaints else None

    @property
    def share_within_4h(self) -> float | None:
        return self.within_4h / self.complaints if self.complaints else None

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.complaints if self.complaints else None


def response_series(
    tallies: Iterable[ResponseTally], since: datetime, until: datetime, unit: Unit, tz: tzinfo
) -> list[ResponsePoint]:
    """Response times per bucket of [*since*, *until*), by when the complaint was posted."""
    starts = bucket_starts(since, until, unit, tz)
    index = _index(starts)
    sums = [[0, 0, 0, 0, 0.0] for _ in starts]
    for t in tallies:
        i = index.get(bucket_start(hour_start(t.hour), unit, tz))
        if i is not None:
            _add_response(sums[i], t)
    return [
        ResponsePoint(s, int(r[0]), int(r[1]), int(r[2]), int(r[3]), float(r[4]))
        for s, r in zip(starts, sums, strict=True)
    ]


def response_summary(tallies: Iterable[ResponseTally]) -> ResponsePoint:
    """Response times over every tally given (a whole range)."""
    row: list[float] = [0, 0, 0, 0, 0.0]
    for t in tallies:
        _add_response(row, t)
    return ResponsePoint(None, int(row[0]), int(row[1]), int(row[2]), int(row[3]), float(row[4]))


def _add_response(row: list[float], t: ResponseTally) -> None:
    row[0] += t.complaints
    row[1] += t.answered
    row[2] += t.within_1h
    row[3] += t.within_4h
    row[4] += t.delay_sum_s


def totals(points: Sequence[SentimentPoint]) -> SentimentPoint | None:
    """One point summing *points* (its start is the first one's), or None for no points."""
    if not points:
        return None
    return SentimentPoint(
        points[0].start,
        sum(p.total for p in points),
        sum(p.negative for p in points),
        sum(p.neutral for p in points),
        sum(p.positive for p in points),
        sum(p.complaints for p in points),
        sum(p.sentiment_sum for p in points),
    )
