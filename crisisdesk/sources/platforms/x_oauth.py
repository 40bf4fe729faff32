"""Sign in to X to reply: OAuth 2.0 Authorization Code Flow with PKCE, as X documents it for
native (desktop) apps — a *public* client, so no client secret is involved.

1. :func:`pkce_pair` makes a random ``code_verifier`` and its S256 ``code_challenge``;
   :func:`authorize_url` builds ``https://x.com/i/oauth2/authorize?response_type=code&client_id=
   &redirect_uri=&scope=&state=&code_challenge=&code_challenge_method=S256``.
2. The owner's own browser opens it (the caller's *open_browser*: ``QDesktopServices`` in the
   app); X redirects to ``http://127.0.0.1:<port>/callback?code=&state=``, which
   :class:`LoopbackRedirect` answers on this computer only.
3. The ``state`` is checked, then :func:`exchange_code` POSTs ``grant_type=authorization_code``
   with the code, the verifier, the same ``redirect_uri`` and the ``client_id`` (form-encoded) to
   ``https://api.x.com/2/oauth2/token``; the answer holds ``access_token`` (about 2 h),
   ``refresh_token`` (with the ``offline.access`` scope) and ``expires_in``.
4. The tokens go to the keyring only (:func:`save_tokens`, under the account's session key),
   and :func:`fresh_access_token` refreshes them (``grant_type=refresh_token``) shortly before
   they expire, storing the new pair — X rotates the refresh token on each use.

The X developer portal must list the exact callback URL (:func:`redirect_uri`), so the port is
fixed by a setting rather than picked at random.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets as random_secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from crisisdesk import secrets
from crisisdesk.errors import AuthError, CrisisdeskError, PlatformError, SourceError
from crisisdesk.sources.platforms.base import SessionStore
from crisisdesk.sources.platforms.http import add_secret, json_body, send
from crisisdesk.timeutil import now_utc, parse_iso, to_iso

log = logging.getLogger(__name__)

AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
TOKEN_PATH = "/2/oauth2/token"
#: read the conversation, post replies, know who we are, and keep a refresh token
SCOPES = ("tweet.read", "tweet.write", "users.read", "offline.access")
DEFAULT_PORT = 8723
CALLBACK_PATH = "/callback"
#: refresh this long before the access token expires, so a send never races the expiry
REFRESH_MARGIN = timedelta(minutes=5)
#: how long the sign-in waits for the browser to come back
SIGN_IN_TIMEOUT_S = 300.0

DONE_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>crisisdesk</title>"
    b"<p style='font:16px sans-serif;margin:3em'>Signed in. You can close this tab and go back "
    b"to crisisdesk.</p>"
)
FAILED_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>crisisdesk</title>"
    b"<p style='font:16px sans-serif;margin:3em'>The sign-in did not finish. Go back to "
    b"crisisdesk to see why.</p>"
)


@dataclass(frozen=True)
class Tokens:
    """What X gave for one signed-in account. Lives only in the keyring (as JSON)."""

    access_token: str
    refresh_token: str | None
    expires_at: str  # UTC ISO
    client_id: str
    scope: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str | None) -> Tokens | None:
        """Tokens from the keyring value; ``None`` for anything else (e.g. an old session)."""
        try:
            data: Any = json.loads(text) if text else None
        except ValueError:
            return None
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) and data[k]
            for k in ("access_token", "expires_at", "client_id")
        ):
            return None
        refresh = data.get("refresh_token")
        return cls(
            access_token=data["access_token"],
            refresh_token=refresh if isinstance(refresh, str) and refresh else None,
            expires_at=data["expires_at"],
            client_id=data["client_id"],
            scope=str(data.get("scope") or ""),
        )

    def expires_soon(self, now: datetime) -> bool:
        return parse_iso(self.expires_at) - REFRESH_MARGIN <= now


def redirect_uri(port: int = DEFAULT_PORT) -> str:
    """The callback URL to register in the X developer portal (exactly this text)."""
    return f"http://127.0.0.1:{port}{CALLBACK_PATH}"


def pkce_pair() -> tuple[str, str]:
    """(code_verifier, code_challenge): 43-128 URL-safe characters and their S256 hash."""
    verifier = random_secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def authorize_url(
    client_id: str,
    redirect: str,
    state: str,
    challenge: str,
    *,
    base: str = AUTHORIZE_URL,
    scopes: tuple[str, ...] = SCOPES,
) -> str:
    """The page the owner's browser opens to allow crisisdesk to post as them."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{base}?{query}"


