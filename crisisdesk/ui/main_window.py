"""The main window: navigation of pages, menus, toolbar and status bar — and nothing else.

Features add themselves through a small API instead of reaching into the window:

- :meth:`MainWindow.add_page` puts a page in the navigation and gives it its own undo stack
  (Edit → Undo/Redo follow the page on screen, so one page's edits never mix with another's);
- :meth:`MainWindow.add_menu_action` puts an action in a named section of a named menu
  (see :data:`MENUS`), optionally on the toolbar;
- :meth:`MainWindow.add_status_item` puts a widget in the status bar, in a stable order;
- :attr:`MainWindow.reloadRequested` and :attr:`MainWindow.settingsSaving` tell features
  when to read the database again and when to remember their state.

The inbox (``ui/inbox/attach.py``) and the accounts (``ui/accounts``) use this API like any
later feature (Plan, Charts, the composer) will.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import sqlite_utils
from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QToolBar,
    QWidget,
)

from crisisdesk.settings import Settings
from crisisdesk.store import overview
from crisisdesk.timeutil import now_utc
from crisisdesk.ui.accounts import attach_accounts
from crisisdesk.ui.announce import announce
from crisisdesk.ui.charts import attach_insight
from crisisdesk.ui.composer import attach_composer
from crisisdesk.ui.demo_loader import load_demo
from crisisdesk.ui.geometry import fit_to_screen
from crisisdesk.ui.icons import icon
from crisisdesk.ui.inbox.attach import Inbox
from crisisdesk.ui.plan import attach_plan
from crisisdesk.ui.shortcuts_dialog import ShortcutsDialog, shortcut_rows
from crisisdesk.ui.sync import SYNC_SHORTCUT
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.welcome import WelcomePanel
from crisisdesk.ui.widgets import PageStack
from crisisdesk.ui.window_api import MenuSections, StatusItems, make_action, standard_keys

DEFAULT_SIZE = QSize(1280, 800)
#: menu name → (title, its sections in order); features name a section, never a position.
#: File → "mentions" is where mentions come in (import, sync); "export" where they go out.
MENUS: dict[str, tuple[str, tuple[str, ...]]] = {
    "File": ("&File", ("mentions", "export", "quit")),
    "Edit": ("&Edit", ("undo", "find")),
    "Mention": ("&Mention", ("triage",)),
    "View": ("&View", ("views", "pages", "refresh")),
    "Help": ("&Help", ("help", "about")),
}


class MainWindow(QMainWindow):
    """Menus, toolbar, status bar and navigation around the pages."""

    #: the status bar counts were refreshed (tests wait for it)
    summaryUpdated = Signal(object)
    #: the database changed outside the pages (import, demo, sync, F5): read it again
    reloadRequested = Signal()
    #: the window is remembering its state (on close): features save theirs now
    settingsSaving = Signal()
    #: the window is closing: stop timers before the task runner shuts down
    closing = Signal()

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
        # the desktop adds the application name itself where it shows one: say it once
        self.setWindowTitle(f"{db_path.name} — crisisdesk")
        self.setWindowIcon(icon("crisisdesk"))
        self._db = db
        self._db_path = db_path
        self._settings = settings
        self._runner = runner
        runner.set_error_parent(lambda: self)
        self._page_keys: list[str] = []
        self._undo_stacks: dict[str, QUndoStack] = {}
        self._key_help: list[tuple[str, str]] = []
        #: the page shown when the app last closed (set once the window is restored)
        self._remembered_page = ""
        self.undo_group = QUndoGroup(self)

        self._build_central()
        self._build_menus()
        self._build_toolbar()
        self.status_items = StatusItems(self.statusBar())

        self.inbox_feature = Inbox(self, db, runner, settings, now=now)
        self.inbox = self.inbox_feature.page
        self.detail = self.inbox_feature.detail
        self.triage = self.inbox_feature.triage
        self.accounts_page, self.sync = attach_accounts(self, runner, settings)
        self.plan = attach_plan(self, db, runner, settings)
        self.composer = attach_composer(self, db, runner, settings, now=now)
        self.insight = attach_insight(self, runner, settings)

        self._restore_window()
        self._show_welcome_if_empty()

    # --- building -----------------------------------------------------------------------------

    def _build_central(self) -> None:
        """The welcome panel on an empty database, else navigation + pages."""
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Sections")
        # icons and width follow the font (14 pt cut "Accounts" and kept 18 px icons: 15.11)
        side = max(18, self.fontMetrics().height())
        self.nav.setIconSize(QSize(side, side))
        # the text, the icon, and the style sheet's item padding, margins, focus border and the
        # list's right border (3 * side fell short at 14 pt and 200 %: a horizontal scroll bar)
        self.nav.setFixedWidth(
            max(132, self.fontMetrics().horizontalAdvance("Accounts") + side + 64)
        )
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.pages = PageStack(self)
        self.nav.currentRowChanged.connect(self._page_changed)
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
        self.welcome.planRequested.connect(lambda: self.show_page("plan"))
        self.central = PageStack(self)
        self.central.addWidget(shell)
        self.central.addWidget(self.welcome)
        self._shell = shell
        self.setCentralWidget(self.central)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.menus: dict[str, MenuSections] = {
            name: MenuSections(bar.addMenu(title), sections)
            for name, (title, sections) in MENUS.items()
        }
        self.file_menu = self.menus["File"].menu
        self.edit_menu = self.menus["Edit"].menu
        self.mention_menu = self.menus["Mention"].menu  # hidden until it has actions
        self.view_menu = self.menus["View"].menu
        self.help_menu = self.menus["Help"].menu

        self.import_action = make_action(
            self,
            "&Import…",
            self.import_files,
            [QKeySequence.StandardKey.Open],
            icon_name="import",
            tip="Import mentions from a CSV, JSON or NDJSON file (Ctrl+O)",
        )
        # standard keys, as the desktop defines them (issue 15.12); Quit has none on Windows
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [
            QKeySequence("Ctrl+Q")
        ]
        self.quit_action = make_action(self, "&Quit", self.close, quit_keys)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Redo))
        # say what Ctrl+Z / Ctrl+Y did (the command is next to the stack's index afterwards)
        self.undo_action.triggered.connect(lambda: self._said_undo("Undone", 0))
        self.redo_action.triggered.connect(lambda: self._said_undo("Redone", -1))
        self.refresh_action = make_action(
            self,
            "&Refresh",
            self.reload,
            standard_keys(QKeySequence.StandardKey.Refresh, but=SYNC_SHORTCUT),
            icon_name="refresh",
            tip="Read the inbox again (F5)",
        )
        self.getting_started_action = make_action(
            self,
            "&Getting started",
            self.show_getting_started,
            [QKeySequence.StandardKey.HelpContents],
        )
        self.shortcuts_action = make_action(
            self, "&Keyboard shortcuts", self.show_shortcuts, ["Ctrl+F1"]
        )
        self.about_action = make_action(self, "&About crisisdesk", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        for menu, action, section in (
            ("File", self.import_action, "mentions"),
            ("File", self.quit_action, "quit"),
            ("Edit", self.undo_action, "undo"),
            ("Edit", self.redo_action, "undo"),
            ("View", self.refresh_action, "refresh"),
            ("Help", self.getting_started_action, "help"),
            ("Help", self.shortcuts_action, "help"),
            ("Help", self.about_action, "about"),
        ):
            self.add_menu_action(menu, action, section)

    def _build_toolbar(self) -> None:
        self.main_toolbar = self._toolbar("Main", "mainToolbar")
        self.main_toolbar.addAction(self.import_action)
        self.main_toolbar.addAction(self.refresh_action)
        #: created by add_mention_actions
        self.mention_toolbar: QToolBar | None = None

    def _toolbar(self, title: str, name: str) -> QToolBar:
        toolbar = QToolBar(title, self)
        toolbar.setObjectName(name)
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        return toolbar

    # --- the extension API --------------------------------------------------------------------

    def add_page(
        self,
        key: str,
        title: str,
        widget: QWidget,
        page_icon: QIcon | str,
        shortcut: QKeySequence | str | None = None,
    ) -> QUndoStack:
        """Add a page to the navigation; returns the page's own undo stack.

        With a *shortcut*, View gets a "Go to" entry for the page.
        """
        if key in self._page_keys:
            raise ValueError(f"page {key!r} exists already")
        self._page_keys.append(key)
        stack = QUndoStack(self)
        stack.setObjectName(f"undo_{key}")
        self.undo_group.addStack(stack)
        self._undo_stacks[key] = stack
        self.pages.addWidget(widget)
        item = QListWidgetItem(icon(page_icon) if isinstance(page_icon, str) else page_icon, title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(title)
        self.nav.addItem(item)
        if shortcut is not None:
            go = make_action(self, f"Go to {title}", lambda: self.show_page(key), [shortcut])
            self.add_menu_action("View", go, "pages")
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)
        if key == self._remembered_page:
            self.show_page(key)  # a feature attached after start-up, shown last time
        return stack

    def add_menu_action(
        self, menu_name: str, action: QAction, group: str, *, toolbar: bool = False
    ) -> None:
        """Put *action* at the end of section *group* of menu *menu_name* (see :data:`MENUS`);
        with *toolbar*, on the main toolbar too."""
        if menu_name not in self.menus:
            raise ValueError(f"no menu {menu_name!r}; known: {', '.join(self.menus)}")
        self.menus[menu_name].add(action, group)
        if toolbar:
            self.main_toolbar.addAction(action)

    def add_status_item(self, widget: QWidget, permanent: bool = True, *, order: int = 0) -> None:
        """Put *widget* in the status bar; lower *order* sits further left."""
        self.status_items.add(widget, permanent=permanent, order=order)

    def add_mention_actions(self, actions: list[QAction]) -> None:
        """Actions on the selected mentions: the Mention menu and its own toolbar."""
        if self.mention_toolbar is None:
            self.mention_toolbar = self._toolbar("Mention", "mentionToolbar")
            self.restoreState(QByteArray(self._settings.get("window/state")))
        for action in actions:
            self.add_menu_action("Mention", action, "triage")
        self.mention_toolbar.addActions(actions)

    def describe_keys(self, rows: Iterable[tuple[str, str]]) -> None:
        """(keys, what) for keys that work without a menu entry, for Help → Keyboard shortcuts."""
        self._key_help.extend(rows)

    def _said_undo(self, what: str, offset: int) -> None:
        stack = self.undo_group.activeStack()
        if stack is not None:
            text = stack.text(stack.index() + offset)
            self.show_message(f"{what}: {text}." if text else f"{what}.")

    def show_message(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)
        announce(self.statusBar(), text)  # "Marked replied", "Synced": spoken (issue 15.12)

    # --- pages --------------------------------------------------------------------------------

    def show_page(self, key: str) -> None:
        if key in self._page_keys:
            self.nav.setCurrentRow(self._page_keys.index(key))
            if key != "inbox" and self.showing_welcome:
                self.central.setCurrentWidget(self._shell)  # e.g. Accounts on an empty database

    def current_page(self) -> str:
        row = self.nav.currentRow()
        return self._page_keys[row] if 0 <= row < len(self._page_keys) else ""

    def page_undo_stack(self, key: str) -> QUndoStack:
        return self._undo_stacks[key]

    @property
    def undo_stack(self) -> QUndoStack:
        """The undo stack of the page on screen (what Edit → Undo works on)."""
        return self._undo_stacks[self.current_page()]

    def _page_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        if 0 <= row < len(self._page_keys):
            self.undo_group.setActiveStack(self._undo_stacks[self._page_keys[row]])

    # --- commands -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read everything again (after an import, the demo, a sync, or F5)."""
        self._show_welcome_if_empty()
        self.reloadRequested.emit()

    def import_files(self, files: list[Path] | None = None) -> None:
        """File → Import: pick files, then import them in the background with progress."""
        from crisisdesk.ui.dialogs.import_dialog import choose_files, run_import

        if files is None:
            files = choose_files(self, self._settings)
        if files:
            run_import(
                self, self._db_path, files, self._runner, self.reload, settings=self._settings
            )

    def load_demo(self) -> None:
        """Welcome panel: add the demo dataset in the background, then show the inbox."""

        def loaded(summary: str) -> None:
            self.reload()
            if summary:
                self.show_message(summary, 10_000)

        load_demo(self._runner, self, busy=self.welcome.set_busy, loaded=loaded)

    def show_about(self) -> None:
        from crisisdesk.ui.about import AboutDialog  # only when asked: the start stays lean

        dialog = AboutDialog(self._db_path, self._settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_shortcuts(self) -> None:
        dialog = ShortcutsDialog(self._settings, self.shortcut_rows(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_getting_started(self) -> None:
        from crisisdesk.ui.getting_started import GettingStartedDialog

        dialog = GettingStartedDialog(self._settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(keys, what) for every menu action with a shortcut, then the described keys."""
        return shortcut_rows(self.menuBar(), self._key_help)

    # --- state --------------------------------------------------------------------------------

    def _show_welcome_if_empty(self) -> None:
        empty = overview.is_empty(self._db)
        self.central.setCurrentWidget(self.welcome if empty else self._shell)

    @property
    def showing_welcome(self) -> bool:
        return self.central.currentWidget() is self.welcome

    def _restore_window(self) -> None:
        geometry = self._settings.get("window/geometry")
        if not geometry or not self.restoreGeometry(QByteArray(geometry)):
            self.resize(DEFAULT_SIZE)
        fit_to_screen(self)
        state = self._settings.get("window/state")
        if state:
            self.restoreState(QByteArray(state))
        self._remembered_page = self._settings.get("window/page")
        self.show_page(self._remembered_page)

    def save_settings(self) -> None:
        self._settings.set("window/geometry", bytes(self.saveGeometry().data()))
        self._settings.set("window/state", bytes(self.saveState().data()))
        self._settings.set("window/page", self.current_page() or "inbox")
        self.settingsSaving.emit()
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.closing.emit()
        self._runner.shutdown()
        super().closeEvent(event)
