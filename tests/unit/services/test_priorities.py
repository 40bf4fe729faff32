"""services.priorities: priorities of stored mentions and refreshing their waiting part.

(Lives with the analysis tests because it is the analysis helper's module; it uses a real
SQLite file through the ``db`` fixture.)
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crisisdesk.analysis.priority import WAITING_CAP_HOURS, score
from crisisdesk.analysis.scoring import waiting_hours
from crisisdesk.services import triage
from crisisdesk.services.priorities import (
    REFRESH_MARGIN_HOURS,
    REFRESHED_AT_KEY,
    priority_for,
    priority_for_row,
    refresh_priorities,
)
from crisisdesk.store import mentions
from crisisdesk.store.mentions import UNANSWERED_SINCE_SQL
from crisisdesk.timeutil import to_iso
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _ago(hours: float) -> str:
    return to_iso(NOW - timedelta(hours=hours))


def _priorities(db: Any) -> dict[int, int]:
    return dict(db.execute("SELECT id, priority FROM mentions").fetchall())


def test_waiting_hours_counts_only_unanswered() -> None:
    assert waiting_hours(_ago(5), "new", NOW) == pytest.approx(5)
    assert waiting_hours(_ago(5), "open", NOW) == pytest.approx(5)
    for status in ("replied", "offline", "resolved", "archived"):
        assert waiting_hours(_ago(5), status, NOW) is None
    assert waiting_hours(to_iso(NOW + timedelta(hours=3)), "new", NOW) == 0.0  # clock skew
    assert waiting_hours("not a time", "new", NOW) == 0.0
    assert waiting_hours(_ago(2), "new", NOW.replace(tzinfo=None)) == pytest.approx(2)


def test_priority_for_a_stored_mention(db: Any) -> None:
    new_id, replied_id = insert_mentions(
        db,
        [
            mention_row(
                created_at=_ago(5),
                complaint=True,
                cues=["non_delivery"],
                sentiment=-0.4,
                label="negative",
                author_followers=12_000,
            ),
            mention_row(created_at=_ago(5), status="replied", sentiment=0.6, label="positive"),
        ],
    )
    waiting = priority_for(mentions.get(db, new_id), NOW)  # type: ignore[arg-type]
    assert waiting.reason == (
        "Complaint (order never arrived) from an account with 12k followers, posted 5 hours ago,"
        " not answered yet."
    )
    assert waiting == score(
        sentiment=-0.4,
        complaint=True,
        cues=("non_delivery",),
        followers=12_000,
        likes=0,
        reposts=0,
        replies=0,
        waiting_hours=5.0,
    )
    answered = priority_for(mentions.get(db, replied_id), NOW)  # type: ignore[arg-type]
    assert answered.reason == "Positive mention, already answered."


def test_priority_for_a_row_about_to_be_stored() -> None:
    row = mention_row(created_at=_ago(3), complaint=True, cues=["refund"], sentiment=-0.2, likes=30)
    assert priority_for_row(row, NOW) == score(
        sentiment=-0.2,
        complaint=True,
        cues=("refund",),
        followers=10,
        likes=30,
        reposts=0,
        replies=0,
        waiting_hours=3.0,
    )
    # cues as stored JSON text, missing counts and status
    bare = {"created_at": _ago(1), "sentiment": 0.0, "cues": '["refund"]', "complaint": 1}
    assert (
        priority_for_row(bare, NOW).reason
        == "Complaint (wants their money back), posted 1 hour ago, not answered yet."
    )
    assert priority_for_row({"cues": "not json"}, NOW).score >= 0


def test_refresh_updates_only_recent_unanswered_mentions(db: Any) -> None:
    window = WAITING_CAP_HOURS + REFRESH_MARGIN_HOURS
    rows = {
        "fresh_new": mention_row(created_at=_ago(1), priority=0),
        "fresh_open": mention_row(created_at=_ago(30), status="open", priority=0),
        "fresh_replied": mention_row(created_at=_ago(2), status="replied", priority=77),
        "old_new": mention_row(created_at=_ago(window + 1), priority=3),
        "future": mention_row(created_at=to_iso(NOW + timedelta(hours=2)), priority=55),
    }
    ids = dict(zip(rows, insert_mentions(db, rows.values()), strict=True))
    events_before = table_snapshot(db, "events")
    _mark_refreshed(db, NOW - timedelta(minutes=10))  # the app refreshed a moment ago

    changed = refresh_priorities(db, NOW)

    after = _priorities(db)
    expected = {
        name: priority_for(mentions.get(db, ids[name]), NOW).score  # type: ignore[arg-type]
        for name in ("fresh_new", "fresh_open", "future")
    }
    assert {name: after[ids[name]] for name in expected} == expected
    assert after[ids["fresh_replied"]] == 77  # answered: not touched
    assert after[ids["old_new"]] == 3  # beyond the window: not read at all
    assert changed == sum(1 for name, value in expected.items() if value != rows[name]["priority"])
    assert changed >= 2
    assert table_snapshot(db, "events") == events_before  # priorities are not audit events

    assert refresh_priorities(db, NOW) == 0  # nothing left to change


def test_refresh_follows_the_clock(db: Any) -> None:
    (mention_id,) = insert_mentions(db, [mention_row(created_at=_ago(0), priority=0)])
    refresh_priorities(db, NOW)
    first = _priorities(db)[mention_id]
    assert refresh_priorities(db, NOW + timedelta(hours=6)) == 1
    later = _priorities(db)[mention_id]
    assert later < first  # a new post's freshness points fall as it ages
    # past the cap nothing grows any more
    refresh_priorities(db, NOW + timedelta(hours=WAITING_CAP_HOURS))
    assert refresh_priorities(db, NOW + timedelta(hours=WAITING_CAP_HOURS + 10)) == 0


def test_refresh_on_an_empty_database(db: Any) -> None:
    assert refresh_priorities(db, NOW) == 0
    assert refresh_priorities(db) == 0


def test_refresh_reads_the_created_at_index(db: Any) -> None:
    """Cheap on a million mentions: a range scan over the recent slice, not the status index."""
    plan = db.execute(
        "EXPLAIN QUERY PLAN " + UNANSWERED_SINCE_SQL, ["2026-11-20T00:00:00Z", "new", "open"]
    )
    details = " ".join(str(row[-1]) for row in plan.fetchall())
    assert "idx_mentions_created" in details
    assert "created_at>?" in details.replace(" ", "")


def test_refresh_is_all_or_nothing(db: Any) -> None:
    ids = insert_mentions(db, [mention_row(created_at=_ago(h), priority=0) for h in (1, 2, 3)])
    before = table_snapshot(db)
    # a real SQLite trigger makes the update of the last row fail half-way through
    db.execute(
        "CREATE TEMP TRIGGER refuse_update BEFORE UPDATE OF priority ON main.mentions"
        f" WHEN old.id = {ids[-1]} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    with pytest.raises(sqlite3.DatabaseError, match="disk on fire"):
        refresh_priorities(db, NOW)
    assert table_snapshot(db) == before
    db.execute("DROP TRIGGER refuse_update")
    assert refresh_priorities(db, NOW) == 3


def _mark_refreshed(db: Any, when: datetime) -> None:
    db.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [REFRESHED_AT_KEY, to_iso(when)]
    )


def test_first_refresh_corrects_every_unanswered_mention(db: Any) -> None:
    """Rows scored at import time never refreshed before: their waiting points are stale."""
    old_id, answered_id = insert_mentions(
        db,
        [
            mention_row(created_at=_ago(24 * 10), priority=3),
            mention_row(created_at=_ago(24 * 10), status="resolved", priority=3),
        ],
    )
    assert refresh_priorities(db, NOW) == 1
    after = _priorities(db)
    assert after[old_id] == priority_for(mentions.get(db, old_id), NOW).score  # type: ignore[arg-type]
    assert after[old_id] > 3
    assert after[answered_id] == 3


def test_refresh_after_days_closed_reaches_back_to_the_last_refresh(db: Any) -> None:
    window = WAITING_CAP_HOURS + REFRESH_MARGIN_HOURS
    _mark_refreshed(db, NOW - timedelta(days=20))
    (mention_id,) = insert_mentions(db, [mention_row(created_at=_ago(24 * 20 + 1), priority=0)])
    assert window < 24 * 20 + 1  # outside the normal slice, inside the one since the last run
    assert refresh_priorities(db, NOW) == 1
    assert _priorities(db)[mention_id] > 0


def test_answering_a_mention_ends_its_waiting_points(db: Any) -> None:
    (mention_id,) = insert_mentions(
        db, [mention_row(created_at=_ago(30), complaint=True, cues=["refund"], sentiment=-0.5)]
    )
    refresh_priorities(db)
    waiting = _priorities(db)[mention_id]
    triage.set_status(db, [mention_id], "replied")
    answered = _priorities(db)[mention_id]
    assert answered < waiting
    assert answered == priority_for(mentions.get(db, mention_id)).score  # type: ignore[arg-type]
    triage.restore_statuses(db, {mention_id: "new"})
    assert _priorities(db)[mention_id] == waiting


def test_triage_rescores_in_its_transaction_and_assigning_does_not(db: Any) -> None:
    (mention_id,) = insert_mentions(
        db, [mention_row(created_at=_ago(30), complaint=True, cues=["refund"], priority=0)]
    )
    # the store only writes the status; the service also re-prioritises
    mentions.set_status(db, [mention_id], "open")
    assert _priorities(db)[mention_id] == 0
    assert triage.set_status(db, [mention_id], "new") == {mention_id: "open"}
    waiting = _priorities(db)[mention_id]
    assert waiting == priority_for(mentions.get(db, mention_id)).score  # type: ignore[arg-type]
    assert triage.set_assignee(db, [mention_id], "Sam") == {mention_id: None}
    assert _priorities(db)[mention_id] == waiting


def test_save_synced_rescores_mentions_whose_reach_grew(db: Any) -> None:
    from crisisdesk.analysis.scoring import score
    from crisisdesk.domain import NewMention
    from crisisdesk.services.priorities import rescore, save_synced

    mention = NewMention(
        "mastodon", "s1", "Still waiting for my refund", _ago(3), _ago(0), author_followers=10
    )
    counts = save_synced(db, [(mention, score(mention, NOW))])
    assert (counts.inserted, counts.refreshed) == (1, [])
    (stored,) = mentions.query(db)
    bigger = NewMention(
        "mastodon", "s1", "Still waiting for my refund", _ago(3), _ago(0), author_followers=90_000
    )
    counts = save_synced(db, [(bigger, score(bigger, NOW))])
    assert (counts.updated, counts.refreshed) == (1, [stored.id])
    after = mentions.get(db, stored.id)
    assert after is not None and after.author_followers == 90_000
    # both at the same (real) time: more followers, a higher priority
    assert after.priority == priority_for(after).score > priority_for(stored).score
    assert rescore(db, [stored.id, 987_654]) == 0  # already current; unknown ids are skipped
