"""The main window: menus, toolbar, status bar counts, and a navigation of pages.

Thin on purpose: pages are widgets added with :meth:`MainWindow.add_page`; mention triage
actions arrive through :meth:`MainWindow.add_mention_actions`. Nothing here talks to SQLite
except two instant questions (is the database empty? the GUI-thread connection is handed to
the pages); counts are computed in the background.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import sqlite_utils
from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QIcon,
    QKeySequence,
    QShortcut,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from crisisdesk import __version__
from crisisdesk.settings import Settings
from crisisdesk.store import labels as store_labels
from crisisdesk.store import mentions
from crisisdesk.timeutil import now_utc, parse_iso
from crisisdesk.ui.accounts import attach_accounts
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.inbox.detail import MentionDetail
from crisisdesk.ui.inbox.filter_bar import SAVED_VIEWS
from crisisdesk.ui.inbox.model import duration_text, icon
from crisisdesk.ui.inbox.page import InboxPage
from crisisdesk.ui.inbox.triage import TriageController
from crisisdesk.ui.tasks import TaskContext, TaskHandle, TaskRunner
from crisisdesk.ui.welcome import WelcomePanel

DEMO_COUNT = 3000
SUMMARY_REFRESH_MS = 60_000
#: waiting points grow while mentions wait; recompute stored priorities this often
PRIORITY_REFRESH_MS = 10 * 60_000
DEFAULT_SIZE = QSize(1280, 800)
IMPORT_FILTER = "Mention files (*.csv *.json *.ndjson *.jsonl);;All files (*)"
#: keys that work without a menu entry, for the shortcuts help
EXTRA_KEYS = (
    ("/", "Search mentions"),
    ("J / Down", "Next mention"),
    ("K / Up", "Previous mention"),
    ("Esc / Down in search", "Back to the list"),
    ("Enter", "Open the selected post in the browser (no link: go to its details)"),
)


class MainWindow(QMainWindow):
    """Menus, toolbar, status bar and navigation around the pages."""

    #: the status bar counts were refreshed (tests wait for it)
    summaryUpdated = Signal(object)

    def __init__(
        self,
        db: sqlite_utils.Database,
        db_path: Path,
        settings: Settings,
        runner: TaskRunner,
        *,
        now: Callable[[], datetime] = now_utc,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"crisisdesk — {db_path.name}")
        self.setWindowIcon(icon("crisisdesk"))
        self._db = db
        self._db_path = db_path
        self._settings = settings
        self._runner = runner
        self._now = now
        self._summary_handle: TaskHandle | None = None
        self.last_summary: mentions.InboxSummary | None = None
        runner.set_error_parent(lambda: self)

        self.undo_stack = QUndoStack(self)

        # central area: the welcome panel on an empty database, else navigation + pages
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Sections")
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setFixedWidth(132)
        self.pages = QStackedWidget(self)
        self._page_keys: list[str] = []
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        shell = QWidget(self)
        shell_layout = QHBoxLayout(shell)
        shell_layout.setContentsMargins(0, 0, 0, 0)
        shell_layout.setSpacing(0)
        shell_layout.addWidget(self.nav)
        shell_layout.addWidget(self.pages, 1)
        self.welcome = WelcomePanel(self)
        self.welcome.loadDemoRequested.connect(self.load_demo)
        self.welcome.importRequested.connect(self.import_files)
        self.welcome.connectAccountRequested.connect(lambda: self.show_page("accounts"))
        self.central = QStackedWidget(self)
        self.central.addWidget(shell)
        self.central.addWidget(self.welcome)
        self._shell = shell
        self.setCentralWidget(self.central)

        self.inbox = InboxPage(db, runner, settings, now=now, parent=self)
        self.add_page("inbox", "Inbox", icon("inbox"), self.inbox)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self.accounts_page, self.sync = attach_accounts(self, runner, settings)
        self._add_triage(db)
        self.inbox.filter_bar.viewChanged.connect(self._sync_view_actions)
        self._sync_view_actions(self.inbox.filter_bar.current_view())

        self.summary_timer = QTimer(self)
        self.summary_timer.setObjectName("summaryRefresh")
        self.summary_timer.setInterval(SUMMARY_REFRESH_MS)
        self.summary_timer.timeout.connect(self.refresh_summary)
        self.summary_timer.start()
        self.priority_timer = QTimer(self)
        self.priority_timer.setObjectName("priorityRefresh")
        self.priority_timer.setInterval(PRIORITY_REFRESH_MS)
        self.priority_timer.timeout.connect(self.refresh_priorities)
        self.priority_timer.start()

        self._restore_window()
        self._show_welcome_if_empty()
        if self.inbox.model.loading:
            # the counts scan the whole table: let the first page of the list go first
            self.inbox.loaded.connect(
                self._after_first_page, Qt.ConnectionType.SingleShotConnection
            )
        else:
            self._after_first_page()

    def _after_first_page(self) -> None:
        self.refresh_summary()
        # priorities may be stale since the app last ran
        self.refresh_priorities()

    # --- building -----------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        shortcuts: Iterable[QKeySequence | QKeySequence.StandardKey | str] = (),
        *,
        icon_name: str = "",
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        keys = [QKeySequence(k) for k in shortcuts]
        if keys:
            action.setShortcuts(keys)
        if icon_name:
            action.setIcon(icon(icon_name))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        self.import_action = self._action(
            "&Import…",
            self.import_files,
            [QKeySequence.StandardKey.Open],
            icon_name="import",
            tip="Import mentions from a CSV, JSON or NDJSON file (Ctrl+O)",
        )
        self.quit_action = self._action("&Quit", self.close, ["Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.find_action = self._action(
            "&Find…",
            self.focus_search,
            [QKeySequence.StandardKey.Find, QKeySequence("/")],
            icon_name="search",
            tip="Search mentions (Ctrl+F or /)",
        )
        self.refresh_action = self._action(
            "&Refresh",
            self.reload,
            [QKeySequence("F5")],
            icon_name="refresh",
            tip="Read the inbox again (F5)",
        )
        self.view_group = QActionGroup(self)
        self.view_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.view_actions: dict[str, QAction] = {}
        for number, view in enumerate(SAVED_VIEWS, start=1):
            action = self._action(
                view.title,
                partial(self.apply_view, view.key),
                [QKeySequence(f"Ctrl+{number}")],
                tip=view.tooltip,
            )
            action.setCheckable(True)
            self.view_group.addAction(action)
            self.view_actions[view.key] = action
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts, ["F1"])
        self.about_action = self._action("&About crisisdesk", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.file_menu.addAction(self.import_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.find_action)
        #: created by add_mention_actions, between Edit and View
        self.mention_menu: QMenu | None = None
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addActions(list(self.view_actions.values()))
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.refresh_action)
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.import_action)
        toolbar.addAction(self.refresh_action)
        self.addToolBar(toolbar)
        self.main_toolbar = toolbar
        #: created by add_mention_actions
        self.mention_toolbar: QToolBar | None = None

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.new_label = QLabel(self)
        self.new_label.setObjectName("countNew")
        self.complaints_label = QLabel(self)
        self.complaints_label.setObjectName("countComplaints")
        self.oldest_label = QLabel(self)
        self.oldest_label.setObjectName("oldestWaiting")
        for label, name in (
            (self.new_label, "New mentions"),
            (self.complaints_label, "Complaints waiting"),
            (self.oldest_label, "Oldest unanswered"),
        ):
            label.setAccessibleName(name)
            label.setTextFormat(Qt.TextFormat.PlainText)
            status.addPermanentWidget(label)

    # --- pages and extension points ---------------------------------------------------------

    def add_page(self, key: str, title: str, page_icon: QIcon, widget: QWidget) -> None:
        """Add a page to the navigation (later issues: Plan, Charts, Accounts)."""
        if key in self._page_keys:
            raise ValueError(f"page {key!r} exists already")
        self._page_keys.append(key)
        self.pages.addWidget(widget)
        item = QListWidgetItem(page_icon, title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(title)
        self.nav.addItem(item)
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    def show_page(self, key: str) -> None:
        if key in self._page_keys:
            self.nav.setCurrentRow(self._page_keys.index(key))
            if key != "inbox" and self.showing_welcome:
                self.central.setCurrentWidget(self._shell)  # e.g. Accounts on an empty database

    def current_page(self) -> str:
        row = self.nav.currentRow()
        return self._page_keys[row] if 0 <= row < len(self._page_keys) else ""

    def add_mention_actions(self, actions: list[QAction]) -> None:
        """Triage actions (status keys, assign, labels, follow-up): a Mention menu + toolbar."""
        if self.mention_menu is None:
            menu = QMenu("&Mention", self)
            self.menuBar().insertMenu(self.view_menu.menuAction(), menu)
            self.mention_menu = menu
            toolbar = QToolBar("Mention", self)
            toolbar.setObjectName("mentionToolbar")
            toolbar.setMovable(False)
            toolbar.setIconSize(QSize(18, 18))
            toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.addToolBar(toolbar)
            self.mention_toolbar = toolbar
            self.restoreState(QByteArray(self._settings.get("window/state")))
        self.mention_menu.addActions(actions)
        assert self.mention_toolbar is not None
        self.mention_toolbar.addActions(actions)

    def _add_triage(self, db: sqlite_utils.Database) -> None:
        """The selected mention's details beside the list, and the undoable triage actions."""
        self.detail = MentionDetail(self._runner, self)
        self.inbox.set_detail_widget(self.detail)
        self.triage = TriageController(self._runner, self.undo_stack, self.inbox.selected_ids, self)
        self.add_mention_actions(self.triage.actions())
        table = self.inbox.table
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        table.addActions(self.triage.actions())
        self.inbox.selectionChanged.connect(self.detail.show_selection)
        self.inbox.selectionChanged.connect(self.triage.update_enabled)
        self.triage.mentionsChanged.connect(self.on_mentions_changed)
        self.triage.mentionsChanged.connect(self.detail.refresh)
        # a label created while triaging can be filtered on at once
        self.triage.mentionsChanged.connect(
            lambda _ids: self.inbox.filter_bar.set_tags(store_labels.all_names(db))
        )
        self.triage.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), table)
            enter.setContext(Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(self.open_selected)

    def open_selected(self) -> None:
        """Enter in the list: open the post in the browser, or (no web link) go to its details."""
        if not self.detail.open_link():
            self.detail.focus_content()

    def on_mentions_changed(self, ids: list[int]) -> None:
        """After triage changed these mentions: repaint their rows and the counts."""
        self.inbox.refresh_rows(ids)
        self.refresh_summary()

    # --- commands -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.show_page("inbox")
        self.inbox.focus_search()

    def apply_view(self, key: str) -> None:
        self.show_page("inbox")
        self.inbox.apply_view(key)

    def reload(self) -> None:
        self._show_welcome_if_empty()
        self.inbox.reload()
        self.refresh_summary()

    def import_files(self, files: list[Path] | None = None) -> None:
        """File → Import: pick files, then import them in the background with progress."""
        if files is None:
            names, _ = QFileDialog.getOpenFileNames(
                self, "Import mentions", str(Path.home()), IMPORT_FILTER
            )
            files = [Path(name) for name in names]
        if not files:
            return
        from crisisdesk.ui.dialogs.import_dialog import run_import

        run_import(self, self._db_path, files, self._runner, on_done=self.reload)

    def load_demo(self) -> None:
        """Welcome panel: add the demo dataset in the background, then show the inbox."""
        from crisisdesk.demo import load_demo

        self.welcome.set_busy("Adding demo mentions…")

        def failed(exc: BaseException) -> None:
            from crisisdesk.errors import ImportCancelled
            from crisisdesk.ui import errors

            self.welcome.set_busy("")
            if not isinstance(exc, ImportCancelled):  # cancelled: nothing stored, say nothing
                errors.show_error(self, exc)

        def work(ctx: TaskContext) -> Any:
            def progress(done: int, total: int) -> bool:
                ctx.report(done, total, f"Scoring and storing demo mentions… {done:,} of {total:,}")
                return not ctx.cancelled

            return load_demo(ctx.db, count=DEMO_COUNT, progress=progress)

        def done(report: Any) -> None:
            self.welcome.set_busy("")
            summary = getattr(report, "summary_text", None)
            self.reload()
            if callable(summary):
                # the first clause fits beside the counts; the per-platform detail does not
                self.statusBar().showMessage(str(summary()).split(" (")[0] + ".", 10_000)

        (
            self._runner.op(work)
            .success(done)
            .failure(failed)
            .cancelled(lambda: self.welcome.set_busy(""))
            .progress("Adding demo mentions for a small bakery…", parent=self)
            .start()
        )

    def refresh_summary(self) -> None:
        """Status bar counts, computed off the GUI thread (they scan the whole table)."""
        if self._summary_handle is not None and not self._summary_handle.done:
            self._summary_handle.cancel()
        self._summary_handle = (
            self._runner.op(lambda ctx: mentions.summary(ctx.db))
            .success(self._show_summary)
            .failure(self._summary_failed)
            .start()
        )

    def refresh_priorities(self) -> None:
        """Recompute waiting points off the GUI thread; repaint the loaded rows that moved."""
        from crisisdesk.services.priorities import refresh_priorities

        def done(changed: int) -> None:
            if changed:
                self.inbox.refresh_rows(self.inbox.model.ids())

        def failed(exc: BaseException) -> None:
            # e.g. a sync holds the write lock: the next refresh catches up, no dialog needed
            self.statusBar().showMessage(f"Priorities not updated this time: {exc}", 10_000)

        self._runner.op(lambda ctx: refresh_priorities(ctx.db)).success(done).failure(
            failed
        ).start()

    def _summary_failed(self, exc: BaseException) -> None:
        # counts are a convenience; say they are unavailable instead of interrupting
        self.new_label.setText("counts unavailable")
        self.new_label.setToolTip(str(exc))

    def _show_summary(self, summary: mentions.InboxSummary) -> None:
        self.last_summary = summary
        self.new_label.setText(f"{summary.new:,} new")
        noun = "complaint" if summary.complaints_waiting == 1 else "complaints"
        self.complaints_label.setText(f"{summary.complaints_waiting:,} {noun} waiting")
        if summary.oldest_unanswered_at:
            waited = (self._now() - parse_iso(summary.oldest_unanswered_at)).total_seconds()
            self.oldest_label.setText(f"oldest waiting {duration_text(waited)}")
        else:
            self.oldest_label.setText("nothing waiting")
        self.summaryUpdated.emit(summary)

    def _sync_view_actions(self, key: str) -> None:
        for view_key, action in self.view_actions.items():
            action.setChecked(view_key == key)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About crisisdesk",
            f"crisisdesk {__version__}\n\nNotice a social-media backlash early, answer well, "
            "and follow a plan.\n\nDatabase: " + str(self._db_path),
        )

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self._settings, self.shortcut_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys, what) for every menu action with a shortcut, then the list keys."""
        rows: list[tuple[str, str]] = []
        for menu_action in self.menuBar().actions():
            menu = menu_action.menu()
            if not isinstance(menu, QMenu):
                continue
            for action in menu.actions():
                keys = ", ".join(
                    k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
                )
                if keys:
                    rows.append((keys, action.text().replace("&", "").rstrip("…")))
        rows.extend(EXTRA_KEYS)
        return rows

    # --- state --------------------------------------------------------------------------------

    def _has_mentions(self) -> bool:
        return self._db.execute("SELECT 1 FROM mentions LIMIT 1").fetchone() is not None

    def _show_welcome_if_empty(self) -> None:
        empty = not self._has_mentions()
        self.central.setCurrentWidget(self.welcome if empty else self._shell)

    @property
    def showing_welcome(self) -> bool:
        return self.central.currentWidget() is self.welcome

    def _restore_window(self) -> None:
        geometry = self._settings.get("window/geometry")
        if not geometry or not self.restoreGeometry(QByteArray(geometry)):
            self.resize(DEFAULT_SIZE)
        self._fit_to_screen()
        state = self._settings.get("window/state")
        if state:
            self.restoreState(QByteArray(state))
        self.show_page(self._settings.get("window/page"))

    def _fit_to_screen(self) -> None:
        """Never open larger than the screen (a small laptop, or a geometry saved on a big
        monitor): a window wider than the screen hides the detail pane off its edge."""
        screen = self.screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        width = max(min(self.width(), room.width()), self.minimumWidth())
        height = max(min(self.height(), room.height()), self.minimumHeight())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        if not room.contains(self.frameGeometry().topLeft()):
            self.move(room.topLeft())

    def save_settings(self) -> None:
        self._settings.set("window/geometry", bytes(self.saveGeometry().data()))
        self._settings.set("window/state", bytes(self.saveState().data()))
        self._settings.set("window/page", self.current_page() or "inbox")
        self.inbox.save_settings()
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.summary_timer.stop()
        self._runner.shutdown()
        super().closeEvent(event)


class ShortcutsDialog(RememberGeometry, QDialog):
    """Help → Keyboard shortcuts: every key the window knows, in one list."""

    def __init__(
        self, settings: Settings, rows: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 2, self)
        table.setObjectName("shortcutsTable")
        table.setAccessibleName("Keyboard shortcuts")
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(what))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.table = table
        self.resize(460, 420)
        self.remember_geometry(settings, "shortcuts")
