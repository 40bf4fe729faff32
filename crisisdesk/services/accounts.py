"""Adding, checking, re-keying and removing platform accounts; shared by the CLI and the GUI.

The secret goes to the keyring first and the account row is written only if that worked; if
the row cannot be written the secret is taken out again. Nothing is ever written in plaintext,
and no secret value appears in a message raised from here.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from crisisdesk import secrets
from crisisdesk.domain import Platform
from crisisdesk.errors import CredentialError, CrisisdeskError
from crisisdesk.services.sync import ClientFactory, connect
from crisisdesk.sources.platforms.base import AccountConfig
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.registry import (
    PlatformInfo,
    check_base_url,
    encode_secret,
    platform_info,
)
from crisisdesk.store import accounts, events
from crisisdesk.store.accounts import Account, AccountExistsError

log = logging.getLogger(__name__)

#: how messages name each field: the CLI says "--base-url", the GUI "its address"
FieldNames = Mapping[str, str]
CLI_FIELDS: dict[str, str] = {
    "base_url": "--base-url",
    "handle": "--handle",
    "page_id": "--page-id",
}
GUI_FIELDS: dict[str, str] = {
    "base_url": "its address",
    "handle": "your handle",
    "page_id": "the Page ID",
}
MAX_NAME = 80


class AccountFieldError(CrisisdeskError):
    """One value the user gave is missing or unusable; ``field`` says which (for the GUI)."""

    def __init__(self, message: str, hint: str = "", *, field: str) -> None:
        super().__init__(message, hint)
        self.field = field


@dataclass(frozen=True)
class AccountDraft:
    """A checked, cleaned account that is not stored yet."""

    platform: str
    name: str
    base_url: str | None = None
    handle: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def info(self) -> PlatformInfo:
        return platform_info(self.platform)

    def config(self) -> AccountConfig:
        return AccountConfig(
            id=0,
            platform=self.platform,
            name=self.name,
            base_url=self.base_url,
            handle=self.handle,
            options=dict(self.options),
        )


@dataclass(frozen=True)
class Removal:
    account: Account
    #: set when the account is gone but its credential could not be taken out of the keyring
    keyring_warning: str | None = None


def clean_handle(platform: str, handle: str | None) -> str | None:
    """``@bakery`` → ``bakery``; Reddit's ``u/bakery`` and ``/u/bakery`` → ``bakery``."""
    if handle is None:
        return None
    text = handle.strip()
    if platform == Platform.REDDIT:
        text = text.removeprefix("/").removeprefix("u/")
    return text.removeprefix("@").strip() or None


def _a(label: str) -> str:
    """'A Mastodon', 'An X (Twitter)', 'An RSS/Atom feed' (by sound, not spelling)."""
    article = "An" if label.startswith(("A", "E", "I", "O", "U", "X", "RSS")) else "A"
    return f"{article} {label}"


def _clean_list(values: Iterable[str], strip: str = "") -> list[str]:
    cleaned = (v.strip().lstrip(strip).strip() for v in values)
    return list(dict.fromkeys(v for v in cleaned if v))


def _check_name(name: str) -> str:
    clean = name.strip()
    if not clean:
        raise AccountFieldError(
            "An account needs a name.",
            hint="A short name you will recognise, for example bakery-mastodon.",
            field="name",
        )
    if len(clean) > MAX_NAME or any(ch in clean for ch in "\r\n\t"):
        raise AccountFieldError(
            "That account name is too long or has line breaks in it.",
            hint="Use a short name such as bakery-mastodon.",
            field="name",
        )
    return clean


def prepare(
    platform: str,
    name: str,
    *,
    base_url: str | None = None,
    handle: str | None = None,
    queries: Iterable[str] = (),
    hashtags: Iterable[str] = (),
    subreddit: str | None = None,
    page_id: str | None = None,
    names: FieldNames = CLI_FIELDS,
) -> AccountDraft:
    """Check and clean what the user typed; raises a CrisisdeskError saying what to change.

    Nothing is stored and nothing goes over the network here.
    """
    info = platform_info(platform)
    clean_name = _check_name(name)
    url = (base_url or "").strip() or info.default_base_url
    if info.needs_base_url and not url:
        raise AccountFieldError(
            f"{_a(info.label)} account needs {names['base_url']} ({info.base_url_help}).",
            field="base_url",
        )
    if url:
        try:
            url = check_base_url(url, carries_secret=bool(info.secret_fields))
        except CrisisdeskError as exc:
            raise AccountFieldError(str(exc), exc.hint, field="base_url") from None
    clean = clean_handle(info.name, handle)
    if info.needs_handle and not clean:
        raise AccountFieldError(
            f"{_a(info.label)} account needs {names['handle']} ({info.handle_help}).",
            field="handle",
        )
    options: dict[str, Any] = {}
    if query_list := _clean_list(queries):
        options["queries"] = query_list
    if tag_list := _clean_list(hashtags, strip="#"):
        options["hashtags"] = tag_list
    if subreddit and (sub := subreddit.strip().removeprefix("/").removeprefix("r/").strip()):
        options["subreddit"] = sub
    if page_id and page_id.strip():
        options["page_id"] = page_id.strip()
    for key in info.required_options:
        if not options.get(key):
            raise AccountFieldError(
                f"{_a(info.label)} account needs {names.get(key, key)}.",
                hint="See 'Getting credentials' in the README for where to find it.",
                field=key,
            )
    return AccountDraft(info.name, clean_name, url or None, clean, options)


