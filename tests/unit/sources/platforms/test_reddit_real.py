"""Reddit on the shapes praw recorded (issue 9, items 4 and 7): Markdown bodies become plain
text like other platforms' text, a posted reply gets its URL, one failing source is kept apart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.reddit import RedditConnector
from crisisdesk.sources.platforms.registry import encode_secret, platform_info
from tests.helpers import payloads_reddit as rd
from tests.helpers.platform_server import PlatformServer, Reply, Waits


@pytest.fixture
def site(platform_server: PlatformServer) -> rd.RedditSite:
    return rd.RedditSite(platform_server)


@pytest.fixture
def connector(site: rd.RedditSite, waits: Waits) -> Iterator[RedditConnector]:
    secret = encode_secret(
        platform_info("reddit"),
        {"client_id": site.client_id, "client_secret": site.client_secret,
         "password": site.password},
    )  # fmt: skip
    client = make_client(timeout=5.0, sleep=waits)
    account = AccountConfig(
        5, "reddit", "bakery-reddit", base_url=site.url, handle=site.username,
        options={"queries": ["main st bakery", "bakery refund"]},
    )  # fmt: skip
    connector = RedditConnector(account, secret, client)
    connector.page_size = 2
    yield connector
    client.close()


def test_markdown_comment_bodies_become_plain_text(
    site: rd.RedditSite, connector: RedditConnector
) -> None:
    site.mentions = [rd.inbox_mention(rd.MARKDOWN_BODY)]
    [m] = connector.fetch({}).mentions
    assert m.text == rd.MARKDOWN_TEXT


def test_markdown_self_posts_become_plain_text(
    site: rd.RedditSite, connector: RedditConnector
) -> None:
    site.search_results = [
        rd.link(
            "Main St Bakery refund?",
            "Asked **three** times. ~~Never~~ again &amp; again, see [here](https://redd.it/x).",
        )
    ]
    [m] = connector.fetch({}).mentions
    assert m.text == "Main St Bakery refund?\n\nAsked three times. Never again & again, see here."


def test_plain_text_with_angle_brackets_keeps_every_character(
    site: rd.RedditSite, connector: RedditConnector
) -> None:
    site.mentions = [rd.inbox_mention("u/bakery <cheesecake> was 5 < 6 stars & cold")]
    [m] = connector.fetch({}).mentions
    assert m.text == "u/bakery <cheesecake> was 5 < 6 stars & cold"


def test_a_posted_reply_has_its_url(site: rd.RedditSite, connector: RedditConnector) -> None:
    mention = rd.inbox_mention("u/bakery where is my cake", link_id="t3_1abc2de")
    target = ReplyTarget(mention["data"]["name"], "angrycustomer", "t3_1abc2de", None, None)
    result = connector.reply(target, "Sorry! Sending a new one today.", private=False,
                             idempotency_key="k1")  # fmt: skip
    cid = result.external_id.removeprefix("t1_")
    assert result.url == f"https://www.reddit.com/r/smallbusiness/comments/linkxyz/comment/{cid}/"


def test_a_failing_second_page_keeps_the_first_and_the_cursor(
    site: rd.RedditSite, connector: RedditConnector, platform_server: PlatformServer
) -> None:
    site.mentions = [rd.inbox_mention(f"u/bakery note {i}") for i in range(3)]
    site.search_results = [rd.link("Main st bakery: great bread")]
    served = platform_server._routes[("GET", "/message/mentions")].handler
    assert served is not None

    def second_page_fails(request: Any) -> Reply:
        if request.arg("after"):
            return Reply(status=500)
        return served(request)

    platform_server.handle("GET", "/message/mentions", second_page_fails)
    state = {"mentions": {"newest": 100.0}}
    result = connector.fetch(state)

    texts = {m.text for m in result.mentions}
    assert {"u/bakery note 0", "u/bakery note 1", "Main st bakery: great bread"} <= texts
    assert result.state["mentions"] == {"newest": 100.0}  # read again next time
    assert result.state["search:main st bakery"]["newest"] > 0
    [failure] = result.failed
    assert failure.part == "the u/ mentions in the inbox"
