"""The inbox in the main window: its page, the detail pane, triage, counts and keys.

:class:`Inbox` adds all of it through the window's extension API (a page with its own undo
stack, menu sections, status-bar items), exactly as a later feature would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING

import sqlite_utils
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from crisisdesk.settings import Settings
from crisisdesk.store import assignees
from crisisdesk.store import labels as store_labels
from crisisdesk.store.db import BUSY_TIMEOUT_MS
from crisisdesk.timeutil import now_utc
from crisisdesk.ui.complaint_learning import ComplaintRelearning
from crisisdesk.ui.inbox.counts import InboxCounts
from crisisdesk.ui.inbox.detail import MentionDetail
from crisisdesk.ui.inbox.filter_bar import SAVED_VIEWS, FilterState
from crisisdesk.ui.inbox.page import InboxPage
from crisisdesk.ui.inbox.single_keys import SingleKeys
from crisisdesk.ui.inbox.triage import TriageController
from crisisdesk.ui.inbox.view_menu import attach_view_menu
from crisisdesk.ui.priority_refresh import PriorityRefresh
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.window_api import make_action

if TYPE_CHECKING:
    from crisisdesk.ui.main_window import MainWindow

#: keys of the list that have no menu entry, for the shortcuts help
LIST_KEYS = (
    ("J / Down", "Next mention"),
    ("K / Up", "Previous mention"),
    ("Esc / Down in search", "Back to the list"),
    ("Enter", "Open the selected post in the browser (no link: go to its details)"),
)
#: the counts sit at the right end of the status bar, after other features' items
COUNTS_ORDER = 100
#: on close, each queued triage write may wait the busy timeout for the lock, and this more
CLOSE_MARGIN_MS = 2000


class Inbox(QObject):
    """Builds the inbox page and wires it into *window*."""

    def __init__(
        self,
        window: MainWindow,
        db: sqlite_utils.Database,
        runner: TaskRunner,
        settings: Settings,
        *,
        now: Callable[[], datetime] = now_utc,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self._runner = runner
        self._settings = settings
        self.page = InboxPage(db, runner, settings, now=now, parent=window)
        self.undo_stack = window.add_page("inbox", "Inbox", self.page, "inbox")
        self.counts = InboxCounts(runner, window, now=now)
        for label in self.counts.labels():
            window.add_status_item(label, order=COUNTS_ORDER)
        self.counts.updated.connect(window.summaryUpdated)
        self.priorities = PriorityRefresh(runner, self)
        self.priorities.changed.connect(lambda _n: self.page.refresh_rows(self.page.model.ids()))
        # e.g. a sync holds the write lock: the next refresh catches up, no dialog needed
        self.priorities.failed.connect(lambda text: window.show_message(text, 10_000))

        self._add_actions()
        self._add_triage()
        window.describe_keys(LIST_KEYS)
        window.reloadRequested.connect(self.reload)
        window.settingsSaving.connect(self.page.save_settings)
        window.closing.connect(self.counts.stop)
        window.closing.connect(self.priorities.timer.stop)
        window.closing.connect(self._finish_triage_writes)

        if self.page.model.loading:
            # the counts scan the whole table: let the first page of the list go first
            self.page.loaded.connect(self._after_first_page, Qt.ConnectionType.SingleShotConnection)
        else:
            self._after_first_page()

    def _after_first_page(self) -> None:
        self.counts.refresh()
        self.priorities.refresh()  # priorities may be stale since the app last ran

    def _add_actions(self) -> None:
        window = self._window
        self.find_action = make_action(
            window,
            "&Find…",
            self.focus_search,
            [QKeySequence.StandardKey.Find, QKeySequence("/")],
            icon_name="search",
            tip="Search mentions (Ctrl+F or /)",
        )
        window.add_menu_action("Edit", self.find_action, "find")
        self.view_group = QActionGroup(self)
        self.view_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.view_actions: dict[str, QAction] = {}
        for number, view in enumerate(SAVED_VIEWS, start=1):
            action = make_action(
                window,
                view.title,
                partial(self.apply_view, view.key),
                [QKeySequence(f"Ctrl+{number}")],
                tip=view.tooltip,
            )
            action.setCheckable(True)
            self.view_group.addAction(action)
            self.view_actions[view.key] = action
            window.add_menu_action("View", action, "views")
        self.page.filter_bar.viewChanged.connect(self._sync_view_actions)
        self.sort_menu, self.columns_menu = attach_view_menu(window, self.page)
        self._sync_view_actions(self.page.filter_bar.current_view())

    def _add_triage(self) -> None:
        """The selected mention's details beside the list, and the undoable triage actions."""
        window, runner = self._window, self._runner
        self.detail = MentionDetail(runner, window)
        self.page.set_detail_widget(self.detail)
        self.detail.linkFailed.connect(lambda text: window.show_message(text, 15_000))
        self.triage = TriageController(runner, self.undo_stack, self.page.selected_ids, window)
        window.add_mention_actions(self.triage.actions())
        table = self.page.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addActions(self.triage.actions())
        self.page.selectionChanged.connect(self.detail.show_selection)
        self.page.selectionChanged.connect(self.triage.update_enabled)
        # the triage keys act only while the inbox's undo stack is the one Ctrl+Z works on
        group = window.undo_group
        group.activeStackChanged.connect(lambda s: self.triage.set_active(s is self.undo_stack))
        self.triage.set_active(group.activeStack() is self.undo_stack)
        self.triage.mentionsChanged.connect(self.on_mentions_changed)
        self.triage.mentionsChanged.connect(self.detail.refresh)
        # a label created while triaging can be filtered on at once
        self.triage.mentionsChanged.connect(self._refresh_tags)
        self.triage.statusMessage.connect(lambda text: window.show_message(text, 8000))
        self.single_keys = SingleKeys(table, self.triage.actions(), self._settings)
        self.triage.key_run = lambda: self.single_keys.current_run
        self.single_keys.triggered.connect(self._after_key)
        self.single_keys_action = make_action(
            window, "Single-&letter keys", lambda: None, tip="R, E, D… act on the list"
        )
        self.single_keys_action.setCheckable(True)
        self.single_keys_action.setChecked(self.single_keys.enabled)
        self.single_keys_action.toggled.connect(self.single_keys.set_enabled)
        window.add_menu_action("Mention", self.single_keys_action, "triage")
        # the owner's complaint answers: re-judge the other mentions in the background
        self.relearning = ComplaintRelearning(runner, self)
        self.triage.complaintsCorrected.connect(self.relearning.corrected)
        self.relearning.message.connect(lambda text: window.show_message(text, 8000))
        self.relearning.finished.connect(lambda _n: self.page.refresh_rows(self.page.model.ids()))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.open_selected)

    def _after_key(self, action: QAction) -> None:
        """A status key moves on to the next mention, as in mail programs."""
        if action in self.triage.status_actions.values():
            self.page.move_past_selection()

    def _finish_triage_writes(self) -> None:
        """Closing: the triage changes still queued are written first (the runner's shutdown
        only waits for what already runs); what could not be saved is said, not only logged."""
        busy_ms = self._runner.busy_timeout_ms or BUSY_TIMEOUT_MS
        lost = self.triage.flush(busy_ms + CLOSE_MARGIN_MS)
        if lost:
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "crisisdesk",
                "These changes could not be saved before closing:",
                QMessageBox.StandardButton.Ok,
                self._window,
            )
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setInformativeText("\n".join(lost))
            box.exec()

    def _refresh_tags(self, _ids: list[int]) -> None:
        self._runner.op(
            lambda ctx: (store_labels.all_names(ctx.db), assignees.recent(ctx.db))
        ).success(self._show_choices).start()

    def _show_choices(self, found: tuple[list[str], list[str]]) -> None:
        bar = self.page.filter_bar
        bar.set_tags(found[0])
        bar.more.set_names(found[1], bar.state().assignee)

    # --- commands -----------------------------------------------------------------------------

    def reload(self) -> None:
        self.page.reload()
        self.counts.refresh()

    def on_mentions_changed(self, ids: list[int]) -> None:
        """After triage changed these mentions: repaint their rows and the counts."""
        self.page.refresh_rows(ids)
        self.counts.refresh()

    def open_selected(self) -> None:
        """Enter in the list: open the post in the browser, or (no web link) go to its details."""
        if not self.detail.open_link():
            self.detail.focus_content()

    def focus_search(self) -> None:
        self._window.show_page("inbox")
        self.page.focus_search()

    def apply_view(self, key: str) -> None:
        self._window.show_page("inbox")
        self.page.apply_view(key)

    def show_days(
        self,
        first: date,
        last: date,
        *,
        complaints_only: bool = False,
        select: Sequence[int] = (),
    ) -> None:
        """The inbox on what was posted from local day *first* to *last* (optionally
        complaints only), with the mentions *select* selected once the rows are there — for
        the Charts page's click and the crisis banner."""
        self._window.show_page("inbox")
        state = FilterState(
            complaints_only=complaints_only,
            period="custom",
            date_from=first.isoformat(),
            date_to=last.isoformat(),
        )
        ids = list(select)
        if state == self.page.filter_bar.state():
            self.page.select_ids(ids)
            return
        if ids:
            self.page.loaded.connect(
                lambda: self.page.select_ids(ids), Qt.ConnectionType.SingleShotConnection
            )
        self.page.filter_bar.set_state(state)

    def _sync_view_actions(self, key: str) -> None:
        for view_key, action in self.view_actions.items():
            action.setChecked(view_key == key)
