"""Facebook Pages connector through real httpx against the loopback server playing Graph."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from crisisdesk.errors import AuthError, PlatformError, RateLimitedError, SourceError
from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.facebook import FacebookConnector
from crisisdesk.sources.platforms.http import make_client
from tests.helpers import payloads_facebook as fb
from tests.helpers.platform_server import PlatformServer, Reply, Waits, then


@pytest.fixture
def site(platform_server: PlatformServer) -> fb.FacebookSite:
    return fb.FacebookSite(platform_server)


@pytest.fixture
def make(site: fb.FacebookSite, waits: Waits) -> Iterator[Callable[..., FacebookConnector]]:
    clients = []

    def build(
        *, token: str | None = None, timeout: float = 5.0, **options: Any
    ) -> FacebookConnector:
        secret = token or site.token
        client = make_client(secrets=[secret], timeout=timeout, sleep=waits)
        clients.append(client)
        account = AccountConfig(
            id=5, platform="facebook", name="bakery-fb", base_url=site.url,
            options={"page_id": site.page["id"], **options},
        )  # fmt: skip
        connector = FacebookConnector(account, secret, client)
        connector.page_size = 2
        connector.comment_page_size = 4
        return connector

    yield build
    for c in clients:
        c.close()


def test_comments_and_visitor_posts_become_mentions(site: fb.FacebookSite, make: Any) -> None:
    ours = site.post("New seasonal menu is out!")
    angry = site.comment(ours["id"], "My order was wrong AGAIN", author=fb.person("Sam Lee"))
    site.comment(ours["id"], "Thanks everyone!", author=site.page)  # our own comment
    nested = site.comment(angry["id"], "Same here", author=fb.person("Ana B"), parent=angry["id"])
    visitor = site.post("Never got my refund", author=fb.person("Pat Kim"))

    result = make().fetch({})

    by_id = {m.external_id: m for m in result.mentions}
    assert set(by_id) == {angry["id"], nested["id"], visitor["id"]}
    c = by_id[angry["id"]]
    assert c.author_name == "Sam Lee" and c.text == "My order was wrong AGAIN"
    assert c.thread_root == ours["id"] and c.in_reply_to == ours["id"]
    assert c.url == angry["permalink_url"] and c.likes == 4
    assert c.created_at.endswith("Z")
    assert by_id[nested["id"]].in_reply_to == angry["id"]
    v = by_id[visitor["id"]]
    assert v.thread_root is None and v.likes == 17 and v.reposts == 2


def test_token_goes_in_the_header_never_the_url(site: fb.FacebookSite, make: Any) -> None:
    post = site.post("hi")
    for i in range(5):
        site.comment(post["id"], f"c{i}")
    make().fetch({})
    assert site.server.requests
    for request in site.server.requests:
        assert request.headers["authorization"] == f"Bearer {site.token}"
        assert "access_token" not in request.query


def test_paging_follows_cursors(site: fb.FacebookSite, make: Any) -> None:
    posts = [site.post(f"post {i}") for i in range(3)]
    for i in range(5):
        site.comment(posts[0]["id"], f"comment {i}", when=fb.ago(minutes=50 - i))
    result = make().fetch({})
    feed = site.server.requests_to("GET", f"/{site.page['id']}/feed")
    assert len(feed) == 2 and feed[1].arg("after")
    comments = site.server.requests_to("GET", f"/{posts[0]['id']}/comments")
    assert len(comments) == 2  # 5 comments, 4 per page
    assert comments[0].arg("filter") == "stream"
    assert comments[0].arg("order") == "reverse_chronological"
    assert len(result.mentions) == 5


def test_second_sync_asks_only_for_posts_with_new_comments(
    site: fb.FacebookSite, make: Any
) -> None:
    quiet = site.post("quiet post")
    busy = site.post("busy post")
    site.comment(quiet["id"], "old on quiet", when=fb.ago(hours=3))
    site.comment(busy["id"], "old on busy", when=fb.ago(hours=3))
    first = make().fetch({})
    assert len(first.mentions) == 2

    site.server.requests.clear()
    site.comment(busy["id"], "new on busy", when=fb.ago(minutes=1))
    second = make().fetch(first.state)

    assert [m.text for m in second.mentions] == ["new on busy"]
    assert site.server.requests_to("GET", f"/{quiet['id']}/comments") == []
    assert len(site.server.requests_to("GET", f"/{busy['id']}/comments")) == 1


def test_lookback_window_is_sent_as_since(site: fb.FacebookSite, make: Any) -> None:
    site.post("ancient", author=fb.person(), when=fb.ago(days=40))
    site.post("recent", author=fb.person(), when=fb.ago(days=2))
    result = make(lookback_days=7).fetch({})
    assert [m.text for m in result.mentions] == ["recent"]
    since = int(site.server.requests_to("GET", f"/{site.page['id']}/feed")[0].arg("since") or 0)
    assert abs(since - fb.ago(days=7).timestamp()) < 120


def test_invalid_token_is_a_clear_auth_error(site: fb.FacebookSite, make: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthError) as info:
        make(token="EAAB-expired-000").fetch({})
    assert "not valid any more" in str(info.value)
    assert "EAAB-expired-000" not in info.value.user_text()
    assert "EAAB-expired-000" not in caplog.text


def test_graph_rate_limit_error_code(site: fb.FacebookSite, make: Any) -> None:
    site.server.route(
        "GET", f"/{site.page['id']}/feed",
        Reply.json(fb.error(32, "Page request limit reached"), status=400),
    )  # fmt: skip
    with pytest.raises(RateLimitedError):
        make().fetch({})


def test_429_with_retry_after_then_success(site: fb.FacebookSite, make: Any, waits: Waits) -> None:
    site.post("x", author=fb.person())
    handler = site._get
    site.server.handle(
        "GET", f"/{site.page['id']}/feed",
        then([Reply.json({}, status=429, headers={"Retry-After": "4"})], handler),
    )  # fmt: skip
    assert len(make().fetch({}).mentions) == 1
    assert 4.0 in waits


def test_500_then_success(site: fb.FacebookSite, make: Any) -> None:
    site.post("x", author=fb.person())
    site.server.handle(
        "GET", f"/{site.page['id']}/feed",
        then([Reply.json(fb.error(2, "An unexpected error has occurred."), status=500)],
             site._get),
    )  # fmt: skip
    assert len(make().fetch({}).mentions) == 1


@pytest.mark.parametrize(
    "reply",
    [
        Reply(
            headers={"Content-Type": "application/json"}, body='{"data": [{"id": "1_2"}', truncate=9
        ),
        Reply.html("<html><body>Sorry, something went wrong.</body></html>", status=200),
    ],
    ids=["truncated", "html"],
)
def test_unreadable_answers_are_platform_errors(
    site: fb.FacebookSite, make: Any, reply: Reply
) -> None:
    site.server.route("GET", f"/{site.page['id']}/feed", reply)
    with pytest.raises(PlatformError):
        make().fetch({})


def test_check_names_the_page(site: fb.FacebookSite, make: Any) -> None:
    assert make().check() == "Facebook Page 'Crumbs Bakery'"


def _target(item: dict[str, Any], *, is_post: bool = False) -> ReplyTarget:
    raw = {**item, "is_post": is_post}
    return ReplyTarget(
        external_id=item["id"], author_handle=item["from"]["name"], thread_root=None,
        url=item.get("permalink_url"), raw=json.dumps(raw),
    )  # fmt: skip


def test_public_reply_comments_on_the_comment(site: fb.FacebookSite, make: Any) -> None:
    post = site.post("menu")
    c = site.comment(post["id"], "cold croissant", author=fb.person())
    result = make().reply(_target(c), "So sorry, come by for a fresh one!", private=False,
                          idempotency_key="k")  # fmt: skip
    posted = site.server.requests_to("POST", f"/{c['id']}/comments")
    assert len(posted) == 1
    assert "message=So+sorry" in posted[0].body.decode()
    assert result.external_id == site.comments[c["id"]][0]["id"]


def test_public_reply_retry_after_timeout_does_not_post_twice(
    site: fb.FacebookSite, make: Any
) -> None:
    post = site.post("menu")
    c = site.comment(post["id"], "cold croissant", author=fb.person())
    site.comment_delay = 1.5
    with pytest.raises(PlatformError):
        make(timeout=0.5).reply(_target(c), "Sorry!", private=False, idempotency_key="k")
    result = make().reply(_target(c), "Sorry!", private=False, idempotency_key="k")
    assert len(site.server.requests_to("POST", f"/{c['id']}/comments")) == 1
    assert result.external_id == site.comments[c["id"]][0]["id"]


def test_private_reply_within_seven_days(site: fb.FacebookSite, make: Any) -> None:
    post = site.post("menu")
    c = site.comment(post["id"], "I was overcharged", author=fb.person(), when=fb.ago(days=6))
    result = make().reply(_target(c), "We'll refund you.", private=True, idempotency_key="k")
    sent = site.server.requests_to("POST", f"/{site.page['id']}/messages")
    assert sent[0].json() == {
        "recipient": {"comment_id": c["id"]},
        "message": {"text": "We'll refund you."},
    }
    assert result.external_id == site.messages[0]["id"]
    # a retry (say after a timeout) meets Facebook's one-reply rule and counts as sent
    again = make().reply(_target(c), "We'll refund you.", private=True, idempotency_key="k")
    assert again.external_id == f"private:{c['id']}"
    assert len(site.messages) == 1


def test_private_reply_to_a_visitor_post_uses_post_id(site: fb.FacebookSite, make: Any) -> None:
    v = site.post("refund please", author=fb.person())
    make().reply(_target(v, is_post=True), "DMing you", private=True, idempotency_key="k")
    assert site.messages[0]["target"] == v["id"]
    sent = site.server.requests_to("POST", f"/{site.page['id']}/messages")[0].json()
    assert sent["recipient"] == {"post_id": v["id"]}


def test_private_reply_after_seven_days_is_refused_before_sending(
    site: fb.FacebookSite, make: Any
) -> None:
    post = site.post("menu")
    c = site.comment(post["id"], "old complaint", author=fb.person(), when=fb.ago(days=8))
    site.server.requests.clear()
    with pytest.raises(SourceError) as info:
        make().reply(_target(c), "Sorry", private=True, idempotency_key="k")
    assert "within 7 days" in str(info.value) and "8 days old" in str(info.value)
    assert info.value.hint
    assert site.server.requests == []


def test_missing_page_id_is_a_clear_error(site: fb.FacebookSite) -> None:
    account = AccountConfig(id=1, platform="facebook", name="fb", options={})
    with make_client() as client, pytest.raises(SourceError) as info:
        FacebookConnector(account, site.token, client)
    assert "--page-id" in info.value.user_text()
