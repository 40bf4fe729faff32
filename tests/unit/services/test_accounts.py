"""account_setup: what the CLI and the Accounts page share (real SQLite, in-memory keyring)."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from crisisdesk import secrets
from crisisdesk.errors import CredentialError, CrisisdeskError
from crisisdesk.services import accounts as account_setup
from crisisdesk.services.accounts import GUI_FIELDS, AccountFieldError, prepare
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, events
from tests.helpers import payloads_bluesky as pb
from tests.helpers.builders import table_snapshot
from tests.helpers.platform_server import PlatformServer


def test_prepare_cleans_what_people_type() -> None:
    draft = prepare(
        "reddit", "  bakery-reddit ", handle=" /u/CrumbsBakery ",
        queries=["crumbs bakery", " ", "crumbs bakery", "cake"], hashtags=["#cake", "cake", "#"],
        subreddit="/r/Portland",
    )  # fmt: skip
    assert draft.name == "bakery-reddit" and draft.handle == "CrumbsBakery"
    assert draft.base_url is None
    assert dict(draft.options) == {
        "queries": ["crumbs bakery", "cake"], "hashtags": ["cake"], "subreddit": "Portland",
    }  # fmt: skip
    bluesky = prepare("bluesky", "b", handle="@bakery.bsky.social")
    assert (bluesky.handle, bluesky.base_url) == ("bakery.bsky.social", "https://bsky.social")


@pytest.mark.parametrize(
    ("platform", "kwargs", "field", "text"),
    [
        ("mastodon", {}, "base_url", "A Mastodon account needs its address"),
        ("mastodon", {"base_url": "ftp://m.social"}, "base_url", "not a web address"),
        ("x", {}, "handle", "An X (Twitter) account needs your handle"),
        ("facebook", {"page_id": "  "}, "page_id", "needs the Page ID"),
        ("feeds", {"base_url": "http://news.example/rss"}, None, ""),  # no secret: http is fine
    ],
)
def test_prepare_names_the_field_in_the_guis_words(
    platform: str, kwargs: dict[str, Any], field: str | None, text: str
) -> None:
    if field is None:
        assert prepare(platform, "n", names=GUI_FIELDS, **kwargs).base_url
        return
    with pytest.raises(AccountFieldError) as caught:
        prepare(platform, "n", names=GUI_FIELDS, **kwargs)
    assert caught.value.field == field
    assert text in str(caught.value)
    assert "--" not in caught.value.user_text()  # no command-line flags in the GUI


def test_a_failed_row_write_takes_the_secret_back_out(db: Any, memory_keyring: Any) -> None:
    db.execute(
        "CREATE TRIGGER full_disk BEFORE INSERT ON accounts"
        " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    draft = prepare("mastodon", "m", base_url="https://m.social")
    with pytest.raises(Exception, match="disk is full"):
        account_setup.add_account(db, draft, {"token": "tok-123456"})
    assert memory_keyring.store == {}
    assert accounts.list_all(db) == []


def test_add_refuses_an_empty_secret_before_writing(db: Any, memory_keyring: Any) -> None:
    draft = prepare("reddit", "r", handle="bakery")
    with pytest.raises(CredentialError, match="secret is empty"):
        account_setup.add_account(
            db, draft, {"client_id": "c", "client_secret": " ", "password": "p"}
        )
    assert memory_keyring.store == {} and accounts.list_all(db) == []


def test_replace_secret_changes_only_the_keyring_and_logs_no_value(
    db: Any, memory_keyring: Any
) -> None:
    draft = prepare("reddit", "r", handle="bakery")
    account_setup.add_account(
        db, draft, {"client_id": "c1", "client_secret": "s1", "password": "p1"}
    )
    secrets.set_secret(secrets.session_key("r"), "old-session")
    before = table_snapshot(db, "accounts")

    account_setup.replace_secret(
        db, "r", {"client_id": "c2", "client_secret": "s2", "password": "p2"}
    )

    stored = json.loads(memory_keyring.store[("crisisdesk", "account:r")])
    assert stored == {"client_id": "c2", "client_secret": "s2", "password": "p2"}
    assert ("crisisdesk", "session:r") not in memory_keyring.store
    assert table_snapshot(db, "accounts") == before
    account_id = accounts.get(db, "r").id
    (event,) = [e for e in events.for_entity(db, "account", account_id) if e.action == "credential"]
    assert "s2" not in repr(event) and "p2" not in repr(event)


def test_replace_secret_on_a_feed_is_a_user_error(db: Any, memory_keyring: Any) -> None:
    account_setup.add_account(db, prepare("feeds", "f", base_url="https://e.example/rss"), {})
    with pytest.raises(CrisisdeskError, match="no password or token"):
        account_setup.replace_secret(db, "f", {"token": "x"})


def test_checking_a_draft_stores_no_session(
    platform_server: PlatformServer, memory_keyring: Any
) -> None:
    pds = pb.FakePDS(platform_server, password="abcd-efgh-ijkl-mnop")
    draft = prepare("bluesky", "b", handle=pds.handle, base_url=pds.server.url)
    factory = functools.partial(make_client, sleep=lambda _s: None, timeout=3.0)
    who = account_setup.check_draft(draft, {"app_password": "abcd-efgh-ijkl-mnop"}, factory)
    assert pds.handle in who
    assert memory_keyring.store == {}  # neither the app password nor the session JWTs


def test_secret_values_come_one_per_line_in_order() -> None:
    from crisisdesk.sources.platforms.registry import PLATFORMS

    reddit = PLATFORMS["reddit"]
    lines = ["", "  the-id ", "the-secret", "   ", "the-password", "extra"]
    assert account_setup.secret_values_from_lines(reddit, lines) == {
        "client_id": "the-id",
        "client_secret": "the-secret",
        "password": "the-password",
    }
    with pytest.raises(CredentialError) as info:
        account_setup.secret_values_from_lines(reddit, ["the-id", " ", "the-secret"])
    assert "needs 3 value(s)" in str(info.value) and "got 2" in str(info.value)
    assert "Reddit app secret" in info.value.hint
    assert account_setup.secret_values_from_lines(PLATFORMS["feeds"], []) == {}
