"""Follow-up reminders on mentions ("check back with this customer on Friday").

A mention has at most one *pending* follow-up (``done_at IS NULL``). Setting a new date closes
the pending one and opens another; clearing closes it. Rows are never deleted, and every
change writes an audit event (entity "mention", action "follow_up") in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlite_utils

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events
from crisisdesk.store.mentions import MentionFilter
from crisisdesk.store.transactions import immediate
from crisisdesk.timeutil import normalise, now_iso, to_iso

MAX_NOTE_LENGTH = 500


@dataclass(frozen=True)
class FollowUp:
    id: int
    mention_id: int
    due_at: str  # UTC ISO
    note: str | None
    done_at: str | None
    created_at: str


@dataclass(frozen=True)
class Plan:
    """What a pending follow-up says: when, and an optional note. ``None`` means "no follow-up"."""

    due_at: str
    note: str | None = None


_SELECT = "SELECT id, mention_id, due_at, note, done_at, created_at FROM follow_ups"


def _row(row: Sequence[Any]) -> FollowUp:
    return FollowUp(*row)


def make_plan(due: str | datetime, note: str | None = None) -> Plan:
    """Check what a person entered: any accepted timestamp (naive = UTC), note trimmed."""
    try:
        due_at = to_iso(due) if isinstance(due, datetime) else normalise(due)
    except ValueError as exc:
        raise CrisisdeskError(
            f"The follow-up date is not valid: {exc}.", hint="Pick a date and time."
        ) from exc
    cleaned = " ".join((note or "").split()) or None
    if cleaned and len(cleaned) > MAX_NOTE_LENGTH:
        raise CrisisdeskError(
            "That follow-up note is too long.",
            hint=f"Keep it under {MAX_NOTE_LENGTH + 1} characters.",
        )
    return Plan(due_at=due_at, note=cleaned)


def pending(db: sqlite_utils.Database, mention_id: int) -> FollowUp | None:
    """The mention's pending follow-up, if any."""
    return pending_for(db, [mention_id]).get(mention_id)


def pending_for(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, FollowUp]:
    """Pending follow-ups per mention id (ids without one are absent)."""
    wanted = list(dict.fromkeys(ids))
    result: dict[int, FollowUp] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = db.execute(
            f"{_SELECT} WHERE done_at IS NULL"
            f" AND mention_id IN ({', '.join('?' for _ in chunk)}) ORDER BY id",
            chunk,
        ).fetchall()
        for row in rows:
            result[int(row[1])] = _row(row)  # the latest wins if data ever held two
    return result


def due(db: sqlite_utils.Database, before: str | None = None, limit: int = 200) -> list[FollowUp]:
    """Pending follow-ups due before *before* (UTC ISO; default now), soonest first."""
    rows = db.execute(
        f"{_SELECT} WHERE done_at IS NULL AND due_at < ? ORDER BY due_at, id LIMIT ?",
        [before or now_iso(), limit],
    ).fetchall()
    return [_row(r) for r in rows]


def history(db: sqlite_utils.Database, mention_id: int) -> list[FollowUp]:
    """Every follow-up the mention ever had, oldest first."""
    rows = db.execute(f"{_SELECT} WHERE mention_id = ? ORDER BY id", [mention_id]).fetchall()
    return [_row(r) for r in rows]


def set_plans(
    db: sqlite_utils.Database, values: Mapping[int, Plan | None], *, actor: str = "me"
) -> dict[int, Plan | None]:
    """Give each mention exactly this follow-up (``None``: none). One transaction.

    Unknown mention ids and mentions that already have that plan are left alone. Returns
    ``{id: previous plan}`` for the mentions that changed — pass it back here to undo.
    """
    previous: dict[int, Plan | None] = {}
    now = now_iso()
    with immediate(db):
        current = pending_for(db, values)
        for mention_id, plan in values.items():
            if db.execute("SELECT 1 FROM mentions WHERE id = ?", [mention_id]).fetchone() is None:
                continue
            old = current.get(mention_id)
            old_plan = Plan(old.due_at, old.note) if old else None
            if old_plan == plan:
                continue
            previous[mention_id] = old_plan
            if old is not None:
                db.execute("UPDATE follow_ups SET done_at = ? WHERE id = ?", [now, old.id])
            if plan is not None:
                db.execute(
                    "INSERT INTO follow_ups (mention_id, due_at, note, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    [mention_id, plan.due_at, plan.note, now],
                )
            events.record(
                db,
                "mention",
                mention_id,
                "follow_up",
                old=old_plan.due_at if old_plan else None,
                new=plan.due_at if plan else None,
                actor=actor,
                detail={"note": plan.note} if plan and plan.note else None,
                at=now,
            )
    return previous


def schedule(
    db: sqlite_utils.Database,
    ids: Iterable[int],
    due: str | datetime,
    note: str | None = None,
    *,
    actor: str = "me",
) -> dict[int, Plan | None]:
    """Set the same follow-up date (and note) on many mentions. Returns previous plans."""
    plan = make_plan(due, note)
    return set_plans(db, dict.fromkeys(ids, plan), actor=actor)


def clear(
    db: sqlite_utils.Database, ids: Iterable[int], *, actor: str = "me"
) -> dict[int, Plan | None]:
    """Close the pending follow-up of each mention (kept in history). Returns previous plans."""
    return set_plans(db, dict.fromkeys(ids), actor=actor)


@dataclass(frozen=True)
class DueFilter(MentionFilter):
    """A :class:`MentionFilter` that also keeps only mentions with an open follow-up due by
    *due_by* (UTC ISO): the inbox's "Follow-ups due" filter."""

    due_by: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        sql, params = super().where()
        if self.due_by:  # appended: query() relies on the search clause coming first
            sql += (
                " AND m.id IN (SELECT mention_id FROM follow_ups"
                " WHERE done_at IS NULL AND due_at <= ?)"
            )
            params.append(self.due_by)
        return sql, params