# --- the loopback redirect ------------------------------------------------------------------


@dataclass(frozen=True)
class Callback:
    """What the browser brought back to the loopback address."""

    code: str | None
    state: str | None
    error: str | None


class LoopbackRedirect:
    """A one-shot HTTP server on 127.0.0.1 answering ``/callback`` (a context manager).

    ``port=0`` takes any free port (tests); the app uses a fixed port the portal knows.
    """

    def __init__(self, port: int = DEFAULT_PORT) -> None:
        self._received = threading.Event()
        self._callback: Callback | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # never log the code
                return None

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH:
                    self.send_response(404)
                    self.end_headers()
                    return
                query = parse_qs(parts.query)

                def first(name: str) -> str | None:
                    values = query.get(name)
                    return values[0] if values else None

                callback = Callback(first("code"), first("state"), first("error"))
                ok = callback.code is not None and callback.error is None
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(DONE_PAGE if ok else FAILED_PAGE)
                if outer._callback is None:
                    outer._callback = callback
                    outer._received.set()

        try:
            self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise SourceError(
                f"crisisdesk cannot listen on 127.0.0.1:{port} for X's answer ({exc.strerror}).",
                hint="Another program uses that port: close it, or change the sign-in port "
                "(and the callback URL in the X developer portal).",
            ) from None
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return redirect_uri(self.port)

    def wait(
        self, timeout_s: float = SIGN_IN_TIMEOUT_S, cancelled: Callable[[], bool] | None = None
    ) -> Callback:
        """The first callback; ``CrisisdeskError`` after *timeout_s* or once *cancelled*."""
        deadline = time.monotonic() + timeout_s
        while not self._received.wait(0.1):
            if cancelled is not None and cancelled():
                raise CrisisdeskError("Sign-in cancelled.")
            if time.monotonic() >= deadline:
                raise SourceError(
                    "X's sign-in page did not come back to crisisdesk in time.",
                    hint="Try again, and allow crisisdesk in the browser window that opens.",
                )
        assert self._callback is not None
        return self._callback

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(2)

    def __enter__(self) -> LoopbackRedirect:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- the token endpoint ---------------------------------------------------------------------


def _token_request(
    client: httpx.Client, token_url: str, form: dict[str, str], now: datetime, client_id: str
) -> Tokens:
    response = send(client, "POST", token_url, data=form, idempotent=False, accept=(400, 401))
    data = json_body(response)
    if response.status_code in (400, 401):
        detail = ""
        if isinstance(data, dict):
            detail = str(data.get("error_description") or data.get("error") or "")[:200]
        raise AuthError(
            f"X did not accept the sign-in ({detail or 'no details'}).",
            hint="Sign in to X again (Mention → Sign in to X to reply).",
        )
    if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
        raise PlatformError("X's sign-in answer has no access token.", hint="Try again later.")
    try:
        lifetime = int(data.get("expires_in") or 7200)
    except (TypeError, ValueError):
        lifetime = 7200
    refresh = data.get("refresh_token")
    add_secret(client, data["access_token"])  # never in a log line or error text
    add_secret(client, refresh if isinstance(refresh, str) else None)
    return Tokens(
        access_token=data["access_token"],
        refresh_token=refresh if isinstance(refresh, str) and refresh else None,
        expires_at=to_iso(now + timedelta(seconds=lifetime)),
        client_id=client_id,
        scope=str(data.get("scope") or ""),
    )


