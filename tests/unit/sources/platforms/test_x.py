"""X API v2 connector through real httpx against the loopback server playing X."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crisisdesk.errors import AuthError, PlatformError, SourceError
from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.x import XConnector, weighted_length
from tests.helpers import payloads_x as px
from tests.helpers.platform_server import PlatformServer, Reply, Waits, then


@pytest.fixture
def site(platform_server: PlatformServer) -> px.XSite:
    return px.XSite(platform_server)


@pytest.fixture
def make(site: px.XSite, waits: Waits) -> Iterator[Callable[..., XConnector]]:
    clients = []

    def build(
        options: dict[str, Any] | None = None, *, token: str | None = None, timeout: float = 5.0
    ) -> XConnector:
        secret = token or site.token
        client = make_client(secrets=[secret], timeout=timeout, sleep=waits)
        clients.append(client)
        account = AccountConfig(
            id=3, platform="x", name="bakery-x", base_url=site.url, handle="@bakery",
            options=options or {},
        )  # fmt: skip
        connector = XConnector(account, secret, client)
        connector.page_size = 2
        return connector

    yield build
    for c in clients:
        c.close()


def test_mentions_and_search_join_authors_from_includes(site: px.XSite, make: Any) -> None:
    critic = site.author("croissant_critic", followers=12_000)
    root = px.tweet("@bakery hello", author=critic)
    site.mentions = [
        px.tweet("@bakery your cake &amp; coffee were cold &lt;sigh&gt;", author=critic,
                 replied_to=root["id"], likes=40, retweets=5, quotes=2, replies=3),
    ]  # fmt: skip
    site.search = [px.tweet("#bakerydrama never again", author=site.author("local_foodie"))]
    result = make({"queries": ["main st bakery"], "hashtags": ["bakerydrama"]}).fetch({})

    by_text = {m.text: m for m in result.mentions}
    m = by_text["@bakery your cake & coffee were cold <sigh>"]
    assert m.author_handle == "croissant_critic"
    assert m.author_name == "Croissant Critic"
    assert m.author_followers == 12_000
    assert (m.likes, m.reposts, m.replies) == (40, 7, 3)
    assert m.in_reply_to == root["id"] and m.thread_root == root["id"]
    assert m.url == f"https://x.com/croissant_critic/status/{m.external_id}"
    assert m.created_at == "2026-11-20T10:00:00Z"
    assert "#bakerydrama never again" in by_text

    req = site.server.requests_to("GET", "/2/tweets/search/recent")
    assert [r.arg("query") for r in req] == [
        "(main st bakery) -is:retweet",
        "(#bakerydrama) -is:retweet",
    ]
    assert (
        req[0].arg("expansions") == "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
    )
    fields = set((req[0].arg("tweet.fields") or "").split(","))
    assert {"created_at", "public_metrics", "conversation_id", "in_reply_to_user_id",
            "referenced_tweets"} <= fields  # fmt: skip
    assert "public_metrics" in (req[0].arg("user.fields") or "")
    assert req[0].headers["authorization"] == f"Bearer {site.token}"


def test_search_pages_with_next_token_and_mentions_with_pagination_token(
    site: px.XSite, make: Any
) -> None:
    fan = site.author("fan")
    site.mentions = [px.tweet(f"@bakery m{i}", author=fan) for i in range(3)][::-1]
    site.search = [px.tweet(f"bakery s{i}", author=fan) for i in range(5)][::-1]
    result = make({"queries": ["bakery"]}).fetch({})
    assert len(result.mentions) == 8
    search = site.server.requests_to("GET", "/2/tweets/search/recent")
    assert [r.arg("next_token") for r in search] == [None, "2", "4"]
    mentions = site.server.requests_to("GET", f"/2/users/{site.me['id']}/mentions")
    assert [r.arg("pagination_token") for r in mentions] == [None, "2"]


def test_second_sync_sends_since_id_and_gets_only_new(site: px.XSite, make: Any) -> None:
    fan = site.author("fan")
    site.mentions = [px.tweet(f"@bakery old {i}", author=fan) for i in range(3)][::-1]
    first = make().fetch({})
    newest = site.mentions[0]["id"]
    assert first.state["mentions"] == {"since_id": newest}

    site.server.requests.clear()
    site.mentions.insert(0, px.tweet("@bakery brand new", author=fan))
    second = make().fetch(first.state)

    assert [m.text for m in second.mentions] == ["@bakery brand new"]
    req = site.server.requests_to("GET", f"/2/users/{site.me['id']}/mentions")
    assert req[0].arg("since_id") == newest
    assert second.state["mentions"] == {"since_id": site.mentions[0]["id"]}

    # nothing new: X answers with meta only, and the cursor stays where it was
    third = make().fetch(second.state)
    assert third.mentions == [] and third.state == second.state


def test_our_own_posts_are_skipped(site: px.XSite, make: Any) -> None:
    site.search = [px.tweet("bakery: new menu!", author=site.me)]
    assert make({"queries": ["bakery"]}).fetch({}).mentions == []


def test_429_then_success(site: px.XSite, make: Any, waits: Waits) -> None:
    fan = site.author("fan")
    site.mentions = [px.tweet("@bakery hi", author=fan)]
    path = f"/2/users/{site.me['id']}/mentions"
    site.server.handle(
        "GET",
        path,
        then(
            [
                Reply.json(
                    {"title": "Too Many Requests", "status": 429},
                    status=429,
                    headers={"Retry-After": "3"},
                )
            ],
            site._mentions,
        ),
    )
    assert len(make().fetch({}).mentions) == 1
    assert 3.0 in waits


def test_500_then_success(site: px.XSite, make: Any) -> None:
    site.search = [px.tweet("bakery", author=site.author("fan"))]
    site.server.handle(
        "GET", "/2/tweets/search/recent",
        then([Reply.json({"title": "Internal Error"}, status=503)], site._search),
    )  # fmt: skip
    assert len(make({"queries": ["bakery"]}).fetch({}).mentions) == 1


def test_bad_token_is_auth_error_without_the_token(site: px.XSite, make: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError) as info:
        make(token="revoked-token-000").fetch({})
    assert "revoked-token-000" not in info.value.user_text()
    assert "revoked-token-000" not in caplog.text


@pytest.mark.parametrize(
    "reply",
    [
        Reply(
            headers={"Content-Type": "application/json"}, body='{"data": [{"id": "1"', truncate=12
        ),
        Reply.html("<!DOCTYPE html><html><body>Something went wrong</body></html>"),
        Reply(headers={"Content-Type": "application/json"}, body="{nope"),
    ],
    ids=["truncated", "html", "malformed"],
)
def test_unreadable_answers_are_platform_errors(site: px.XSite, make: Any, reply: Reply) -> None:
    site.server.route("GET", f"/2/users/{site.me['id']}/mentions", reply)
    with pytest.raises(PlatformError):
        make().fetch({})


def test_check_resolves_handle(site: px.XSite, make: Any) -> None:
    assert make().check() == "@bakery"
    assert site.server.requests_to("GET", "/2/users/by/username/bakery")


def _target(tweet: dict[str, Any], handle: str = "fan") -> ReplyTarget:
    return ReplyTarget(
        external_id=tweet["id"], author_handle=handle, thread_root=None, url=None, raw=None
    )


def test_reply_posts_in_reply_to_tweet_id(site: px.XSite, make: Any) -> None:
    parent = px.tweet("@bakery cold coffee", author=site.author("fan"))
    result = make().reply(_target(parent), "Sorry! Next one is on us.", private=False,
                          idempotency_key="k")  # fmt: skip
    posts = site.server.requests_to("POST", "/2/tweets")
    assert len(posts) == 1
    assert posts[0].json() == {
        "text": "Sorry! Next one is on us.",
        "reply": {"in_reply_to_tweet_id": parent["id"]},
    }
    assert result.external_id == site.timeline[0]["id"]
    assert result.url == f"https://x.com/bakery/status/{result.external_id}"


def test_reply_to_a_post_that_did_not_mention_us_is_explained(site: px.XSite, make: Any) -> None:
    parent = px.tweet("that bakery is awful", author=site.author("stranger"))
    site.not_mentioned.add(parent["id"])
    with pytest.raises(SourceError) as info:
        make().reply(_target(parent), "Sorry to hear that", private=False, idempotency_key="k")
    assert not isinstance(info.value, AuthError)
    assert "mention or quote your account" in info.value.user_text()


def test_reply_retry_after_timeout_does_not_post_twice(site: px.XSite, make: Any) -> None:
    parent = px.tweet("@bakery where is my order", author=site.author("fan"))
    site.post_delay = 1.5
    with pytest.raises(PlatformError):
        make(timeout=0.5).reply(_target(parent), "Checking now!", private=False,
                                idempotency_key="k")  # fmt: skip
    result = make().reply(_target(parent), "Checking now!", private=False, idempotency_key="k")
    assert len(site.server.requests_to("POST", "/2/tweets")) == 1
    assert result.external_id == site.timeline[0]["id"]


def test_private_reply_refused_before_any_request(site: px.XSite, make: Any) -> None:
    parent = px.tweet("@bakery hi", author=site.author("fan"))
    connector = make()
    with pytest.raises(SourceError) as info:
        connector.reply(_target(parent), "DM", private=True, idempotency_key="k")
    assert "Direct Message" in info.value.user_text()
    assert site.server.requests == []


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("see https://example.com/a/very/long/path/indeed?x=1 ok", 4 + 23 + 3),
        ("日本語", 6),
        ("ok 👍🏽", 5),
        ("👨‍👩‍👧", 2),
        ("café", 4),
    ],
)
def test_weighted_length_counts_as_x_does(text: str, length: int) -> None:
    assert weighted_length(text) == length
