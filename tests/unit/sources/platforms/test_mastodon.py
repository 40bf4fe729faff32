"""Mastodon connector through real httpx against the loopback server (documented payloads)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from crisisdesk.errors import AuthError, PlatformError, SourceError
from crisisdesk.sources.platforms import http
from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.mastodon import MastodonConnector
from tests.helpers import payloads_mastodon as pm
from tests.helpers.platform_server import PlatformServer, Reply

TOKEN = "mastodon-token-9f8e7d6c5b4a"
NOTIFS = "/api/v1/notifications"
VERIFY = "/api/v1/accounts/verify_credentials"


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def me() -> dict[str, Any]:
    return pm.account("bakery", domain=None)


@pytest.fixture
def server(platform_server: PlatformServer, me: dict[str, Any]) -> PlatformServer:
    platform_server.route("GET", VERIFY, Reply.json(me))
    platform_server.route("GET", NOTIFS, Reply.json([]))
    return platform_server


def make_connector(
    server: PlatformServer, sleeps: Sleeps, timeout: float = 5.0, **options: Any
) -> MastodonConnector:
    client = http.make_client(secrets=[TOKEN], timeout=timeout, sleep=sleeps)
    account = AccountConfig(1, "mastodon", "Bakery", base_url=server.url, options=options)
    return MastodonConnector(account, TOKEN, client)


@pytest.fixture
def connector(server: PlatformServer, sleeps: Sleeps) -> Iterator[MastodonConnector]:
    c = make_connector(server, sleeps)
    yield c
    c.client.close()


def host_of(server: PlatformServer) -> str:
    return urlsplit(server.url).hostname or ""


def test_mention_notification_becomes_a_plain_text_mention_row(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    author = pm.account("carol", domain="angry.example", display_name="Carol &amp; Co",
                        followers_count=4321)  # fmt: skip
    st = pm.status(
        '<p><span class="h-card"><a href="https://social.test/@bakery" class="u-url mention">'
        "@<span>bakery</span></a></span> your croissants were stale &amp; cold&lt;3</p>"
        '<p>Never again.<br />See <a href="https://photos.example/stale"><span class="invisible">'
        'https://</span><span class="">photos.example/stale</span></a></p>',
        author=author, created_at="2026-11-21T09:30:15.120+01:00", in_reply_to_id="1234",
        favourites_count=3, reblogs_count=2, replies_count=1,
    )  # fmt: skip
    server.route("GET", NOTIFS, Reply.json([pm.notification(st)]))
    result = connector.fetch({})
    assert len(result.mentions) == 1
    row = result.mentions[0]
    host = host_of(server)
    assert row.source == "mastodon"
    assert row.external_id == f"{host}:{st['id']}"
    assert row.url == st["url"]
    assert row.author_handle == "carol@angry.example"
    assert row.author_name == "Carol & Co"
    assert row.author_followers == 4321
    assert row.text == (
        "@bakery your croissants were stale & cold<3\n\nNever again.\n"
        "See https://photos.example/stale"
    )
    assert row.created_at == "2026-11-21T08:30:15Z"
    assert row.in_reply_to == f"{host}:1234"
    assert (row.likes, row.reposts, row.replies) == (3, 2, 1)
    assert json.loads(row.raw) == st
    assert row.account_id == 1
    request = server.requests_to("GET", NOTIFS)[0]
    assert request.query["types[]"] == ["mention"]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"


def test_first_sync_pages_back_then_second_sync_fetches_only_new(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    connector.page_limit = 2  # type: ignore[misc]
    notes = [pm.notification(pm.status(f"<p>old {i}</p>")) for i in range(5)]
    timeline = pm.Timeline(notes)
    server.handle("GET", NOTIFS, timeline)
    first = connector.fetch({})
    assert sorted(r.text for r in first.mentions) == [f"old {i}" for i in range(5)]
    requests = server.requests_to("GET", NOTIFS)
    assert len(requests) == 4  # pages of 2, 2, 1, then an empty page
    assert [r.arg("max_id") for r in requests] == [
        None, notes[3]["id"], notes[1]["id"], notes[0]["id"]
    ]  # fmt: skip
    assert first.state["cursors"]["notifications"] == notes[4]["id"]

    new = [pm.notification(pm.status(f"<p>new {i}</p>")) for i in range(3)]
    timeline.add(*new)
    second = connector.fetch(first.state)
    assert sorted(r.text for r in second.mentions) == ["new 0", "new 1", "new 2"]
    later = server.requests_to("GET", NOTIFS)[4:]
    assert later[0].arg("min_id") == notes[4]["id"]  # the cursor reached the server
    assert later[1].arg("min_id") == new[1]["id"]  # then forward through rel="prev"
    assert second.state["cursors"]["notifications"] == new[2]["id"]

    third = connector.fetch(second.state)
    assert third.mentions == []
    assert server.requests_to("GET", NOTIFS)[-1].arg("min_id") == new[2]["id"]


def test_paging_is_bounded(server: PlatformServer, connector: MastodonConnector) -> None:
    connector.page_limit = 1  # type: ignore[misc]
    connector.max_pages = 3  # type: ignore[misc]
    server.handle("GET", NOTIFS, pm.Timeline([pm.notification(pm.status()) for _ in range(10)]))
    result = connector.fetch({})
    assert len(result.mentions) == 3
    assert len(server.requests_to("GET", NOTIFS)) == 3


def test_hashtags_and_searches_skip_own_posts(
    server: PlatformServer, sleeps: Sleeps, me: dict[str, Any]
) -> None:
    tagged = pm.status("<p>#bakery is slow today</p>")
    mine = pm.status("<p>#bakery we are sorry!</p>", author=me)
    server.handle("GET", "/api/v1/timelines/tag/bakery", pm.Timeline([tagged, mine]))
    found = pm.status("<p>burnt bread at Main St bakery</p>")
    server.handle("GET", "/api/v2/search", pm.Search([found, pm.status("<p>unrelated</p>")]))
    connector = make_connector(server, sleeps, hashtags=["#Bakery"], queries=["burnt bread"])
    with connector.client:
        result = connector.fetch({})
        texts = sorted(r.text for r in result.mentions)
        assert texts == ["#bakery is slow today", "burnt bread at Main St bakery"]
        search = server.requests_to("GET", "/api/v2/search")[0]
        assert (search.arg("q"), search.arg("type")) == ("burnt bread", "statuses")
        assert result.state["cursors"]["search:burnt bread"] == found["id"]
        assert result.state["cursors"]["tag:bakery"] == max(
            tagged["id"], mine["id"], key=lambda i: (len(i), i)
        )
        connector.fetch(result.state)
        assert server.requests_to("GET", "/api/v2/search")[-1].arg("min_id") == found["id"]
        tag_requests = server.requests_to("GET", "/api/v1/timelines/tag/bakery")
        assert tag_requests[-1].arg("min_id") == result.state["cursors"]["tag:bakery"]


def test_429_with_retry_after_then_success(
    server: PlatformServer, connector: MastodonConnector, sleeps: Sleeps
) -> None:
    st = pm.status("<p>hello</p>")
    server.route(
        "GET", NOTIFS,
        Reply.json({"error": "Too many requests"}, 429, headers={"Retry-After": "12"}),
        Reply.json([pm.notification(st)]), Reply.json([]),
    )  # fmt: skip
    result = connector.fetch({})
    assert [r.text for r in result.mentions] == ["hello"]
    assert sleeps == [12.0]


def test_500_then_success(
    server: PlatformServer, connector: MastodonConnector, sleeps: Sleeps
) -> None:
    server.route(
        "GET", NOTIFS, Reply.json({"error": "boom"}, 500),
        Reply.json([pm.notification(pm.status("<p>ok</p>"))]), Reply.json([]),
    )  # fmt: skip
    assert [r.text for r in connector.fetch({}).mentions] == ["ok"]
    assert len(sleeps) == 1


def test_401_is_a_clear_auth_error_without_the_token(
    server: PlatformServer, connector: MastodonConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.route("GET", VERIFY, Reply.json({"error": "The access token is invalid"}, 401))
    with pytest.raises(AuthError) as info:
        connector.fetch({})
    assert "refused the credential" in str(info.value)
    assert "token" in info.value.user_text()
    assert TOKEN not in info.value.user_text()
    assert TOKEN not in caplog.text
    assert server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply.json([{"id": "1"}] * 30, truncate=40), "cut its answer short"),
        (
            Reply(
                body='[{"id": "1", "type": "mention"', headers={"Content-Type": "application/json"}
            ),
            "cannot read",
        ),
        (
            Reply.html("<!DOCTYPE html><html><body>We're down for maintenance</body></html>", 502),
            "having trouble",
        ),
        (Reply.html("<!DOCTYPE html><html><body>Sign in</body></html>"), "web page"),
    ],
)
def test_unreadable_answers_are_platform_errors(
    server: PlatformServer, connector: MastodonConnector, reply: Reply, message: str
) -> None:
    server.route("GET", NOTIFS, reply)
    with pytest.raises(PlatformError, match=message):
        connector.fetch({"me": "1"})


def test_check_names_the_account(server: PlatformServer, connector: MastodonConnector) -> None:
    # no /api/v2/instance answer here: the API address's host and port stand for the domain
    assert connector.check() == f"@bakery@{urlsplit(server.url).netloc}"


def target_for(server: PlatformServer, st: dict[str, Any]) -> ReplyTarget:
    return ReplyTarget(
        external_id=f"{host_of(server)}:{st['id']}",
        author_handle=st["account"]["acct"],
        thread_root=None,
        url=st["url"],
        raw=json.dumps(st),
    )


def test_reply_posts_in_reply_to_with_mention_and_idempotency_key(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    st = pm.status("<p>cold coffee</p>", author=pm.account("dave", domain="far.example"))
    endpoint = pm.PostStatuses()
    server.handle("POST", "/api/v1/statuses", endpoint)
    result = connector.reply(
        target_for(server, st), "Sorry Dave, coffee is on us.", private=False,
        idempotency_key="key-1",
    )  # fmt: skip
    request = server.requests_to("POST", "/api/v1/statuses")[0]
    assert request.json() == {
        "status": "@dave@far.example Sorry Dave, coffee is on us.",
        "in_reply_to_id": st["id"],
        "visibility": "public",
    }
    assert request.headers["idempotency-key"] == "key-1"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    created = endpoint.created[0]
    assert result.external_id == f"{host_of(server)}:{created['id']}"
    assert result.url == created["url"]


def test_private_reply_is_a_direct_message(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    st = pm.status("<p>where is my order</p>")
    server.handle("POST", "/api/v1/statuses", pm.PostStatuses())
    connector.reply(target_for(server, st), "@alice@other.example we sent you the details",
                    private=True, idempotency_key="k")  # fmt: skip
    body = server.requests_to("POST", "/api/v1/statuses")[0].json()
    assert body["visibility"] == "direct"
    assert body["status"] == "@alice@other.example we sent you the details"  # no double prefix


def test_too_long_reply_is_refused_before_any_request(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    st = pm.status()
    with pytest.raises(SourceError, match="Mastodon accepts at most 500") as info:
        connector.reply(target_for(server, st), "x" * 495, private=False, idempotency_key="k")
    assert "Shorten it by" in info.value.hint
    with pytest.raises(SourceError, match="with the @mention"):  # the same check, before queueing
        connector.check_reply(target_for(server, st), "x" * 495, private=False)
    connector.check_reply(target_for(server, st), "x" * 480, private=False)
    assert server.requests == []


def test_reply_length_counts_links_as_23_and_remote_mentions_by_name() -> None:
    length = MastodonConnector.reply_length
    assert length("@dave@far.example hi") == len("@dave hi")
    assert length("see https://example.com/" + "a" * 200) == len("see ") + 23
    body = "https://example.com/" + "a" * 100 + " " + "x" * 476
    assert length(body) == 500  # fits, although it has far more than 500 characters


def test_retry_after_timeout_does_not_post_twice(server: PlatformServer, sleeps: Sleeps) -> None:
    endpoint = pm.PostStatuses(delays=[1.0])  # the first answer comes after the client gave up
    server.handle("POST", "/api/v1/statuses", endpoint)
    connector = make_connector(server, sleeps, timeout=0.3)
    st = pm.status()
    with connector.client:
        result = connector.reply(target_for(server, st), "Thanks!", private=False,
                                 idempotency_key="same-key")  # fmt: skip
    posts = server.requests_to("POST", "/api/v1/statuses")
    assert len(posts) == 2
    assert {p.headers["idempotency-key"] for p in posts} == {"same-key"}
    assert len(endpoint.created) == 1
    assert result.external_id.endswith(endpoint.created[0]["id"])
    assert len(sleeps) == 1


def test_reply_to_a_post_seen_on_another_server_resolves_its_local_id(
    server: PlatformServer, connector: MastodonConnector
) -> None:
    st = pm.status()
    local = dict(st, id="999")
    server.handle("GET", "/api/v2/search", lambda req: Reply.json(
        {"accounts": [], "hashtags": [], "statuses": [local] if req.arg("q") == st["uri"] else []}
    ))  # fmt: skip
    server.handle("POST", "/api/v1/statuses", pm.PostStatuses())
    target = ReplyTarget(f"mastodon.other:{st['id']}", "alice@other.example", None, st["url"],
                         json.dumps(st))  # fmt: skip
    connector.reply(target, "hi", private=False, idempotency_key="k")
    search = server.requests_to("GET", "/api/v2/search")[0]
    assert search.arg("resolve") == "true"
    assert server.requests_to("POST", "/api/v1/statuses")[0].json()["in_reply_to_id"] == "999"


def test_missing_base_url_or_token_is_a_clear_error(sleeps: Sleeps) -> None:
    with http.make_client() as client:
        with pytest.raises(SourceError, match="no server address"):
            MastodonConnector(AccountConfig(1, "mastodon", "B"), TOKEN, client)
        with pytest.raises(SourceError, match="No access token"):
            MastodonConnector(AccountConfig(1, "mastodon", "B", base_url="https://m.example"),
                              None, client)  # fmt: skip
