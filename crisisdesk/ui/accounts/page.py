"""The Accounts page: connected platform accounts, how their last sync went, and what to do.

Add…, Test, Change token… and Remove… work on the selected account; everything that touches the
network, the keyring or the database runs through the TaskRunner. Remove asks first and says
the mentions stay. The last error of an account is shown in full, as plain text, with its hint.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.domain import AccountState
from crisisdesk.errors import CrisisdeskError, OfflineError
from crisisdesk.settings import Settings
from crisisdesk.sources.platforms.registry import PLATFORMS
from crisisdesk.store import accounts as store_accounts
from crisisdesk.store.accounts import OFFLINE_TEXT, Account
from crisisdesk.timeutil import now_utc
from crisisdesk.ui import errors
from crisisdesk.ui.accounts.model import (
    COLUMN_INDEX,
    AccountsModel,
    full_sync_time,
    platform_label,
    where_text,
)
from crisisdesk.ui.flow_layout import FlowLayout
from crisisdesk.ui.sync import INTERVAL_CHOICES, SyncController, SyncOutcome, interval_text
from crisisdesk.ui.tasks import TaskRunner

WHERE_WIDTH_CHARS = 30
INTRO = (
    "crisisdesk fetches what people say about you from these accounts. Passwords and tokens "
    "stay in your computer's keyring, never in the crisisdesk database."
)
EMPTY_TEXT = (
    'No accounts yet. Click "Add…" to connect Mastodon, Bluesky, Reddit, X, a Facebook Page '
    "or a feed such as Google Alerts."
)


def account_details(account: Account) -> str:
    """Everything about one account, in words, for the box under the list."""
    lines = [f"{account.name} — {platform_label(account.platform)}"]
    where = where_text(account)
    if where:
        lines[0] += f", {where}"
    terms = account.options.get("queries") or []
    tags = account.options.get("hashtags") or []
    watching = []
    if terms:
        watching.append("search terms: " + ", ".join(str(t) for t in terms))
    if tags:
        watching.append("hashtags: " + ", ".join(f"#{t}" for t in tags))
    if account.options.get("subreddit"):
        watching.append(f"subreddit: r/{account.options['subreddit']}")
    if watching:
        lines.append("Also watching " + "; ".join(watching) + ".")
    state = account.sync_state
    if account.last_sync_at:
        lines.append(f"Last successful sync: {full_sync_time(account.last_sync_at)}.")
    if state is AccountState.NEVER_SYNCED:
        lines.append('Not synced yet. Press "Sync now" to fetch its mentions.')
    elif state is AccountState.OFFLINE:
        lines.append(
            "The last sync found no network. Its stored mentions are all still here; sync "
            "again when you are back online."
        )
    elif state is AccountState.OK and account.last_error:
        lines.append("")
        lines.append(account.last_error)
    elif state is AccountState.FAILED:
        lines.append("")
        lines.append("The last sync of this account failed:")
        lines.append(account.last_error or "")
        lines.append("")
        lines.append(
            'Once it is fixed ("Change token…" takes a new token), press "Test" or '
            '"Sync now". Mentions fetched before are all still here.'
        )
    return "\n".join(lines)


class AccountsPage(QWidget):
    """List of accounts with Add…, Test, Change token…, Remove…, Sync now and the interval."""

    #: an account was added, removed or got a new token
    accountsChanged = Signal()
    #: the list was (re)read from the database
    loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        sync: SyncController,
        *,
        client_factory: Any = None,
        now: Callable[[], datetime] = now_utc,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountsPage")
        self._runner = runner
        self._settings = settings
        self._sync = sync
        self.client_factory = client_factory
        self._testing: set[str] = set()
        self._reselect: str | None = None
        self.add_dialog: QWidget | None = None
        self.confirm_box: QMessageBox | None = None

        title = QLabel("Accounts", self)
        title.setObjectName("pageTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(INTRO, self)
        intro.setWordWrap(True)

        self.add_button = self._button("Add…", "addAccount", "Connect a platform account")
        self.test_button = self._button(
            "Test", "testAccount", "Ask the platform whether the saved token still works"
        )
        self.token_button = self._button(
            "Change token…", "changeToken", "Give this account a new token or password"
        )
        self.remove_button = self._button(
            "Remove…", "removeAccount", "Stop fetching from this account (its mentions stay)"
        )
        self.interval_combo = QComboBox(self)
        self.interval_combo.setObjectName("syncInterval")
        self.interval_combo.setAccessibleName("Sync automatically")
        for minutes in INTERVAL_CHOICES:
            self.interval_combo.addItem(interval_text(minutes), minutes)
        self.interval_combo.setCurrentIndex(max(0, self.interval_combo.findData(sync.interval)))
        self.interval_combo.currentIndexChanged.connect(self._interval_changed)
        interval_label = QLabel("Sync automatically:", self)
        interval_label.setBuddy(self.interval_combo)
        self.sync_button = QToolButton(self)
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setDefaultAction(sync.sync_action)
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        buttons = FlowLayout()  # wraps at a large font or 200% (issue 15.8)
        for button in (self.add_button, self.test_button, self.token_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addWidget(interval_label)
        buttons.addWidget(self.interval_combo)
        buttons.addWidget(self.sync_button)

        self.model = AccountsModel(now=now, parent=self)
        self.table = QTableView(self)
        self.table.setObjectName("accountsTable")
        self.table.setAccessibleName("Accounts")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Tab leaves the table (arrows move in it); moving cell by cell trapped the keyboard and
        # cleared the selection (issue 15.3)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # feed addresses are long: the column stays narrow (full address in the tooltip)
        header.setSectionResizeMode(COLUMN_INDEX["where"], QHeaderView.ResizeMode.Interactive)
        header.resizeSection(
            COLUMN_INDEX["where"], WHERE_WIDTH_CHARS * self.fontMetrics().averageCharWidth()
        )
        header.setSectionResizeMode(COLUMN_INDEX["status"], QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.empty_label = QLabel(EMPTY_TEXT, self)
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setWordWrap(True)
        self.empty_label.hide()
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("accountDetail")
        self.detail_label.setAccessibleDescription("Selected account")
        self.detail_label.setTextFormat(Qt.TextFormat.PlainText)  # platform error texts
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("accountsMessage")
        self.message_label.setAccessibleDescription("Result")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.message_label)
        self.detail_box = QGroupBox("Selected account", self)
        self.detail_box.setObjectName("accountDetailBox")
        box_layout = QVBoxLayout(self.detail_box)
        box_layout.addWidget(self.detail_label)
        box_layout.addStretch(1)
        layout.addWidget(self.detail_box, 2)
        # no accounts: table and box are hidden and this takes the room, so the heading, text
        # and buttons stay together at the top (with them shown, it takes none: stretch 0)
        layout.addStretch(0)

        self.add_button.clicked.connect(self.open_add_dialog)
        self.test_button.clicked.connect(self.test_selected)
        self.token_button.clicked.connect(self.open_token_dialog)
        self.remove_button.clicked.connect(self.confirm_remove)
        sync.accountSynced.connect(lambda _result: self.reload())
        sync.started.connect(self._update_buttons)
        sync.finished.connect(self._sync_finished)
        self._update_buttons()
        self.reload()

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text.rstrip("…"))
        return button

    # --- list ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the accounts again (tiny table, but still off the GUI thread)."""
        selected = self.selected_account()
        if selected is not None and self._reselect is None:
            self._reselect = selected.name
        self._runner.op(lambda ctx: store_accounts.list_all(ctx.db)).success(
            self._show_accounts
        ).failure(self._load_failed).start()

    def _load_failed(self, exc: BaseException) -> None:
        errors.show_error(self.window(), exc)

    def _show_accounts(self, rows: list[Account]) -> None:
        self.model.set_accounts(rows)
        self.empty_label.setVisible(not rows)
        self.table.setVisible(bool(rows))
        self.detail_box.setVisible(bool(rows))
        want = self._reselect
        self._reselect = None
        row = self.model.row_of(want) if want else None
        if row is None and rows:
            row = 0
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._selection_changed()
        self.loaded.emit()

    def selected_account(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.account_at(rows[0].row())

    def select(self, name: str) -> None:
        row = self.model.row_of(name)
        if row is not None:
            self.table.selectRow(row)

    def _selection_changed(self, *_args: object) -> None:
        account = self.selected_account()
        self.detail_label.setText(account_details(account) if account else "")
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        account = self.selected_account()
        has = account is not None
        self.test_button.setEnabled(account is not None and account.name not in self._testing)
        self.token_button.setEnabled(
            account is not None and bool(PLATFORMS[account.platform].secret_fields)
        )
        syncing = self._sync.running
        self.remove_button.setEnabled(has and not syncing)
        self.remove_button.setToolTip(
            "Wait until the sync has finished"
            if syncing
            else "Stop fetching from this account (its mentions stay)"
        )

    def _sync_finished(self, outcome: SyncOutcome) -> None:
        self._update_buttons()
        if self.message_label.property("syncing"):  # "Fetching its mentions now…" is over
            self.show_message(outcome.message())
        self.reload()

    def _interval_changed(self, _index: int) -> None:
        self._sync.set_interval(int(self.interval_combo.currentData()))

    def show_message(self, text: str, *, syncing: bool = False) -> None:
        self.message_label.setProperty("syncing", syncing)
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # --- add / change token --------------------------------------------------------------------

    def open_add_dialog(self) -> None:
        from crisisdesk.ui.accounts.add_dialog import AddAccountDialog

        dialog = AddAccountDialog(
            self._runner,
            self._settings,
            existing_names=[a.name for a in self.model.accounts()],
            client_factory=self.client_factory,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accountAdded.connect(self._account_added)
        dialog.destroyed.connect(lambda *_: setattr(self, "add_dialog", None))
        self.add_dialog = dialog
        dialog.open()

    def _account_added(self, account: Account) -> None:
        self._reselect = account.name
        self.accountsChanged.emit()
        if self._sync.start([account.name]):
            self.show_message(f"Added '{account.name}'. Fetching its mentions now…", syncing=True)
        else:
            self.show_message(f"Added '{account.name}'. Its mentions come in with the next sync.")
        self.reload()

    def open_token_dialog(self) -> None:
        account = self.selected_account()
        if account is None:
            return
        from crisisdesk.ui.accounts.add_dialog import ChangeTokenDialog

        dialog = ChangeTokenDialog(
            account,
            self._runner,
            self._settings,
            client_factory=self.client_factory,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.tokenChanged.connect(self._token_changed)
        self.add_dialog = dialog
        dialog.destroyed.connect(lambda *_: setattr(self, "add_dialog", None))
        dialog.open()

    def _token_changed(self, account: Account) -> None:
        self.accountsChanged.emit()
        self.show_message(
            f"Saved the new token of '{account.name}'. It is used from the next sync on."
        )

    # --- test ----------------------------------------------------------------------------------

    def test_selected(self) -> None:
        """Check the stored credential against the platform (network: in the background)."""
        account = self.selected_account()
        if account is None or account.name in self._testing:
            return
        from crisisdesk.services.sync import check_account
        from crisisdesk.sources.platforms.http import make_client

        name = account.name
        factory = self.client_factory or make_client
        self._testing.add(name)
        self.show_message(f"{name}: checking with {platform_label(account.platform)}…")
        self._update_buttons()
        (
            self._runner.op(lambda ctx: check_account(ctx.db, name, client_factory=factory))
            .success(lambda who: self._tested(name, f"{name}: OK, signed in as {who}."))
            .failure(lambda exc: self._test_failed(name, exc))
            .start()
        )

    def _tested(self, name: str, text: str) -> None:
        self._testing.discard(name)
        self.show_message(text)
        self._update_buttons()

    def _test_failed(self, name: str, exc: BaseException) -> None:
        if isinstance(exc, OfflineError):
            self._tested(name, f"{name}: {OFFLINE_TEXT}")
        elif isinstance(exc, CrisisdeskError):
            self._tested(name, f"{name}: the check failed. {exc.user_text()}")
        else:
            self._tested(name, f"{name}: the check failed unexpectedly.")
            errors.show_error(self.window(), exc)

    # --- remove --------------------------------------------------------------------------------

    def confirm_remove(self) -> None:
        """Ask first; the mentions of the account always stay."""
        account = self.selected_account()
        if account is None or self._sync.running:
            return
        box = QMessageBox(self)
        box.setObjectName("confirmRemove")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Remove account")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"Remove the {platform_label(account.platform)} account '{account.name}'?")
        box.setInformativeText(
            "crisisdesk stops fetching from it and forgets its password or token. "
            "Its mentions stay in your inbox, with their replies and history."
        )
        remove = box.addButton("Remove account", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        name = account.name

        def answered(_result: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is remove:
                self.remove(name)

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def remove(self, name: str) -> None:
        """Remove *name* (already confirmed) in the background."""
        from crisisdesk.services.accounts import remove_account

        self.remove_button.setEnabled(False)
        (
            self._runner.op(lambda ctx: remove_account(ctx.db, name))
            .success(self._removed)
            .failure(self._remove_failed)
            .start()
        )

    def _removed(self, removal: Any) -> None:
        name = removal.account.name
        text = f"Removed '{name}'. Its mentions are still in the inbox."
        if removal.keyring_warning:
            text += (
                " Its token could not be taken out of the system keyring: "
                + removal.keyring_warning
            )
        self.show_message(text)
        self.accountsChanged.emit()
        self.reload()

    def _remove_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if isinstance(exc, CrisisdeskError):
            self.show_message(exc.user_text())
        else:
            errors.show_error(self.window(), exc)
