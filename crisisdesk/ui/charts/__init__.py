"""Insight in the window: the Charts page, the crisis banner and tray notification, alert
settings, and File → Post-crisis report.

:func:`attach_insight` adds all of it through the window's extension API. It imports no
matplotlib: the charts' module (``views.py``) loads when the page is first shown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QToolBar

from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.store.alerts import StoredAlert
from crisisdesk.timeutil import now_utc, parse_iso
from crisisdesk.ui import errors
from crisisdesk.ui.charts.alerts import AlertWatcher, CrisisBanner
from crisisdesk.ui.charts.page import ChartsPage, local_zone
from crisisdesk.ui.charts.report_dialog import ReportDialog
from crisisdesk.ui.charts.thresholds import AlertSettingsDialog, thresholds_from
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.window_api import make_action

if TYPE_CHECKING:
    from crisisdesk.ui.main_window import MainWindow

__all__ = ["Insight", "attach_insight"]

#: the key of the crisis plan page another feature attaches ("Open crisis plan" shows it)
PLAN_PAGE = "plan"


class Insight(QObject):
    """The Charts page, the alert banner and watcher, and their actions."""

    def __init__(
        self,
        window: MainWindow,
        runner: TaskRunner,
        settings: Settings,
        *,
        now: Callable[[], datetime] = now_utc,
        tz: tzinfo | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._settings = settings
        self.tz = tz or local_zone()
        self.page = ChartsPage(runner, settings, window, now=now, tz=self.tz)
        window.add_page("charts", "Charts", self.page, "charts", QKeySequence("Ctrl+Shift+C"))
        self.page.windowClicked.connect(self.show_window_in_inbox)

        self.banner = CrisisBanner(window)
        self.banner_bar = QToolBar("Crisis alert", window)
        self.banner_bar.setObjectName("crisisAlertBar")
        self.banner_bar.setMovable(False)
        self.banner_bar.setFloatable(False)
        self.banner_bar.toggleViewAction().setVisible(False)
        self.banner_bar.addWidget(self.banner)
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)
        self.banner_bar.hide()
        # the window restores its saved toolbar state after the features attach: the banner
        # shows only for an alert, never because it was on screen when the app last closed
        QTimer.singleShot(0, self._sync_banner_bar)
        self.banner.planRequested.connect(lambda: window.show_page(PLAN_PAGE))
        self.banner.mentionsRequested.connect(self.show_alert_mentions)
        self.banner.dismissed.connect(self._acknowledge)
        self.watcher = AlertWatcher(
            runner, settings, self.banner, has_plan=self.has_plan, tz=self.tz, parent=self
        )
        self.watcher.announced.connect(lambda _a: self.banner_bar.show())
        self.banner.dismissed.connect(lambda _a: self.banner_bar.hide())

        # no shortcut of its own: Ctrl+Shift+R is the composer's Reply; File → R reaches it
        self.report_action = make_action(
            window,
            "Post-crisis &report…",
            self.ask_report,
            tip="Write a PDF report of an incident: timeline, before/during/after, replies, plan",
        )
        window.add_menu_action("File", self.report_action, "export")
        self.settings_action = make_action(
            window,
            "Crisis &alert settings…",
            self.edit_thresholds,
            tip="How much a rise must stand out before crisisdesk raises an alert",
        )
        window.add_menu_action("View", self.settings_action, "refresh")

        window.reloadRequested.connect(self.page.mark_stale)
        window.reloadRequested.connect(self.watcher.check_soon)
        window.settingsSaving.connect(self.page.save_settings)
        window.closing.connect(self.watcher.stop)

    def _sync_banner_bar(self) -> None:
        self.banner_bar.setVisible(bool(self.banner.alerts))

    def has_plan(self) -> bool:
        """Whether a crisis plan page is attached (another feature adds it)."""
        try:
            self._window.page_undo_stack(PLAN_PAGE)
        except KeyError:
            return False
        return True

    # --- the inbox ------------------------------------------------------------------------

    def show_window_in_inbox(
        self,
        start: datetime,
        end: datetime,
        *,
        complaints_only: bool = False,
        select: Sequence[int] = (),
    ) -> None:
        """The inbox filtered to the local days of [start, end) (the filter bar works in
        days), optionally complaints only, with *select* selected once the rows arrive."""
        first = start.astimezone(self.tz).date()
        last = (end - timedelta(seconds=1)).astimezone(self.tz).date()
        self._window.inbox_feature.show_days(
            first, last, complaints_only=complaints_only, select=select
        )

    def show_alert_mentions(self, alerts: list[StoredAlert]) -> None:
        if not alerts:
            return
        start = min(parse_iso(a.window_start) for a in alerts)
        end = max(parse_iso(a.window_end) for a in alerts)
        ids = [i for a in alerts for i in a.detail.get("mention_ids", [])]
        only_complaints = all(a.kind == "complaints" for a in alerts)
        self.show_window_in_inbox(start, end, complaints_only=only_complaints, select=ids)

    def _acknowledge(self, alerts: list[StoredAlert]) -> None:
        ids = [a.id for a in alerts]

        def ack(ctx):  # type: ignore[no-untyped-def]
            from crisisdesk.store.alerts import acknowledge

            acknowledge(ctx.db, ids)

        self._runner.op(ack).failure(lambda _e: None).start()

    # --- actions --------------------------------------------------------------------------

    def edit_thresholds(self) -> None:
        dialog = AlertSettingsDialog(self._settings, self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.page.mark_stale()

    def ask_report(self) -> None:
        """Pick dates (the latest alert's days, else the last week) and write the report."""
        data = self.page.data
        end = now_utc().astimezone(self.tz).date()
        start = end - timedelta(days=7)
        if data is not None and data.spikes:
            last = data.spikes[-1]
            start = last.start.astimezone(self.tz).date()
            end = last.end.astimezone(self.tz).date()
        dialog = ReportDialog(self._settings, start, end, self._window)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                since, until, path = dialog.choice(self.tz)
            except CrisisdeskError as exc:
                errors.show_error(dialog, exc)
                continue
            self.write_report(since, until, path)
            return

    def write_report(self, since: datetime, until: datetime, path: Path) -> None:
        tz, thresholds = self.tz, thresholds_from(self._settings)

        def write(ctx):  # type: ignore[no-untyped-def]
            from crisisdesk.export.report import write_report
            from crisisdesk.services.insight import report_data

            write_report(report_data(ctx.db, since, until, tz, thresholds=thresholds), path)
            return path

        def done(written: object) -> None:
            self._window.show_message(f"Wrote the post-crisis report to {written}", 10_000)

        self._runner.op(write).success(done).progress("Writing the report…").start()


def attach_insight(window: MainWindow, runner: TaskRunner, settings: Settings) -> Insight:
    """Add the Charts page, crisis alerts and the report action to *window*."""
    return Insight(window, runner, settings)
