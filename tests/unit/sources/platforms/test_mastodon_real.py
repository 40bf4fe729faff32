"""Mastodon on the shapes real instances answer with (issue 9, items 4 and 8): quote posts'
fallback line, the instance's own domain for local handles, and one failing stream."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from crisisdesk.sources.platforms import http
from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.mastodon import MastodonConnector
from tests.helpers import payloads_mastodon as pm
from tests.helpers.platform_server import PlatformServer, Reply, Waits

TOKEN = "mastodon-token-abc"
NOTIFS = "/api/v1/notifications"


@pytest.fixture
def server(platform_server: PlatformServer) -> PlatformServer:
    platform_server.route("GET", "/api/v1/accounts/verify_credentials",
                          Reply.json(pm.account("bakery", domain=None)))  # fmt: skip
    platform_server.route("GET", NOTIFS, Reply.json([]))
    return platform_server


@pytest.fixture
def connector(server: PlatformServer, waits: Waits) -> Iterator[MastodonConnector]:
    client = http.make_client(secrets=[TOKEN], timeout=5.0, sleep=waits)
    account = AccountConfig(
        1,
        "mastodon",
        "Bakery",
        base_url=server.url,
        options={"hashtags": ["bakerydrama"], "queries": ["main st"]},
    )
    yield MastodonConnector(account, TOKEN, client)
    client.close()


def test_a_quote_posts_fallback_line_is_left_out(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    quoted = pm.status("<p>Main St Bakery is the best!</p>", author=pm.account("fan"),
                       id="117020582917124092")  # fmt: skip
    quote = pm.quote_post("<p>Not after today. Cold coffee, rude staff.</p>", quoted,
                          author=pm.account("carol", domain="angry.example"))  # fmt: skip
    server.route("GET", NOTIFS, Reply.json([pm.notification(quote)]))
    [m] = connector.fetch({}).mentions
    assert m.text == "Not after today. Cold coffee, rude staff."


def test_an_older_servers_quote_fallback_at_the_end_is_left_out(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    link = "https://other.example/@fan/117020582917124092"
    st = pm.status(
        '<p>Never again<span class="quote-inline"><br/>RE: <a href="' + link + '">' + link
        + "</a></span></p>", author=pm.account("carol"),
    )  # fmt: skip
    server.route("GET", NOTIFS, Reply.json([pm.notification(st)]))
    [m] = connector.fetch({}).mentions
    assert m.text == "Never again"


def test_a_post_that_only_mentions_re_keeps_its_text(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    st = pm.status("<p>RE: https://bakery.example/menu</p>", author=pm.account("carol"))
    server.route("GET", NOTIFS, Reply.json([pm.notification(st)]))
    [m] = connector.fetch({}).mentions
    assert m.text == "RE: https://bakery.example/menu"  # not a quote post: nothing dropped


def test_local_handles_use_the_instances_own_domain_asked_once(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    server.route("GET", "/api/v2/instance", Reply.json(pm.instance_v2("bakerytown.social")))
    local = pm.account("neighbour", domain=None)
    server.route("GET", NOTIFS, Reply.json([
        pm.notification(pm.status("<p>@bakery where is my bread</p>", author=local)),
        pm.notification(pm.status("<p>@bakery hello</p>", author=pm.account("remote"))),
    ]))  # fmt: skip
    result = connector.fetch({})
    assert sorted(m.author_handle for m in result.mentions) == [
        "neighbour@bakerytown.social", "remote@other.example",
    ]  # fmt: skip
    assert connector.check() == "@bakery@bakerytown.social"
    assert len(server.requests_to("GET", "/api/v2/instance")) == 1


def test_a_reply_mentions_the_local_author_by_the_instance_domain(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    server.route("GET", "/api/v2/instance", Reply.json(pm.instance_v2("bakerytown.social")))
    st = pm.status("<p>@bakery where is my bread</p>", author=pm.account("neighbour", domain=None))
    server.route("GET", NOTIFS, Reply.json([pm.notification(st)]))
    [m] = connector.fetch({}).mentions
    posts = pm.PostStatuses()
    server.handle("POST", "/api/v1/statuses", posts)
    target = ReplyTarget(m.external_id, m.author_handle, None, m.url, m.raw)
    connector.reply(target, "Sorry, it is on its way.", private=False, idempotency_key="k")
    assert posts.created[0]["content"].startswith("<p>@neighbour@bakerytown.social ")


def test_without_an_instance_answer_the_host_and_port_stand_for_the_domain(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    local = pm.account("neighbour", domain=None)
    server.route("GET", NOTIFS, Reply.json([pm.notification(pm.status("<p>hi</p>", author=local))]))
    [m] = connector.fetch({}).mentions
    assert m.author_handle == f"neighbour@{urlsplit(server.url).netloc}"


def test_one_failing_stream_keeps_the_others_and_its_cursor(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    server.route("GET", NOTIFS, Reply.json([pm.notification(pm.status("<p>@bakery hi</p>"))]))
    server.route("GET", "/api/v1/timelines/tag/bakerydrama", Reply(status=502))
    server.handle("GET", "/api/v2/search", pm.Search([pm.status("<p>main st is closed</p>")]))
    state: dict[str, Any] = {"cursors": {"tag:bakerydrama": "100"}, "me": "1"}
    result = connector.fetch(state)
    assert {m.text for m in result.mentions} == {"@bakery hi", "main st is closed"}
    assert result.state["cursors"]["tag:bakerydrama"] == "100"
    assert "notifications" in result.state["cursors"]
    [failure] = result.failed
    assert failure.part == "the hashtag #bakerydrama"
