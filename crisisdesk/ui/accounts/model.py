"""The accounts table: name, platform, where, last sync (local time) and how the last sync went.

Colour is never the only signal: the status column has an icon *and* words ("OK", "Failed: …",
"Offline", "Not synced yet"). Error texts are shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from crisisdesk.domain import AccountState, Platform
from crisisdesk.sources.platforms.registry import PLATFORMS
from crisisdesk.store.accounts import Account
from crisisdesk.timeutil import now_utc, parse_iso
from crisisdesk.ui.format import local_time_text, plain_tooltip
from crisisdesk.ui.icons import icon

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("platform", "Platform"),
    ("where", "Handle or address"),
    ("last_sync", "Last sync"),
    ("status", "Status"),
)
COLUMN_INDEX = {key: i for i, (key, _title) in enumerate(COLUMNS)}
#: Account objects are available under this role (any column)
AccountRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def platform_label(platform: str) -> str:
    info = PLATFORMS.get(platform)
    return info.label if info else platform


def where_text(account: Account) -> str:
    """How the owner recognises the account: @handle, u/name, the Page id or the address."""
    handle = account.handle
    if handle:
        if account.platform == Platform.REDDIT:
            return f"u/{handle}"
        return f"@{handle}"
    page_id = account.options.get("page_id")
    if account.platform == Platform.FACEBOOK and page_id:
        return f"Page {page_id}"
    return account.base_url or ""


STATUS_ICON: dict[AccountState, str] = {
    AccountState.OK: "ok",
    AccountState.FAILED: "complaint",
    AccountState.OFFLINE: "offline",
    AccountState.NEVER_SYNCED: "never",
}
STATUS_WORDS: dict[AccountState, str] = {
    AccountState.OK: "OK",
    AccountState.OFFLINE: "Offline",
    AccountState.NEVER_SYNCED: "Not synced yet",
}


def status_text(account: Account) -> str:
    """The status column in words: the state, and for a failure the first line of why."""
    if account.sync_state is AccountState.FAILED:
        lines = (account.last_error or "").strip().splitlines()
        return f"Failed: {lines[0]}" if lines else "Failed"
    if account.sync_state is AccountState.OK and account.last_error:
        return "Partly synced"  # OK with a warning: one part failed, the rest is stored
    return STATUS_WORDS[account.sync_state]


def sync_time_text(value: str | None, now: datetime) -> str:
    """'today 10:42', 'yesterday 18:03', '12 Mar, 09:15' (local time); 'never'."""
    if not value:
        return "never"
    try:
        when = parse_iso(value).astimezone()
    except ValueError:
        return value
    today = now.astimezone().date()
    clock = when.strftime("%H:%M")
    if when.date() == today:
        return f"today {clock}"
    if when.date() == today - timedelta(days=1):
        return f"yesterday {clock}"
    if when.year == today.year:
        return when.strftime("%d %b, ") + clock
    return when.strftime("%d %b %Y, ") + clock


def full_sync_time(value: str | None) -> str:
    if not value:
        return "Never synced"
    try:
        return local_time_text(parse_iso(value))
    except ValueError:
        return value


class AccountsModel(QAbstractTableModel):
    """All accounts, in the order the store lists them (by name)."""

    def __init__(
        self, *, now: Callable[[], datetime] = now_utc, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._rows: list[Account] = []
        self._now = now

    def set_accounts(self, rows: Sequence[Account]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def accounts(self) -> list[Account]:
        return list(self._rows)

    def account_at(self, row: int) -> Account:
        return self._rows[row]

    def row_of(self, name: str) -> int | None:
        for row, account in enumerate(self._rows):
            if account.name == name:
                return row
        return None

    # --- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(COLUMNS):
            return None
        account = self._rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == AccountRole:
            return account
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(account, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(account, key)
        if role == Qt.ItemDataRole.DecorationRole and key == "status":
            if account.sync_state is AccountState.OK and account.last_error:
                return icon("partial")  # OK with a warning: one part of the sync failed
            return icon(STATUS_ICON[account.sync_state])
        return None

    def _display(self, account: Account, key: str) -> str:
        if key == "name":
            return account.name
        if key == "platform":
            return platform_label(account.platform)
        if key == "where":
            return where_text(account)
        if key == "last_sync":
            return sync_time_text(account.last_sync_at, self._now())
        return status_text(account)

    def _tooltip(self, account: Account, key: str) -> str | None:
        if key == "status" and account.last_error:
            return plain_tooltip(account.last_error)
        if key == "last_sync":
            return plain_tooltip(full_sync_time(account.last_sync_at))
        if key == "where" and account.base_url:
            return plain_tooltip(account.base_url)
        return None
