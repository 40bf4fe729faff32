"""X on the shapes its API really answers with (issue 9, items 4-6): retweets, t.co links with
``entities.urls``, a since_id older than recent search reaches, and one failing source."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crisisdesk.sources.platforms.base import AccountConfig
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.x import XConnector
from tests.helpers import payloads_x as px
from tests.helpers.platform_server import PlatformServer, Reply, Waits


@pytest.fixture
def site(platform_server: PlatformServer) -> px.XSite:
    return px.XSite(platform_server)


@pytest.fixture
def make(site: px.XSite, waits: Waits) -> Iterator[Callable[..., XConnector]]:
    clients = []

    def build(options: dict[str, Any] | None = None) -> XConnector:
        client = make_client(secrets=[site.token], timeout=5.0, sleep=waits)
        clients.append(client)
        account = AccountConfig(
            id=3, platform="x", name="bakery-x", base_url=site.url, handle="bakery",
            options=options or {},
        )  # fmt: skip
        connector = XConnector(account, site.token, client)
        connector.page_size = 2
        return connector

    yield build
    for c in clients:
        c.close()


def test_a_retweet_is_stored_as_the_original_post_of_its_author(site: px.XSite, make: Any) -> None:
    critic = site.author("croissant_critic", followers=12_000)
    fan = site.author("retweeting_fan", followers=15)
    original = px.tweet(
        "@bakery the croissants were raw in the middle and nobody answered my email about it",
        author=critic, likes=40, retweets=9,
    )  # fmt: skip
    site.originals = [original]
    site.mentions = [px.retweet(original, by=fan, of="croissant_critic")]
    [m] = make().fetch({}).mentions
    assert m.external_id == original["id"]
    assert m.text == original["text"]  # whole, not "RT @croissant_critic: ... in…"
    assert (m.author_handle, m.author_followers) == ("croissant_critic", 12_000)
    assert m.url == f"https://x.com/croissant_critic/status/{original['id']}"


def test_search_leaves_retweets_out(site: px.XSite, make: Any) -> None:
    critic = site.author("croissant_critic")
    original = px.tweet("#bakerydrama the cake was stale", author=critic)
    site.originals = [original]
    site.search = [px.retweet(original, by=site.author("fan"), of="croissant_critic"), original]
    result = make({"hashtags": ["bakerydrama"]}).fetch({})
    assert [m.external_id for m in result.mentions] == [original["id"]]
    [req] = site.server.requests_to("GET", "/2/tweets/search/recent")
    assert req.arg("query") == "(#bakerydrama) -is:retweet"


def test_t_co_links_are_expanded_from_entities(site: px.XSite, make: Any) -> None:
    site.mentions = [px.tweet(
        author=site.author("local_foodie"),
        **px.linked("@bakery read my review", "https://www.yelp.com/biz/main-st-bakery-1"),
    )]  # fmt: skip
    [m] = make().fetch({}).mentions
    assert m.text == "@bakery read my review https://www.yelp.com/biz/main-st-bakery-1"
    req = site.server.requests_to("GET", f"/2/users/{site.me['id']}/mentions")[0]
    assert "entities" in (req.arg("tweet.fields") or "").split(",")


def test_a_since_id_older_than_seven_days_is_dropped_and_said(site: px.XSite, make: Any) -> None:
    fresh = px.tweet("#bakerydrama still no refund", author=site.author("angry_customer"))
    site.search = [fresh]
    site.oldest_id = str(int(fresh["id"]) - 10)
    stale = str(int(fresh["id"]) - 10_000_000)
    state = {"mentions": {}, "search:#bakerydrama": {"since_id": stale}}
    result = make({"hashtags": ["bakerydrama"]}).fetch(state)

    assert [m.external_id for m in result.mentions] == [fresh["id"]]
    assert result.state["search:#bakerydrama"] == {"since_id": fresh["id"]}
    assert result.failed == []
    [note] = result.notes
    assert "last 7 days" in note and "#bakerydrama" in note
    sent = [r.arg("since_id") for r in site.server.requests_to("GET", "/2/tweets/search/recent")]
    assert sent == [stale, None]


def test_a_stale_since_id_with_nothing_new_is_still_dropped(site: px.XSite, make: Any) -> None:
    site.oldest_id = "1860000000000000000000"
    state = {"search:#bakerydrama": {"since_id": "1"}}
    result = make({"hashtags": ["bakerydrama"]}).fetch(state)
    assert result.state["search:#bakerydrama"] == {}  # never sent again
    assert len(result.notes) == 1


def test_one_failing_search_keeps_the_rest_and_its_own_cursor(
    site: px.XSite, make: Any, platform_server: PlatformServer
) -> None:
    site.mentions = [px.tweet("@bakery thanks!", author=site.author("happy"))]
    site.search = [px.tweet("main st bakery is closed??", author=site.author("worried"))]
    calls: list[str] = []
    search = platform_server._routes[("GET", "/2/tweets/search/recent")].handler
    assert search is not None

    def flaky(request: Any) -> Reply:
        calls.append(request.arg("query") or "")
        if "#bakerydrama" in (request.arg("query") or ""):
            return Reply.json({"title": "Service Unavailable"}, status=503)
        return search(request)

    platform_server.handle("GET", "/2/tweets/search/recent", flaky)
    state = {"search:#bakerydrama": {"since_id": "1860000000000000001"}}
    result = make({"queries": ["main st bakery"], "hashtags": ["bakerydrama"]}).fetch(state)

    assert {m.text for m in result.mentions} == {"@bakery thanks!", "main st bakery is closed??"}
    assert result.state["search:#bakerydrama"] == {"since_id": "1860000000000000001"}
    assert result.state["search:main st bakery"]["since_id"] == site.search[0]["id"]
    assert result.state["mentions"]["since_id"] == site.mentions[0]["id"]
    [failure] = result.failed
    assert failure.part == "the search for #bakerydrama"
    assert "HTTP 503" in str(failure.error)
