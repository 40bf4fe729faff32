"""Platform name → connector class, and what adding an account on that platform needs.

Connector modules are imported lazily, so listing platforms or validating a command line never
imports httpx-heavy code it does not use.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from crisisdesk.errors import CredentialError, CrisisdeskError

if TYPE_CHECKING:  # base imports httpx; the GUI reads platform names without it
    from crisisdesk.sources.platforms.base import Connector


@dataclass(frozen=True)
class SecretField:
    key: str  # key in the JSON secret of multi-field platforms
    prompt: str  # what the hidden prompt asks for
    #: the value travels in an HTTP header or URL (tokens): printable ASCII only
    ascii_only: bool = True


@dataclass(frozen=True)
class PlatformInfo:
    name: str
    label: str
    module: str
    #: what the user types into the keyring, in order; empty = no credential (feeds)
    secret_fields: tuple[SecretField, ...]
    needs_base_url: bool = False
    default_base_url: str | None = None
    base_url_help: str = ""
    needs_handle: bool = False
    handle_help: str = ""
    #: required keys of options (e.g. Facebook's page_id)
    required_options: tuple[str, ...] = ()
    #: options the connector reads when given: queries, hashtags, subreddit
    optional_options: tuple[str, ...] = ()
    #: the name in narrow places (the inbox list, its filter) when *label* is long
    short: str = ""

    @property
    def short_label(self) -> str:
        return self.short or self.label


PLATFORMS: dict[str, PlatformInfo] = {
    p.name: p
    for p in (
        PlatformInfo(
            "mastodon", "Mastodon", "crisisdesk.sources.platforms.mastodon",
            (SecretField("token", "Mastodon access token"),),
            needs_base_url=True, base_url_help="your server, e.g. https://mastodon.social",
            optional_options=("hashtags", "queries"),
        ),
        PlatformInfo(
            "bluesky", "Bluesky", "crisisdesk.sources.platforms.bluesky",
            (SecretField("app_password", "Bluesky app password"),),
            default_base_url="https://bsky.social",
            needs_handle=True, handle_help="your handle, e.g. bakery.bsky.social",
            optional_options=("queries",),
        ),
        PlatformInfo(
            "feeds", "RSS/Atom feed", "crisisdesk.sources.platforms.feeds", (),
            needs_base_url=True, base_url_help="the feed address (Google Alerts, review site...)",
            short="Feed",
        ),
        PlatformInfo(
            "reddit", "Reddit", "crisisdesk.sources.platforms.reddit",
            (
                SecretField("client_id", "Reddit app client id (under the app name)"),
                SecretField("client_secret", "Reddit app secret"),
                SecretField("password", "Reddit account password", ascii_only=False),
            ),
            needs_handle=True, handle_help="your Reddit username, without u/",
            optional_options=("queries", "hashtags", "subreddit"),
        ),
        PlatformInfo(
            "x", "X (Twitter)", "crisisdesk.sources.platforms.x",
            (SecretField("token", "X Bearer Token (or OAuth 2.0 user access token)"),),
            # the app-only Bearer Token cannot ask "who am I", so the handle finds the account
            needs_handle=True, handle_help="your X handle, without the @",
            optional_options=("queries", "hashtags"), short="X",
        ),
        PlatformInfo(
            "facebook", "Facebook Page", "crisisdesk.sources.platforms.facebook",
            (SecretField("token", "Facebook Page access token"),),
            required_options=("page_id",), short="Facebook",
        ),
    )
}  # fmt: skip

_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def platform_info(platform: str) -> PlatformInfo:
    """The platform called *platform*; a user error naming the known ones otherwise."""
    info = PLATFORMS.get(platform.strip().lower())
    if info is None:
        raise CrisisdeskError(
            f"crisisdesk does not know the platform '{platform}'.",
            hint="Use one of: " + ", ".join(PLATFORMS) + ".",
        )
    return info


def connector_class(platform: str) -> type[Connector]:
    """The connector class for *platform* (imported on first use)."""
    info = platform_info(platform)
    module = importlib.import_module(info.module)
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and getattr(value, "platform", None) == info.name
            and callable(getattr(value, "fetch", None))
        ):
            return cast("type[Connector]", value)
    raise RuntimeError(f"{info.module} defines no connector for {info.name}")  # a bug


def check_base_url(url: str, *, carries_secret: bool) -> str:
    """A clean http(s) URL; a token is only ever sent over https (or to this computer)."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in text:
        raise CrisisdeskError(
            f"'{url}' is not a web address crisisdesk can use.",
            hint="Write it in full, starting with https://, e.g. https://mastodon.social",
        )
    if carries_secret and parts.scheme == "http" and parts.hostname not in _LOOPBACK:
        raise CrisisdeskError(
            f"'{url}' is not encrypted (http), so your token could be read on the way.",
            hint="Use the https:// address of the server.",
        )
    return text.rstrip("/")


def encode_secret(info: PlatformInfo, values: Mapping[str, str]) -> str:
    """What goes into the keyring: the value itself, or JSON when the platform needs several."""
    missing = [f.prompt for f in info.secret_fields if not values.get(f.key, "").strip()]
    if missing:
        raise CredentialError(
            f"{missing[0]} is empty, so there is nothing to save.",
            hint="Give every value the platform needs; see 'Getting credentials' in the README.",
        )
    from crisisdesk.secrets import check_secret_value  # keyring loads only when needed

    for f in info.secret_fields:
        check_secret_value(values[f.key].strip(), f.prompt, ascii_only=f.ascii_only)
    if len(info.secret_fields) == 1:
        return values[info.secret_fields[0].key].strip()
    return json.dumps({f.key: values[f.key].strip() for f in info.secret_fields})


def decode_secret(info: PlatformInfo, secret: str | None) -> dict[str, str]:
    """The keyring value back as {field key: value}; CredentialError if it is unusable."""
    if not info.secret_fields:
        return {}
    if not secret:
        raise CredentialError(
            f"No {info.label} credential is stored for this account.",
            hint="Remove the account and add it again with its token.",
        )
    if len(info.secret_fields) == 1:
        values = {info.secret_fields[0].key: secret}
        _check_stored(info, values)
        return values
    try:
        data: Any = json.loads(secret)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(f.key), str) for f in info.secret_fields
    ):
        # never echo the stored value
        raise CredentialError(
            f"The stored {info.label} credential is incomplete.",
            hint="Remove the account and add it again.",
        )
    values = {f.key: data[f.key] for f in info.secret_fields}
    _check_stored(info, values)
    return values


def _check_stored(info: PlatformInfo, values: Mapping[str, str]) -> None:
    """A stored value saved before values were checked: refuse it before any request is built
    (an unusable token once reached the database inside an HTTP library's error text)."""
    from crisisdesk.secrets import check_secret_value

    for f in info.secret_fields:
        try:
            check_secret_value(values[f.key], f.prompt, ascii_only=f.ascii_only)
        except CredentialError as exc:
            raise CredentialError(
                f"The stored {info.label} credential cannot be used: {exc}",
                hint="Remove the account and add it again with its token.",
            ) from None
