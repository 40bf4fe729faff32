"""The reply composer in the main window: the pane under the selected mention's details, its
keys and menu entries, the X sign-in, and the "follow-ups due" status-bar item.

:func:`attach_composer` wires it all through the window's extension API and the inbox's
signals; the main window calls it once, after the inbox and the accounts.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlite_utils
from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QSplitter

from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.store import drafts, follow_ups
from crisisdesk.timeutil import now_utc, to_iso
from crisisdesk.ui.composer.pane import ComposerPane
from crisisdesk.ui.composer.x_sign_in import XSignInDialog
from crisisdesk.ui.inbox.column_fit import RIGHT_MIN_CHARS, comfortable_width
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.window_api import make_action

if TYPE_CHECKING:
    from crisisdesk.ui.main_window import MainWindow

__all__ = ["Composer", "ComposerPane", "attach_composer"]

REPLY_SHORTCUT = "Ctrl+Shift+R"
#: keys inside the composer, for Help → Keyboard shortcuts
COMPOSER_KEYS = (
    ("Ctrl+Enter (in the reply)", "Send the reply (a public post asks first)"),
    ("Esc (in the reply)", "Back to the mention list"),
)
DUE_REFRESH_MS = 60_000
#: the follow-ups item sits left of the inbox counts (order 100)
DUE_ORDER = 90


class Composer(QObject):
    """Owns the pane and its wiring (see the module text)."""

    def __init__(
        self,
        window: MainWindow,
        db: sqlite_utils.Database,
        runner: TaskRunner,
        settings: Settings,
        *,
        now: Callable[[], datetime] = now_utc,
        client_factory: Any = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._db = db
        self._runner = runner
        self._settings = settings
        self._client_factory = client_factory
        self._now = now
        inbox = window.inbox_feature
        self.pane = ComposerPane(
            runner, settings, now=now, client_factory=client_factory, parent=window
        )
        self._list = inbox.page
        self._place_beside_detail(inbox.page.splitter, inbox.detail)

        inbox.page.selectionChanged.connect(self.pane.show_selection)
        self.pane.replied.connect(inbox.on_mentions_changed)
        self.pane.replied.connect(inbox.detail.refresh)
        self.pane.replied.connect(lambda _ids: self.refresh_due())
        self.pane.leaveRequested.connect(inbox.page.focus_list)
        self.pane.followUpRequested.connect(inbox.triage.follow_up)
        self.pane.signInRequested.connect(self.sign_in)
        self.pane.sent.connect(lambda _reply: window.show_message("Reply saved.", 6000))
        inbox.triage.mentionsChanged.connect(lambda _ids: self.refresh_due())
        inbox.triage.mentionsChanged.connect(self._mentions_changed)

        self.reply_action = make_action(
            window, "&Reply…", self.focus, [REPLY_SHORTCUT], icon_name="",
            tip=f"Write a reply to the selected mention ({REPLY_SHORTCUT})",
        )  # fmt: skip
        window.add_menu_action("Mention", self.reply_action, "triage")
        self.sign_in_action = make_action(
            window, "Sign in to &X to Reply…", self.sign_in_selected,
            tip="Allow crisisdesk to post your replies on X (opens your browser)",
        )  # fmt: skip
        window.add_menu_action("Mention", self.sign_in_action, "triage")
        window.describe_keys(COMPOSER_KEYS)

        self.due_button = QPushButton(window)
        self.due_button.setObjectName("followUpsDue")
        self.due_button.setFlat(True)
        self.due_button.setAccessibleName("Follow-ups due")
        self.due_button.setToolTip("Show the mentions whose follow-up date has come")
        self.due_button.clicked.connect(lambda: inbox.apply_view("follow_ups"))
        self.due_button.hide()
        window.add_status_item(self.due_button, order=DUE_ORDER)
        self.due_timer = QTimer(self)
        self.due_timer.setObjectName("followUpsDueRefresh")
        self.due_timer.setInterval(DUE_REFRESH_MS)
        self.due_timer.timeout.connect(self.refresh_due)
        self.due_timer.start()

        window.reloadRequested.connect(self.reload)
        window.settingsSaving.connect(self.save_settings)
        window.closing.connect(self._closing)
        self.pane.load_templates()
        self.refresh_due()

    def _place_beside_detail(self, splitter: QSplitter, detail: Any) -> None:
        """The list | (details over composer): the detail's place in the inbox splitter
        becomes a vertical splitter holding both."""
        index = splitter.indexOf(detail)
        sizes = splitter.sizes()
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("mentionAndReply")
        self.right.setChildrenCollapsible(False)
        splitter.replaceWidget(index, self.right)
        self.right.addWidget(detail)
        # scrolls in a short window instead of making the whole window taller
        scroll = QScrollArea(self.right)
        scroll.setObjectName("composerScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.pane)
        # never narrower than the pane's widest part (the pane wraps down to it): at 14 pt and
        # 200 % the heading and the template row were cut at the scroll area's edge
        chrome = scroll.verticalScrollBar().sizeHint().width() + 2 * scroll.frameWidth() + 4
        scroll.setMinimumWidth(self.pane.minimumSizeHint().width() + chrome)
        self.right.addWidget(scroll)
        # stacked under the list in a short window with the filters unfolded, their usual
        # minimums pushed the filters over the list: the details keep three lines (the
        # heading and the start of the mention), the reply one (both scroll)
        line = self.right.fontMetrics().lineSpacing()
        detail.setMinimumHeight(3 * line + 8)
        scroll.setMinimumHeight(line + 8)
        detail.show()
        splitter.setSizes(sizes)
        self._list.stacking.update()  # the reply needs more room beside the list than details
        if not self._settings.get("inbox/splitter"):
            # the first time: details and the composer need more room than details alone
            QTimer.singleShot(0, self, lambda: _share(splitter, 55, self._list_room()))
        self._sharing_right = False
        saved = self._settings.get("composer/right_splitter")
        if not saved or not self.right.restoreState(QByteArray(saved)):
            # the first time: sizes given before the window has its height are not kept in
            # proportion (the reply's pane took all but three lines of the mention); once laid
            # out, the mention (its text, why, its priority) gets two fifths
            self.right.setSizes([260, 560])
            # as the window settles (shown, fitted to the screen), until the owner drags
            self._sharing_right = True
            self.right.installEventFilter(self)
            self.right.splitterMoved.connect(self._owner_moved_right)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.right and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._share_right)  # after the splitter's own resize
        return False

    def _share_right(self) -> None:
        total = sum(self.right.sizes())
        if self._sharing_right and total > 0:
            first = total * 2 // 5
            self.right.setSizes([first, total - first])

    def _owner_moved_right(self) -> None:
        self._sharing_right = False
        self.right.removeEventFilter(self)
        self.right.splitterMoved.disconnect(self._owner_moved_right)

    def _list_room(self) -> int:
        """The width the mention list needs for its key columns and 40 characters of text."""
        return comfortable_width(self._list.table)

    # --- commands -----------------------------------------------------------------------------

    def focus(self) -> None:
        """Ctrl+Shift+R: the inbox on screen and the cursor in the reply."""
        self._window.show_page("inbox")
        if self.pane.mention_id is None:
            self._window.inbox_feature.page.focus_list()
        self.pane.focus_editor()

    def sign_in_selected(self) -> None:
        context = self.pane._context
        if context is None or context.platform != "x" or not context.account_name:
            self._window.show_message("Select a mention that came from an X account first.")
            return
        self.sign_in(context.account_name)

    def sign_in(self, account_name: str) -> XSignInDialog:
        dialog = XSignInDialog(
            self._db, self._runner, self._settings, account_name,
            client_factory=self._client_factory, parent=self._window,
        )  # fmt: skip
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.signedIn.connect(self._signed_in)
        dialog.open()
        return dialog

    def _signed_in(self, account_name: str) -> None:
        self._window.show_message(f"Signed in to X for {account_name}: replies post from here.")
        self.pane.reload()

    def _mentions_changed(self, ids: list[int]) -> None:
        if self.pane.mention_id in ids:
            self.pane.reload()  # e.g. a follow-up was set or the status changed

    def reload(self) -> None:
        self.pane.reload()
        self.pane.load_templates()
        self.refresh_due()

    def refresh_due(self) -> None:
        before = to_iso(self._now())
        self._runner.op(lambda ctx: len(follow_ups.due(ctx.db, before, limit=10_000))).success(
            self._show_due
        ).failure(lambda _exc: None).start()  # the next refresh tries again

    def _show_due(self, count: int) -> None:
        self.due_button.setText(
            f"⏰ {count} follow-up{'s' if count != 1 else ''} due" if count else ""
        )
        self.due_button.setVisible(count > 0)

    def save_settings(self) -> None:
        self._settings.set("composer/right_splitter", bytes(self.right.saveState().data()))

    def _closing(self) -> None:
        """Closing: write a draft still waiting for its debounce now, on this thread (the
        runner is about to shut down; a one-row write on the GUI's own connection)."""
        self.due_timer.stop()
        self.pane.waiting_timer.stop()
        pane = self.pane
        if pane.save_later.pending and pane.mention_id is not None:
            pane.save_later.cancel()
            # CrisisdeskError: e.g. the mention was deleted meanwhile, nothing to keep
            with contextlib.suppress(CrisisdeskError):
                drafts.save(
                    self._db, pane.mention_id, pane.editor.toPlainText(),
                    channel="private" if pane.private else "public",
                )  # fmt: skip


def _share(splitter: QSplitter, percent: int, list_room: int) -> None:
    """*percent* of the width for the list, more when it needs *list_room* to show its key
    columns (a 1024 px window), as long as the right side keeps RIGHT_MIN_CHARS. Only beside
    the list: stacked (ui/inbox/stacking.py), the split is the stacked one's."""
    if splitter.orientation() != Qt.Orientation.Horizontal:
        return
    total = sum(splitter.sizes())
    right_min = splitter.fontMetrics().averageCharWidth() * RIGHT_MIN_CHARS
    left = max(total * percent // 100, min(list_room, total - right_min))
    splitter.setSizes([left, total - left])


def attach_composer(
    window: MainWindow,
    db: sqlite_utils.Database,
    runner: TaskRunner,
    settings: Settings,
    *,
    now: Callable[[], datetime] = now_utc,
    client_factory: Any = None,
) -> Composer:
    """Build the composer and hook it into *window* (after the inbox is attached)."""
    return Composer(window, db, runner, settings, now=now, client_factory=client_factory)
