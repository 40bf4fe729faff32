"""RSS/Atom connector through real httpx against the loopback server."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from crisisdesk.errors import PlatformError, SourceError
from crisisdesk.sources.platforms import http
from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.feeds import FeedConnector
from tests.helpers import payloads_feeds as pf
from tests.helpers.platform_server import PlatformServer, Reply

PATH = "/alerts/feeds/01234567890/987"


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def connector(platform_server: PlatformServer, sleeps: Sleeps) -> Iterator[FeedConnector]:
    client = http.make_client(sleep=sleeps)
    account = AccountConfig(3, "feeds", "Alerts", base_url=platform_server.url + PATH)
    yield FeedConnector(account, None, client)
    client.close()


def alert(title: str, real: str, **kw: str) -> pf.Entry:
    return pf.Entry(title=title, link=pf.google_link(real), **kw)


def test_google_alerts_entries_become_mentions_with_real_links(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    entry = alert(
        "<b>Main Street Bakery</b> fails health inspection &amp; closes",
        "https://news.example/2026/11/bakery?src=alert&id=7",
        content_html="Inspectors found <b>Main Street Bakery</b>&#39;s kitchen&nbsp;dirty.<br>"
        "Owner says it will reopen.",
        published="2026-11-20T09:15:00+01:00",
    )
    platform_server.handle("GET", PATH, pf.FeedEndpoint(pf.atom([entry])))
    result = connector.fetch({})
    assert len(result.mentions) == 1
    row = result.mentions[0]
    assert row.source == "feeds"
    assert row.external_id == entry.id
    assert row.url == "https://news.example/2026/11/bakery?src=alert&id=7"
    assert row.text == (
        "Main Street Bakery fails health inspection & closes\n\n"
        "Inspectors found Main Street Bakery's kitchen dirty.\nOwner says it will reopen."
    )
    assert row.author_handle == "news.example"
    assert row.created_at == "2026-11-20T08:15:00Z"
    assert row.account_id == 3
    assert json.loads(row.raw)["id"] == entry.id
    assert platform_server.requests[0].headers["user-agent"].startswith("crisisdesk/")


def test_rss_items_use_guid_author_and_pubdate(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    item = pf.Entry(
        title="1 star: cold croissants", link="https://reviews.example/r/1", id="review-1",
        content_html="<p>Waited 40 minutes.</p><p>Never again!</p>", author="Jo B.",
        published="2026-11-19T18:00:00Z",
    )  # fmt: skip
    platform_server.handle("GET", PATH, pf.FeedEndpoint(pf.rss([item]), content_type="text/xml"))
    row = connector.fetch({}).mentions[0]
    assert row.external_id == "review-1"
    assert (row.author_handle, row.author_name) == ("Jo B.", "Jo B.")
    assert row.text == "1 star: cold croissants\n\nWaited 40 minutes.\n\nNever again!"
    assert row.created_at == "2026-11-19T18:00:00Z"


def test_conditional_get_and_only_new_entries_on_the_second_sync(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    first_entries = [alert(f"story {i}", f"https://n.example/{i}") for i in range(3)]
    endpoint = pf.FeedEndpoint(pf.atom(first_entries))
    platform_server.handle("GET", PATH, endpoint)
    first = connector.fetch({})
    assert len(first.mentions) == 3
    assert first.state["etag"] == endpoint.etag
    assert first.state["modified"] == endpoint.modified

    unchanged = connector.fetch(first.state)  # server answers 304
    assert unchanged.mentions == []
    assert unchanged.state == first.state
    second_request = platform_server.requests[1]
    assert second_request.headers["if-none-match"] == endpoint.etag
    assert second_request.headers["if-modified-since"] == endpoint.modified

    endpoint.publish(pf.atom([alert("story new", "https://n.example/new"), *first_entries]))
    third = connector.fetch(first.state)
    assert [r.text for r in third.mentions] == ["story new"]
    assert third.state["etag"] == endpoint.etag
    assert third.state["seen"][0] == third.mentions[0].external_id


def test_paged_feed_is_followed_until_caught_up(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    page1 = [alert(f"p1 {i}", f"https://n.example/1/{i}") for i in range(2)]
    page2 = [alert(f"p2 {i}", f"https://n.example/2/{i}") for i in range(2)]
    page3 = [alert("p3", "https://n.example/3")]
    platform_server.handle("GET", PATH, pf.FeedEndpoint(pf.atom(page1, next_href="/page/2")))
    platform_server.route("GET", "/page/2", Reply(body=pf.atom(page2, next_href="/page/3")))
    platform_server.route("GET", "/page/3", Reply(body=pf.atom(page3)))
    first = connector.fetch({})
    assert len(first.mentions) == 5
    assert [r.path for r in platform_server.requests] == [PATH, "/page/2", "/page/3"]

    # a new entry on page 1: page 1 also holds seen entries, so page 2 is not read again
    newer = alert("fresh", "https://n.example/fresh")
    platform_server.handle(
        "GET", PATH, pf.FeedEndpoint(pf.atom([newer, *page1], next_href="/page/2"))
    )
    second = connector.fetch({"seen": first.state["seen"]})
    assert [r.text for r in second.mentions] == ["fresh"]
    assert [r.path for r in platform_server.requests[3:]] == [PATH]


def test_429_with_retry_after_then_success(
    platform_server: PlatformServer, connector: FeedConnector, sleeps: Sleeps
) -> None:
    platform_server.route(
        "GET", PATH, Reply(status=429, headers={"Retry-After": "3"}),
        Reply(body=pf.atom([alert("ok", "https://n.example/ok")])),
    )  # fmt: skip
    assert [r.text for r in connector.fetch({}).mentions] == ["ok"]
    assert sleeps == [3.0]


def test_500_then_success(
    platform_server: PlatformServer, connector: FeedConnector, sleeps: Sleeps
) -> None:
    platform_server.route(
        "GET", PATH, Reply(status=500), Reply(body=pf.atom([alert("ok", "https://n.example/")]))
    )
    assert len(connector.fetch({}).mentions) == 1
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply.html("<!DOCTYPE html><html><head><title>Shop</title></head><body>Hi</body></html>"),
         "web page, not a feed"),
        (Reply(body=pf.atom([pf.Entry("x", link="https://a.example")])[:300],
               headers={"Content-Type": "application/atom+xml"}), "ended early"),
        (Reply(body=pf.atom([pf.Entry("x")] * 5), truncate=200), "cut its answer short"),
        (Reply(body='{"not": "a feed"}', headers={"Content-Type": "application/json"}),
         "not an RSS or Atom feed"),
        (Reply(status=404), "HTTP 404"),
    ],
)  # fmt: skip
def test_unusable_answers_are_clear_platform_errors(
    platform_server: PlatformServer, connector: FeedConnector, reply: Reply, message: str
) -> None:
    platform_server.route("GET", PATH, reply)
    with pytest.raises(PlatformError, match=message):
        connector.fetch({"seen": ["kept"]})


def test_401_on_a_private_feed_is_an_auth_error(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    from crisisdesk.errors import AuthError

    platform_server.route("GET", PATH, Reply(status=401))
    with pytest.raises(AuthError):
        connector.fetch({})


def test_check_returns_the_feed_title(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    platform_server.route("GET", PATH, Reply(body=pf.atom([], title='Google Alert - "bakery"')))
    assert connector.check() == 'Google Alert - "bakery"'


def test_feeds_are_read_only(connector: FeedConnector, platform_server: PlatformServer) -> None:
    target = ReplyTarget("x", "news.example", None, "https://news.example/x", None)
    with pytest.raises(SourceError, match="Feeds are read-only; answer on the site itself"):
        connector.reply(target, "hello", private=False, idempotency_key="k")
    with pytest.raises(SourceError, match="read-only"):
        connector.check_reply(target, "hello", private=False)
    assert platform_server.requests == []


def test_feed_without_address_is_a_clear_error() -> None:
    with http.make_client() as client, pytest.raises(SourceError, match="has no address"):
        FeedConnector(AccountConfig(1, "feeds", "F"), None, client)
