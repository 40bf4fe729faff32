"""Run each account's connector, score what it found, and store it with the new cursor.

Connectors hand over :class:`~crisisdesk.domain.NewMention` objects; they are scored through
the one entry point (``analysis.scoring.score_many``) at the sync's time and saved with
``store.mentions.upsert``.

Per account, the mentions and the cursor state are written in ONE transaction, so a crash or
an error can never skip mentions (the cursor only moves past what is stored). One failing
account never stops the others; its error is saved on the account and reported.

Within an account, one failing part (a search term, a next page) keeps what the other parts
fetched: the connector reports it in ``FetchResult.failed`` and leaves that part's cursor where
it was. The account is then "partly synced": OK, with a warning saying which part failed
(``AccountSyncResult.warning``, saved as the account's ``last_error``), never offline.

Thread use: the GUI runs :func:`sync_accounts` in a worker thread. Pass a database *path* (the
function opens and closes its own connection) or a Database opened in that same thread.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
import sqlite_utils

from crisisdesk import secrets
from crisisdesk.analysis.scoring import score_many
from crisisdesk.domain import AccountState
from crisisdesk.errors import CrisisdeskError, OfflineError
from crisisdesk.services import complaint_learning
from crisisdesk.services.priorities import save_synced
from crisisdesk.sources.platforms.base import (
    AccountConfig,
    Connector,
    PartFailure,
    SessionStore,
)
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.registry import connector_class, decode_secret, platform_info
from crisisdesk.store import accounts
from crisisdesk.store.accounts import Account
from crisisdesk.store.db import busy_error, is_busy, open_database
from crisisdesk.timeutil import now_utc, to_iso

log = logging.getLogger(__name__)

#: builds the HTTP client for one account, called as ``factory(secrets=..., cancelled=...)``
#: (``http.make_client`` or a partial of it): *secrets* are redacted from its logs and errors,
#: and once *cancelled* (when not None) returns true the client sends nothing more
ClientFactory = Callable[..., httpx.Client]
#: progress(done, total, name of the account being synced or None when finished)
Progress = Callable[[int, int, str | None], None]

OFFLINE_TEXT = accounts.OFFLINE_TEXT


@dataclass(frozen=True)
class AccountSyncResult:
    name: str
    platform: str
    new: int = 0
    updated: int = 0
    error: str | None = None  # what went wrong and what to do (user text), None on success
    offline: bool = False
    #: "Partly synced: ..." when some parts failed while the rest was stored (user text)
    warning: str | None = None
    #: what the owner should know about a sync that worked (e.g. a cursor was started over)
    notes: tuple[str, ...] = ()

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


@contextmanager
def connect(
    config: AccountConfig,
    secret: str | None,
    client_factory: ClientFactory = make_client,
    *,
    session_store: SessionStore | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[Connector]:
    """A ready connector for *config* with *secret* and an HTTP client (closed after).

    *session_store* keeps a connector's session tokens (Bluesky) between runs; without one they
    stay in memory. Once *cancelled* returns true the client refuses new requests and ends its
    waits (``http.Cancelled``). CredentialError when the platform needs a secret and *secret*
    is unusable.
    """
    info = platform_info(config.platform)
    redact = [v for v in decode_secret(info, secret).values() if v]
    cls = connector_class(config.platform)
    client = client_factory(secrets=redact, cancelled=cancelled)
    try:
        yield cls(
            config,
            secret if info.secret_fields else None,
            client,
            session_store=session_store,
        )
    finally:
        client.close()


@contextmanager
def open_connector(
    account: Account,
    client_factory: ClientFactory = make_client,
    *,
    cancelled: Callable[[], bool] | None = None,
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
        cancelled=cancelled,
    ) as connector:
        yield connector


def _sync_one(
    db: sqlite_utils.Database,
    account: Account,
    client_factory: ClientFactory,
    now: datetime,
    cancelled: Callable[[], bool] | None,
) -> AccountSyncResult:
    with open_connector(account, client_factory, cancelled=cancelled) as connector:
        result = connector.fetch(dict(account.state))
    complaint_learning.install(db)  # judge complaints as this owner taught (issue 10)
    scored = list(zip(result.mentions, score_many(result.mentions, now), strict=True))
    warning = partly_synced_text(result.failed)
    with db.atomic():
        counts = save_synced(db, scored)  # a refreshed reach moves the priority
        accounts.save_sync_success(db, account.id, result.state, to_iso(now), warning=warning)
    for failure in result.failed:
        log.warning("sync of %s: %s", account.name, failure.text())
    return AccountSyncResult(
        account.name, account.platform, new=counts.inserted, updated=counts.updated,
        warning=warning, notes=tuple(result.notes),
    )  # fmt: skip


def partly_synced_text(failed: Sequence[PartFailure]) -> str | None:
    """The warning of an account some of whose parts failed; None when none did."""
    if not failed:
        return None
    parts = "; ".join(f.text() for f in failed)
    return (
        f"Partly synced: {parts}. Everything else was stored; the next sync tries the "
        "missing part again."
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
    state = AccountState.OFFLINE if offline else AccountState.FAILED
    try:
        accounts.save_sync_error(db, account.id, text, state=state)
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
                result = _sync_one(conn, account, client_factory, at, cancelled)
            except Exception as exc:
                if cancelled is not None and cancelled():
                    log.info("sync of %s stopped by the user", account.name)
                    break  # not the account's fault: record nothing
                if is_busy(exc):  # not the platform's fault either: another import writes
                    raise busy_error(f"The sync stopped before {account.name}") from exc
                result = _failure(conn, account, exc)
            results.append(result)
            log.info(
                "synced %s: %s", account.name,
                result.error or f"{result.new} new, {result.updated} updated",
            )  # fmt: skip
            for note in result.notes:
                log.info("sync of %s: %s", account.name, note)
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
