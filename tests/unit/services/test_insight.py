"""Insight use cases on a real database: chart data equals the series, alerts are stored
once, and the charts draw exactly those numbers (read back from the figure, not pixels)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crisisdesk.analysis.series import Unit
from crisisdesk.services import insight
from crisisdesk.store import alerts as store_alerts
from crisisdesk.timeutil import to_iso
from tests.helpers.builders import insert_mentions, mention_row

NOW = datetime(2026, 11, 28, 12, tzinfo=UTC)


def _quiet_then_surge(db: Any) -> list[int]:
    """A café's three weeks: a mention every 4 hours, one complaint every other day, then
    12 complaints in the last afternoon."""
    rows = []
    start = NOW - timedelta(days=21)
    for i in range(21 * 6):
        at = start + timedelta(hours=4 * i)
        rows.append(mention_row(created_at=to_iso(at), label="positive", sentiment=0.6))
        if i % 12 == 0:
            rows.append(mention_row(created_at=to_iso(at + timedelta(minutes=5)),
                                    label="negative", complaint=True, sentiment=-0.5))  # fmt: skip
    surge = NOW - timedelta(hours=6)
    for k in range(12):
        rows.append(mention_row(created_at=to_iso(surge + timedelta(minutes=20 * k)),
                                label="negative", complaint=True, sentiment=-0.7,
                                source="x"))  # fmt: skip
    return insert_mentions(db, rows)


def test_chart_data_is_the_series_of_the_range(db: Any) -> None:
    _quiet_then_surge(db)
    data = insight.chart_data(db, NOW - timedelta(days=7), NOW, UTC)
    # whole days: the range starts at the first day's midnight
    assert data.unit is Unit.DAY and data.since == datetime(2026, 11, 21, tzinfo=UTC)
    counted = db.execute(
        "SELECT substr(created_at, 1, 10), count(*), sum(complaint) FROM mentions"
        " WHERE created_at >= '2026-11-21' GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [(p.start.date().isoformat(), p.total, p.complaints) for p in data.sentiment] == [
        tuple(row) for row in counted
    ]
    assert data.sentiment[-1].complaints == 12
    assert [(p.source, p.total) for p in data.platforms] == [("mastodon", 49), ("x", 12)]
    assert [s.metric.value for s in data.spikes] == ["complaints", "negative_share"]


def test_new_alerts_are_recorded_once(db: Any) -> None:
    ids = _quiet_then_surge(db)
    first = insight.record_new_alerts(db)
    assert [a.kind for a in first] == ["complaints", "negative_share"]
    assert set(first[0].detail["mention_ids"]) == set(ids[-12:])
    assert insight.record_new_alerts(db) == []  # the same episode: not announced again
    stored = store_alerts.between(db, to_iso(NOW - timedelta(days=1)), to_iso(NOW))
    assert len(stored) == 2
    store_alerts.acknowledge(db, [stored[0].id])
    assert store_alerts.get(db, stored[0].id).acknowledged_at is not None  # type: ignore[union-attr]


def test_the_figures_draw_the_series(db: Any) -> None:
    from crisisdesk.export import figures

    _quiet_then_surge(db)
    data = insight.chart_data(db, NOW - timedelta(days=7), NOW, UTC)

    fig = figures.figure("sentiment", data, figures.PRINT, UTC)
    ax = fig.axes[0]
    negatives, neutrals, positives = (list(c.datavalues) for c in ax.containers)
    assert negatives == [p.negative for p in data.sentiment]
    assert neutrals == [p.neutral for p in data.sentiment]
    assert positives == [p.positive for p in data.sentiment]
    mean_line = fig.axes[1].get_lines()[0]
    assert list(mean_line.get_ydata()) == [p.mean_sentiment for p in data.sentiment]

    fig = figures.figure("complaints", data, figures.PRINT, UTC)
    bars = fig.axes[0].containers[0]
    assert list(bars.datavalues) == [p.complaints for p in data.sentiment]
    shaded = [p for p in fig.axes[0].patches if p not in bars.patches]
    assert len(shaded) == len(data.spikes)  # one shaded window per alert

    fig = figures.figure("platforms", data, figures.PRINT, UTC)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["x", "mastodon"]
    png = figures.png_bytes(fig, dpi=40)
    assert png.startswith(b"\x89PNG")


def test_spike_summary_says_what_rose_and_when(db: Any) -> None:
    _quiet_then_surge(db)
    spike = insight.find_spikes(db)[0]
    text = insight.spike_summary(spike, UTC)
    assert text.startswith("12 complaints where about ")
    assert "usual) from Sat 28 Nov 2026 06:00 to Sat 28 Nov 2026 10:00." in text


def test_an_empty_database_charts_and_reports_nothing(db: Any) -> None:
    from crisisdesk.export import figures

    data = insight.chart_data(db, NOW - timedelta(days=30), NOW, UTC)
    assert sum(p.total for p in data.sentiment) == 0
    assert data.platforms == [] and data.spikes == [] and data.response_total.complaints == 0
    for key in figures.CHARTS:
        assert figures.png_bytes(figures.figure(key, data, figures.PRINT, UTC), dpi=30)
    assert insight.find_spikes(db) == [] and insight.record_new_alerts(db) == []
    report = insight.report_data(db, NOW - timedelta(days=2), NOW - timedelta(days=1), UTC)
    assert [p.totals.total for p in report.periods] == [0, 0, 0]
    assert report.plan is None and report.lessons == ""
