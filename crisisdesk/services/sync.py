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
from crisisdesk.analysis.priority import points
from crisisdesk.analysis.sentiment import analyze_many
from crisisdesk.errors import CrisisdeskError, OfflineError
from crisisdesk.services.priorities import rescore
from crisisdesk.sources.platforms.base import AccountConfig, Connector
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.registry import connector_class, decode_secret, platform_info
from crisisdesk.store import accounts, mentions
from crisisdesk.store.accounts import Account
from crisisdesk.store.db import open_database
from crisisdesk.timeutil import now_utc, parse_timestamp, to_iso

log = logging.getLogger(__name__)

#: builds the HTTP client for one account; *secrets* are redacted from its logs and errors
ClientFactory = Callable[..., httpx.Client]
#: progress(done, total, name of the account being synced or None when finished)
Progress = Callable[[int, int, str | None], None]

#: while a cancellable sync waits (Retry-After, backoff), it checks for a cancel this often
STOP_CHECK_S = 0.25

OFFLINE_TEXT = accounts.OFFLINE_TEXT


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


class SyncStopped(Exception):
    """Raised inside a connector's HTTP client once the sync was cancelled (never shown)."""


def _stoppable(factory: ClientFactory, cancelled: Callable[[], bool]) -> ClientFactory:
    """Clients that refuse new requests, and cut retry waits short, once *cancelled* is true.

    A request already on the wire still runs to its timeout; everything after it stops.
    """

    def stop_if_cancelled(*_request: object) -> None:
        if cancelled():
            raise SyncStopped()

    def make(**kwargs: Any) -> httpx.Client:
        client = factory(**kwargs)
        client.event_hooks["request"].append(stop_if_cancelled)
        inner = getattr(client, "sleep", None)
        if callable(inner):

            def sleep(seconds: float) -> None:
                remaining = seconds
                while remaining > 0:
                    stop_if_cancelled()
                    step = min(remaining, STOP_CHECK_S)
                    inner(step)
                    remaining -= step
                stop_if_cancelled()

            client.sleep = sleep  # type: ignore[attr-defined]
        return client

    return make


@contextmanager
def connect(
    config: AccountConfig,
    secret: str | None,
    client_factory: ClientFactory = make_client,
    *,
    session_store: Any = None,
) -> Iterator[Connector]:
    """A ready connector for *config* with *secret* and an HTTP client (closed after).

    *session_store* keeps a connector's session tokens (Bluesky) between runs; without one they
    stay in memory. CredentialError when the platform needs a secret and *secret* is unusable.
    """
    info = platform_info(config.platform)
    redact = [v for v in decode_secret(info, secret).values() if v]
    cls = connector_class(config.platform)
    kwargs: dict[str, Any] = {}
    if session_store is not None:
        try:
            if "session_store" in inspect.signature(cls).parameters:
                kwargs["session_store"] = session_store
        except (TypeError, ValueError):
            pass
    client = client_factory(secrets=redact)
    try:
        yield cls(config, secret if info.secret_fields else None, client, **kwargs)
    finally:
        client.close()


@contextmanager
def open_connector(
    account: Account, client_factory: ClientFactory = make_client
) -> Iterator[Connector]:
    """A ready connector for a stored *account*, its secret read from the keyring."""
    secret: str | None = None
    if platform_info(account.platform).secret_fields:
        secret = secrets.get_secret(secrets.account_key(account.name))
    with connect(
        account_config(account),
        secret,
        client_factory,
        session_store=_KeyringSessionStore(account.name),
    ) as connector:
        yield connector


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
        row["priority"] = points(
            sentiment=analysis.sentiment,
            complaint=analysis.complaint,
            cues=analysis.cues,
            followers=int(row.get("author_followers") or 0),
            likes=int(row.get("likes") or 0),
            reposts=int(row.get("reposts") or 0),
            replies=int(row.get("replies") or 0),
            waiting_hours=_waiting_hours(str(row.get("created_at") or ""), now),
        )
    return out


def _sync_one(
    db: sqlite_utils.Database, account: Account, client_factory: ClientFactory, now: datetime
) -> AccountSyncResult:
    with open_connector(account, client_factory) as connector:
        result = connector.fetch(dict(account.state))
    rows = score_rows(result.mentions, account.id, now)
    with db.atomic():
        counts = mentions.upsert_many(db, rows)
        rescore(db, counts.refreshed)  # a refreshed reach moves the priority
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
    on_result: Callable[[AccountSyncResult], None] | None = None,
) -> list[AccountSyncResult]:
    """Sync the named accounts (all when *names* is empty/None), one after the other.

    Unknown names raise AccountNotFoundError before anything is fetched. Every other problem is
    reported per account in the result (and saved as the account's ``last_error``).

    *on_result* is called after each account (its mentions are committed by then). Once
    *cancelled* returns true, no new request is sent, retry waits end, and the account being
    synced is left as it was (no mentions, no cursor move, no error recorded); the results of
    the accounts finished before are returned.
    """
    if cancelled is not None:
        client_factory = _stoppable(client_factory, cancelled)
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
                result = _sync_one(conn, account, client_factory, at)
            except Exception as exc:
                if cancelled is not None and cancelled():
                    log.info("sync of %s stopped by the user", account.name)
                    break  # not the account's fault: record nothing
                result = _failure(conn, account, exc)
            results.append(result)
            log.info(
                "synced %s: %s", account.name,
                result.error or f"{result.new} new, {result.updated} updated",
            )  # fmt: skip
            if on_result is not None:
                on_result(result)
        if progress is not None:
            progress(len(results), len(targets), None)
    return results


def check_account(db: DbLike, name: str, *, client_factory: ClientFactory = make_client) -> str:
    """Verify the stored credential of *name* against the platform; returns who we are there."""
    with _database(db) as conn:
        account = accounts.get(conn, name)
    with open_connector(account, client_factory) as connector:
        return connector.check()
