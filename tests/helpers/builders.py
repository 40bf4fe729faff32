"""Small builders for test data: mention rows with sensible defaults, CSV files."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

_counter = itertools.count(1)


def mention_row(**overrides: Any) -> dict[str, Any]:
    """A stored-mention row dict (as ``store.mentions.insert_many`` takes)."""
    n = next(_counter)
    row: dict[str, Any] = {
        "source": "mastodon",
        "external_id": f"ext-{n}",
        "url": f"https://social.example/@user{n}/{n}",
        "author_handle": f"user{n}",
        "author_name": f"User {n}",
        "author_followers": 10,
        "text": f"Mention number {n}",
        "created_at": "2026-11-20T10:00:00Z",
        "fetched_at": "2026-11-20T10:05:00Z",
        "sentiment": 0.0,
        "label": "neutral",
        "complaint": False,
        "cues": [],
        "priority": 10,
        "status": "new",
    }
    row.update(overrides)
    return row


def insert_mentions(db: Any, rows: Iterable[Mapping[str, Any]]) -> list[int]:
    """Insert rows in one transaction and return their ids in order."""
    from crisisdesk.store import mentions

    rows = list(rows)
    with db.atomic():
        mentions.insert_many(db, rows)
    ids = []
    for r in rows:
        found = db.execute(
            "SELECT id FROM mentions WHERE source = ? AND external_id = ?",
            [r["source"], r["external_id"]],
        ).fetchone()
        ids.append(found[0])
    return ids


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[Any]], **fmt: Any) -> Path:
    encoding = fmt.pop("encoding", "utf-8")
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, **fmt)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def table_snapshot(db: Any, table: str = "mentions") -> list[tuple[Any, ...]]:
    """Every row of *table*, for 'nothing stored was altered' assertions."""
    return [tuple(r) for r in db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()]
