"""The audit log is append-only, at the database level."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from crisisdesk.store import events, mentions
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


def test_record_and_read_back_in_order(db: Any) -> None:
    events.record(db, "mention", 1, "status", old="new", new="open", at="2026-11-20T10:00:00Z")
    events.record(db, "mention", 1, "assign", new="sam", actor="alex", detail={"why": "shift"})
    events.record(db, "mention", 2, "status", old="new", new="resolved")
    events.record(db, "reply", 1, "sent")

    history = events.for_entity(db, "mention", 1)

    assert [(e.action, e.old, e.new, e.actor) for e in history] == [
        ("status", "new", "open", "me"),
        ("assign", None, "sam", "alex"),
    ]
    assert history[0].at == "2026-11-20T10:00:00Z"
    assert history[1].detail == {"why": "shift"}
    assert history[1].at.endswith("Z") and len(history[1].at) == 20
    assert events.for_entity(db, "mention", 3) == []


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE events SET new = 'tampered'",
        "UPDATE events SET actor = 'someone else' WHERE id = 1",
        "DELETE FROM events",
        "DELETE FROM events WHERE id = 1",
    ],
)
def test_events_cannot_be_changed_or_deleted(db: Any, sql: str) -> None:
    (mention_id,) = insert_mentions(db, [mention_row()])
    mentions.set_status(db, [mention_id], "open")
    before = table_snapshot(db, "events")

    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute(sql)

    assert table_snapshot(db, "events") == before


def test_a_failed_change_leaves_no_event(db: Any) -> None:
    (mention_id,) = insert_mentions(db, [mention_row()])
    with pytest.raises(RuntimeError), db.atomic():
        mentions.set_status(db, [mention_id], "open")
        raise RuntimeError("crash before commit")
    assert table_snapshot(db, "events") == []
    assert mentions.get(db, mention_id).status == "new"  # type: ignore[union-attr]
