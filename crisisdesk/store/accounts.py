"""Connected platform accounts: non-secret settings, sync cursors and the last sync outcome.

The token or password of an account is never stored here (it lives in the OS keyring, see
``crisisdesk.secrets``). Removing an account keeps every mention it brought in.

How the last sync went is a :class:`~crisisdesk.domain.AccountState` in ``sync_state``; the
``last_error`` text only says why, for the owner to read. (``state`` is older: the connector's
JSON cursors.)
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from crisisdesk.domain import AccountState
from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events
from crisisdesk.timeutil import now_iso

#: the last_error text of an account whose last sync found no network (its sync_state is
#: AccountState.OFFLINE; this is only what is shown)
OFFLINE_TEXT = "Offline: the network cannot be reached. Stored mentions are still here."


class AccountNotFoundError(CrisisdeskError):
    """No account has that name."""


class AccountExistsError(CrisisdeskError):
    """An account with that name already exists."""


@dataclass(frozen=True)
class Account:
    id: int
    platform: str
    name: str
    base_url: str | None
    handle: str | None
    options: dict[str, Any] = field(default_factory=dict)
    #: the connector's cursors (since_id, cursor, etag ...), JSON in the database
    state: dict[str, Any] = field(default_factory=dict)
    last_sync_at: str | None = None
    #: why the last sync did not work (user text), None after a success; after a partial
    #: success (sync_state OK) which part failed ("Partly synced: ...")
    last_error: str | None = None
    created_at: str = ""
    #: how the last sync went; decide by this, never by comparing last_error
    sync_state: AccountState = AccountState.NEVER_SYNCED


_COLUMNS = (
    "id", "platform", "name", "base_url", "handle", "options", "state", "last_sync_at",
    "last_error", "created_at", "sync_state",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM accounts"


def _loads(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _row(row: Any) -> Account:
    data = dict(zip(_COLUMNS, row, strict=True))
    data["options"] = _loads(data["options"])
    data["state"] = _loads(data["state"])
    data["sync_state"] = AccountState(data["sync_state"])
    return Account(**data)


def _check_name(name: str) -> str:
    clean = name.strip()
    if not clean:
        raise CrisisdeskError(
            "An account needs a name.", hint="For example: --name bakery-mastodon"
        )
    if len(clean) > 80 or any(ch in clean for ch in "\r\n\t"):
        raise CrisisdeskError(
            "That account name is too long or has line breaks in it.",
            hint="Use a short name such as bakery-mastodon.",
        )
    return clean


def add(
    db: sqlite_utils.Database,
    *,
    platform: str,
    name: str,
    base_url: str | None = None,
    handle: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> Account:
    """Create an account (settings only). Raises AccountExistsError when the name is taken."""
    name = _check_name(name)
    try:
        with db.atomic():
            cursor = db.execute(
                "INSERT INTO accounts (platform, name, base_url, handle, options, state,"
                " created_at) VALUES (?, ?, ?, ?, ?, '{}', ?)",
                [platform, name, base_url, handle, json.dumps(dict(options or {})), now_iso()],
            )
            account_id = int(cursor.lastrowid or 0)
            events.record(db, "account", account_id, "add", new=name, detail={"platform": platform})
    except sqlite3.IntegrityError as exc:
        if "UNIQUE" not in str(exc):
            raise
        raise AccountExistsError(
            f"There is already an account called '{name}'.",
            hint="Choose another --name, or remove the old one with: crisisdesk accounts remove",
        ) from None
    return get(db, name)


def exists(db: sqlite_utils.Database, name: str) -> bool:
    return (
        db.execute("SELECT 1 FROM accounts WHERE name = ?", [name.strip()]).fetchone() is not None
    )


def find(db: sqlite_utils.Database, name: str) -> Account | None:
    row = db.execute(_SELECT + " WHERE name = ?", [name.strip()]).fetchone()
    return _row(row) if row else None


def get(db: sqlite_utils.Database, name: str) -> Account:
    """The account called *name*; AccountNotFoundError (a user error) when there is none."""
    account = find(db, name)
    if account is None:
        known = [a.name for a in list_all(db)]
        hint = (
            "Known accounts: " + ", ".join(known)
            if known
            else "Add one with: crisisdesk accounts add"
        )
        raise AccountNotFoundError(f"There is no account called '{name}'.", hint=hint)
    return account


def get_by_id(db: sqlite_utils.Database, account_id: int) -> Account | None:
    row = db.execute(_SELECT + " WHERE id = ?", [account_id]).fetchone()
    return _row(row) if row else None


def list_all(db: sqlite_utils.Database) -> list[Account]:
    """Every account, by name."""
    return [_row(r) for r in db.execute(_SELECT + " ORDER BY name COLLATE NOCASE, id")]


def remove(db: sqlite_utils.Database, name: str) -> Account:
    """Delete the account row; its mentions and replies stay (their account_id becomes NULL)."""
    account = get(db, name)
    with db.atomic():
        # the schema says ON DELETE SET NULL; do it explicitly too so it never depends on the
        # foreign_keys pragma of whoever opened the file
        db.execute("UPDATE mentions SET account_id = NULL WHERE account_id = ?", [account.id])
        db.execute("UPDATE replies SET account_id = NULL WHERE account_id = ?", [account.id])
        db.execute("DELETE FROM accounts WHERE id = ?", [account.id])
        events.record(
            db, "account", account.id, "remove", old=account.name,
            detail={"platform": account.platform},
        )  # fmt: skip
    return account


def update_options(db: sqlite_utils.Database, name: str, options: Mapping[str, Any]) -> Account:
    """Replace the account's options (queries, hashtags, subreddit, page id ...)."""
    account = get(db, name)
    with db.atomic():
        db.execute(
            "UPDATE accounts SET options = ? WHERE id = ?", [json.dumps(dict(options)), account.id]
        )
        events.record(db, "account", account.id, "options", detail=dict(options))
    return get(db, name)


def save_sync_success(
    db: sqlite_utils.Database,
    account_id: int,
    state: Mapping[str, Any],
    at: str,
    *,
    warning: str | None = None,
) -> None:
    """Remember the new cursor state; the account is OK. Call inside the transaction that
    stores the mentions. *warning* says which part of the sync failed while the rest was
    stored ("Partly synced: ..."); it is kept in ``last_error`` until the next sync."""
    db.execute(
        "UPDATE accounts SET state = ?, last_sync_at = ?, last_error = ?, sync_state = ?"
        " WHERE id = ?",
        [json.dumps(dict(state), sort_keys=True), at, warning, AccountState.OK.value, account_id],
    )


#: the states a failed sync can leave an account in
_ERROR_STATES = frozenset({AccountState.OFFLINE, AccountState.FAILED})


def save_sync_error(
    db: sqlite_utils.Database, account_id: int, error: str, *, state: AccountState
) -> None:
    """Record that the last sync did not work: *state* (OFFLINE or FAILED) and *error*, the
    text shown next to the account. Cursors and the last successful sync time stay."""
    if state not in _ERROR_STATES:
        raise ValueError(f"a sync error leaves an account offline or failed, not {state!r}")
    with db.atomic():
        db.execute(
            "UPDATE accounts SET last_error = ?, sync_state = ? WHERE id = ?",
            [error, AccountState(state).value, account_id],
        )


def reset_state(db: sqlite_utils.Database, name: str) -> None:
    """Forget the sync cursors so the next sync starts over (mentions are kept, not duplicated)."""
    account = get(db, name)
    with db.atomic():
        db.execute("UPDATE accounts SET state = '{}' WHERE id = ?", [account.id])
        events.record(db, "account", account.id, "reset_state")
