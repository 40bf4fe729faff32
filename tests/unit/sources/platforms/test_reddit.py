"""Reddit connector through real httpx against the loopback server playing Reddit."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crisisdesk.errors import AuthError, PlatformError, RateLimitedError
from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.reddit import RedditConnector
from crisisdesk.sources.platforms.registry import encode_secret, platform_info
from tests.helpers import payloads_reddit as rd
from tests.helpers.platform_server import PlatformServer, Reply, Waits, then


@pytest.fixture
def site(platform_server: PlatformServer) -> rd.RedditSite:
    return rd.RedditSite(platform_server)


def _secret(site: rd.RedditSite, **over: str) -> str:
    values = {
        "client_id": site.client_id,
        "client_secret": site.client_secret,
        "password": site.password,
    }
    values.update(over)
    return encode_secret(platform_info("reddit"), values)


@pytest.fixture
def make(site: rd.RedditSite, waits: Waits) -> Iterator[Callable[..., RedditConnector]]:
    clients = []

    def build(
        options: dict[str, Any] | None = None, timeout: float = 5.0, **over: str
    ) -> RedditConnector:
        secret = _secret(site, **over)
        client = make_client(
            secrets=[site.client_secret, site.password], timeout=timeout, sleep=waits
        )
        clients.append(client)
        account = AccountConfig(
            id=1, platform="reddit", name="bakery-reddit", base_url=site.url,
            handle=site.username, options=options or {},
        )  # fmt: skip
        connector = RedditConnector(account, secret, client)
        connector.page_size = 2
        return connector

    yield build
    for c in clients:
        c.close()


def test_fetch_maps_inbox_mentions_and_search_posts(site: rd.RedditSite, make: Any) -> None:
    site.mentions = [
        rd.inbox_mention("u/bakery the sourdough &amp; rye was stale", link_id="t3_zz1")
    ]
    site.search_results = [rd.link("Bakery on Main St", "Waited 40 minutes & left", score=12)]
    connector = make({"queries": ["main st bakery"]})

    result = connector.fetch({})

    by_id = {m.external_id: m for m in result.mentions}
    mention = by_id[site.mentions[0]["data"]["name"]]
    assert mention.source == "reddit"
    assert mention.author_handle == "angrycustomer"
    assert mention.thread_root == "t3_zz1"
    assert mention.in_reply_to == "t3_zz1"
    assert mention.url.startswith("https://www.reddit.com/r/smallbusiness/comments/zz1/")
    assert "?context" not in mention.url
    post = by_id[site.search_results[0]["data"]["name"]]
    assert post.text == "Bakery on Main St\n\nWaited 40 minutes & left"
    assert post.likes == 12 and post.replies == 2
    assert post.created_at.endswith("Z") and post.account_id == 1
    search = site.server.requests_to("GET", "/search")[0]
    assert search.arg("q") == "main st bakery" and search.arg("sort") == "new"
    assert search.arg("raw_json") == "1"


def test_requests_carry_token_and_unique_user_agent(site: rd.RedditSite, make: Any) -> None:
    make().fetch({})
    token_req = site.server.requests_to("POST", "/api/v1/access_token")[0]
    assert "grant_type=password" in token_req.body.decode()
    api = site.server.requests_to("GET", "/message/mentions")[0]
    assert api.headers["authorization"] == f"bearer {site.token}"
    assert api.headers["user-agent"].startswith("desktop:crisisdesk:v")
    assert api.headers["user-agent"].endswith("(by /u/bakery)")


def test_subreddit_search_is_restricted(site: rd.RedditSite, make: Any) -> None:
    site.search_results = [rd.link("Crumbs bakery review")]
    result = make({"queries": ["crumbs"], "subreddit": "r/Portland"}).fetch({})
    req = site.server.requests_to("GET", "/r/Portland/search")
    assert req and req[0].arg("restrict_sr") == "1"
    assert len(result.mentions) == 1


def test_pages_with_after_until_the_end(site: rd.RedditSite, make: Any) -> None:
    site.mentions = [
        rd.inbox_mention(f"mention {i}", created_utc=rd.BASE_UTC - i) for i in range(5)
    ]
    result = make().fetch({})
    reqs = site.server.requests_to("GET", "/message/mentions")
    assert [r.arg("after") for r in reqs] == [
        None,
        site.mentions[1]["data"]["name"],
        site.mentions[3]["data"]["name"],
    ]
    assert len(result.mentions) == 5


def test_second_sync_fetches_only_new_items(site: rd.RedditSite, make: Any) -> None:
    site.mentions = [rd.inbox_mention(f"old {i}", created_utc=rd.BASE_UTC - i) for i in range(5)]
    first = make().fetch({})
    site.server.requests.clear()
    site.mentions[:0] = [rd.inbox_mention("new one", created_utc=rd.BASE_UTC + 60)]

    second = make().fetch(first.state)

    assert [m.text for m in second.mentions] == ["new one"]
    # the first page already reached what the last sync saw: no further paging
    assert len(site.server.requests_to("GET", "/message/mentions")) == 1
    assert second.state["mentions"]["newest"] == rd.BASE_UTC + 60


def test_our_own_posts_are_not_mentions(site: rd.RedditSite, make: Any) -> None:
    site.search_results = [rd.link("Our new menu", author="bakery"), rd.link("Stale bread")]
    result = make({"queries": ["bakery"]}).fetch({})
    assert [m.text for m in result.mentions] == ["Stale bread"]


def test_429_waits_retry_after_then_succeeds(site: rd.RedditSite, make: Any, waits: Waits) -> None:
    site.mentions = [rd.inbox_mention("hello")]
    site.server.handle(
        "GET",
        "/message/mentions",
        then(
            [
                Reply.json(
                    {"message": "Too Many Requests", "error": 429},
                    status=429,
                    headers={"Retry-After": "7"},
                )
            ],
            lambda r: Reply.json(rd.page(site.mentions, r)),
        ),
    )
    result = make().fetch({})
    assert len(result.mentions) == 1
    assert 7.0 in waits


def test_500_then_success(site: rd.RedditSite, make: Any) -> None:
    site.mentions = [rd.inbox_mention("hello")]
    site.server.handle(
        "GET",
        "/message/mentions",
        then(
            [Reply.json({"error": 500}, status=500)],
            lambda r: Reply.json(rd.page(site.mentions, r)),
        ),
    )
    assert len(make().fetch({}).mentions) == 1


def test_wrong_password_is_a_clear_auth_error(site: rd.RedditSite, make: Any) -> None:
    with pytest.raises(AuthError) as info:
        make(password="not-the-password").fetch({})
    assert "username or password" in str(info.value)
    assert "not-the-password" not in info.value.user_text()


def test_wrong_app_secret_is_401(site: rd.RedditSite, make: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError) as info:
        make(client_secret="wrong-secret-999").check()
    assert "401" in str(info.value)
    assert "wrong-secret-999" not in info.value.user_text()
    assert "wrong-secret-999" not in caplog.text


def test_rejected_token_is_401(site: rd.RedditSite, make: Any) -> None:
    site.server.route("GET", "/message/mentions", Reply.json({"error": 401}, status=401))
    with pytest.raises(AuthError):
        make().fetch({})


@pytest.mark.parametrize(
    "reply",
    [
        Reply(
            status=200,
            headers={"Content-Type": "application/json"},
            body='{"kind": "Listing", "data": {"chil',
            truncate=20,
        ),
        Reply.html("<html><body><h1>Our servers are busy</h1></body></html>", status=200),
        Reply(status=200, headers={"Content-Type": "application/json"}, body='{"kind": "List'),
        Reply.json({"unexpected": True}),
    ],
    ids=["truncated", "html", "malformed", "not-a-listing"],
)
def test_unreadable_answers_are_platform_errors(
    site: rd.RedditSite, make: Any, reply: Reply
) -> None:
    site.server.route("GET", "/message/mentions", reply)
    with pytest.raises(PlatformError):
        make().fetch({})


def test_check_names_the_account(site: rd.RedditSite, make: Any) -> None:
    assert make().check() == "u/bakery"


def _target(thing: dict[str, Any]) -> ReplyTarget:
    return ReplyTarget(
        external_id=thing["data"]["name"], author_handle=thing["data"]["author"],
        thread_root=None, url=None, raw=None,
    )  # fmt: skip


def test_reply_posts_comment_on_the_fullname(site: rd.RedditSite, make: Any) -> None:
    thing = rd.inbox_mention("where is my cake")
    result = make().reply(_target(thing), "So sorry! DM us your order number.", private=False,
                          idempotency_key="k1")  # fmt: skip
    post = site.server.requests_to("POST", "/api/comment")
    assert len(post) == 1
    body = post[0].body.decode()
    assert f"thing_id={thing['data']['name']}" in body and "api_type=json" in body
    assert result.external_id.startswith("t1_")
    assert result.url and result.url.startswith("https://www.reddit.com/r/")


def test_reply_retry_after_timeout_does_not_post_twice(site: rd.RedditSite, make: Any) -> None:
    thing = rd.inbox_mention("where is my cake")
    site.comment_delay = 1.5  # the comment is made, but the answer comes after the timeout
    connector = make(timeout=0.5)
    with pytest.raises(PlatformError):
        connector.reply(_target(thing), "Sorry!", private=False, idempotency_key="k1")
    result = make().reply(_target(thing), "Sorry!", private=False, idempotency_key="k1")
    assert len(site.server.requests_to("POST", "/api/comment")) == 1
    assert result.external_id == site.user_comments[0]["data"]["name"]


def test_reply_rate_limited_by_reddit(site: rd.RedditSite, make: Any) -> None:
    refusal = ["RATELIMIT", "you are doing that too much. try again in 9 minutes.", "ratelimit"]
    site.server.route("POST", "/api/comment", Reply.json({"json": {"errors": [refusal]}}))
    with pytest.raises(RateLimitedError) as info:
        make().reply(_target(rd.inbox_mention()), "Sorry!", private=False, idempotency_key="k")
    assert "9 minutes" in str(info.value)


def test_private_reply_is_a_message_sent_once(site: rd.RedditSite, make: Any) -> None:
    thing = rd.inbox_mention("my order", author="sadcustomer")
    first = make().reply(_target(thing), "We sent a refund.", private=True, idempotency_key="k")
    again = make().reply(_target(thing), "We sent a refund.", private=True, idempotency_key="k")
    compose = site.server.requests_to("POST", "/api/compose")
    assert len(compose) == 1
    assert "to=sadcustomer" in compose[0].body.decode()
    assert first.external_id and again.external_id
