"""Insight use cases: spike alerts, chart data and the numbers of a post-crisis report.

The store counts per hour (``store/series.py``), analysis turns hours into alerts
(``analysis/spikes.py``) and chart series (``analysis/series.py``); this module runs them
together for the CLI (``crisisdesk spikes``, ``crisisdesk report``), the Charts page and the
crisis banner.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

import sqlite_utils

from crisisdesk.analysis import series as an
from crisisdesk.analysis.spikes import Spike, Thresholds, detect
from crisisdesk.store import alerts as store_alerts
from crisisdesk.store import plan_views
from crisisdesk.store import series as store_series
from crisisdesk.timeutil import now_utc, parse_iso, to_iso

#: how much history the baseline learns from before the first day asked about
LOOKBACK = timedelta(days=60)
#: the default range of `crisisdesk spikes` without --since
DEFAULT_RANGE = timedelta(days=90)


def find_spikes(
    db: sqlite_utils.Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    thresholds: Thresholds | None = None,
) -> list[Spike]:
    """Alerts that end after *since* (default: 90 days before the last mention), each with
    the ids of the mentions that drove it. The baseline learns from the 60 days before."""
    bounds = store_series.data_range(db)
    if bounds is None:
        return []
    last = parse_iso(bounds[1]) + timedelta(hours=1)
    until = min(until, last) if until else last
    since = since or until - DEFAULT_RANGE
    first = max(since - LOOKBACK, parse_iso(bounds[0]))
    tallies = store_series.hourly(db, to_iso(first), to_iso(until))
    found = [s for s in detect(tallies, thresholds) if s.end > since]
    return [
        dataclasses.replace(
            s,
            mention_ids=tuple(
                store_series.driving_mentions(db, s.metric, to_iso(s.start), to_iso(s.end))
            ),
        )
        for s in found
    ]


def spike_detail(spike: Spike) -> dict[str, object]:
    """An alert as plain data (JSON lines of the CLI, the alerts table's detail)."""
    out: dict[str, object] = {
        "metric": str(spike.metric),
        "start": to_iso(spike.start),
        "end": to_iso(spike.end),
        "count": round(spike.count, 2),
        "baseline": round(spike.baseline, 2),
        "ratio": round(spike.ratio, 2) if spike.baseline > 0 else None,
        "score": spike.score,
        "window_hours": spike.window_hours,
        "mention_ids": list(spike.mention_ids),
    }
    if spike.share is not None:
        out["total"] = spike.total
        out["share"] = round(spike.share, 3)
        out["baseline_share"] = round(spike.baseline_share or 0.0, 3)
    return out


def record_new_alerts(
    db: sqlite_utils.Database,
    *,
    thresholds: Thresholds | None = None,
    recent: timedelta = timedelta(days=7),
) -> list[store_alerts.StoredAlert]:
    """Detect spikes of the last *recent* days, store them, and return the alerts that are new
    (after a sync or an import: what the banner and the tray notification announce)."""
    bounds = store_series.data_range(db)
    if bounds is None:
        return []
    since = min(now_utc(), parse_iso(bounds[1])) - recent
    new = []
    for spike in find_spikes(db, since=since, thresholds=thresholds):
        detail = spike_detail(spike)
        alert, created = store_alerts.upsert(
            db, str(spike.metric), str(detail["start"]), str(detail["end"]), detail
        )
        if created:
            new.append(alert)
    return new


@dataclass(frozen=True)
class ChartData:
    """Everything the Charts page draws for one range, computed off the GUI thread."""

    since: datetime
    until: datetime
    unit: an.Unit
    sentiment: list[an.SentimentPoint]
    replies: list[int]  # replies sent per bucket
    platforms: list[an.PlatformShare]
    responses: list[an.ResponsePoint]
    response_total: an.ResponsePoint
    spikes: list[Spike]


def chart_data(
    db: sqlite_utils.Database,
    since: datetime,
    until: datetime,
    tz: tzinfo,
    *,
    unit: an.Unit | None = None,
    thresholds: Thresholds | None = None,
) -> ChartData:
    """The series of every chart over [*since*, *until*), bucketed in the owner's *tz*."""
    unit = unit or an.unit_for(since, until)
    since = an.bucket_start(since, unit, tz)  # whole buckets: the first day is not cut short
    lo, hi = to_iso(since), to_iso(until)
    responses = store_series.responses(db, lo, hi)
    return ChartData(
        since=since,
        until=until,
        unit=unit,
        sentiment=an.sentiment_series(store_series.hourly(db, lo, hi), since, until, unit, tz),
        replies=an.counts_series(store_series.replies_sent(db, lo, hi), since, until, unit, tz),
        platforms=an.platform_breakdown(store_series.by_source(db, lo, hi)),
        responses=an.response_series(responses, since, until, unit, tz),
        response_total=an.response_summary(responses),
        spikes=find_spikes(db, since=since, until=until, thresholds=thresholds),
    )


def _when(at: datetime, tz: tzinfo | None) -> str:
    return at.astimezone(tz).strftime("%a %d %b %Y %H:%M")


def spike_summary(spike: Spike, tz: tzinfo | None = None) -> str:
    """One sentence for the owner: what rose, from what, by how much, when (local time)."""
    span = f"from {_when(spike.start, tz)} to {_when(spike.end, tz)}"
    if spike.share is not None:
        return (
            f"Negative mentions rose to {spike.share:.0%} of {spike.total} mentions "
            f"(usually {spike.baseline_share or 0:.0%}) {span}."
        )
    noun = {
        "complaints": "complaints",
        "engagement": "negative mentions drawing 10+ likes, reposts or replies",
    }[str(spike.metric)]
    times = f" ({spike.ratio:.0f}× usual)" if spike.baseline > 0 else ""
    return (
        f"{spike.count:,.0f} {noun} where about {spike.baseline:,.1f} were expected{times} {span}."
    )


# --- the post-crisis report ---------------------------------------------------------------


class DoneStep(Protocol):
    """A completed plan item (``store.plan_views.DoneItem`` has this shape; read-only)."""

    @property
    def section(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def done_by(self) -> str: ...
    @property
    def done_at(self) -> str: ...


class PlanDone(Protocol):
    """A plan's progress (``store.plan_views.PlanProgress`` has this shape; read-only)."""

    @property
    def plan_name(self) -> str: ...
    @property
    def done(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def done_items(self) -> Sequence[DoneStep]: ...


@dataclass(frozen=True)
class Period:
    """Before, during or after the incident: its volumes, sentiment and response times."""

    name: str
    since: datetime
    until: datetime
    totals: an.SentimentPoint
    responses: an.ResponsePoint
    replies_sent: int

    @property
    def days(self) -> float:
        return (self.until - self.since) / timedelta(days=1)


@dataclass(frozen=True)
class SentReply:
    sent_at: datetime
    channel: str
    body: str
    mention_text: str
    mention_source: str


@dataclass(frozen=True)
class ReportData:
    """What the post-crisis report shows; ``plan`` and ``lessons`` come from the crisis plan
    when one is recorded (None / "" otherwise)."""

    since: datetime
    until: datetime
    tz: tzinfo
    periods: list[Period]  # before, during, after
    charts: ChartData  # over before + during + after
    spikes: list[Spike]  # alerts overlapping the incident
    replies: list[SentReply]  # sent during the incident, oldest first
    plan: PlanDone | None
    lessons: str


def _period(
    db: sqlite_utils.Database, name: str, since: datetime, until: datetime, tz: tzinfo
) -> Period:
    lo, hi = to_iso(since), to_iso(until)
    points = an.sentiment_series(store_series.hourly(db, lo, hi), since, until, an.Unit.DAY, tz)
    totals = an.totals(points) or an.SentimentPoint(since, 0, 0, 0, 0, 0, 0.0)
    replies = sum(n for _h, n in store_series.replies_sent(db, lo, hi))
    return Period(
        name,
        since,
        until,
        totals,
        an.response_summary(store_series.responses(db, lo, hi)),
        replies,
    )


def report_data(
    db: sqlite_utils.Database,
    since: datetime,
    until: datetime,
    tz: tzinfo | None = None,
    *,
    plan: PlanDone | None = None,
    lessons: str = "",
    thresholds: Thresholds | None = None,
) -> ReportData:
    """The numbers of a post-crisis report on the incident [*since*, *until*): the same length
    of time before it and after it (up to now) to compare with."""
    zone = tz or now_utc().astimezone().tzinfo or UTC
    if plan is None and not lessons:  # the crisis plan worked through in the incident
        plan_id = plan_views.incident_plan_id(db, to_iso(since), to_iso(until))
        if plan_id is not None:
            plan = plan_views.plan_progress(db, plan_id)
            lessons = plan_views.review_lessons(db, plan_id)
    length = until - since
    after_end = max(min(until + length, now_utc()), until + timedelta(hours=1))
    periods = [
        _period(db, "Before", since - length, since, zone),
        _period(db, "During", since, until, zone),
        _period(db, "After", until, after_end, zone),
    ]
    charts = chart_data(db, since - length, after_end, zone, thresholds=thresholds)
    spikes = [s for s in charts.spikes if s.start < until and s.end > since]
    return ReportData(
        since,
        until,
        zone,
        periods,
        charts,
        spikes,
        [
            SentReply(parse_iso(r.sent_at), r.channel, r.body, r.mention_text, r.source)
            for r in store_series.sent_replies(db, to_iso(since), to_iso(until))
        ],
        plan,
        lessons,
    )