def exchange_code(
    client: httpx.Client,
    token_url: str,
    *,
    code: str,
    verifier: str,
    redirect: str,
    client_id: str,
    now: datetime | None = None,
) -> Tokens:
    """Trade the authorization code for tokens (step 3 above)."""
    add_secret(client, code)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,
        "code_verifier": verifier,
        "client_id": client_id,
    }
    return _token_request(client, token_url, form, now or now_utc(), client_id)


def refresh(
    client: httpx.Client, token_url: str, tokens: Tokens, *, now: datetime | None = None
) -> Tokens:
    """New tokens for *tokens* (its refresh token is used up: store what this returns)."""
    if not tokens.refresh_token:
        raise AuthError(
            "The X sign-in has expired.", hint="Sign in to X again (Mention → Sign in to X)."
        )
    form = {
        "grant_type": "refresh_token",
        "refresh_token": tokens.refresh_token,
        "client_id": tokens.client_id,
    }
    return _token_request(client, token_url, form, now or now_utc(), tokens.client_id)


def sign_in(
    client: httpx.Client,
    client_id: str,
    open_browser: Callable[[str], object],
    *,
    token_url: str,
    authorize_base: str = AUTHORIZE_URL,
    port: int = DEFAULT_PORT,
    timeout_s: float = SIGN_IN_TIMEOUT_S,
    cancelled: Callable[[], bool] | None = None,
) -> Tokens:
    """The whole flow: loopback listener, browser, state check, code exchange. Blocks until
    the browser comes back (run it on a worker thread)."""
    client_id = client_id.strip()
    if not client_id:
        raise CrisisdeskError(
            "The X Client ID is empty.",
            hint="Copy it from your app's 'Keys and tokens' page in the X developer portal.",
        )
    verifier, challenge = pkce_pair()
    state = random_secrets.token_urlsafe(24)
    with LoopbackRedirect(port) as loopback:
        redirect = loopback.redirect_uri
        open_browser(authorize_url(client_id, redirect, state, challenge, base=authorize_base))
        answer = loopback.wait(timeout_s, cancelled)
    if answer.state != state:
        # a page other than the one we opened answered: never trade its code
        raise AuthError(
            "The answer that reached crisisdesk did not come from this sign-in.",
            hint="Nothing was saved. Start the sign-in again.",
        )
    if answer.error or not answer.code:
        if answer.error == "access_denied":
            raise AuthError(
                "You did not allow crisisdesk to post on X.",
                hint="Start the sign-in again and choose 'Authorize app' to reply from here.",
            )
        raise AuthError(
            f"X ended the sign-in ({(answer.error or 'no code')[:80]}).",
            hint="Start the sign-in again.",
        )
    return exchange_code(
        client, token_url, code=answer.code, verifier=verifier, redirect=redirect,
        client_id=client_id,
    )  # fmt: skip


# --- keeping the tokens ---------------------------------------------------------------------


def save_tokens(account_name: str, tokens: Tokens) -> None:
    """Keep *tokens* in the keyring (the account's session entry); nowhere else."""
    secrets.set_secret(secrets.session_key(account_name), tokens.to_json())


def load_tokens(account_name: str) -> Tokens | None:
    """The account's stored X sign-in, if any (``None`` also when no keyring is usable)."""
    try:
        return Tokens.from_json(secrets.get_secret(secrets.session_key(account_name)))
    except CrisisdeskError:
        return None


def sign_out(account_name: str) -> bool:
    """Forget the account's X sign-in."""
    return secrets.delete_secret(secrets.session_key(account_name))


def fresh_access_token(
    client: httpx.Client, token_url: str, store: SessionStore, *, now: datetime | None = None
) -> str | None:
    """The stored user access token, refreshed (and the new pair stored) when it expires
    within :data:`REFRESH_MARGIN`; ``None`` when the owner never signed in."""
    tokens = Tokens.from_json(store.get())
    if tokens is None:
        return None
    add_secret(client, tokens.access_token)
    add_secret(client, tokens.refresh_token)
    moment = now or now_utc()
    if tokens.expires_soon(moment):
        log.info("refreshing the X user token before it expires")
        tokens = refresh(client, token_url, tokens, now=moment)
        store.set(tokens.to_json())
    return tokens.access_token
