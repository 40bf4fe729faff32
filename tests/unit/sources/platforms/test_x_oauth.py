"""Sign in to X (OAuth 2.0 + PKCE) against a loopback authorization server, then reply.

The "browser" is an httpx GET that follows X's 302 to crisisdesk's loopback callback.
"""

from __future__ import annotations

import functools
import socket
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from crisisdesk import secrets
from crisisdesk.errors import AuthError, CrisisdeskError, SourceError
from crisisdesk.services.send import send_reply
from crisisdesk.sources.platforms import x_oauth
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, replies
from crisisdesk.timeutil import now_utc, to_iso
from tests.helpers import payloads_x as px
from tests.helpers.builders import insert_mentions, mention_row
from tests.helpers.platform_server import PlatformServer, Waits
from tests.helpers.x_auth_server import XAuthServer


def browser(url: str) -> None:
    """The owner's browser: open the page, follow X's redirect back to the callback."""
    response = httpx.get(url, follow_redirects=True, timeout=5)
    assert response.status_code == 200


def sign_in(auth: XAuthServer, open_browser: Any = browser, **kw: Any) -> x_oauth.Tokens:
    with make_client(sleep=Waits()) as client:
        return x_oauth.sign_in(
            client, auth.client_id, open_browser, token_url=auth.token_url,
            authorize_base=auth.authorize_url, port=0, **{"timeout_s": 5, **kw},
        )  # fmt: skip


def test_pkce_pair_is_s256_of_a_valid_verifier() -> None:
    verifier, challenge = x_oauth.pkce_pair()
    assert 43 <= len(verifier) <= 128
    assert set(verifier) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    again, other = x_oauth.pkce_pair()
    assert again != verifier and other != challenge
    url = x_oauth.authorize_url("cid", x_oauth.redirect_uri(8723), "st", challenge)
    assert url.startswith("https://x.com/i/oauth2/authorize?response_type=code&client_id=cid")
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A8723%2Fcallback" in url
    assert "scope=tweet.read+tweet.write+users.read+offline.access" in url
    assert "code_challenge_method=S256" in url


def test_the_whole_flow_gives_tokens(platform_server: PlatformServer) -> None:
    auth = XAuthServer(platform_server)
    tokens = sign_in(auth)
    assert tokens.access_token == "user-access-1" and tokens.refresh_token == "user-refresh-1"
    assert tokens.client_id == "client-123" and "tweet.write" in tokens.scope
    assert not tokens.expires_soon(now_utc())
    (exchange,) = platform_server.requests_to("POST", "/2/oauth2/token")
    assert exchange.headers["content-type"] == "application/x-www-form-urlencoded"


def test_a_forged_state_is_refused_and_the_code_never_traded(
    platform_server: PlatformServer,
) -> None:
    auth = XAuthServer(platform_server)
    auth.tamper_state = True
    with pytest.raises(AuthError, match="did not come from this sign-in"):
        sign_in(auth)
    assert platform_server.requests_to("POST", "/2/oauth2/token") == []


def test_the_owner_declining_says_so(platform_server: PlatformServer) -> None:
    auth = XAuthServer(platform_server)
    auth.deny = True
    with pytest.raises(AuthError, match="did not allow crisisdesk"):
        sign_in(auth)


def test_a_wrong_client_id_never_comes_back(platform_server: PlatformServer) -> None:
    """X shows its own error page and never redirects: the sign-in ends with a clear timeout."""
    auth = XAuthServer(platform_server)
    pages: list[int] = []

    def lenient(url: str) -> None:
        pages.append(httpx.get(url, follow_redirects=True, timeout=5).status_code)

    with make_client(sleep=Waits()) as client, pytest.raises(SourceError, match="come back"):
        x_oauth.sign_in(
            client, "someone-else", lenient, token_url=auth.token_url,
            authorize_base=auth.authorize_url, port=0, timeout_s=0.5,
        )  # fmt: skip
    assert pages == [400]
    with make_client() as client, pytest.raises(CrisisdeskError, match="Client ID is empty"):
        x_oauth.sign_in(client, "  ", browser, token_url=auth.token_url, port=0)


