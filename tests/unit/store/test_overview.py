"""Instant questions about the whole database."""

from __future__ import annotations

from crisisdesk.store import overview
from tests.helpers.builders import insert_mentions, mention_row


def test_is_empty_until_the_first_mention(db) -> None:
    assert overview.is_empty(db)
    insert_mentions(db, [mention_row(text="first")])
    assert not overview.is_empty(db)


def test_summary_counts(db) -> None:
    insert_mentions(
        db,
        [
            mention_row(status="new", complaint=True, created_at="2026-11-02T00:00:00Z"),
            mention_row(status="new", created_at="2026-11-01T00:00:00Z"),
            mention_row(status="open", complaint=True, created_at="2026-11-03T00:00:00Z"),
            mention_row(status="replied", complaint=True, created_at="2026-10-01T00:00:00Z"),
            mention_row(status="archived", created_at="2026-09-01T00:00:00Z"),
        ],
    )

    s = overview.summary(db)

    assert s.new == 2
    assert s.complaints_waiting == 2
    assert s.oldest_unanswered_at == "2026-11-01T00:00:00Z"
    assert s.total == 5
    assert s.by_status == {"new": 2, "open": 1, "replied": 1, "archived": 1}


def test_summary_of_an_empty_inbox(db) -> None:
    s = overview.summary(db)
    assert (s.new, s.complaints_waiting, s.oldest_unanswered_at, s.total) == (0, 0, None, 0)
