"""Feeds in the shapes real sites publish (issue 9, items 1-3 and 10): Typepad's Atom with
relative links and a comment after ``</feed>``, FeedBurner's feedproxy links, Google's redirect
links, image-only and "Comments"-only bodies, and next pages that fail."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from crisisdesk.errors import OfflineError, PlatformError
from crisisdesk.sources.platforms import http
from crisisdesk.sources.platforms.base import AccountConfig
from crisisdesk.sources.platforms.feeds import FeedConnector
from tests.helpers import payloads_feeds as pf
from tests.helpers.platform_server import PlatformServer, Reply, Waits

PATH = "/blog/atom.xml"


@pytest.fixture
def connector(platform_server: PlatformServer, waits: Waits) -> Iterator[FeedConnector]:
    client = http.make_client(sleep=waits)
    account = AccountConfig(3, "feeds", "Blog", base_url=platform_server.url + PATH)
    yield FeedConnector(account, None, client)
    client.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_relative_links_resolve_against_the_feed_address(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    entry = pf.Entry("Cold croissants", "<p>Not again.</p>", link="/blog/2026/11/20/cold")
    platform_server.route(
        "GET",
        PATH,
        Reply(body=pf.typepad_atom([entry]), headers={"Content-Type": "application/atom+xml"}),
    )
    [row] = connector.fetch({}).mentions
    assert row.url == platform_server.url + "/blog/2026/11/20/cold"


def test_relative_links_resolve_against_xml_base(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    entry = pf.Entry("Cold croissants", "<p>Not again.</p>", link="2026/11/cold.html")
    body = pf.typepad_atom([entry], xml_base="https://bakery.example/posts/")
    platform_server.route("GET", PATH, Reply(body=body, headers={"Content-Type": "text/xml"}))
    [row] = connector.fetch({}).mentions
    assert row.url == "https://bakery.example/posts/2026/11/cold.html"
    assert row.author_handle == "Bakery Editor"


def test_a_comment_after_the_closing_tag_is_a_complete_feed(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    # served as text/xml without a charset, feedparser flags the UTF-8 text ("bozo"); the
    # feed still ends with </feed>, followed only by Typepad's comments
    entry = pf.Entry("Micro Focus’ new oven", "<p>It’s hot.</p>", link="http://b.example/1")
    body = pf.typepad_atom([entry])
    assert body.rstrip().endswith("<!-- nhm:from_kauri -->")
    platform_server.route("GET", PATH, Reply(body=body, headers={"Content-Type": "text/xml"}))
    [row] = connector.fetch({}).mentions
    assert row.text == "Micro Focus’ new oven\n\nIt’s hot."


def test_a_feed_cut_off_before_its_closing_tag_is_still_refused(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    body = pf.typepad_atom([pf.Entry("x", "<p>y</p>", link="http://b.example/1")])
    cut = body[: body.index("</feed>")] + "<!-- ph=1 -->"
    platform_server.route("GET", PATH, Reply(body=cut, headers={"Content-Type": "text/xml"}))
    with pytest.raises(PlatformError, match="ended early"):
        connector.fetch({})


def _paged(platform_server: PlatformServer, next_href: str) -> list[pf.Entry]:
    page1 = [pf.Entry(f"p1 {i}", link=f"https://n.example/1/{i}") for i in range(2)]
    platform_server.handle("GET", PATH, pf.FeedEndpoint(pf.atom(page1, next_href=next_href)))
    return page1


def test_a_failing_next_page_keeps_page_one_and_its_cursor_stays(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    page1 = _paged(platform_server, "/page/2")
    platform_server.route("GET", "/page/2", Reply(status=502))
    before = {"seen": ["old-entry"], "etag": 'W/"v0"'}
    result = connector.fetch(before)
    assert [m.external_id for m in result.mentions] == [e.id for e in page1]
    assert result.state == before  # the next sync reads page one again and retries page two
    [failure] = result.failed
    assert "next page of the feed" in failure.part
    assert "HTTP 502" in str(failure.error)


def test_an_unreachable_next_page_host_is_a_failed_part_not_an_offline_feed(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    page1 = _paged(platform_server, f"http://127.0.0.1:{_closed_port()}/page/2")
    result = connector.fetch({})
    assert len(result.mentions) == len(page1)
    [failure] = result.failed
    assert isinstance(failure.error, OfflineError)


def test_images_are_left_out_of_the_text(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    entry = pf.Entry(
        "Our new oven", link="http://b.example/oven",
        content_html='<p><a href="/files/screen_500.png"><img alt="screen_500 (1)" '
        'src="/files/screen_500.png" /></a>Hot bread all day.</p>',
    )  # fmt: skip
    platform_server.route(
        "GET",
        PATH,
        Reply(body=pf.typepad_atom([entry]), headers={"Content-Type": "application/atom+xml"}),
    )
    [row] = connector.fetch({}).mentions
    assert row.text == "Our new oven\n\nHot bread all day."


def test_a_body_that_only_says_comments_is_dropped(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    entry = pf.Entry("Main St Bakery closes for inspection", link="https://news.example/a")
    platform_server.route(
        "GET",
        PATH,
        Reply(body=pf.comments_rss([entry]), headers={"Content-Type": "application/rss+xml"}),
    )
    [row] = connector.fetch({}).mentions
    assert row.text == "Main St Bakery closes for inspection"
    assert row.url == "https://news.example/a"


def test_feedproxy_links_become_the_original_link(
    platform_server: PlatformServer, connector: FeedConnector
) -> None:
    entry = pf.Entry(
        "Gluten-free week", "We bake without wheat all week.",
        link="http://mainstbakery.blogspot.com/2026/11/gluten-free-week.html",
    )  # fmt: skip
    platform_server.route(
        "GET",
        PATH,
        Reply(body=pf.feedburner_rss([entry]), headers={"Content-Type": "text/xml; charset=UTF-8"}),
    )
    [row] = connector.fetch({}).mentions
    assert row.url == "http://mainstbakery.blogspot.com/2026/11/gluten-free-week.html"
    assert row.text == "Gluten-free week\n\nWe bake without wheat all week."  # no tracking pixel


@pytest.mark.parametrize(
    "wrapped",
    [
        pf.google_link("https://news.example/2026/11/bakery?id=7"),
        "https://www.google.com/url?q=https://news.example/2026/11/bakery?id%3D7&sa=D&ust=1",
    ],
)
def test_google_redirect_links_become_the_original_link(
    platform_server: PlatformServer, connector: FeedConnector, wrapped: str
) -> None:
    entry = pf.Entry("Bakery in the news", "x", link=wrapped)
    platform_server.handle("GET", PATH, pf.FeedEndpoint(pf.atom([entry])))
    [row] = connector.fetch({}).mentions
    assert row.url == "https://news.example/2026/11/bakery?id=7"
