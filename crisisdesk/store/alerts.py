"""Crisis alerts found by spike detection (the ``alerts`` table of m001).

One row per episode and metric (``kind``): ``window_start`` / ``window_end`` are UTC ISO, and
``detail`` holds the numbers and the driving mention ids as JSON. Recording the same episode
again (it grew, or a later sync saw it too) updates the row instead of adding one, so the app
tells the owner about an episode once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from crisisdesk.timeutil import now_iso


@dataclass(frozen=True)
class StoredAlert:
    id: int
    kind: str
    window_start: str
    window_end: str
    detail: dict[str, Any]
    created_at: str
    acknowledged_at: str | None


_SELECT = (
    "SELECT id, kind, window_start, window_end, detail, created_at, acknowledged_at FROM alerts"
)


def _row(row: Any) -> StoredAlert:
    detail = json.loads(row[4]) if row[4] else {}
    return StoredAlert(row[0], row[1], row[2], row[3], detail, row[5], row[6])


def upsert(
    db: sqlite_utils.Database, kind: str, start: str, end: str, detail: dict[str, Any]
) -> tuple[StoredAlert, bool]:
    """Store an episode; an alert of the same kind whose window overlaps [start, end) is the
    same episode and is widened. Returns (the alert, whether it is new)."""
    with db.atomic():
        row = db.execute(
            _SELECT + " WHERE kind = ? AND window_start < ? AND window_end > ?"
            " ORDER BY id DESC LIMIT 1",
            [kind, end, start],
        ).fetchone()
        if row is not None:
            old = _row(row)
            db.execute(
                "UPDATE alerts SET window_start = min(window_start, ?),"
                " window_end = max(window_end, ?), detail = ? WHERE id = ?",
                [start, end, json.dumps(detail), old.id],
            )
            alert_id, new = old.id, False
        else:
            cursor = db.execute(
                "INSERT INTO alerts (window_start, window_end, kind, detail, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [start, end, kind, json.dumps(detail), now_iso()],
            )
            alert_id, new = int(cursor.lastrowid or 0), True
    found = get(db, alert_id)
    assert found is not None
    return found, new


def get(db: sqlite_utils.Database, alert_id: int) -> StoredAlert | None:
    row = db.execute(_SELECT + " WHERE id = ?", [alert_id]).fetchone()
    return _row(row) if row else None


def between(db: sqlite_utils.Database, since: str, until: str) -> list[StoredAlert]:
    """Alerts whose window overlaps [since, until), oldest first."""
    rows = db.execute(
        _SELECT + " WHERE window_start < ? AND window_end > ? ORDER BY window_start, id",
        [until, since],
    ).fetchall()
    return [_row(r) for r in rows]


def acknowledge(db: sqlite_utils.Database, alert_ids: list[int]) -> None:
    """The owner has seen these alerts (the banner was dismissed)."""
    with db.atomic():
        db.conn.executemany(
            "UPDATE alerts SET acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL",
            [(now_iso(), i) for i in alert_ids],
        )
