"""Names offered in "Assign to": every name ever used, most recent first, from the audit log."""

from __future__ import annotations

from crisisdesk.store import assignees, mentions
from tests.helpers.builders import insert_mentions, mention_row


def test_recent_names_most_recent_first_without_duplicates_or_unassign(db):
    a, b = insert_mentions(db, [mention_row(), mention_row()])
    assert assignees.recent(db) == []

    mentions.set_assignee(db, [a], "Sam")
    mentions.set_assignee(db, [b], "Priya")
    mentions.set_assignee(db, [a], "Sam")  # no change, no event
    mentions.set_assignee(db, [b], None)
    mentions.set_assignee(db, [a, b], "Sam")

    assert assignees.recent(db) == ["Sam", "Priya"]
    assert assignees.recent(db, limit=1) == ["Sam"]
