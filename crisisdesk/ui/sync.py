"""Background sync of the connected accounts: the Sync action, status bar progress, an interval.

One sync at a time, always in the background (``ui/tasks.py``). While it runs, a label in the
status bar says "Syncing bakery-mastodon (2/4)…" next to a Stop button; afterwards it keeps the
result ("10:42: 12 new, 3 updated; 1 account failed: bakery-x (see Accounts)"). A failing
account never opens a dialog: its error is on the Accounts page. Offline says "offline".
Each account's mentions are committed as soon as it is done, and ``accountSynced`` fires, so
the inbox can update while the others are still being read.

The run is an ordinary task of the window's ``TaskRunner``: Stop cancels it (the runner's cancel
token), and the worker hands back its progress and each finished account through the task's one
partial-result channel (``ctx.publish``). What was published before a Stop is the outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QWidget

from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.store.accounts import OFFLINE_TEXT
from crisisdesk.ui import errors
from crisisdesk.ui.format import plain_tooltip
from crisisdesk.ui.icons import icon
from crisisdesk.ui.tasks import TaskContext, TaskHandle, TaskRunner

if TYPE_CHECKING:  # services.sync pulls in httpx and the analysis: imported when a sync runs
    from crisisdesk.services.sync import AccountSyncResult, ClientFactory

log = logging.getLogger(__name__)

#: minutes between automatic syncs the user can choose; 0 = off
INTERVAL_CHOICES = (0, 5, 15, 30, 60)
SYNC_SHORTCUT = "Ctrl+R"
#: the status text is cut (with "…") beyond this width; the tooltip has all of it
STATUS_MAX_WIDTH = 460
NO_ACCOUNTS_TEXT = "No accounts to sync yet: add one on the Accounts page."


class SyncProgress(NamedTuple):
    """Published by the worker before each account (*name*) and once at the end (name "")."""

    done: int
    total: int
    name: str


def interval_text(minutes: int) -> str:
    return "Off" if minutes <= 0 else f"Every {minutes} minutes"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


@dataclass(frozen=True)
class SyncOutcome:
    """What one sync run did, and the one line the status bar shows for it."""

    results: Sequence[AccountSyncResult]
    stopped: bool = False
    automatic: bool = False
    total: int = 0  # accounts there were to sync
    finished_at: datetime = field(default_factory=lambda: datetime.now().astimezone())

    @property
    def new(self) -> int:
        return sum(r.new for r in self.results)

    @property
    def updated(self) -> int:
        return sum(r.updated for r in self.results)

    @property
    def failed(self) -> list[AccountSyncResult]:
        """Accounts that failed for a reason other than being offline."""
        return [r for r in self.results if r.error and not r.offline]

    @property
    def offline(self) -> list[AccountSyncResult]:
        return [r for r in self.results if r.offline]

    @property
    def all_offline(self) -> bool:
        return bool(self.results) and len(self.offline) == len(self.results)

    def message(self) -> str:
        at = self.finished_at.strftime("%H:%M")
        if not self.results and not self.stopped:
            return NO_ACCOUNTS_TEXT
        if self.all_offline:
            return f"{at}: {OFFLINE_TEXT}"
        text = f"{self.new:,} new, {self.updated:,} updated"
        if self.stopped:
            done = len(self.results)
            text = f"Sync stopped after {done} of {self.total} accounts: {text}"
        else:
            text = f"{at}: {text}"
        if self.failed:
            names = ", ".join(r.name for r in self.failed)
            text += f"; {_plural(len(self.failed), 'account')} failed: {names} (see Accounts)"
        partial = [r for r in self.results if r.error is None and r.warning]
        if partial:
            names = ", ".join(r.name for r in partial)
            text += f"; partly synced: {names} (see Accounts)"
        if self.offline:
            text += f"; {_plural(len(self.offline), 'account')} offline"
        return text

    def details(self) -> str:
        """Every account's outcome, for the tooltip."""
        lines = []
        for r in self.results:
            if r.error is None:
                lines.append(f"{r.name}: {r.new} new, {r.updated} updated")
                lines.extend(f"{r.name}: {' '.join(n.split())}" for n in (r.warning, *r.notes) if n)
            else:
                lines.append(f"{r.name}: {' '.join(r.error.split())}")
        return "\n".join(lines) or self.message()


