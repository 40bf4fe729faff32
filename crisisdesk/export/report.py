"""The post-crisis report as a PDF: timeline, before/during/after, charts, replies, plan, lessons.

Rendered with QtGui only (``QTextDocument`` printed on a ``QPdfWriter``; no widgets), so the CLI
can write it headless: :func:`ensure_gui_app` makes a ``QGuiApplication`` on Qt's offscreen
platform when there is no display. The charts are the Charts page's figures
(``export/figures.py``) rendered to PNG with matplotlib's Agg canvas and embedded as images.
Every text a customer or the owner wrote is HTML-escaped: it prints as text, never as markup.
"""

from __future__ import annotations

import html
import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from crisisdesk.errors import CrisisdeskError
from crisisdesk.services.insight import Period, ReportData, spike_summary

#: how many sent replies the report lists (the rest are counted)
MAX_REPLIES = 25
#: chart width in the document's units: QTextDocument lays the page out at 96 dpi inside its
#: own 2 cm margins, which leaves ~529 units of an A4 page within the writer's 15 mm margins
CHART_WIDTH = 520
_KEEP: list[object] = []  # the QGuiApplication made here lives as long as the process


def ensure_gui_app() -> None:
    """A QGuiApplication for fonts and painting; offscreen when there is no display."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless and not os.environ.get("QT_QPA_PLATFORM"):  # unset or empty
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _KEEP.append(QGuiApplication(["crisisdesk"]))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _when(at: datetime, data: ReportData, fmt: str = "%a %d %b %Y %H:%M") -> str:
    return at.astimezone(data.tz).strftime(fmt)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _num(value: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if value is None else fmt.format(value)


def _periods_table(data: ReportData) -> str:
    head = "".join(
        f"<th>{_e(p.name)}<br/><small>{_when(p.since, data, '%d %b %H:%M')} – "
        f"{_when(p.until, data, '%d %b %H:%M')}</small></th>"
        for p in data.periods
    )
    rows: list[tuple[str, Callable[[Period], str]]] = [
        ("Mentions per day", lambda p: f"{p.totals.total / max(p.days, 1 / 24):.1f}"),
        ("Complaints per day", lambda p: f"{p.totals.complaints / max(p.days, 1 / 24):.1f}"),
        ("Share negative", lambda p: _pct(p.totals.negative_share)),
        ("Mean sentiment (−1…1)", lambda p: _num(p.totals.mean_sentiment, "{:+.2f}")),
        ("Complaints answered", lambda p: _pct(p.responses.share_answered)),
        ("… within 1 hour", lambda p: _pct(p.responses.share_within_1h)),
        ("… within 4 hours", lambda p: _pct(p.responses.share_within_4h)),
        ("Mean first reply (hours)", lambda p: _num(p.responses.mean_delay_hours)),
        ("Replies sent", lambda p: f"{p.replies_sent:,}"),
    ]
    body = "".join(
        f"<tr><td>{_e(name)}</td>"
        + "".join(f"<td align='right'>{value(p)}</td>" for p in data.periods)
        + "</tr>"
        for name, value in rows
    )
    return (
        "<table class='grid' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr><th></th>{head}</tr>{body}</table>"
    )


def _timeline(data: ReportData) -> str:
    events: list[tuple[datetime, str]] = []
    for spike in data.spikes:
        events.append(
            (
                spike.start,
                f"<b>{_e(spike.metric.heading)} began to rise.</b> "
                f"{_e(spike_summary(spike, data.tz))}",
            )
        )
        events.append((spike.end, f"{_e(spike.metric.heading)} back within the usual range."))
    during = [p for p in data.charts.sentiment if data.since <= p.start < data.until]
    if during:
        peak = max(during, key=lambda p: p.complaints)
        if peak.complaints:
            events.append(
                (
                    peak.start,
                    f"Most complaints in one {data.charts.unit.value}: {peak.complaints:,}.",
                )
            )
    if data.replies:
        events.append((data.replies[0].sent_at, "First reply sent."))
    for step in data.plan.done_items if data.plan else ():
        if step.done_at:
            from crisisdesk.timeutil import parse_iso

            at = parse_iso(step.done_at)
            if data.since <= at < data.until:
                who = f" ({_e(step.done_by)})" if step.done_by else ""
                events.append((at, f"Plan: {_e(step.text)} done{who}."))
    if not events:
        return "<p>No alerts were raised and nothing was recorded in this period.</p>"
    rows = "".join(
        f"<tr><td width='28%'>{_when(at, data)}</td><td>{text}</td></tr>"
        for at, text in sorted(events, key=lambda e: e[0])
    )
    return f"<table cellspacing='0' cellpadding='3' width='100%'>{rows}</table>"


def _replies(data: ReportData) -> str:
    if not data.replies:
        return "<p>No replies were sent through crisisdesk during the incident.</p>"
    rows = "".join(
        f"<tr><td width='22%'>{_when(r.sent_at, data, '%d %b %H:%M')}<br/><small>"
        f"{_e(r.channel)} · {_e(r.mention_source)}</small></td>"
        f"<td><i>{_e(_short(r.mention_text, 140))}</i><br/>{_e(_short(r.body, 300))}</td></tr>"
        for r in data.replies[:MAX_REPLIES]
    )
    more = len(data.replies) - MAX_REPLIES
    extra = f"<p>… and {more} more replies.</p>" if more > 0 else ""
    return f"<table class='grid' cellspacing='0' cellpadding='4' width='100%'>{rows}</table>{extra}"


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plan(data: ReportData) -> str:
    if data.plan is None:
        return "<p>No plan recorded.</p>"
    plan = data.plan
    head = f"<p>{_e(plan.plan_name)}: {plan.done} of {plan.total} items done.</p>"
    if not plan.done_items:
        return head
    items = "".join(
        f"<li>{_e(step.section + ': ' if step.section else '')}{_e(step.text)}"
        + (f" — {_e(step.done_by)}" if step.done_by else "")
        + (f", {_when(_parse(step.done_at), data)}" if step.done_at else "")
        + "</li>"
        for step in plan.done_items
    )
    return head + f"<ul>{items}</ul>"


def _parse(value: str) -> datetime:
    from crisisdesk.timeutil import parse_iso

    return parse_iso(value)


def _lessons(data: ReportData) -> str:
    if data.plan is None and not data.lessons:
        return "<p>No plan recorded.</p>"
    if not data.lessons.strip():
        return "<p>No lessons written yet in the plan's review section.</p>"
    paragraphs = "".join(
        f"<p>{_e(p).replace(chr(10), '<br/>')}</p>" for p in data.lessons.split("\n\n") if p.strip()
    )
    return paragraphs


_CSS = """
body { font-family: sans-serif; font-size: 9pt; color: #1f2328; }
h1 { font-size: 18pt; margin-bottom: 0; }
h2 { font-size: 12pt; margin-top: 14pt; border-bottom: 1px solid #d0d7de; }
table.grid td, table.grid th { border-bottom: 1px solid #d0d7de; }
th { background: #f6f8fa; text-align: left; }
small { color: #57606a; }
"""


def report_html(data: ReportData, business: str = "") -> str:
    """The report as the HTML subset QTextDocument prints; charts are ``chart:KEY`` images."""
    title = "Post-crisis report" + (f" — {_e(business)}" if business else "")
    span = f"{_when(data.since, data)} to {_when(data.until, data)}"
    from crisisdesk.timeutil import now_utc

    charts = "".join(
        f"<p><img src='chart:{key}' width='{CHART_WIDTH}'/></p>"
        for key in ("sentiment", "complaints", "responses", "platforms")
    )
    alerts = (
        "".join(
            f"<li>{_e(s.metric.heading)}: {_e(spike_summary(s, data.tz))}</li>" for s in data.spikes
        )
        or "<li>No alert was raised for this period.</li>"
    )
    return f"""<html><head><style>{_CSS}</style></head><body>
<h1>{title}</h1>
<p>The incident from {_e(span)} · written {_when(now_utc(), data)}</p>
<h2>Alerts</h2><ul>{alerts}</ul>
<h2>Timeline</h2>{_timeline(data)}
<h2>Before, during and after</h2>
<p>The same length of time before the incident and after it, to compare with.</p>
{_periods_table(data)}
<h2>Charts</h2>{charts}
<h2>Plan items completed</h2>{_plan(data)}
<h2>Lessons learned</h2>{_lessons(data)}
<h2>Replies sent during the incident</h2>{_replies(data)}
</body></html>"""


def write_report(data: ReportData, path: Path, *, business: str = "") -> None:
    """Write the report to *path* as an A4 PDF with page numbers and the charts embedded."""
    ensure_gui_app()
    from PySide6.QtCore import QMarginsF, QUrl
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    from crisisdesk.export import figures

    doc = QTextDocument()
    for key in figures.CHARTS:
        fig = figures.figure(key, data.charts, figures.PRINT, data.tz, size=(9, 3.4))
        doc.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(f"chart:{key}"),
            QImage.fromData(figures.png_bytes(fig, dpi=130)),
        )
    doc.setHtml(report_html(data, business))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        writer = QPdfWriter(str(path))
    except OSError as exc:
        raise CrisisdeskError(f"Cannot write the report to {path}: {exc.strerror}.") from exc
    writer.setTitle("Post-crisis report")
    writer.setCreator("crisisdesk")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    doc.print_(writer)
    if not path.exists() or path.stat().st_size == 0:
        raise CrisisdeskError(
            f"The report could not be written to {path}.",
            hint="Check that the folder exists and you may write to it.",
        )
