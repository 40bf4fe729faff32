"""The insight charts as matplotlib figures, drawn from ``services.insight.ChartData``.

Qt-free (the figure has no canvas of its own): the Charts page puts each figure on a
``FigureCanvasQTAgg`` and the post-crisis report renders it to PNG with the Agg canvas. Colours
come from a :class:`Theme`, which the page derives from the Qt palette (light or dark) and the
report takes as the printed default. Importing this module imports matplotlib: only the Charts
page (when it first opens) and the report do.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Literal

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from crisisdesk.analysis.series import Unit
from crisisdesk.services.insight import ChartData

#: the charts the page shows and the report prints, in order: key → title
CHARTS: dict[str, str] = {
    "sentiment": "Sentiment over time",
    "complaints": "Complaints, alerts and your replies",
    "platforms": "By platform",
    "responses": "How fast complaints were answered",
}


@dataclass(frozen=True)
class Theme:
    """Colours of a chart (hex). :data:`PRINT` is the report's; the page builds one from the
    palette so dark mode gets light text on a dark background."""

    background: str = "#ffffff"
    text: str = "#1f2328"
    grid: str = "#d0d7de"
    negative: str = "#cf222e"
    neutral: str = "#8c959f"
    positive: str = "#1a7f37"
    mean: str = "#0969da"
    complaints: str = "#bc4c00"
    alert: str = "#cf222e"
    replies: str = "#0969da"


PRINT = Theme()
DARK = Theme(
    background="#1e1e1e",
    text="#e6edf3",
    grid="#3d444d",
    negative="#ff7b72",
    neutral="#8b949e",
    positive="#3fb950",
    mean="#79c0ff",
    complaints="#ffa657",
    alert="#ff7b72",
    replies="#79c0ff",
)


def bucket_width(unit: Unit) -> float:
    """Bar width in days (matplotlib's date unit), with a little gap between bars."""
    return {Unit.HOUR: 1 / 24, Unit.DAY: 1.0, Unit.WEEK: 7.0}[unit] * 0.85


def bucket_span(unit: Unit) -> timedelta:
    return {Unit.HOUR: timedelta(hours=1), Unit.DAY: timedelta(days=1)}.get(unit, timedelta(7))


def _centres(data: ChartData) -> list[datetime]:
    half = bucket_span(data.unit) / 2
    return [p.start + half for p in data.sentiment]


def _style(fig: Figure, ax: Axes, theme: Theme, title: str) -> None:
    fig.set_facecolor(theme.background)
    ax.set_facecolor(theme.background)
    ax.set_title(title, color=theme.text, fontsize=11, loc="left")
    ax.tick_params(colors=theme.text, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(theme.grid)
    ax.grid(True, axis="y", color=theme.grid, linewidth=0.6)
    ax.set_axisbelow(True)


def _dates(ax: Axes, data: ChartData, tz: tzinfo) -> None:
    locator = mdates.AutoDateLocator(tz=tz, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=tz))
    ax.set_xlim(mdates.date2num(data.since), mdates.date2num(data.until))


def _legend(
    ax: Axes, theme: Theme, handles: list[Any] | None = None, *, below: bool = False
) -> None:
    loc: Literal["lower right", "upper left"] = "lower right" if below else "upper left"
    if handles:
        legend = ax.legend(handles=handles, loc=loc, fontsize=8, frameon=False, ncols=4)
    else:
        legend = ax.legend(loc=loc, fontsize=8, frameon=False, ncols=4)
    for text in legend.get_texts():
        text.set_color(theme.text)


def draw_sentiment(fig: Figure, data: ChartData, theme: Theme, tz: tzinfo) -> Axes:
    """Stacked negative / neutral / positive counts per bucket and the mean sentiment line."""
    ax = fig.add_subplot()
    _style(fig, ax, theme, CHARTS["sentiment"])
    x = mdates.date2num(_centres(data))
    neg = [p.negative for p in data.sentiment]
    neu = [p.neutral for p in data.sentiment]
    pos = [p.positive for p in data.sentiment]
    width = bucket_width(data.unit)
    bars = [
        ax.bar(x, neg, width, color=theme.negative, label="Negative"),
        ax.bar(x, neu, width, bottom=neg, color=theme.neutral, label="Neutral"),
        ax.bar(
            x,
            pos,
            width,
            bottom=[a + b for a, b in zip(neg, neu, strict=True)],
            color=theme.positive,
            label="Positive",
        ),
    ]
    ax.set_ylabel("Mentions", color=theme.text, fontsize=9)
    ax.set_ylim(0, max([p.total for p in data.sentiment] + [1]) * 1.25)  # room for the legend
    mean_ax = ax.twinx()
    mean = [p.mean_sentiment for p in data.sentiment]
    (line,) = mean_ax.plot(
        [v for v, m in zip(x, mean, strict=True) if m is not None],
        [m for m in mean if m is not None],
        color=theme.mean,
        linewidth=1.8,
        marker="o",
        markersize=2.5,
        label="Mean sentiment",
    )
    mean_ax.set_ylim(-1, 1)
    mean_ax.axhline(0, color=theme.grid, linewidth=0.8)
    mean_ax.tick_params(colors=theme.text, labelsize=8)
    mean_ax.set_ylabel("Mean sentiment (−1…1)", color=theme.text, fontsize=9)
    for spine in mean_ax.spines.values():
        spine.set_color(theme.grid)
    _dates(ax, data, tz)
    _legend(ax, theme, [*bars, line])
    return ax


def draw_complaints(fig: Figure, data: ChartData, theme: Theme, tz: tzinfo) -> Axes:
    """Complaints per bucket, alert windows shaded, and the replies sent marked below."""
    ax = fig.add_subplot()
    _style(fig, ax, theme, CHARTS["complaints"])
    x = mdates.date2num(_centres(data))
    complaints = [p.complaints for p in data.sentiment]
    ax.bar(x, complaints, bucket_width(data.unit), color=theme.complaints, label="Complaints")
    for i, spike in enumerate(data.spikes):
        ax.axvspan(
            mdates.date2num(max(spike.start, data.since)),
            mdates.date2num(min(spike.end, data.until)),
            color=theme.alert,
            alpha=0.12,
            linewidth=0,
            label="Alert" if i == 0 else None,
        )
    top = max(complaints + data.replies + [1])
    ax.plot(
        x,
        data.replies,
        color=theme.replies,
        linewidth=1.4,
        drawstyle="steps-mid",
        label="Your replies sent",
    )
    sent = [(v, n) for v, n in zip(x, data.replies, strict=True) if n]
    if sent:
        ax.plot(
            [v for v, _ in sent],
            [-0.04 * top] * len(sent),
            linestyle="none",
            marker="^",
            color=theme.replies,
            markersize=4,
            clip_on=False,
        )
    ax.set_ylim(-0.06 * top, top * 1.25)
    ax.set_ylabel("Per " + data.unit.value, color=theme.text, fontsize=9)
    _dates(ax, data, tz)
    _legend(ax, theme)
    return ax


def draw_platforms(fig: Figure, data: ChartData, theme: Theme, tz: tzinfo) -> Axes:
    """Mentions per platform over the range: negative and the rest, complaints written on."""
    ax = fig.add_subplot()
    _style(fig, ax, theme, CHARTS["platforms"])
    ax.grid(True, axis="x", color=theme.grid, linewidth=0.6)
    ax.grid(False, axis="y")
    shown = list(reversed(data.platforms))  # busiest at the top
    names = [p.source for p in shown]
    neg = [p.negative for p in shown]
    rest = [p.total - p.negative for p in shown]
    ax.barh(names, neg, color=theme.negative, label="Negative")
    ax.barh(names, rest, left=neg, color=theme.neutral, label="Neutral or positive")
    for i, p in enumerate(shown):
        ax.text(
            p.total,
            i,
            f"  {p.total:,} ({p.complaints:,} complaints)",
            va="center",
            fontsize=8,
            color=theme.text,
        )
    ax.set_xlim(0, max([p.total for p in shown] + [1]) * 1.35)
    ax.set_xlabel("Mentions", color=theme.text, fontsize=9)
    if shown:
        _legend(ax, theme, below=True)
    return ax


def draw_responses(fig: Figure, data: ChartData, theme: Theme, tz: tzinfo) -> Axes:
    """Share of each bucket's complaints answered within 1 h and 4 h, and the mean delay."""
    ax = fig.add_subplot()
    total = data.response_total
    title = CHARTS["responses"]
    if total.complaints:
        mean = total.mean_delay_hours
        title += (
            f" — within 1 h: {total.share_within_1h or 0:.0%}, within 4 h: "
            f"{total.share_within_4h or 0:.0%}"
            + (f", first reply after {mean:.1f} h on average" if mean is not None else "")
        )
    _style(fig, ax, theme, title)
    x = mdates.date2num(_centres(data))
    width = bucket_width(data.unit)
    within_4h = [100 * (p.share_within_4h or 0) for p in data.responses]
    within_1h = [100 * (p.share_within_1h or 0) for p in data.responses]
    ax.bar(x, within_4h, width, color=theme.neutral, label="Answered within 4 h")
    ax.bar(x, within_1h, width, color=theme.positive, label="Within 1 h")
    ax.set_ylim(0, 115)
    ax.set_ylabel("% of complaints", color=theme.text, fontsize=9)
    delay_ax = ax.twinx()
    points = [(v, p.mean_delay_hours) for v, p in zip(x, data.responses, strict=True)]
    (line,) = delay_ax.plot(
        [v for v, d in points if d is not None],
        [d for _, d in points if d is not None],
        color=theme.mean,
        linewidth=1.4,
        marker="o",
        markersize=2.5,
        label="Mean first reply (h)",
    )
    delay_ax.set_ylim(bottom=0)
    delay_ax.tick_params(colors=theme.text, labelsize=8)
    delay_ax.set_ylabel("Hours to first reply", color=theme.text, fontsize=9)
    for spine in delay_ax.spines.values():
        spine.set_color(theme.grid)
    _dates(ax, data, tz)
    handles, _labels = ax.get_legend_handles_labels()
    _legend(ax, theme, [*handles, line])
    return ax


DRAW = {
    "sentiment": draw_sentiment,
    "complaints": draw_complaints,
    "platforms": draw_platforms,
    "responses": draw_responses,
}


def figure(
    key: str, data: ChartData, theme: Theme, tz: tzinfo, *, size: tuple[float, float] = (9, 3.2)
) -> Figure:
    """A new figure with chart *key* drawn on it."""
    fig = Figure(figsize=size, dpi=100, layout="constrained")
    DRAW[key](fig, data, theme, tz)
    return fig


def png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """The figure as PNG (the Agg canvas; no GUI needed)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor=fig.get_facecolor())
    return buffer.getvalue()
