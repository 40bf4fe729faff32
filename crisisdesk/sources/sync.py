"""Run each account's connector, score what it found, and store it with the new cursor.

Per account, the mentions and the cursor state are written in ONE transaction, so a crash or
an error can never skip mentions (the cursor only moves past what is stored). One failing
account never stops the others; its error is saved on the account and reported.

Thread use: the GUI runs :func:`sync_accounts` in a worker thread. Pass a database *path* (the
function opens and closes its own connection) or a Database opened in that same thread.
"""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import sqlite_utils

from crisisdesk import secrets
from crisisdesk.analysis.priority import score
from crisisdesk.analysis.sentiment import analyze_many
from crisisdesk.errors import CrisisdeskError, OfflineError
from crisisdesk.sources.base import AccountConfig, Connector
from crisisdesk.sources.http import make_client
from crisisdesk.sources.registry import connector_class, decode_secret, platform_info
from crisisdesk.store import accounts, mentions
from crisisdesk.store.accounts import Account
from crisisdesk.store.db import open_database
from crisisdesk.timeutil import now_utc, parse_timestamp, to_iso

log = logging.getLogger(__name__)

#: builds the HTTP client for one account; *secrets* are redacted from its logs and errors
ClientFactory = Callable[..., httpx.Client]
#: progress(done, total, name of the account being synced or None when finished)
Progress = Callable[[int, int, str | None], None]

OFFLINE_TEXT = "Offline: the network cannot be reached. Stored mentions are still here."


@dataclass(frozen=True)
class AccountSyncResult:
    name: str
    platform: str
    new: int = 0
    updated: int = 0
    error: str | None = None  # what went wrong and what to do (user text), None on success
    offline: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


DbLike = sqlite_utils.Database | str | os.PathLike[str]


@contextmanager
def _database(db: DbLike) -> Iterator[sqlite_utils.Database]:
    if isinstance(db, sqlite_utils.Database):
        yield db
        return
    own = open_database(os.fspath(db))
    try:
        yield own
    finally:
        own.close()


class _KeyringSessionStore:
    """Lets a connector keep session tokens (e.g. Bluesky JWTs) in the keyring, never the DB."""

    def __init__(self, name: str) -> None:
        self._key = secrets.session_key(name)

    def get(self) -> str | None:
        try:
            return secrets.get_secret(self._key)
        except CrisisdeskError:
            return None

    def set(self, value: str | None) -> None:
        try:
            if value:
                secrets.set_secret(self._key, value)
            else:
                secrets.delete_secret(self._key)
        except CrisisdeskError:
            pass  # the connector just logs in again next time


def account_config(account: Account) -> AccountConfig:
    return AccountConfig(
        id=account.id,
        platform=account.platform,
        name=account.name,
        base_url=account.base_url,
        handle=account.handle,
        options=dict(account.options),
    )


def _secret_values(account: Account) -> tuple[str | None, list[str]]:
    """The keyring secret of *account* and the values to redact from logs."""
    info = platform_info(account.platform)
    if not info.secret_fields:
        return None, []
    secret = secrets.get_secret(secrets.account_key(account.name))
    values = decode_secret(info, secret)
    return secret, [v for v in values.values() if v]


@contextmanager
def open_connector(
    account: Account, client_factory: ClientFactory = make_client
) -> Iterator[Connector]:
    """A ready connector for *account* with its secret and an HTTP client (closed after)."""
    secret, redact = _secret_values(account)
    cls = connector_class(account.platform)
    kwargs: dict[str, Any] = {}
    try:
        if "session_store" in inspect.signature(cls).parameters:
            kwargs["session_store"] = _KeyringSessionStore(account.name)
    except (TypeError, ValueError):
        pass
    client = client_factory(secrets=redact)
    try:
        yield cls(account_config(account), secret, client, **kwargs)
    finally:
        client.close()


def _waiting_hours(created_at: str, now: datetime) -> float:
    try:
        return max(0.0, (now - parse_timestamp(created_at)).total_seconds() / 3600.0)
    except ValueError:
        return 0.0


