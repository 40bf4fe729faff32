"""Instant questions about the whole database."""

from __future__ import annotations

from crisisdesk.store import overview
from tests.helpers.builders import insert_mentions, mention_row


def test_is_empty_until_the_first_mention(db) -> None:
    assert overview.is_empty(db)
    insert_mentions(db, [mention_row(text="first")])
    assert not overview.is_empty(db)
