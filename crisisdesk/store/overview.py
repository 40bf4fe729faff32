"""Questions about the database as a whole: is it empty, the status bar's counts, which
platforms it holds (each answered from an index)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from crisisdesk.domain import Status
from crisisdesk.store.mentions import UNANSWERED


def is_empty(db: sqlite_utils.Database) -> bool:
    """True when no mention is stored yet (the app then offers the demo and import)."""
    return db.execute("SELECT 1 FROM mentions LIMIT 1").fetchone() is None


@dataclass(frozen=True)
class InboxSummary:
    new: int
    complaints_waiting: int
    oldest_unanswered_at: str | None
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def summary(db: sqlite_utils.Database) -> InboxSummary:
    """Counts for the status bar: new, complaints waiting for an answer, oldest unanswered."""
    by_status = dict(db.execute("SELECT status, count(*) FROM mentions GROUP BY status").fetchall())
    unanswered = f"status IN ({', '.join('?' for _ in UNANSWERED)})"
    waiting = db.execute(
        f"SELECT count(*) FROM mentions WHERE complaint = 1 AND {unanswered}", UNANSWERED
    ).fetchone()[0]
    oldest = db.execute(
        f"SELECT min(created_at) FROM mentions WHERE {unanswered}", UNANSWERED
    ).fetchone()[0]
    return InboxSummary(
        new=by_status.get(Status.NEW, 0),
        complaints_waiting=waiting,
        oldest_unanswered_at=oldest,
        total=sum(by_status.values()),
        by_status=by_status,
    )


def sources(db: sqlite_utils.Database) -> list[str]:
    """Platforms present in the database, for filter menus."""
    return [r[0] for r in db.execute("SELECT DISTINCT source FROM mentions ORDER BY source")]