def score_rows(
    rows: Sequence[Mapping[str, Any]], account_id: int, now: datetime
) -> list[dict[str, Any]]:
    """Add sentiment, label, complaint, cues and priority to connector rows."""
    out = [dict(r) for r in rows]
    fetched = to_iso(now)
    for row, analysis in zip(out, analyze_many(r.get("text") or "" for r in out), strict=True):
        row.setdefault("fetched_at", fetched)
        row["account_id"] = account_id
        row["sentiment"] = analysis.sentiment
        row["label"] = analysis.label
        row["complaint"] = analysis.complaint
        row["cues"] = list(analysis.cues)
        row["priority"] = score(
            sentiment=analysis.sentiment,
            complaint=analysis.complaint,
            cues=analysis.cues,
            followers=int(row.get("author_followers") or 0),
            likes=int(row.get("likes") or 0),
            reposts=int(row.get("reposts") or 0),
            replies=int(row.get("replies") or 0),
            waiting_hours=_waiting_hours(str(row.get("created_at") or ""), now),
        ).score
    return out


def _sync_one(
    db: sqlite_utils.Database, account: Account, client_factory: ClientFactory, now: datetime
) -> AccountSyncResult:
    with open_connector(account, client_factory) as connector:
        result = connector.fetch(dict(account.state))
    rows = score_rows(result.mentions, account.id, now)
    with db.atomic():
        counts = mentions.upsert_many(db, rows)
        accounts.save_sync_success(db, account.id, result.state, to_iso(now))
    return AccountSyncResult(
        account.name, account.platform, new=counts.inserted, updated=counts.updated
    )


def _failure(db: sqlite_utils.Database, account: Account, exc: BaseException) -> AccountSyncResult:
    offline = isinstance(exc, OfflineError)
    if offline:
        text = OFFLINE_TEXT
    elif isinstance(exc, CrisisdeskError):
        text = exc.user_text()
    else:
        # a bug or a payload we did not expect: keep going, keep the details in the log
        log.error("sync of account %s failed unexpectedly", account.name, exc_info=exc)
        text = (
            f"Unexpected problem while reading {account.platform} ({type(exc).__name__}). "
            "Nothing stored was lost; try again later, and report it if it keeps happening."
        )
    try:
        accounts.save_sync_error(db, account.id, text)
    except Exception:  # the database itself failing must not hide the account's own error
        log.exception("could not save the sync error of %s", account.name)
    return AccountSyncResult(account.name, account.platform, error=text, offline=offline)


def sync_accounts(
    db: DbLike,
    names: Sequence[str] | None = None,
    *,
    client_factory: ClientFactory = make_client,
    progress: Progress | None = None,
    now: datetime | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[AccountSyncResult]:
    """Sync the named accounts (all when *names* is empty/None), one after the other.

    Unknown names raise AccountNotFoundError before anything is fetched. Every other problem is
    reported per account in the result (and saved as the account's ``last_error``).
    """
    with _database(db) as conn:
        if names:
            targets = [accounts.get(conn, n) for n in dict.fromkeys(names)]
        else:
            targets = accounts.list_all(conn)
        results: list[AccountSyncResult] = []
        for done, account in enumerate(targets):
            if cancelled is not None and cancelled():
                break
            if progress is not None:
                progress(done, len(targets), account.name)
            at = now or now_utc()
            try:
                results.append(_sync_one(conn, account, client_factory, at))
            except Exception as exc:
                results.append(_failure(conn, account, exc))
            log.info(
                "synced %s: %s", account.name,
                results[-1].error or f"{results[-1].new} new, {results[-1].updated} updated",
            )  # fmt: skip
        if progress is not None:
            progress(len(results), len(targets), None)
    return results


def check_account(db: DbLike, name: str, *, client_factory: ClientFactory = make_client) -> str:
    """Verify the stored credential of *name* against the platform; returns who we are there."""
    with _database(db) as conn:
        account = accounts.get(conn, name)
    with open_connector(account, client_factory) as connector:
        return connector.check()
