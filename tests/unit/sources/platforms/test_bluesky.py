"""Bluesky connector through real httpx against a loopback fake PDS (lexicon-shaped payloads)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from crisisdesk.errors import AuthError, PlatformError, SourceError
from crisisdesk.sources.platforms import http
from crisisdesk.sources.platforms.base import AccountConfig, ReplyTarget
from crisisdesk.sources.platforms.bluesky import BlueskyConnector, tid_from_key
from tests.helpers import payloads_bluesky as pb
from tests.helpers.platform_server import PlatformServer, Reply

PASSWORD = "abcd-efgh-ijkl-mnop"
LIST = "app.bsky.notification.listNotifications"
SEARCH = "app.bsky.feed.searchPosts"
CREATE = "com.atproto.repo.createRecord"


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


class MemoryStore:
    """What sync passes as ``session_store`` (the keyring there)."""

    def __init__(self) -> None:
        self.value: str | None = None

    def get(self) -> str | None:
        return self.value

    def set(self, value: str | None) -> None:
        self.value = value


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def pds(platform_server: PlatformServer) -> pb.FakePDS:
    return pb.FakePDS(platform_server, password=PASSWORD)


def make_connector(
    pds: pb.FakePDS, sleeps: Sleeps, *, timeout: float = 5.0, store: Any = None, **options: Any
) -> BlueskyConnector:
    client = http.make_client(secrets=[PASSWORD], timeout=timeout, sleep=sleeps)
    account = AccountConfig(
        7, "bluesky", "Bakery", base_url=pds.server.url, handle=pds.handle, options=options
    )
    return BlueskyConnector(account, PASSWORD, client, session_store=store)


@pytest.fixture
def connector(pds: pb.FakePDS, sleeps: Sleeps) -> Iterator[BlueskyConnector]:
    c = make_connector(pds, sleeps)
    yield c
    c.client.close()


def test_notifications_become_mention_rows_with_counts_and_thread_refs(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    ours = pb.post_view("Fresh bread today", author=pb.profile(pds.handle))
    carol = pb.profile("carol.bsky.social", displayName="Carol 🍞")
    complaint = pb.post_view(
        "Your bread was stale &amp; hard 😡", author=carol, reply_to=ours,
        created_at="2026-11-21T09:30:15.120+01:00", likeCount=4, repostCount=1, quoteCount=1,
        replyCount=2,
    )  # fmt: skip
    pds.add(complaint, reason="reply")
    pds.add(pb.post_view("great!", indexed_at="2026-11-19T00:00:00.000Z"), reason="like")
    result = connector.fetch({})
    assert len(result.mentions) == 1
    row = result.mentions[0]
    rkey = complaint["uri"].rsplit("/", 1)[-1]
    assert row.source == "bluesky"
    assert row.external_id == complaint["uri"]
    assert row.url == f"https://bsky.app/profile/carol.bsky.social/post/{rkey}"
    assert (row.author_handle, row.author_name) == ("carol.bsky.social", "Carol 🍞")
    assert row.text == "Your bread was stale &amp; hard 😡"  # Bluesky text is not HTML
    assert row.created_at == "2026-11-21T08:30:15Z"
    assert row.in_reply_to == ours["uri"]
    assert row.thread_root == ours["uri"]
    assert (row.likes, row.reposts, row.replies) == (4, 2, 2)
    assert json.loads(row.raw)["cid"] == complaint["cid"]
    assert row.account_id == 7
    request = pds.calls(LIST)[0]
    assert request.query["reasons"] == ["mention", "reply", "quote"]
    assert request.headers["authorization"].startswith("Bearer eyJ")


def test_own_posts_in_notifications_are_not_mentions(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    ours = pb.post_view("Thanks all!", author=pb.profile(pds.handle))
    theirs = pb.post_view("@bakery loved it", created_at="2026-11-20T11:00:00.000Z")
    pds.add(ours, theirs, reason="mention")
    result = connector.fetch({})
    assert [m.text for m in result.mentions] == ["@bakery loved it"]
    # the cursor still moved past both: our own post is not read again either
    assert result.state["notifications"] == "2026-11-20T11:00:00.000Z"


def test_session_is_created_once_and_reused(pds: pb.FakePDS, sleeps: Sleeps) -> None:
    store = MemoryStore()
    connector = make_connector(pds, sleeps, store=store)
    with connector.client:
        connector.fetch({})
        connector.fetch({})
        assert connector.check() == f"@{pds.handle}"
    login = pds.calls("com.atproto.server.createSession")
    assert len(login) == 1
    assert login[0].json() == {"identifier": pds.handle, "password": PASSWORD}
    assert store.value is not None and "accessJwt" in json.loads(store.value)
    # the next sync builds a new connector; with the stored session it does not log in again
    again = make_connector(pds, sleeps, store=store)
    with again.client:
        again.fetch({})
    assert len(pds.calls("com.atproto.server.createSession")) == 1


def test_expired_token_is_refreshed_not_recreated(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    connector.fetch({})
    pds.expire_all()
    pds.add(pb.post_view("after expiry"))
    result = connector.fetch({})
    assert [r.text for r in result.mentions] == ["after expiry"]
    assert len(pds.calls("com.atproto.server.refreshSession")) == 1
    assert len(pds.calls("com.atproto.server.createSession")) == 1


def test_expired_refresh_token_falls_back_to_a_new_session(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    connector.fetch({})
    pds.expire_all()
    pds.refresh.clear()
    connector.fetch({})
    assert len(pds.calls("com.atproto.server.createSession")) == 2


def test_pagination_and_incremental_second_sync(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    connector.page_limit = 2  # type: ignore[misc]
    old = pb.posts_at([f"2026-11-20T10:0{i}:00.000Z" for i in range(5)], "old")
    pds.add(*old)
    first = connector.fetch({})
    assert sorted(r.text for r in first.mentions) == [f"old {i}" for i in range(5)]
    pages = pds.calls(LIST)
    assert [p.arg("cursor") for p in pages] == [
        None, "2026-11-20T10:03:00.000Z", "2026-11-20T10:01:00.000Z"
    ]  # fmt: skip
    assert first.state["notifications"] == "2026-11-20T10:04:00.000Z"

    new = pb.posts_at(["2026-11-20T11:00:00.000Z"], "new")
    pds.add(*new)
    second = connector.fetch(first.state)
    assert [r.text for r in second.mentions] == ["new 0"]
    later = pds.calls(LIST)[3:]
    assert len(later) == 1 and later[0].arg("cursor") is None  # caught up on the first page
    assert second.state["notifications"] == "2026-11-20T11:00:00.000Z"
    assert connector.fetch(second.state).mentions == []


def test_search_pages_with_cursor_and_resumes_with_since(pds: pb.FakePDS, sleeps: Sleeps) -> None:
    for p in pb.posts_at([f"2026-11-20T1{i}:00:00.000Z" for i in range(3)], "burnt bread"):
        pds.posts[p["uri"]] = p
    mine = pb.post_view("burnt bread? sorry!", author=pb.profile(pds.handle),
                        created_at="2026-11-20T09:00:00.000Z")  # fmt: skip
    pds.posts[mine["uri"]] = mine
    connector = make_connector(pds, sleeps, queries=["burnt bread"])
    connector.page_limit = 2  # type: ignore[misc]
    with connector.client:
        first = connector.fetch({})
        assert sorted(r.text for r in first.mentions) == [f"burnt bread {i}" for i in range(3)]
        searches = pds.calls(SEARCH)
        assert [s.arg("cursor") for s in searches] == [None, "2"]
        assert searches[0].arg("sort") == "latest" and searches[0].arg("since") is None
        assert first.state["search"] == {"burnt bread": "2026-11-20T12:00:00Z"}
        newer = pb.post_view("burnt bread again", created_at="2026-11-20T13:00:00.000Z")
        pds.posts[newer["uri"]] = newer
        second = connector.fetch(first.state)
        assert pds.calls(SEARCH)[-1].arg("since") == "2026-11-20T12:00:00Z"
        assert {r.text for r in second.mentions} <= {"burnt bread again", "burnt bread 2"}
        assert "burnt bread again" in {r.text for r in second.mentions}


def test_429_with_retry_after_then_success(
    pds: pb.FakePDS, connector: BlueskyConnector, sleeps: Sleeps
) -> None:
    connector.fetch({})  # log in first
    pds.add(pb.post_view("hi"))
    handler = pds.server._routes[("GET", f"/xrpc/{LIST}")].handler
    answers = iter(
        [
            Reply.json(
                {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                429,
                headers={"Retry-After": "9", "RateLimit-Remaining": "0"},
            )
        ]
    )

    def limited(request: Any) -> Reply:
        return next(answers, None) or handler(request)  # type: ignore[misc]

    pds.server.handle("GET", f"/xrpc/{LIST}", limited)
    assert [r.text for r in connector.fetch({}).mentions] == ["hi"]
    assert sleeps == [9.0]


def test_wrong_app_password_is_a_clear_auth_error_without_secrets(
    pds: pb.FakePDS, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pds.password = "another-password"
    connector = make_connector(pds, sleeps)
    with connector.client, pytest.raises(AuthError) as info:
        connector.fetch({})
    assert "refused the credential" in str(info.value)
    assert "password" in info.value.hint
    for text in (info.value.user_text(), caplog.text):
        assert PASSWORD not in text


def test_session_tokens_never_reach_logs_or_errors(
    pds: pb.FakePDS, connector: BlueskyConnector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    connector.fetch({})
    tokens = set(pds.access) | set(pds.refresh)
    pds.server.route("GET", f"/xrpc/{LIST}", Reply.json(
        {"error": "InvalidRequest", "message": f"bad token {next(iter(pds.access))}"}, 400
    ))  # fmt: skip
    with pytest.raises(PlatformError) as info:
        connector.fetch({})
    assert tokens
    for token in tokens:
        assert token not in caplog.text
        assert token not in info.value.user_text()


def test_500_then_success(pds: pb.FakePDS, connector: BlueskyConnector, sleeps: Sleeps) -> None:
    connector.fetch({})
    pds.add(pb.post_view("back"))
    handler = pds.server._routes[("GET", f"/xrpc/{LIST}")].handler
    failures = iter([Reply.json({"error": "InternalServerError", "message": "x"}, 500)])
    pds.server.handle("GET", f"/xrpc/{LIST}", lambda r: next(failures, None) or handler(r))  # type: ignore[misc]
    assert [r.text for r in connector.fetch({}).mentions] == ["back"]
    assert len(sleeps) == 1


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply.json({"notifications": [{"uri": "x"}] * 40}, truncate=30), "cut its answer short"),
        (Reply(body='{"notifications": [', headers={"Content-Type": "application/json"}),
         "cannot read"),
        (Reply.html("<html><body>502 Bad Gateway</body></html>"), "web page"),
    ],
)  # fmt: skip
def test_unreadable_answers_are_platform_errors(
    pds: pb.FakePDS, connector: BlueskyConnector, reply: Reply, message: str
) -> None:
    pds.server.route("GET", f"/xrpc/{LIST}", reply)
    with pytest.raises(PlatformError, match=message):
        connector.fetch({})


def target(post: dict[str, Any]) -> ReplyTarget:
    record = post["record"]
    return ReplyTarget(
        external_id=post["uri"],
        author_handle=post["author"]["handle"],
        thread_root=(record.get("reply") or {}).get("root", {}).get("uri"),
        url=None,
        raw=json.dumps(post),
    )


def test_reply_to_a_reply_uses_the_thread_root_and_byte_offset_facets(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    ours = pb.post_view("New menu!", author=pb.profile(pds.handle))
    carol = pb.profile("carol.bsky.social")
    parent = pb.post_view("cold coffee", author=carol, reply_to=ours)
    pds.handles["dan.bsky.social"] = pb.did_for("dan.bsky.social")
    body = "🎂 Thanks @carol.bsky.social! cc @dan.bsky.social, see https://bakery.example/menu"
    result = connector.reply(target(parent), body, private=False, idempotency_key="key-1")

    created = pds.calls(CREATE)
    assert len(created) == 1
    payload = created[0].json()
    assert payload["repo"] == pds.did
    assert payload["collection"] == "app.bsky.feed.post"
    assert payload["rkey"] == tid_from_key("key-1")
    record = payload["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == body
    assert record["reply"] == {"root": pb.ref(ours), "parent": pb.ref(parent)}
    data = body.encode("utf-8")
    mention, dan, link = record["facets"]
    assert mention["index"] == {"byteStart": 12, "byteEnd": 30}  # 🎂 is 4 bytes
    assert data[12:30] == b"@carol.bsky.social"
    assert mention["features"] == [{"$type": "app.bsky.richtext.facet#mention",
                                    "did": carol["did"]}]  # fmt: skip
    assert data[dan["index"]["byteStart"] : dan["index"]["byteEnd"]] == b"@dan.bsky.social"
    assert dan["features"][0]["did"] == pb.did_for("dan.bsky.social")
    assert data[link["index"]["byteStart"] : link["index"]["byteEnd"]] == (
        b"https://bakery.example/menu"
    )
    assert link["features"] == [{"$type": "app.bsky.richtext.facet#link",
                                 "uri": "https://bakery.example/menu"}]  # fmt: skip
    assert result.external_id == f"at://{pds.did}/app.bsky.feed.post/{payload['rkey']}"
    assert result.url == f"https://bsky.app/profile/{pds.handle}/post/{payload['rkey']}"


def test_reply_to_a_top_level_post_uses_it_as_root(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    parent = pb.post_view("where is my order?")
    connector.reply(target(parent), "@nobody.invalid.example we'll check", private=False,
                    idempotency_key="k")  # fmt: skip
    record = pds.calls(CREATE)[0].json()["record"]
    assert record["reply"] == {"root": pb.ref(parent), "parent": pb.ref(parent)}
    assert "facets" not in record  # an unresolvable handle stays plain text


def test_reply_without_raw_resolves_the_parent_with_get_posts(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    root = pb.post_view("root")
    parent = pb.post_view("parent", reply_to=root)
    pds.posts[parent["uri"]] = parent
    t = ReplyTarget(parent["uri"], parent["author"]["handle"], None, None, None)
    connector.reply(t, "thanks", private=False, idempotency_key="k2")
    assert pds.calls("app.bsky.feed.getPosts")[0].query["uris"] == [parent["uri"]]
    assert pds.calls(CREATE)[0].json()["record"]["reply"]["root"] == pb.ref(root)


def test_301_graphemes_are_refused_before_any_request(
    pds: pb.FakePDS, connector: BlueskyConnector
) -> None:
    parent = pb.post_view()
    with pytest.raises(SourceError, match="at most 300") as info:
        connector.reply(target(parent), "👍🏽" * 301, private=False, idempotency_key="k")
    assert "by 1 characters" in info.value.hint
    assert pds.server.requests == []
    # 300 graphemes (600 code points, 2400 bytes) are fine
    connector.reply(target(parent), "👍🏽" * 300, private=False, idempotency_key="k")
    assert len(pds.records) == 1


def test_private_reply_is_refused_clearly(pds: pb.FakePDS, connector: BlueskyConnector) -> None:
    with pytest.raises(SourceError, match="no private replies"):
        connector.reply(target(pb.post_view()), "hi", private=True, idempotency_key="k")
    with pytest.raises(SourceError, match="no private replies"):
        connector.check_reply(target(pb.post_view()), "hi", private=True)
    assert pds.server.requests == []


@pytest.mark.parametrize(
    ("status", "error"), [(500, "InternalServerError"), (400, "RecordAlreadyExists")]
)
def test_retry_after_timeout_does_not_post_twice(
    pds: pb.FakePDS, sleeps: Sleeps, status: int, error: str
) -> None:
    pds.duplicate_status, pds.duplicate_error = status, error
    connector = make_connector(pds, sleeps, timeout=0.4)
    parent = pb.post_view("late delivery")
    with connector.client:
        connector.fetch({})  # log in before the slow part
        pds.create_delays = [1.0]  # the first create lands but answers after the timeout
        result = connector.reply(target(parent), "So sorry!", private=False,
                                 idempotency_key="same")  # fmt: skip
    attempts = pds.calls(CREATE)
    assert len(attempts) == 2
    assert {a.json()["rkey"] for a in attempts} == {tid_from_key("same")}
    assert len(pds.records) == 1
    assert result.external_id == next(iter(pds.records.values()))["uri"]
    assert len(pds.calls("com.atproto.repo.getRecord")) == 1


def test_tid_from_key_is_valid_stable_and_distinct() -> None:
    keys = [f"{i:032x}" for i in range(200)]
    tids = [tid_from_key(k) for k in keys]
    assert all(pb.TID_RE.match(t) for t in tids)
    assert len(set(tids)) == len(tids)
    assert tid_from_key(keys[0]) == tids[0]


def test_missing_handle_or_password_is_a_clear_error() -> None:
    with http.make_client() as client:
        with pytest.raises(SourceError, match="no handle"):
            BlueskyConnector(AccountConfig(1, "bluesky", "B"), PASSWORD, client)
        with pytest.raises(SourceError, match="No app password"):
            BlueskyConnector(AccountConfig(1, "bluesky", "B", handle="b.bsky.social"), None,
                             client)  # fmt: skip