class SyncController(QObject):
    """Owns the Sync/Stop actions, the status bar label and the interval timer."""

    #: a sync began (automatic or not)
    started = Signal()
    #: one account is done and its mentions are committed: AccountSyncResult
    accountSynced = Signal(object)
    #: the run ended (also after Stop): SyncOutcome
    finished = Signal(object)
    #: "Sync now" was asked for while there are no accounts
    accountsNeeded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        *,
        client_factory: ClientFactory | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._settings = settings
        #: builds each account's HTTP client (tests give one with short timeouts)
        self.client_factory = client_factory
        self._running = False
        self._handle: TaskHandle | None = None
        self._stopping = False  # Stop was pressed (a window close cancels without it)
        self._automatic = False
        self._total = 0
        self._results: list[AccountSyncResult] = []
        self.last_outcome: SyncOutcome | None = None

        self.sync_action = QAction(icon("sync"), "&Sync now", self)
        self.sync_action.setObjectName("syncAction")
        self.sync_action.setShortcut(QKeySequence(SYNC_SHORTCUT))
        tip = f"Fetch new mentions from your accounts ({SYNC_SHORTCUT})"
        self.sync_action.setToolTip(tip)
        self.sync_action.setStatusTip(tip)
        self.sync_action.triggered.connect(lambda _checked=False: self.start())
        self.stop_action = QAction(icon("stop"), "Stop sync", self)
        self.stop_action.setObjectName("stopSyncAction")
        self.stop_action.setToolTip("Stop fetching; what was fetched so far is kept")
        self.stop_action.setEnabled(False)
        self.stop_action.triggered.connect(lambda _checked=False: self.stop())

        self.status_label = QLabel()
        self.status_label.setObjectName("syncStatus")
        self.status_label.setAccessibleDescription("Sync status")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.status_label.setMaximumWidth(STATUS_MAX_WIDTH)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.status_label.hide()
        self.stop_button = QToolButton()
        self.stop_button.setObjectName("stopSync")
        self.stop_button.setDefaultAction(self.stop_action)
        self.stop_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.stop_button.setAutoRaise(True)
        self.stop_button.hide()

        self.timer = QTimer(self)
        self.timer.setObjectName("syncInterval")
        self.timer.timeout.connect(lambda: self.start(automatic=True))

        self.set_interval(settings.get("sync/interval"), save=False)

    # --- state ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    @property
    def interval(self) -> int:
        """Minutes between automatic syncs; 0 = off."""
        return self.timer.interval() // 60_000 if self.timer.isActive() else 0

    def set_interval(self, minutes: int, *, save: bool = True) -> None:
        """Sync automatically every *minutes* (one of INTERVAL_CHOICES); 0 turns it off."""
        if minutes not in INTERVAL_CHOICES:
            log.warning("ignoring sync interval %r (not one of %s)", minutes, INTERVAL_CHOICES)
            minutes = 0
        if minutes:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()
        if save:
            self._settings.set("sync/interval", minutes)

    def sync_soon_if_scheduled(self, delay_ms: int = 3000) -> None:
        """With an interval set, sync once shortly after the window opens (not at once, so
        the first paint is not slowed down)."""
        if self.interval:
            QTimer.singleShot(delay_ms, self, lambda: self.start(automatic=True))

    def widgets(self) -> list[QWidget]:
        """What the window puts in its status bar (label, then Stop)."""
        return [self.status_label, self.stop_button]

    # --- running -------------------------------------------------------------------------------

    def start(self, names: Sequence[str] | None = None, *, automatic: bool = False) -> bool:
        """Sync *names* (all accounts when None) in the background. False if one is running."""
        if self._running:
            return False
        db_path = self._runner.db_path
        if db_path is None:
            raise RuntimeError("the sync needs the runner's database path")
        self._running = True
        self._automatic = automatic
        self._total = 0
        self._results = []
        self._stopping = False
        self.sync_action.setEnabled(False)
        self.stop_action.setEnabled(True)
        self.stop_button.show()
        self._show_status("Syncing…")
        self.started.emit()
        wanted = list(names) if names else None
        factory = self.client_factory
        (
            self._runner.op(lambda ctx: _sync_in_worker(ctx, db_path, wanted, factory))
            .started(self._keep_handle)
            # accounts that finish after Stop are committed: the outcome must still list them
            .partial(self._on_partial, after_cancel=True)
            .success(self._done)
            .failure(self._failed)
            .cancelled(self._cancelled)
            .start()
        )
        return True

    def stop(self) -> None:
        """Stop after the request in flight; accounts already done stay done."""
        if self._running and self._handle is not None and not self._stopping:
            self._stopping = True
            self._handle.cancel()
            self.stop_action.setEnabled(False)
            self._show_status("Stopping sync…")

    def _keep_handle(self, handle: TaskHandle) -> None:
        self._handle = handle

    def _on_partial(self, item: object) -> None:
        if isinstance(item, SyncProgress):
            self._total = item.total
            if item.name and not self._stopping:
                self._show_status(f"Syncing {item.name} ({item.done + 1}/{item.total})…")
        else:  # an AccountSyncResult: that account is done and its mentions committed
            self._results.append(cast("AccountSyncResult", item))
            self.accountSynced.emit(item)

    def _finish(self) -> None:
        self._running = False
        self._handle = None
        self.sync_action.setEnabled(True)
        self.stop_action.setEnabled(False)
        self.stop_button.hide()

    def _done(self, results: list[AccountSyncResult]) -> None:
        self._finish()
        self._end(SyncOutcome(results, automatic=self._automatic, total=self._total))

    def _end(self, outcome: SyncOutcome) -> None:
        self.last_outcome = outcome
        self._show_status(outcome.message(), tooltip=outcome.details())
        if not outcome.results and not outcome.stopped and not outcome.automatic:
            self.accountsNeeded.emit()
        self.finished.emit(outcome)

    def _failed(self, exc: BaseException) -> None:
        """The run itself failed (not one account): e.g. the database could not be opened."""
        self._finish()
        text = str(exc) if isinstance(exc, CrisisdeskError) else "Sync failed unexpectedly."
        self._show_status(f"Sync failed: {text}", tooltip=str(exc))
        if not isinstance(exc, CrisisdeskError):
            log.error("sync failed", exc_info=exc)
        if not self._automatic:  # an automatic sync never interrupts with a dialog
            parent = self._runner.error_parent()
            errors.show_error(parent, exc)
        self.last_outcome = SyncOutcome([], stopped=True, automatic=self._automatic)
        self.finished.emit(self.last_outcome)

    def _cancelled(self) -> None:
        """Stop was pressed (the accounts published so far are the outcome), or the window is
        closing (the runner cancelled every task)."""
        stopped_by_user = self._stopping
        self._finish()
        if stopped_by_user:
            results = list(self._results)
            automatic, total = self._automatic, self._total
            self._end(SyncOutcome(results, stopped=True, automatic=automatic, total=total))
            return
        self._show_status("Sync stopped.")
        self.last_outcome = SyncOutcome([], stopped=True, automatic=self._automatic)
        self.finished.emit(self.last_outcome)

    # --- status text ---------------------------------------------------------------------------

    def _show_status(self, text: str, tooltip: str = "") -> None:
        label = self.status_label
        label.setProperty("fullText", text)
        metrics = label.fontMetrics()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, STATUS_MAX_WIDTH - 20)
        label.setText(shown)
        label.setToolTip(plain_tooltip(tooltip or text))
        label.show()

    def make_room(self, message_showing: bool) -> None:
        """A status message is shown: the finished sync's result steps aside until it ends
        (while a sync runs, its progress stays)."""
        shown = self._running or not message_showing
        self.status_label.setVisible(bool(self.status_text) and shown)

    @property
    def status_text(self) -> str:
        """The whole status line (the label may show it shortened)."""
        return str(self.status_label.property("fullText") or "")


def _sync_in_worker(
    ctx: TaskContext, db_path: Path, names: list[str] | None, factory: ClientFactory | None
) -> list[AccountSyncResult]:
    """The task: runs in the worker thread; only ``ctx.publish`` reaches back to the GUI."""
    from crisisdesk.services.sync import sync_accounts
    from crisisdesk.sources.platforms.http import make_client

    def progress(done: int, count: int, name: str | None) -> None:
        ctx.publish(SyncProgress(done, count, name or ""))

    return sync_accounts(
        db_path,
        names,
        client_factory=factory or make_client,
        progress=progress,
        cancelled=lambda: ctx.cancelled,
        on_result=ctx.publish,
    )