def test_no_answer_from_the_browser_times_out(platform_server: PlatformServer) -> None:
    auth = XAuthServer(platform_server)
    with pytest.raises(SourceError, match="did not come back"):
        sign_in(auth, open_browser=lambda _url: None, timeout_s=0.3)
    with pytest.raises(CrisisdeskError, match="cancelled"):
        sign_in(auth, open_browser=lambda _url: None, cancelled=lambda: True)


def test_a_busy_port_is_explained() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SourceError, match=f"127.0.0.1:{port}"):
            x_oauth.LoopbackRedirect(port)


def test_tokens_from_anything_else_are_none() -> None:
    for text in (None, "", "not json", "[]", '{"access_token": "a"}'):
        assert x_oauth.Tokens.from_json(text) is None


# --- replying with the signed-in user token -------------------------------------------------


@pytest.fixture
def x_account(db: Any, memory_keyring: Any, platform_server: PlatformServer) -> dict[str, Any]:
    site = px.XSite(platform_server, token="nobody-yet")  # only a signed-in user may post
    auth = XAuthServer(platform_server)
    auth.on_token = lambda access: setattr(site, "token", access)
    secrets.set_secret(secrets.account_key("x"), "app-only-bearer")
    account = accounts.add(db, platform="x", name="x", base_url=site.url, handle="bakery")
    parent = px.tweet("@bakery where is my order", author=site.author("sam"))
    (mid,) = insert_mentions(
        db, [mention_row(source="x", external_id=parent["id"], account_id=account.id)]
    )
    return {"site": site, "auth": auth, "mention": mid}


def factory() -> Any:
    return functools.partial(make_client, sleep=Waits(), timeout=3)


def test_signed_in_owner_replies_and_tokens_live_only_in_the_keyring(
    db: Any, db_path: Path, x_account: dict[str, Any], memory_keyring: Any
) -> None:
    x_oauth.save_tokens("x", sign_in(x_account["auth"]))
    sent = send_reply(db, x_account["mention"], "So sorry Sam, DM us.", client_factory=factory())
    assert sent.state == "sent"
    (post,) = x_account["site"].server.requests_to("POST", "/2/tweets")
    assert post.headers["authorization"] == "Bearer user-access-1"
    stored = x_oauth.load_tokens("x")
    assert stored is not None and stored.access_token == "user-access-1"
    db.execute("PRAGMA wal_checkpoint(FULL)")
    on_disk = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())
    assert b"user-access-1" not in on_disk and b"user-refresh-1" not in on_disk


def test_a_token_about_to_expire_is_refreshed_before_posting(
    db: Any, x_account: dict[str, Any]
) -> None:
    tokens = sign_in(x_account["auth"])
    soon = x_oauth.Tokens(
        **{**tokens.__dict__, "expires_at": to_iso(now_utc() + timedelta(minutes=2))}
    )
    x_oauth.save_tokens("x", soon)

    send_reply(db, x_account["mention"], "So sorry Sam, DM us.", client_factory=factory())

    (post,) = x_account["site"].server.requests_to("POST", "/2/tweets")
    assert post.headers["authorization"] == "Bearer user-access-2"
    stored = x_oauth.load_tokens("x")
    assert stored is not None and stored.refresh_token == "user-refresh-2"  # rotated and kept
    assert not stored.expires_soon(now_utc())


def test_an_expired_sign_in_says_sign_in_again_and_keeps_the_reply_failed(
    db: Any, x_account: dict[str, Any]
) -> None:
    tokens = sign_in(x_account["auth"])
    x_account["auth"]._live_refresh.clear()  # X revoked it
    old = x_oauth.Tokens(**{**tokens.__dict__, "expires_at": to_iso(now_utc())})
    x_oauth.save_tokens("x", old)
    with pytest.raises(AuthError, match="did not accept the sign-in") as info:
        send_reply(db, x_account["mention"], "Sorry!", client_factory=factory())
    assert "Sign in to X again" in info.value.hint
    (failed,) = replies.for_mention(db, x_account["mention"])
    assert failed.state == "failed" and "Sign in to X again" in (failed.error or "")
    assert x_account["site"].server.requests_to("POST", "/2/tweets") == []


def test_without_sign_in_the_app_token_cannot_post(db: Any, x_account: dict[str, Any]) -> None:
    with pytest.raises(SourceError):
        send_reply(db, x_account["mention"], "Sorry!", client_factory=factory())
    assert x_oauth.load_tokens("x") is None
    assert x_oauth.sign_out("x") is False
