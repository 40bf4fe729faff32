"""Crisis alerts in the window: after a sync or an import, detect spikes in the background;
a new alert shows a banner above the pages and a system-tray notification.

The banner says what rose (plain text) and offers "Open crisis plan" (when a Plan page is
attached to the window) and "Show these mentions" (the inbox on the alert's days, complaints
only for a complaint alert, with the mentions that drove it selected). Dismissing it marks
the alerts as seen; the same episode is not announced twice (``store/alerts.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from crisisdesk.settings import Settings
from crisisdesk.store.alerts import StoredAlert
from crisisdesk.ui.announce import announce
from crisisdesk.ui.charts.thresholds import thresholds_from
from crisisdesk.ui.icons import icon
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.widgets import WrapLabel

#: several reloads in a row (one per synced account) make one check
CHECK_DEBOUNCE_MS = 1500
#: the title of the tray notification (its text is the banner's sentence)
TRAY_TITLE = "crisisdesk: possible crisis"
_TITLES = {
    "complaints": "Complaints",
    "negative_share": "Share of negative mentions",
    "engagement": "Negative mentions people engage with",
}


def alert_text(alerts: list[StoredAlert], tz: tzinfo | None = None) -> str:
    """The banner's sentence: the strongest alert, and how many more."""
    from crisisdesk.analysis.spikes import Metric, Spike
    from crisisdesk.services.insight import spike_summary
    from crisisdesk.timeutil import parse_iso

    def spike(a: StoredAlert) -> Spike:
        d = a.detail
        return Spike(
            Metric(a.kind),
            parse_iso(a.window_start),
            parse_iso(a.window_end),
            float(d.get("count", 0)),
            float(d.get("baseline", 0)),
            float(d.get("score", 0)),
            int(d.get("window_hours", 0)),
            int(d.get("total", 0)),
        )

    first = max(alerts, key=lambda a: float(a.detail.get("score", 0)))
    text = f"Possible crisis — {_TITLES.get(first.kind, first.kind)}: "
    text += spike_summary(spike(first), tz)
    if len(alerts) > 1:
        text += f" (and {len(alerts) - 1} more alert{'s' if len(alerts) > 2 else ''})"
    return text


def tray_available() -> bool:
    """Whether the desktop has a system tray (many Linux desktops, and Xvfb, have none)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


class CrisisBanner(QFrame):
    """The banner's content; it sits on a toolbar row of the window (``Insight.banner_bar``),
    which is shown while there are alerts (a widget on a toolbar follows its action's
    visibility, so the row, not this widget, is shown and hidden)."""

    planRequested = Signal()
    mentionsRequested = Signal(object)  # the alerts
    dismissed = Signal(object)  # the alerts

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crisisBanner")
        self.setAccessibleName("Crisis alert")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.alerts: list[StoredAlert] = []
        mark = QLabel(self)
        mark.setPixmap(icon("alert").pixmap(20, 20))
        mark.setAccessibleName("Alert")
        self.text = WrapLabel(parent=self, description="Crisis alert text")
        self.text.setObjectName("crisisBannerText")
        self.plan_button = QPushButton("Open crisis &plan", self)
        self.plan_button.setAccessibleName("Open the crisis plan")
        self.plan_button.clicked.connect(self.planRequested)
        self.mentions_button = QPushButton("Show &these mentions", self)
        self.mentions_button.setAccessibleName("Show the mentions behind this alert")
        self.mentions_button.clicked.connect(lambda: self.mentionsRequested.emit(self.alerts))
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAccessibleName("Dismiss the crisis alert")
        self.close_button.setToolTip("Dismiss (the alert stays on the Charts page)")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(mark)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.plan_button)
        layout.addWidget(self.mentions_button)
        layout.addWidget(self.close_button)

    def show_alerts(self, alerts: list[StoredAlert], text: str, *, plan: bool) -> None:
        self.alerts = alerts
        if text != self.text.text():  # said once, at once: the owner may be elsewhere (15.13)
            announce(self, f"Crisis alert. {text}", urgent=True)
        self.text.setText(text)
        self.plan_button.setVisible(plan)

    def dismiss(self) -> None:
        alerts, self.alerts = self.alerts, []
        if alerts:
            self.dismissed.emit(alerts)


class AlertWatcher(QObject):
    """Checks for new alerts (debounced) and announces them: banner, tray, signal."""

    #: new alerts were stored and announced (tests wait for it)
    announced = Signal(object)
    #: a check ran (with or without new alerts)
    checked = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        banner: CrisisBanner,
        *,
        has_plan: Callable[[], bool],
        tz: tzinfo | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._settings = settings
        self._banner = banner
        self._has_plan = has_plan
        self._tz = tz
        self.tray: QSystemTrayIcon | None = None
        #: the last tray notification (title, text), for tests and debugging
        self.tray_message: tuple[str, str] | None = None
        self.debounce = QTimer(self)
        self.debounce.setObjectName("alertCheckDebounce")
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(CHECK_DEBOUNCE_MS)
        self.debounce.timeout.connect(self.check_now)

    def check_soon(self) -> None:
        self.debounce.start()

    def check_now(self) -> None:
        thresholds = thresholds_from(self._settings)

        def record(ctx):  # type: ignore[no-untyped-def]
            from crisisdesk.services.insight import record_new_alerts

            return record_new_alerts(ctx.db, thresholds=thresholds)

        # a failed check (a sync holds the lock) is retried by the next reload: no dialog
        self._runner.op(record).success(self._found).failure(lambda _exc: None).start()

    def _found(self, alerts: list[StoredAlert]) -> None:
        self.checked.emit(alerts)
        if not alerts:
            return
        text = alert_text(alerts, self._tz)
        self._banner.show_alerts(alerts, text, plan=self._has_plan())
        self._notify_tray(text)
        self.announced.emit(alerts)

    def _notify_tray(self, text: str) -> None:
        """A tray notification too, where there is a tray. Without one the banner and the
        announcement (:meth:`CrisisBanner.show_alerts`) still tell the owner."""
        if not self._settings.get("insight/tray") or not tray_available():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(QIcon(icon("crisisdesk")), self)
            self.tray.messageClicked.connect(lambda: self._banner.window().activateWindow())
        # the tooltip is what a screen reader reads on the tray icon: the alert, not only a name
        self.tray.setToolTip(f"crisisdesk — {text}")
        self.tray.show()
        self.tray_message = (TRAY_TITLE, text)
        self.tray.showMessage(TRAY_TITLE, text, QSystemTrayIcon.MessageIcon.Warning, 15_000)

    def stop(self) -> None:
        self.debounce.stop()
        if self.tray is not None:
            self.tray.hide()


__all__ = ["AlertWatcher", "CrisisBanner", "alert_text", "tray_available"]
