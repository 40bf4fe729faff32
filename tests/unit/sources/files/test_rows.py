"""One file record becomes one NewMention: every column lands in its own field."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime

import pytest

from crisisdesk.domain import NewMention
from crisisdesk.sources.files.rows import RowContext, RowError, plan, prepare_row, resolve_columns

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

RECORD = {
    "id": "ext-7",
    "platform": "Mastodon",
    "author": "@maple_fan",
    "author_name": "Maple Fan",
    "created_at": "2026-11-20T09:00:00Z",
    "text": "Still waiting for my <b>refund</b>",
    "url": "https://example.social/@maple_fan/7",
    "likes": "11",
    "reposts": "22",
    "replies": "33",
    "followers": "44",
    "in_reply_to": "ext-5",
    "thread_id": "ext-1",
}


def _prepare(record: dict[str, str]) -> tuple[NewMention, tuple[object, ...]]:
    keys = plan(resolve_columns(list(record)))
    ctx = RowContext(source_default="import", fetched_at="2026-11-20T12:00:00Z", now=NOW)
    return prepare_row(record, record, keys, ctx)


def test_every_column_lands_in_its_own_field() -> None:
    mention, score_input = _prepare(RECORD)
    assert {f.name: getattr(mention, f.name) for f in fields(mention)} == {
        "source": "mastodon",
        "external_id": "ext-7",
        "text": "Still waiting for my refund",
        "created_at": "2026-11-20T09:00:00Z",
        "fetched_at": "2026-11-20T12:00:00Z",
        "author_handle": "maple_fan",
        "author_name": "Maple Fan",
        "author_followers": 44,
        "url": "https://example.social/@maple_fan/7",
        "in_reply_to": "ext-5",
        "thread_root": "ext-1",
        "likes": 11,
        "reposts": 22,
        "replies": 33,
        "raw": json.dumps(RECORD, ensure_ascii=False),
        "account_id": None,
    }
    assert tuple(score_input) == ("Still waiting for my refund", 44, 11, 22, 33, 3.0, 3.0)


def test_a_record_without_text_is_skipped_with_the_reason() -> None:
    with pytest.raises(RowError, match="text is empty"):
        _prepare({**RECORD, "text": ""})
