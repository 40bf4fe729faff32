"""Labels on mentions: add/remove/set, audit events in the same transaction, undo by set_labels."""

from __future__ import annotations

import pytest

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events, labels
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


def _label_events(db, mention_id):
    return [
        (e.old, e.new) for e in events.for_entity(db, "mention", mention_id) if e.action == "label"
    ]


def test_add_creates_label_links_mentions_and_logs_one_event_each(db):
    a, b = insert_mentions(db, [mention_row(), mention_row()])

    previous = labels.add(db, [a, b], "  Wedding   cake ")

    assert previous == {a: (), b: ()}
    assert labels.all_names(db) == ["Wedding cake"]
    assert labels.for_mentions(db, [a, b]) == {a: ("Wedding cake",), b: ("Wedding cake",)}
    assert _label_events(db, a) == [(None, "Wedding cake")]
    assert _label_events(db, b) == [(None, "Wedding cake")]


def test_adding_again_or_other_case_changes_nothing_and_reuses_stored_spelling(db):
    a, b = insert_mentions(db, [mention_row(), mention_row()])
    labels.add(db, [a], "refund")
    events_before = table_snapshot(db, "events")

    assert labels.add(db, [a], "REFUND") == {}
    assert table_snapshot(db, "events") == events_before

    labels.add(db, [b], "Refund")
    assert labels.for_mention(db, b) == ["refund"]
    assert labels.all_names(db) == ["refund"]


def test_remove_only_unlinks_label_and_keeps_name_and_history(db):
    a, b = insert_mentions(db, [mention_row(), mention_row()])
    labels.add(db, [a, b], "press")
    labels.add(db, [a], "vip")

    previous = labels.remove(db, [a, b], "PRESS")

    assert previous == {a: ("press", "vip"), b: ("press",)}
    assert labels.for_mentions(db, [a, b]) == {a: ("vip",), b: ()}
    assert "press" in labels.all_names(db)  # the name itself is never deleted
    assert _label_events(db, b) == [(None, "press"), ("press", None)]


def test_remove_of_a_label_the_mention_lacks_is_not_logged(db):
    (a,) = insert_mentions(db, [mention_row()])
    assert labels.remove(db, [a], "never used") == {}
    assert _label_events(db, a) == []


def test_change_adds_and_removes_in_one_go_and_set_labels_undoes_exactly(db):
    a, b, c = insert_mentions(db, [mention_row(), mention_row(), mention_row()])
    labels.add(db, [a], "refund")
    labels.add(db, [b], "press")

    previous = labels.change(db, [a, b, c], add=["urgent"], remove=["refund"])

    assert labels.for_mentions(db, [a, b, c]) == {
        a: ("urgent",),
        b: ("press", "urgent"),
        c: ("urgent",),
    }
    undone = labels.set_labels(db, previous)
    assert labels.for_mentions(db, [a, b, c]) == {a: ("refund",), b: ("press",), c: ()}
    # what undo returns is what redo needs
    assert undone == {a: ("urgent",), b: ("press", "urgent"), c: ("urgent",)}
    assert _label_events(db, a) == [
        (None, "refund"),
        (None, "urgent"),
        ("refund", None),
        (None, "refund"),
        ("urgent", None),
    ]


@pytest.mark.parametrize(
    "bad", ["", "   ", "x" * (labels.MAX_LABEL_LENGTH + 1), "tab\u200bhidden", "bell\x07"]
)
def test_bad_label_names_are_refused_and_nothing_changes(db, bad):
    (a,) = insert_mentions(db, [mention_row()])
    labels.add(db, [a], "kept")
    before = [table_snapshot(db, t) for t in ("labels", "mention_labels", "events")]

    with pytest.raises(CrisisdeskError) as info:
        labels.add(db, [a], bad)

    assert info.value.user_text()
    assert [table_snapshot(db, t) for t in ("labels", "mention_labels", "events")] == before


def test_unknown_mention_ids_are_ignored(db):
    (a,) = insert_mentions(db, [mention_row()])
    assert labels.add(db, [a, 999_999], "refund") == {a: ()}
    assert table_snapshot(db, "mention_labels") == [(a, 1)]


def test_failure_midway_rolls_back_links_and_events(db):
    a, b = insert_mentions(db, [mention_row(), mention_row()])
    before = [table_snapshot(db, t) for t in ("labels", "mention_labels", "events")]

    with pytest.raises(CrisisdeskError):
        # the second mention's target holds an invalid name: nothing of the first may remain
        labels.set_labels(db, {a: ["fine"], b: [""]})

    assert [table_snapshot(db, t) for t in ("labels", "mention_labels", "events")] == before


def test_many_ids_beyond_sqlite_parameter_limit(db):
    ids = insert_mentions(db, [mention_row() for _ in range(1200)])
    previous = labels.add(db, ids, "bulk")
    assert len(previous) == 1200
    assert set(labels.for_mentions(db, ids).values()) == {("bulk",)}
