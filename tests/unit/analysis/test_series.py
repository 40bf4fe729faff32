"""Chart series from hourly tallies: local days and weeks, empty buckets, response shares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from crisisdesk.analysis.series import (
    Unit,
    bucket_starts,
    counts_series,
    platform_breakdown,
    response_series,
    response_summary,
    sentiment_series,
    totals,
    unit_for,
)
from crisisdesk.domain import HourTally, PlatformTally, ResponseTally

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def tally(hour: str, total: int = 1, negative: int = 0, complaints: int = 0) -> HourTally:
    positive = total - negative
    return HourTally(hour, total, negative, 0, positive, complaints, 0.5 * positive, 0, 0)


def test_days_are_the_owners_local_days() -> None:
    # 03:00 UTC on the 21st is still the 20th in New York
    hours = [tally("2026-11-20T15"), tally("2026-11-21T03", negative=1), tally("2026-11-21T06")]
    since = datetime(2026, 11, 20, tzinfo=NEW_YORK)
    points = sentiment_series(hours, since, since + timedelta(days=3), Unit.DAY, NEW_YORK)

    assert [p.start.date().isoformat() for p in points] == ["2026-11-20", "2026-11-21",
                                                             "2026-11-22"]  # fmt: skip
    assert [p.total for p in points] == [2, 1, 0]  # the quiet day is there, as zero
    assert points[0].negative_share == 0.5
    assert points[2].mean_sentiment is None


def test_a_daylight_saving_day_is_one_bucket() -> None:
    # Europe/London leaves summer time on 25 Oct 2026: that day has 25 hours
    since = datetime(2026, 10, 24, tzinfo=LONDON)
    starts = bucket_starts(since, since + timedelta(days=3), Unit.DAY, LONDON)
    assert [s.strftime("%d %H:%M") for s in starts] == ["24 00:00", "25 00:00", "26 00:00"]
    hours = [tally(f"2026-10-25T{h:02d}") for h in range(24)] + [tally("2026-10-24T23")]
    hours.append(tally("2026-10-26T00"))
    points = sentiment_series(hours, since, since + timedelta(days=3), Unit.DAY, LONDON)
    # the 25th runs from 23:00 UTC on the 24th (midnight in summer time) for 25 hours;
    # midnight UTC on the 26th is already the 26th (winter time is UTC)
    assert [p.total for p in points] == [0, 25, 1]
    hourly = bucket_starts(since, since + timedelta(days=2), Unit.HOUR, LONDON)
    assert len(hourly) == 49  # the repeated hour is its own bucket


def test_weeks_start_on_monday() -> None:
    since = datetime(2026, 11, 4, tzinfo=UTC)  # a Wednesday
    starts = bucket_starts(since, since + timedelta(days=20), Unit.WEEK, UTC)
    assert [s.date().isoformat() for s in starts] == ["2026-11-02", "2026-11-09", "2026-11-16",
                                                       "2026-11-23"]  # fmt: skip
    counts = counts_series([("2026-11-10T09", 2), ("2026-11-15T23", 1), ("2026-12-30T00", 9)],
                           since, since + timedelta(days=20), Unit.WEEK, UTC)  # fmt: skip
    assert counts == [0, 3, 0, 0]


def test_unit_for_a_range() -> None:
    now = datetime(2026, 11, 28, tzinfo=UTC)
    assert unit_for(now - timedelta(days=2), now) is Unit.HOUR
    assert unit_for(now - timedelta(days=30), now) is Unit.DAY
    assert unit_for(now - timedelta(days=365), now) is Unit.WEEK


def test_platform_breakdown_busiest_first() -> None:
    rows = [PlatformTally("x", 3, 2, 1), PlatformTally("reddit", 5, 0, 0),
            PlatformTally("x", 4, 1, 1)]  # fmt: skip
    assert [(p.source, p.total, p.negative, p.complaints) for p in platform_breakdown(rows)] == [
        ("x", 7, 3, 2),
        ("reddit", 5, 0, 0),
    ]


def test_response_shares_count_unanswered_complaints() -> None:
    rows = [ResponseTally("2026-11-20T10", 4, 3, 1, 2, 3 * 3600.0),
            ResponseTally("2026-11-21T10", 2, 0, 0, 0, 0.0)]  # fmt: skip
    total = response_summary(rows)
    assert total.share_within_1h == 1 / 6
    assert total.share_within_4h == 2 / 6
    assert total.share_answered == 3 / 6
    assert total.mean_delay_hours == 1.0
    since = datetime(2026, 11, 20, tzinfo=UTC)
    per_day = response_series(rows, since, since + timedelta(days=2), Unit.DAY, UTC)
    assert [p.share_within_1h for p in per_day] == [0.25, 0.0]
    assert per_day[1].mean_delay_hours is None


def test_totals() -> None:
    since = datetime(2026, 11, 20, tzinfo=UTC)
    points = sentiment_series([tally("2026-11-20T10", 3, 1, 1), tally("2026-11-21T10", 2, 2, 2)],
                              since, since + timedelta(days=2), Unit.DAY, UTC)  # fmt: skip
    summed = totals(points)
    assert summed is not None
    assert (summed.total, summed.negative, summed.complaints) == (5, 3, 3)
    assert totals([]) is None
