"""The Charts page: a range picker and four charts, drawn when the page is first shown.

The page itself is light: matplotlib (``views.py``) is imported the first time the page is
shown, so start-up never pays for it. The series are computed on a worker thread through the
task runner (``services.insight.chart_data``); the GUI thread only draws them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.timeutil import now_utc
from crisisdesk.ui import errors
from crisisdesk.ui.charts.thresholds import thresholds_from
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.widgets import WrapLabel, date_edit

if TYPE_CHECKING:
    from crisisdesk.services.insight import ChartData
    from crisisdesk.ui.charts.views import ChartView

RANGES = {"7d": "Last 7 days", "30d": "Last 30 days", "90d": "Last 90 days", "custom": "Between…"}
CHART_KEYS = ("sentiment", "complaints", "platforms", "responses")


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


class ChartsPage(QWidget):
    """Range picker, the charts, and a line saying what is shown."""

    #: new chart data is on screen (tests wait for it)
    drawn = Signal(object)
    #: a bucket was clicked: (start, end) aware datetimes, for the inbox
    windowClicked = Signal(object, object)

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        now: Callable[[], datetime] = now_utc,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("chartsPage")
        self.setAccessibleName("Charts")
        self._runner = runner
        self._settings = settings
        self._now = now
        self.tz = tz or local_zone()
        self.views: dict[str, ChartView] = {}
        self.data: ChartData | None = None
        self._stale = True
        self._request = 0  # only the latest refresh's result is drawn

        self.range = QComboBox(self)
        self.range.setObjectName("chartRange")
        self.range.setAccessibleName("Chart range")
        for key, text in RANGES.items():
            self.range.addItem(text, key)
        range_label = QLabel("&Range:", self)
        range_label.setBuddy(self.range)
        self.date_from = self._date_edit("From date")
        self.date_to = self._date_edit("To date")
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.setAccessibleName("Refresh the charts")
        self.refresh_button.clicked.connect(self.refresh)
        self.status = WrapLabel(parent=self, description="What the charts show")
        self.status.setObjectName("chartStatus")

        top = QHBoxLayout()
        top.addWidget(range_label)
        top.addWidget(self.range)
        top.addWidget(self.date_from)
        top.addWidget(self.date_to)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.charts = QWidget(self)
        self.charts_layout = QVBoxLayout(self.charts)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setObjectName("chartScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.charts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

        self._restore()
        self.range.currentIndexChanged.connect(self._range_changed)
        self.date_from.dateChanged.connect(lambda _d: self.refresh())
        self.date_to.dateChanged.connect(lambda _d: self.refresh())

    def _date_edit(self, name: str) -> QDateEdit:
        return date_edit(self, name)

    # --- range --------------------------------------------------------------------------

    def _restore(self) -> None:
        key = self._settings.get("insight/range")
        index = self.range.findData(key if key in RANGES else "30d")
        self.range.setCurrentIndex(index)
        for edit, name in (
            (self.date_from, "insight/custom_from"),
            (self.date_to, "insight/custom_to"),
        ):
            text = self._settings.get(name)
            if text:
                parsed = QDate.fromString(text, "yyyy-MM-dd")
                if parsed.isValid():
                    edit.setDate(parsed)
        self._show_custom()

    def save_settings(self) -> None:
        self._settings.set("insight/range", str(self.range.currentData()))
        self._settings.set("insight/custom_from", self.date_from.date().toString("yyyy-MM-dd"))
        self._settings.set("insight/custom_to", self.date_to.date().toString("yyyy-MM-dd"))

    def _show_custom(self) -> None:
        custom = self.range.currentData() == "custom"
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)

    def _range_changed(self, _index: int) -> None:
        self._show_custom()
        self.refresh()

    def set_range(self, key: str, start: date | None = None, end: date | None = None) -> None:
        """Show *key* ('7d', '30d', '90d' or 'custom' from *start* to *end*, local days)."""
        if start is not None and end is not None:
            for edit, day in ((self.date_from, start), (self.date_to, end)):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.range.setCurrentIndex(self.range.findData(key))
        self.refresh()

    def current_range(self) -> tuple[datetime, datetime]:
        """(since, until) of the chosen range, aware UTC-comparable datetimes."""
        key = self.range.currentData()
        now = self._now()
        if key == "custom":
            start, end = _day(self.date_from.date()), _day(self.date_to.date())
            if end < start:
                start, end = end, start
            since = datetime.combine(start, time(), self.tz)
            return since, datetime.combine(end + timedelta(days=1), time(), self.tz)
        days = {"7d": 7, "30d": 30, "90d": 90}[key]
        return now - timedelta(days=days), now

    # --- data -----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.views:
            self._build_views()  # the first time: now matplotlib is imported
        if self._stale:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.data is not None:
            self._draw(self.data)  # light ↔ dark: redraw in the new colours

    def _build_views(self) -> None:
        from crisisdesk.ui.charts.views import ChartView

        for key in CHART_KEYS:
            view = ChartView(key, self.charts)
            view.bucketClicked.connect(self.windowClicked)
            view.export_button.clicked.disconnect()
            view.export_button.clicked.connect(lambda _c=False, v=view: self.export(v))
            self.views[key] = view
            self.charts_layout.addWidget(view)

    def mark_stale(self) -> None:
        """The database changed: refresh now if the page is on screen, else when shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if not self.views:
            self._stale = True
            return  # never shown yet: nothing to draw on
        self._stale = False
        since, until = self.current_range()
        tz, thresholds = self.tz, thresholds_from(self._settings)
        self.status.setText("Loading…")

        def compute(ctx):  # type: ignore[no-untyped-def]
            from crisisdesk.services.insight import chart_data

            return chart_data(ctx.db, since, until, tz, thresholds=thresholds)

        self._request += 1
        request = self._request

        def computed(data: ChartData) -> None:
            if request == self._request:  # an older range finishing late is not drawn
                self._draw(data)

        self._runner.op(compute).success(computed).failure(self._failed).start()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("The charts could not be computed.")
        errors.show_error(self, exc)

    def _draw(self, data: ChartData) -> None:
        from crisisdesk.ui.charts.views import theme_from_palette

        self.data = data
        theme = theme_from_palette(self.palette())
        for view in self.views.values():
            view.show_data(data, theme, self.tz)
        total = sum(p.total for p in data.sentiment)
        alerts = len(data.spikes)
        self.status.setText(
            f"{total:,} mentions, counted per {data.unit.value}; "
            f"{alerts} alert{'s' if alerts != 1 else ''} in this range. Point at a bar for its "
            "numbers; click it to see those mentions in the inbox."
        )
        self.drawn.emit(data)

    def export(self, view: ChartView) -> None:
        try:
            view.export()
        except CrisisdeskError as exc:
            errors.show_error(self, exc)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
