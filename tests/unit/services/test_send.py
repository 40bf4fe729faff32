"""send_reply end to end: reply row, connector over real HTTP, mention status, audit events."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from crisisdesk import secrets
from crisisdesk.errors import CrisisdeskError, PlatformError, SourceError
from crisisdesk.services.send import check_length, retry_reply, send_reply
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.registry import encode_secret, platform_info
from crisisdesk.store import accounts, events, mentions, replies
from tests.helpers import payloads_facebook as fb
from tests.helpers import payloads_mastodon as pm
from tests.helpers import payloads_reddit as rd
from tests.helpers import payloads_x as px
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot
from tests.helpers.platform_server import PlatformServer, Reply, Waits


def factory(timeout: float = 3.0) -> Any:
    return functools.partial(make_client, sleep=Waits(), timeout=timeout)


@pytest.fixture
def reddit(platform_server: PlatformServer) -> rd.RedditSite:
    return rd.RedditSite(platform_server)


def reddit_mention(db: Any, site: rd.RedditSite, **row: Any) -> int:
    secret = encode_secret(
        platform_info("reddit"),
        {"client_id": site.client_id, "client_secret": site.client_secret,
         "password": site.password},
    )  # fmt: skip
    secrets.set_secret(secrets.account_key("r"), secret)
    account = accounts.add(db, platform="reddit", name="r", base_url=site.url, handle="bakery")
    thing = rd.inbox_mention("u/bakery my cake never came", author="sadcustomer")
    (mention_id,) = insert_mentions(
        db,
        [mention_row(source="reddit", external_id=thing["data"]["name"],
                     author_handle="sadcustomer", account_id=account.id, raw=thing, **row)],
    )  # fmt: skip
    return mention_id


def test_public_reply_is_stored_posted_and_marks_the_mention(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite
) -> None:
    mid = reddit_mention(db, reddit)
    reply = send_reply(
        db, mid, "So sorry! We are sending a new one today.", client_factory=factory()
    )

    assert reply.state == "sent" and reply.channel == "public"
    assert reply.external_id == reddit.user_comments[0]["data"]["name"]
    assert reply.url and reply.url.startswith("https://www.reddit.com/")
    assert reply.sent_at and reply.idempotency_key
    mention = mentions.get(db, mid)
    assert mention is not None and mention.status == "replied"
    assert [e.action for e in events.for_entity(db, "reply", reply.id)] == ["queue", "sent"]
    status = events.for_entity(db, "mention", mid)
    assert [(e.action, e.old, e.new) for e in status] == [("status", "new", "replied")]


def test_private_reply_marks_offline(db: Any, memory_keyring: Any, reddit: rd.RedditSite) -> None:
    mid = reddit_mention(db, reddit)
    reply = send_reply(db, mid, "Check your messages", private=True, client_factory=factory())
    assert reply.channel == "private" and reply.state == "sent"
    mention = mentions.get(db, mid)
    assert mention is not None and mention.status == "offline"
    assert reddit.sent_messages[0]["data"]["dest"] == "sadcustomer"


def test_retry_after_timeout_reuses_the_row_and_posts_once(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite
) -> None:
    mid = reddit_mention(db, reddit)
    reddit.comment_delay = 1.5
    with pytest.raises(PlatformError):
        send_reply(db, mid, "Sorry!", client_factory=factory(timeout=0.5))
    (failed,) = replies.for_mention(db, mid)
    assert failed.state == "failed" and failed.error and "in time" in failed.error
    assert mentions.get(db, mid).status == "new"  # type: ignore[union-attr]

    sent = send_reply(db, mid, "Sorry!", client_factory=factory())

    assert sent.id == failed.id and sent.idempotency_key == failed.idempotency_key
    assert sent.state == "sent" and sent.error is None
    assert len(reddit.server.requests_to("POST", "/api/comment")) == 1
    assert [r.id for r in replies.for_mention(db, mid)] == [failed.id]
    actions = [e.action for e in events.for_entity(db, "reply", sent.id)]
    assert actions == ["queue", "failed", "retry", "sent"]


def test_retry_reply_by_id(db: Any, memory_keyring: Any, reddit: rd.RedditSite) -> None:
    mid = reddit_mention(db, reddit)
    reddit.server.route("POST", "/api/comment", Reply.json({"error": 500}, status=500))
    with pytest.raises(PlatformError):
        send_reply(db, mid, "Sorry!", client_factory=factory())
    (failed,) = replies.for_mention(db, mid)
    reddit.server.handle("POST", "/api/comment", reddit._authed(reddit._comment))
    sent = retry_reply(db, failed.id, client_factory=factory())
    assert sent.id == failed.id and sent.state == "sent"
    assert retry_reply(db, failed.id, client_factory=factory()) == sent  # already sent: no-op


def test_mastodon_retry_carries_the_stored_idempotency_key(
    db: Any, memory_keyring: Any, platform_server: PlatformServer
) -> None:
    secrets.set_secret(secrets.account_key("m"), "masto-token")
    account = accounts.add(db, platform="mastodon", name="m", base_url=platform_server.url)
    st = pm.status("<p>@bakery cold coffee</p>")
    host = "127.0.0.1"
    (mid,) = insert_mentions(
        db,
        [mention_row(source="mastodon", external_id=f"{host}:{st['id']}",
                     author_handle=st["account"]["acct"], account_id=account.id, raw=st)],
    )  # fmt: skip
    statuses = pm.PostStatuses()
    platform_server.route("POST", "/api/v1/statuses", Reply.json({"error": "busy"}, status=500))
    with pytest.raises(PlatformError):
        send_reply(db, mid, "Sorry about that!", client_factory=factory())
    platform_server.handle("POST", "/api/v1/statuses", statuses)

    sent = send_reply(db, mid, "Sorry about that!", client_factory=factory())

    keys = {
        r.headers["idempotency-key"]
        for r in platform_server.requests_to("POST", "/api/v1/statuses")
    }
    assert keys == {sent.idempotency_key}
    assert len(statuses.created) == 1


def test_too_long_is_refused_before_anything_is_stored(
    db: Any, memory_keyring: Any, platform_server: PlatformServer
) -> None:
    site = px.XSite(platform_server)
    secrets.set_secret(secrets.account_key("x"), site.token)
    account = accounts.add(db, platform="x", name="x", base_url=site.url, handle="bakery")
    (mid,) = insert_mentions(db, [mention_row(source="x", external_id="1", account_id=account.id)])
    before = table_snapshot(db, "replies"), table_snapshot(db, "events")
    with pytest.raises(CrisisdeskError) as info:
        send_reply(db, mid, "a" * 281, client_factory=factory())
    assert "281 characters" in str(info.value) and "280" in str(info.value)
    assert "Shorten it by 1" in info.value.hint
    assert (table_snapshot(db, "replies"), table_snapshot(db, "events")) == before
    assert platform_server.requests == []
    check_length("x", "a" * 280)  # exactly the limit is fine


def test_platform_refusal_marks_failed_and_keeps_status(
    db: Any, memory_keyring: Any, platform_server: PlatformServer
) -> None:
    site = px.XSite(platform_server)
    secrets.set_secret(secrets.account_key("x"), site.token)
    account = accounts.add(db, platform="x", name="x", base_url=site.url, handle="bakery")
    parent = px.tweet("that bakery is bad", author=site.author("stranger"))
    site.not_mentioned.add(parent["id"])
    (mid,) = insert_mentions(
        db, [mention_row(source="x", external_id=parent["id"], account_id=account.id)]
    )
    with pytest.raises(SourceError):
        send_reply(db, mid, "Sorry to hear that.", client_factory=factory())
    (reply,) = replies.for_mention(db, mid)
    assert reply.state == "failed" and "mention or quote" in (reply.error or "")
    assert mentions.get(db, mid).status == "new"  # type: ignore[union-attr]


def test_facebook_private_after_seven_days_stores_nothing(
    db: Any, memory_keyring: Any, platform_server: PlatformServer
) -> None:
    site = fb.FacebookSite(platform_server)
    secrets.set_secret(secrets.account_key("f"), site.token)
    account = accounts.add(
        db, platform="facebook", name="f", base_url=site.url, options={"page_id": site.page["id"]}
    )
    post = site.post("menu")
    c = site.comment(post["id"], "old", author=fb.person(), when=fb.ago(days=9))
    (mid,) = insert_mentions(
        db,
        [mention_row(source="facebook", external_id=c["id"], account_id=account.id,
                     raw=json.dumps({**c, "post_id": post["id"], "is_post": False}))],
    )  # fmt: skip
    site.server.requests.clear()
    with pytest.raises(SourceError) as info:
        send_reply(db, mid, "Sorry", private=True, client_factory=factory())
    assert "within 7 days" in str(info.value)
    assert replies.for_mention(db, mid) == []
    assert site.server.requests == []


@pytest.mark.parametrize("body", ["", "   \n"])
def test_empty_reply_is_refused(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, body: str
) -> None:
    mid = reddit_mention(db, reddit)
    with pytest.raises(CrisisdeskError, match="empty"):
        send_reply(db, mid, body, client_factory=factory())
    assert replies.for_mention(db, mid) == []


def test_imported_mention_cannot_be_answered_from_here(db: Any, memory_keyring: Any) -> None:
    (mid,) = insert_mentions(db, [mention_row(source="import")])
    with pytest.raises(CrisisdeskError) as info:
        send_reply(db, mid, "Hello", client_factory=factory())
    assert "mark it as replied" in info.value.hint
    assert replies.for_mention(db, mid) == []


def test_unknown_mention(db: Any) -> None:
    with pytest.raises(CrisisdeskError, match="no mention #999"):
        send_reply(db, 999, "Hello", client_factory=factory())


def test_sent_reply_keeps_its_tone_report_and_drops_the_draft(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite
) -> None:
    from crisisdesk.store import drafts

    mid = reddit_mention(db, reddit)
    drafts.save(db, mid, "Sorry! A new cake is on its way.")
    report = {"score": 90, "findings": [], "strengths": [], "length": {"used": 31, "limit": 10000}}
    sent = send_reply(
        db, mid, "Sorry! A new cake is on its way.", client_factory=factory(), tone_report=report
    )
    assert sent.tone_report == report
    assert drafts.get(db, mid) is None
    (timed,) = replies.reply_times(db)
    assert timed.mention_id == mid and timed.first_reply_at == sent.sent_at


def test_failed_send_keeps_the_draft(db: Any, memory_keyring: Any, reddit: rd.RedditSite) -> None:
    from crisisdesk.store import drafts

    mid = reddit_mention(db, reddit)
    drafts.save(db, mid, "Sorry!")
    reddit.server.route("POST", "/api/comment", Reply.json({"error": 500}, status=500))
    with pytest.raises(PlatformError):
        send_reply(db, mid, "Sorry!", client_factory=factory())
    draft = drafts.get(db, mid)
    assert draft is not None and draft.body == "Sorry!"


def test_mark_replied_manually_stores_a_sent_reply_and_moves_the_mention(db: Any) -> None:
    from crisisdesk.services.send import mark_replied_manually
    from crisisdesk.store import drafts

    (mid,) = insert_mentions(db, [mention_row(source="import")])
    drafts.save(db, mid, "Thanks, we fixed it.")
    reply = mark_replied_manually(db, mid, "Thanks, we fixed it.", tone_report={"score": 80})
    assert reply.state == "sent" and reply.external_id is None and reply.sent_at
    assert reply.tone_report == {"score": 80}
    assert mentions.get(db, mid).status == "replied"  # type: ignore[union-attr]
    assert drafts.get(db, mid) is None
    assert [e.action for e in events.for_entity(db, "reply", reply.id)] == ["sent"]
    with pytest.raises(CrisisdeskError, match="empty"):
        mark_replied_manually(db, mid, " ")
    with pytest.raises(CrisisdeskError, match="no mention"):
        mark_replied_manually(db, 12345, "hi")
