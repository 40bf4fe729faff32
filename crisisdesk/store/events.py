"""Append-only audit log: every status change, assignment, label, follow-up and send."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from crisisdesk.timeutil import now_iso


@dataclass(frozen=True)
class Event:
    id: int
    at: str
    entity: str
    entity_id: int | None
    action: str
    old: str | None
    new: str | None
    actor: str
    detail: dict[str, Any] | None


def record(
    db: sqlite_utils.Database,
    entity: str,
    entity_id: int | None,
    action: str,
    *,
    old: str | None = None,
    new: str | None = None,
    actor: str = "me",
    detail: dict[str, Any] | None = None,
    at: str | None = None,
) -> None:
    """Append one event. Call inside the caller's transaction so both land or neither."""
    db.execute(
        "INSERT INTO events (at, entity, entity_id, action, old, new, actor, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            at or now_iso(),
            entity,
            entity_id,
            action,
            old,
            new,
            actor,
            json.dumps(detail) if detail else None,
        ],
    )


def for_entity(db: sqlite_utils.Database, entity: str, entity_id: int) -> list[Event]:
    """The history of one entity, oldest first."""
    rows = db.execute(
        "SELECT id, at, entity, entity_id, action, old, new, actor, detail FROM events"
        " WHERE entity = ? AND entity_id = ? ORDER BY id",
        [entity, entity_id],
    ).fetchall()
    return [
        Event(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]) if r[8] else None)
        for r in rows
    ]
