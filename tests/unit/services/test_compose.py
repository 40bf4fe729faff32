"""What the composer is told about a mention: route (send or copy), X sign-in, template values."""

from __future__ import annotations

from typing import Any

import pytest

from crisisdesk import secrets
from crisisdesk.domain import ReplyRoute
from crisisdesk.errors import CrisisdeskError
from crisisdesk.services.compose import order_number, reply_context, template_values
from crisisdesk.sources.platforms import x_oauth
from crisisdesk.store import accounts, drafts, follow_ups, mentions
from crisisdesk.store.mentions import MentionFilter
from tests.helpers.builders import insert_mentions, mention_row


def _mention(db: Any, **row: Any) -> int:
    (mid,) = insert_mentions(db, [mention_row(**row)])
    return mid


def test_routes(db: Any, memory_keyring: Any) -> None:
    masto = accounts.add(db, platform="mastodon", name="m", base_url="https://masto.example")
    x = accounts.add(db, platform="x", name="x", handle="bakery")
    feed = accounts.add(db, platform="feeds", name="f", base_url="https://feed.example/rss")
    imported = reply_context(db, _mention(db, source="import"))
    assert imported.route is ReplyRoute.COPY and "imported" in imported.why_copy
    assert reply_context(db, _mention(db, account_id=masto.id)).route is ReplyRoute.SEND
    feed_ctx = reply_context(db, _mention(db, source="feeds", account_id=feed.id))
    assert feed_ctx.route is ReplyRoute.COPY and "read-only" in feed_ctx.why_copy

    x_mid = _mention(db, source="x", account_id=x.id)
    before = reply_context(db, x_mid)
    assert before.route is ReplyRoute.COPY and before.can_sign_in
    assert before.private_possible  # the owner can send a DM from the X app
    x_oauth.save_tokens(
        "x", x_oauth.Tokens("a", "r", "2030-01-01T00:00:00Z", "client", "tweet.write")
    )
    after = reply_context(db, x_mid)
    assert after.route is ReplyRoute.SEND and not after.can_sign_in
    assert not after.private_possible  # crisisdesk cannot send X direct messages
    assert secrets.get_secret(secrets.session_key("x"))  # in the keyring, not the database


def test_context_carries_draft_and_follow_up(db: Any) -> None:
    mid = _mention(db)
    drafts.save(db, mid, "Hi", channel="private")
    follow_ups.schedule(db, [mid], "2026-12-01T09:00:00Z")
    context = reply_context(db, mid)
    assert context.draft is not None and context.draft.private
    assert context.follow_up is not None and context.follow_up.due_at == "2026-12-01T09:00:00Z"
    with pytest.raises(CrisisdeskError, match="no mention"):
        reply_context(db, 999)


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("Where is my order #A1234?", "A1234"),
        ("order number 55012 never came", "55012"),
        ("Order: 77-881 was cold", "77-881"),
        ("see #55012 please", "55012"),
        ("#fail #bakery", ""),
        ("I ordered twice", ""),
    ],
)
def test_order_number(text: str, order: str) -> None:
    assert order_number(text) == order


def test_template_values(db: Any) -> None:
    mid = _mention(db, author_name="Carol Jones", author_handle="carol@masto.example",
                   text="order #A1234 was late")  # fmt: skip
    m = mentions.get(db, mid)
    assert m is not None
    values = template_values(m, business=" Maple & Rye ", contact="", signature="Ana")
    assert values == {"name": "Carol", "handle": "@carol@masto.example", "business": "Maple & Rye",
                      "order": "A1234", "signature": "Ana", "platform": "Mastodon"}  # fmt: skip
    nameless = mentions.get(db, _mention(db, author_name="🍰🍰", author_handle="cakefan"))
    assert nameless is not None and template_values(nameless)["name"] == "cakefan"
    for handle, name in (
        ("Leah_coffee484", "Leah"),
        ("Marta99", "Marta"),
        ("bob_smith", "bob_smith"),
    ):
        m = mentions.get(db, _mention(db, author_name=handle, author_handle=handle))
        assert m is not None and template_values(m)["name"] == name


def test_follow_up_due_filter(db: Any) -> None:
    due, later, done = (_mention(db) for _ in range(3))
    follow_ups.schedule(db, [due], "2026-11-20T09:00:00Z")
    follow_ups.schedule(db, [later], "2026-11-30T09:00:00Z")
    follow_ups.schedule(db, [done], "2026-11-19T09:00:00Z")
    follow_ups.clear(db, [done])
    found = mentions.query(db, MentionFilter(follow_up_due_before="2026-11-23T12:00:00Z"))
    assert [m.id for m in found] == [due]
