"""Spike detection on synthetic hourly series: surges at several scales are found with the
right window; calm, seasonal, noisy series raise nothing."""

from __future__ import annotations

import pytest

from crisisdesk.analysis.spikes import (
    Metric,
    Thresholds,
    binomial_score,
    detect,
    fill_hours,
    poisson_score,
)
from tests.helpers.series import at_hour, calm, inject

DAY = 24


def _complaint_alerts(hours):  # type: ignore[no-untyped-def]
    return [s for s in detect(hours) if s.metric is Metric.COMPLAINTS]


@pytest.mark.parametrize(
    ("per_day", "start", "length", "added", "slack"),
    [
        (10, 40 * DAY + 13, 1, 5, 1),  # a burst in one hour at a café's volume
        (20, 50 * DAY + 9, 6, 12, 2),  # a morning of complaints
        (30, 45 * DAY, 24, 40, 4),  # a bad day
        (50, 60 * DAY, 72, 120, 12),  # a slow three-day build
        (2000, 70 * DAY + 10, 12, 400, 3),  # a bigger business: the same rules scale
    ],
)
def test_injected_surges_are_found_with_their_window(
    per_day: int, start: int, length: int, added: int, slack: int
) -> None:
    hours = inject(calm(90, per_day, seed=start), start, length, added)

    found = _complaint_alerts(hours)

    assert len(found) == 1, found
    spike = found[0]
    assert abs((spike.start - at_hour(start)).total_seconds()) <= slack * 3600
    assert abs((spike.end - at_hour(start + length)).total_seconds()) <= slack * 3600
    assert spike.count >= added
    assert spike.baseline < spike.count / 2.5
    assert spike.score >= Thresholds().min_score


@pytest.mark.parametrize("per_day", [1, 5, 30, 300])
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_calm_seasonal_series_raise_nothing(per_day: int, seed: int) -> None:
    # 90 days with quiet nights, busy afternoons and a Saturday 45% above a Monday
    assert detect(calm(90, per_day, seed=seed * 101 + per_day)) == []


def test_single_complaints_after_weeks_of_silence_raise_nothing() -> None:
    hours = calm(90, 4, complaint_share=0.0, negative_share=0.1, seed=9)
    for day in (20, 33, 47, 61, 75):  # a one-off complaint now and then
        hours = inject(hours, day * DAY + 14, 1, 1)
    assert detect(hours) == []


def test_three_complaints_where_there_were_none_matter() -> None:
    hours = calm(60, 4, complaint_share=0.0, negative_share=0.1, seed=3)
    hours = inject(hours, 50 * DAY + 10, 2, 3)

    found = _complaint_alerts(hours)

    assert [(s.start, s.end, s.count) for s in found] == [
        (at_hour(50 * DAY + 10), at_hour(50 * DAY + 12), 3.0)
    ]


def test_a_rising_negative_share_is_found_when_volume_stays_flat() -> None:
    # the same number of mentions, but for a day most of them turn negative
    hours = calm(60, 40, seed=5)
    start = 40 * DAY
    for i in range(start, start + DAY):
        t = hours[i]
        hours[i] = t._replace(negative=t.total, positive=0, neutral=0)

    found = [s for s in detect(hours) if s.metric is Metric.NEGATIVE_SHARE]

    assert len(found) == 1
    assert found[0].share is not None and found[0].share > 0.8
    assert found[0].baseline_share is not None and found[0].baseline_share < 0.3
    assert abs((found[0].start - at_hour(start)).total_seconds()) <= 3 * 3600


def test_engagement_on_negative_posts_is_watched() -> None:
    hours = calm(60, 20, seed=8)
    # dozens of negative posts each shared hundreds of times
    hours = inject(hours, 45 * DAY + 8, 6, 30, engagement_each=400)
    found = [s for s in detect(hours) if s.metric is Metric.ENGAGEMENT]
    assert len(found) == 1
    assert abs((found[0].start - at_hour(45 * DAY + 8)).total_seconds()) <= 2 * 3600
    assert found[0].count >= 30


def test_a_long_crisis_does_not_become_the_baseline() -> None:
    hours = inject(calm(90, 10, seed=4), 40 * DAY, 5 * DAY, 300)
    found = _complaint_alerts(hours)
    assert len(found) == 1
    assert found[0].end >= at_hour(45 * DAY - 12)


def test_stricter_thresholds_from_the_settings_silence_a_small_surge() -> None:
    hours = inject(calm(60, 10, seed=12), 40 * DAY + 9, 3, 6)
    assert _complaint_alerts(hours)
    assert [
        s for s in detect(hours, Thresholds(min_count=12)) if s.metric is Metric.COMPLAINTS
    ] == []


def test_too_little_history_raises_nothing() -> None:
    assert detect(inject(calm(2, 10), 30, 2, 20)) == []
    assert detect([]) == []


def test_missing_hours_are_empty_hours() -> None:
    hours = calm(3, 10, seed=2)
    sparse = [t for t in hours if t.total]
    assert fill_hours(sparse) == [
        t if t.total else t._replace(sentiment_sum=0.0, negative_engagement=0, engaged_negative=0)
        for t in hours[hours.index(sparse[0]) : hours.index(sparse[-1]) + 1]
    ]


def test_tail_probabilities_match_scipy() -> None:
    stats = pytest.importorskip("scipy.stats")
    for k, mu in [(3, 0.1), (5, 1.2), (40, 10.0), (120, 18.0)]:
        expected = -stats.poisson.logsf(k - 1, mu) / 2.302585092994046
        assert poisson_score(k, mu) == pytest.approx(expected, rel=1e-6)
    for k, n, p in [(8, 10, 0.2), (60, 100, 0.3), (90, 200, 0.16)]:
        expected = -stats.binom.logsf(k - 1, n, p) / 2.302585092994046
        assert binomial_score(k, n, p) == pytest.approx(expected, rel=1e-6)
    assert poisson_score(2, 3.0) == 0.0
    assert binomial_score(1, 10, 0.5) == 0.0
