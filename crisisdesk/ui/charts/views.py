"""One chart on the Charts page: a matplotlib figure on a Qt canvas, with hover tooltips, a
click that opens the inbox on that bucket, and export as PNG or SVG.

This module imports matplotlib's Qt canvas: only ``page.py`` imports it, when the page first
opens, so the window starts without matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from matplotlib import dates as mdates
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.errors import CrisisdeskError
from crisisdesk.export import figures
from crisisdesk.services.insight import ChartData
from crisisdesk.ui.format import count_text
from crisisdesk.ui.theme import is_dark

EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg)"


def theme_from_palette(palette: QPalette) -> figures.Theme:
    """The chart colours for the window's palette: the dark set on a dark window."""
    window = palette.color(QPalette.ColorRole.Window)
    base = figures.DARK if is_dark(palette) else figures.PRINT
    return figures.Theme(
        background=window.name(),
        text=palette.color(QPalette.ColorRole.WindowText).name(),
        grid=palette.color(QPalette.ColorRole.Mid).name(),
        negative=base.negative,
        neutral=base.neutral,
        positive=base.positive,
        mean=base.mean,
        complaints=base.complaints,
        alert=base.alert,
        replies=base.replies,
    )


def bucket_tooltip(key: str, data: ChartData, index: int, tz: tzinfo) -> str:
    """What the hover tooltip says about bucket *index* of chart *key*."""
    point = data.sentiment[index]
    start = point.start.astimezone(tz)
    fmt = "%a %d %b %H:00" if data.unit.value == "hour" else "%a %d %b %Y"
    head = ("Week of " if data.unit.value == "week" else "") + start.strftime(fmt)
    if key == "sentiment":
        mean = point.mean_sentiment
        return (
            f"{head}\n{count_text(point.total)} mentions: {point.negative} negative, "
            f"{point.neutral} neutral, {point.positive} positive"
            + (f"\nMean sentiment {mean:+.2f}" if mean is not None else "")
        )
    if key == "complaints":
        alerts = [
            s
            for s in data.spikes
            if s.start < point.start + figures.bucket_span(data.unit) and s.end > point.start
        ]
        return (
            f"{head}\n{count_text(point.complaints)} complaints, "
            f"{count_text(data.replies[index])} replies sent"
            + ("\nIn an alert: " + ", ".join(s.metric.heading for s in alerts) if alerts else "")
        )
    resp = data.responses[index]
    if not resp.complaints:
        return f"{head}\nNo complaints"
    mean = resp.mean_delay_hours
    return (
        f"{head}\n{resp.complaints} complaints, {resp.answered} answered; within 1 h: "
        f"{resp.share_within_1h or 0:.0%}, within 4 h: {resp.share_within_4h or 0:.0%}"
        + (f"\nFirst reply after {mean:.1f} h on average" if mean is not None else "")
    )


class ChartView(QWidget):
    """One chart with its title row and export button."""

    #: the user clicked a bucket: (its start, its end), aware datetimes
    bucketClicked = Signal(object, object)

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"chart_{key}")
        self.setAccessibleName(figures.CHARTS[key])
        self.data: ChartData | None = None
        self._tz: tzinfo | None = None
        self.figure = Figure(figsize=(9, 3.2), dpi=100, layout="constrained")
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setParent(self)
        self.canvas.setMinimumHeight(260)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.canvas.setAccessibleName(figures.CHARTS[key] + " chart")
        self.canvas.setAccessibleDescription("")
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        self.canvas.mpl_connect("button_press_event", self._click)
        self.export_button = QToolButton(self)
        self.export_button.setText("Export…")
        self.export_button.setAccessibleName(f"Export {figures.CHARTS[key]} as PNG or SVG")
        self.export_button.setToolTip("Save this chart as a PNG image or an SVG drawing")
        self.export_button.clicked.connect(lambda: self.export())
        row = QHBoxLayout()  # the title is drawn in the figure (the report prints it too)
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addLayout(row)
        layout.addWidget(self.canvas, 1)

    def show_data(self, data: ChartData, theme: figures.Theme, tz: tzinfo) -> None:
        self.data, self._tz = data, tz
        self.figure.clear()
        figures.DRAW[self.key](self.figure, data, theme, tz)
        self.canvas.setAccessibleDescription(self.summary())
        self.canvas.draw_idle()

    def summary(self) -> str:
        """A sentence for screen readers: what the chart shows in numbers."""
        data = self.data
        if data is None:
            return ""
        total = sum(p.total for p in data.sentiment)
        complaints = sum(p.complaints for p in data.sentiment)
        return (
            f"{count_text(total)} mentions, {count_text(complaints)} complaints, "
            f"{len(data.spikes)} alerts, {count_text(sum(data.replies))} replies sent."
        )

    # --- hover and click ------------------------------------------------------------------

    def bucket_at(self, xdata: float | None) -> int | None:
        """The index of the bucket under x (matplotlib date number), or None."""
        data = self.data
        if data is None or xdata is None or self.key == "platforms" or not data.sentiment:
            return None
        at = mdates.num2date(xdata)
        span = figures.bucket_span(data.unit)
        for i, point in enumerate(data.sentiment):
            if point.start <= at < point.start + span:
                return i
        return None

    def _hover(self, event: MouseEvent) -> None:
        index = self.bucket_at(event.xdata if event.inaxes else None)
        if index is None or self.data is None or self._tz is None:
            QToolTip.hideText()
            return
        QToolTip.showText(
            QCursor.pos(), bucket_tooltip(self.key, self.data, index, self._tz), self.canvas
        )

    def _click(self, event: MouseEvent) -> None:
        index = self.bucket_at(event.xdata if event.inaxes else None)
        if index is not None and self.data is not None:
            start = self.data.sentiment[index].start
            self.bucketClicked.emit(start, start + figures.bucket_span(self.data.unit))

    # --- export ---------------------------------------------------------------------------

    def export(
        self, path: Path | None = None, ask: Callable[[], Path | None] | None = None
    ) -> Path | None:
        """Save the chart as PNG or SVG (by the file name's suffix; asks when *path* is None)."""
        if path is None:
            path = (ask or self._ask_path)()
            if path is None:
                return None
        suffix = path.suffix.lower()
        if suffix not in (".png", ".svg"):
            raise CrisisdeskError(
                f"'{path.name}' is neither a PNG nor an SVG file name.",
                hint="End the file name with .png or .svg.",
            )
        try:
            self.figure.savefig(
                path, format=suffix[1:], dpi=150, facecolor=self.figure.get_facecolor()
            )
        except OSError as exc:
            raise CrisisdeskError(f"Cannot save the chart to {path}: {exc.strerror}.") from exc
        return path

    def _ask_path(self) -> Path | None:
        name = f"{self.key}-{datetime.now():%Y-%m-%d}.png"
        chosen, _filter = QFileDialog.getSaveFileName(self, "Export chart", name, EXPORT_FILTERS)
        if not chosen:
            return None
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(".svg" if "svg" in _filter.lower() else ".png")
        return path


def span_text(start: datetime, end: datetime, tz: tzinfo) -> str:
    """'Sat 07 Nov 14:00–15:00' or 'Sat 07 Nov' for a bucket, in local time."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    if b - a <= timedelta(hours=1):
        return f"{a:%a %d %b %H:%M}–{b:%H:%M}"
    return f"{a:%a %d %b}" if b - a <= timedelta(days=1) else f"{a:%d %b}–{b - timedelta(1):%d %b}"
