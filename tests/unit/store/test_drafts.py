"""Drafts: one per mention, saved as the owner types, surviving a reopened database file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import drafts, open_database
from crisisdesk.store.drafts import MAX_DRAFT_CHARS
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


def test_save_replaces_and_survives_reopening(db: Any, db_path: Path) -> None:
    (mid,) = insert_mentions(db, [mention_row()])
    drafts.save(db, mid, "Hi Sam, so sorry")
    saved = drafts.save(db, mid, "Hi Sam, so sorry about the cake.", channel="private")
    assert saved is not None and saved.private and saved.updated_at.endswith("Z")

    reopened = open_database(db_path)
    again = drafts.get(reopened, mid)
    reopened.close()
    assert again is not None and again.body == "Hi Sam, so sorry about the cake."
    assert drafts.with_drafts(db) == [mid]


def test_empty_text_removes_the_draft(db: Any) -> None:
    (mid,) = insert_mentions(db, [mention_row()])
    drafts.save(db, mid, "Hello")
    assert drafts.save(db, mid, "  \n") is None
    assert drafts.get(db, mid) is None
    assert drafts.discard(db, mid) is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mention_id": 999, "body": "Hi"}, "no mention #999"),
        ({"body": "Hi", "channel": "dm"}, "not a reply channel"),
        ({"body": "x" * (MAX_DRAFT_CHARS + 1)}, "too long"),
    ],
)
def test_bad_input_is_refused_and_keeps_the_stored_draft(
    db: Any, kwargs: dict[str, Any], message: str
) -> None:
    (mid,) = insert_mentions(db, [mention_row()])
    drafts.save(db, mid, "kept")
    before = table_snapshot(db, "drafts")
    with pytest.raises(CrisisdeskError, match=message):
        drafts.save(db, **{"mention_id": mid, **kwargs})
    assert table_snapshot(db, "drafts") == before
