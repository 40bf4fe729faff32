"""Follow-ups: one pending per mention, never deleted, audit events, undo via set_plans."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events, follow_ups
from crisisdesk.store.follow_ups import Plan
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


def _fu_events(db, mention_id):
    return [
        (e.old, e.new, e.detail)
        for e in events.for_entity(db, "mention", mention_id)
        if e.action == "follow_up"
    ]


def test_schedule_sets_pending_follow_up_and_logs(db):
    a, b = insert_mentions(db, [mention_row(), mention_row()])

    previous = follow_ups.schedule(db, [a, b], "2026-11-25 09:30", " call  back ")

    assert previous == {a: None, b: None}
    fu = follow_ups.pending(db, a)
    assert fu is not None
    assert (fu.due_at, fu.note, fu.done_at) == ("2026-11-25T09:30:00Z", "call back", None)
    assert _fu_events(db, b) == [(None, "2026-11-25T09:30:00Z", {"note": "call back"})]


def test_accepts_aware_datetime_and_stores_utc(db):
    (a,) = insert_mentions(db, [mention_row()])
    follow_ups.schedule(db, [a], datetime(2026, 11, 25, 9, 0, tzinfo=UTC))
    fu = follow_ups.pending(db, a)
    assert fu is not None and fu.due_at == "2026-11-25T09:00:00Z" and fu.note is None


def test_rescheduling_closes_the_old_row_instead_of_deleting_it(db):
    (a,) = insert_mentions(db, [mention_row()])
    follow_ups.schedule(db, [a], "2026-11-25T09:00:00Z")

    previous = follow_ups.schedule(db, [a], "2026-11-27T09:00:00Z")

    assert previous == {a: Plan("2026-11-25T09:00:00Z", None)}
    rows = follow_ups.history(db, a)
    assert [r.due_at for r in rows] == ["2026-11-25T09:00:00Z", "2026-11-27T09:00:00Z"]
    assert rows[0].done_at is not None and rows[1].done_at is None
    assert follow_ups.pending_for(db, [a])[a].due_at == "2026-11-27T09:00:00Z"


def test_same_plan_again_changes_nothing(db):
    (a,) = insert_mentions(db, [mention_row()])
    follow_ups.schedule(db, [a], "2026-11-25T09:00:00Z", "note")
    before = [table_snapshot(db, "follow_ups"), table_snapshot(db, "events")]

    assert follow_ups.schedule(db, [a], "2026-11-25T09:00:00Z", "note") == {}
    assert [table_snapshot(db, "follow_ups"), table_snapshot(db, "events")] == before


def test_clear_then_undo_restores_each_previous_plan(db):
    a, b, c = insert_mentions(db, [mention_row(), mention_row(), mention_row()])
    follow_ups.schedule(db, [a], "2026-11-25T09:00:00Z", "first")
    follow_ups.schedule(db, [b], "2026-11-26T09:00:00Z")

    previous = follow_ups.clear(db, [a, b, c])

    assert previous == {a: Plan("2026-11-25T09:00:00Z", "first"), b: Plan("2026-11-26T09:00:00Z")}
    assert follow_ups.pending_for(db, [a, b, c]) == {}
    assert len(follow_ups.history(db, a)) == 1  # closed, still there

    redo = follow_ups.set_plans(db, previous)
    assert redo == {a: None, b: None}
    pend = follow_ups.pending_for(db, [a, b, c])
    assert {k: (v.due_at, v.note) for k, v in pend.items()} == {
        a: ("2026-11-25T09:00:00Z", "first"),
        b: ("2026-11-26T09:00:00Z", None),
    }
    assert [(o, n) for o, n, _ in _fu_events(db, a)] == [
        (None, "2026-11-25T09:00:00Z"),
        ("2026-11-25T09:00:00Z", None),
        (None, "2026-11-25T09:00:00Z"),
    ]


@pytest.mark.parametrize("bad", ["", "next blursday", "99/99/2026", "x" * 10])
def test_bad_dates_are_refused_and_nothing_changes(db, bad):
    (a,) = insert_mentions(db, [mention_row()])
    follow_ups.schedule(db, [a], "2026-11-25T09:00:00Z")
    before = [table_snapshot(db, "follow_ups"), table_snapshot(db, "events")]

    with pytest.raises(CrisisdeskError) as info:
        follow_ups.schedule(db, [a], bad)

    assert "follow-up date" in info.value.user_text()
    assert [table_snapshot(db, "follow_ups"), table_snapshot(db, "events")] == before


def test_too_long_note_is_refused(db):
    (a,) = insert_mentions(db, [mention_row()])
    with pytest.raises(CrisisdeskError):
        follow_ups.schedule(db, [a], "2026-11-25T09:00:00Z", "n" * 501)
    assert table_snapshot(db, "follow_ups") == []


def test_due_lists_pending_before_a_time_soonest_first(db):
    a, b, c = insert_mentions(db, [mention_row(), mention_row(), mention_row()])
    follow_ups.schedule(db, [b], "2026-11-21T09:00:00Z")
    follow_ups.schedule(db, [a], "2026-11-20T09:00:00Z")
    follow_ups.schedule(db, [c], "2026-12-01T09:00:00Z")
    follow_ups.clear(db, [a])

    assert [f.mention_id for f in follow_ups.due(db, "2026-11-30T00:00:00Z")] == [b]


def test_unknown_mentions_are_ignored(db):
    assert follow_ups.schedule(db, [424242], "2026-11-25T09:00:00Z") == {}
    assert table_snapshot(db, "follow_ups") == []
    assert table_snapshot(db, "events") == []
