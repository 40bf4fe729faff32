"""Bluesky records built without the network: reply refs, facets, sortAt, record keys."""

from __future__ import annotations

import json

from crisisdesk.sources.platforms.bluesky_records import (
    ReplyParent,
    StrongRef,
    facets,
    rkey,
    sort_at,
)
from tests.helpers import payloads_bluesky as pb


def test_reply_parent_of_a_reply_names_its_thread_root() -> None:
    root = pb.post_view("root")
    parent = pb.post_view("cold coffee", author=pb.profile("carol.bsky.social"), reply_to=root)
    got = ReplyParent.of(parent)
    assert got == ReplyParent(
        ref=StrongRef(parent["uri"], parent["cid"]),
        root=StrongRef(root["uri"], root["cid"]),
        author_did=pb.did_for("carol.bsky.social"),
        author_handle="carol.bsky.social",
    )
    assert got is not None and got.root._asdict() == pb.ref(root)


def test_reply_parent_of_a_top_level_post_is_its_own_root() -> None:
    post = pb.post_view("where is my order?")
    got = ReplyParent.of(post)
    assert got is not None and got.root == got.ref == StrongRef(post["uri"], post["cid"])


def test_reply_parent_needs_a_cid_and_a_record() -> None:
    post = pb.post_view()
    assert ReplyParent.of({**post, "cid": ""}) is None
    assert ReplyParent.of({k: v for k, v in post.items() if k != "record"}) is None
    assert ReplyParent.of({}) is None
    # what a mention keeps as raw reads back the same as the view it came from
    assert ReplyParent.of(json.loads(json.dumps(post))) == ReplyParent.of(post)


def test_facets_use_the_known_author_and_resolve_the_others() -> None:
    parent = ReplyParent.of(pb.post_view(author=pb.profile("carol.bsky.social")))
    assert parent is not None
    asked: list[str] = []

    def resolve(handle: str) -> str | None:
        asked.append(handle)
        return None  # not a real handle

    text = "Hi @Carol.bsky.social and @ghost.example.com"
    (mention,) = facets(text, parent, resolve)
    assert asked == ["ghost.example.com"]
    assert mention["features"][0]["did"] == pb.did_for("carol.bsky.social")
    assert mention["index"] == {"byteStart": 3, "byteEnd": 21}


def test_sort_at_is_the_earlier_time_and_rkey_the_last_part() -> None:
    post = pb.post_view(created_at="2026-11-20T10:00:00.000Z",
                        indexed_at="2026-11-20T09:00:00.000Z")  # fmt: skip
    assert sort_at(post) == "2026-11-20T09:00:00Z"
    assert sort_at({}) == ""
    assert rkey("at://did:plc:x/app.bsky.feed.post/3labc/") == "3labc"
