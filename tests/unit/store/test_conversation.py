"""A mention's conversation (thread + our replies) and history (mention + reply events)."""

from __future__ import annotations

from crisisdesk.store import conversation, events, mentions
from tests.helpers.builders import insert_mentions, mention_row


def _reply(db, mention_id, body, at, state="sent", channel="public"):
    reply_id = (
        db["replies"]
        .insert(
            {
                "mention_id": mention_id,
                "body": body,
                "channel": channel,
                "state": state,
                "created_at": at,
                "sent_at": at if state == "sent" else None,
            }
        )
        .last_pk
    )
    events.record(db, "reply", reply_id, state, new=state, at=at)
    return reply_id


def test_conversation_mixes_thread_and_our_replies_oldest_first(db):
    root, reply, current, other_source = insert_mentions(
        db,
        [
            mention_row(external_id="p1", text="root", created_at="2026-11-20T09:00:00Z"),
            mention_row(
                external_id="p2", in_reply_to="p1", text="direct", created_at="2026-11-20T09:30:00Z"
            ),
            mention_row(
                external_id="p3",
                thread_root="p1",
                in_reply_to="p2",
                text="current",
                created_at="2026-11-20T10:00:00Z",
            ),
            mention_row(source="x", external_id="p1", text="same id, other platform"),
        ],
    )
    _reply(db, root, "sorry!", "2026-11-20T09:10:00Z")
    _reply(db, current, "draft answer", "2026-11-20T10:05:00Z", state="draft")

    m = mentions.get(db, current)
    entries = conversation.conversation(db, m)

    assert [(e.kind, e.text) for e in entries] == [
        ("mention", "root"),
        ("reply", "sorry!"),
        ("mention", "current"),
        ("reply", "draft answer"),
    ]
    assert [e.is_current for e in entries] == [False, False, True, False]
    assert entries[3].reply_state == "draft" and entries[1].author == "You"
    # "direct" replies to p1 but carries no thread_root: it belongs to p1's conversation
    root_entries = conversation.conversation(db, mentions.get(db, root))
    assert [e.text for e in root_entries if e.kind == "mention"] == ["root", "direct", "current"]
    assert other_source not in {e.mention_id for e in root_entries}
    assert reply in {e.mention_id for e in root_entries}


def test_history_merges_mention_and_reply_events_in_order(db):
    (a,) = insert_mentions(db, [mention_row()])
    mentions.set_status(db, [a], "open")
    _reply(db, a, "hello", "2026-11-20T09:10:00Z")
    mentions.set_status(db, [a], "replied")

    found = conversation.history(db, a)

    assert [(e.entity, e.action, e.new) for e in found] == [
        ("mention", "status", "open"),
        ("reply", "sent", "sent"),
        ("mention", "status", "replied"),
    ]


def test_thread_lookup_uses_indexes_not_a_scan(db):
    """Selecting a mention must stay instant on a 1M-mention database."""
    (a,) = insert_mentions(db, [mention_row(external_id="q1", thread_root="q0")])
    m = mentions.get(db, a)
    plans = []
    real_execute = db.execute

    def spy(sql, params=None):
        if "thread_root" in sql and sql.lstrip().upper().startswith("SELECT"):
            plans.extend(
                r[3] for r in real_execute("EXPLAIN QUERY PLAN " + sql, params or []).fetchall()
            )
        return real_execute(sql, params) if params is not None else real_execute(sql)

    db.execute = spy
    try:
        mentions.thread(db, m)
    finally:
        del db.execute
    assert plans
    assert not [p for p in plans if p.startswith("SCAN")], plans
    assert any("idx_mentions_reply" in p for p in plans)
