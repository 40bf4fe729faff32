"""What the connectors share: options, stored payloads, reply comparison and length, and the
one constructor every connector has."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from crisisdesk.errors import CrisisdeskError, SourceError
from crisisdesk.sources.platforms import common
from crisisdesk.sources.platforms.base import AccountConfig, Connector, ReplyTarget
from crisisdesk.sources.platforms.registry import PLATFORMS, connector_class


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("#bakery ", ["#bakery"]),  # one string is one item, never its characters
        (["a", " b ", "", "  "], ["a", "b"]),
        ([1, "two"], ["1", "two"]),
    ],
)
def test_clean_list(value: object, expected: list[str]) -> None:
    assert common.clean_list(value) == expected


def test_search_terms_are_queries_then_hashtags() -> None:
    options = {"queries": ["main st bakery", " "], "hashtags": "stalebread"}
    assert common.search_terms(options) == ["main st bakery", "#stalebread"]
    assert common.search_terms({}) == []


def test_stored_payload_round_trip_and_unreadable_text() -> None:
    when = datetime(2026, 11, 20, tzinfo=UTC)
    raw = common.payload_json({"text": "café ☕", "at": when})
    assert "café ☕" in raw  # kept readable, not \\u-escaped
    assert common.stored_payload(raw) == {"text": "café ☕", "at": str(when)}
    for unusable in (None, "", "not json", "[1, 2]"):
        assert common.stored_payload(unusable) == {}


def test_same_words_ignores_spacing_only() -> None:
    assert common.same_words("So sorry!\n  We will\tcall you", "So sorry! We will call you")
    assert not common.same_words("So sorry!", "So sorry")
    assert not common.same_words(None, "x")


def test_reply_length_check_says_by_how_much() -> None:
    common.check_reply_length(280, 280, "X")
    common.check_reply_length(10_000, None, "Feeds")
    with pytest.raises(SourceError) as info:
        common.check_reply_length(503, 500, "Mastodon", counting=" with the @mention")
    assert str(info.value) == (
        "The reply is 503 characters long with the @mention; Mastodon accepts at most 500."
    )
    assert info.value.hint == "Shorten it by 3 characters."
    with pytest.raises(CrisisdeskError) as info:
        common.check_reply_length(281, 280, "x", then=" and send again")
    assert info.value.hint == "Shorten it by 1 characters and send again."


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_every_connector_shares_the_constructor(platform: str) -> None:
    cls = connector_class(platform)
    assert issubclass(cls, Connector)
    assert cls.platform == platform


def test_constructor_keeps_account_client_and_session_store() -> None:
    class Store:
        def get(self) -> str | None:
            return None

        def set(self, value: str | None) -> None:
            pass

    store = Store()
    account = AccountConfig(1, "feeds", "F", base_url="https://news.example/feed")
    feeds = connector_class("feeds")
    with httpx.Client() as client:
        with_store = feeds(account, None, client, session_store=store)
        without = feeds(account, None, client)
    assert (with_store.account, with_store.client, with_store.session_store) == (
        account, client, store
    )  # fmt: skip
    assert without.session_store is None
    target = ReplyTarget("id", "someone", None, None, None)
    assert Connector.reply_length("añb 🎂") == 5
    Connector.check_reply(with_store, target, "anything", private=True)  # no default rule


def test_credential_reads_multi_field_secrets() -> None:
    secret = json.dumps({"client_id": "id", "client_secret": "sec", "password": "pw"})
    assert common.credential("reddit", secret) == {
        "client_id": "id", "client_secret": "sec", "password": "pw"
    }  # fmt: skip