def secret_values_from_lines(info: PlatformInfo, lines: Sequence[str]) -> dict[str, str]:
    """The secret values of *info* from text lines, one per value in order (blank lines and
    surrounding spaces do not count); CredentialError naming what is missing when too few."""
    fields = info.secret_fields
    values = [line.strip() for line in lines if line.strip()]
    if len(values) < len(fields):
        wanted = ", ".join(f.prompt for f in fields)
        raise CredentialError(
            f"crisisdesk needs {len(fields)} value(s) on standard input but got {len(values)}.",
            hint=f"Give one per line: {wanted}.",
        )
    return {f.key: value for f, value in zip(fields, values, strict=False)}


def _exists_error(name: str) -> AccountExistsError:
    return AccountExistsError(
        f"There is already an account called '{name}'.",
        hint="Choose another name, or remove the old account first.",
    )


def ensure_new(db: sqlite_utils.Database, name: str) -> None:
    """AccountExistsError when *name* is taken (checked before asking for a secret)."""
    if accounts.exists(db, name):
        raise _exists_error(name.strip())


def add_account(
    db: sqlite_utils.Database, draft: AccountDraft, secret_values: Mapping[str, str]
) -> Account:
    """Store *draft*: its secret in the keyring first, then the settings row.

    Raises CredentialError (no keyring, empty value) or AccountExistsError with nothing
    written; an existing account's secret is never overwritten.
    """
    info = draft.info
    secret = encode_secret(info, secret_values) if info.secret_fields else None
    if secret is not None:
        secrets.require_keyring()
    ensure_new(db, draft.name)
    key = secrets.account_key(draft.name)
    if secret is not None:
        secrets.set_secret(key, secret)
    try:
        return accounts.add(
            db,
            platform=draft.platform,
            name=draft.name,
            base_url=draft.base_url,
            handle=draft.handle,
            options=draft.options,
        )
    except BaseException:
        if secret is not None:
            with contextlib.suppress(CrisisdeskError):
                secrets.delete_secret(key)
        raise


def replace_secret(
    db: sqlite_utils.Database, name: str, secret_values: Mapping[str, str]
) -> Account:
    """Give account *name* a new token or password (e.g. after the old one expired).

    The old session (Bluesky) is dropped so the next sync signs in with the new secret. The
    audit log records that the credential changed, never the value.
    """
    account = accounts.get(db, name)
    info = platform_info(account.platform)
    if not info.secret_fields:
        raise CrisisdeskError(f"{_a(info.label)} account has no password or token to change.")
    secret = encode_secret(info, secret_values)
    secrets.set_secret(secrets.account_key(account.name), secret)
    with contextlib.suppress(CrisisdeskError):
        secrets.delete_secret(secrets.session_key(account.name))
    with db.atomic():
        events.record(db, "account", account.id, "credential", detail={"platform": info.name})
    return account


def remove_account(db: sqlite_utils.Database, name: str) -> Removal:
    """Forget account *name* and its credential; every mention it brought in stays."""
    account = accounts.remove(db, name)
    try:
        secrets.delete_secret(secrets.account_key(account.name))
        secrets.delete_secret(secrets.session_key(account.name))
    except CrisisdeskError as exc:
        return Removal(account, exc.user_text())
    return Removal(account)


def check_draft(
    draft: AccountDraft,
    secret_values: Mapping[str, str],
    client_factory: ClientFactory = make_client,
) -> str:
    """Try the credential with the platform before saving; returns who we are there.

    Nothing is stored: not the secret, not a session.
    """
    info = draft.info
    secret = encode_secret(info, secret_values) if info.secret_fields else None
    with connect(draft.config(), secret, client_factory) as connector:
        return connector.check()
