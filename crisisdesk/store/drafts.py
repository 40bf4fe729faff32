"""The composer's unsent replies: one draft per mention, saved as the owner types.

A draft is written on every pause in typing (the composer debounces), in its own short
transaction, so a crash loses at most the last pause's keystrokes. Sending a reply removes the
draft only once the platform accepted it: a failed send keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlite_utils

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store.replies import CHANNELS
from crisisdesk.timeutil import now_iso

#: a draft longer than this is refused (Reddit's 10,000 is the longest platform limit)
MAX_DRAFT_CHARS = 40_000


@dataclass(frozen=True)
class Draft:
    mention_id: int
    body: str
    channel: str
    template_id: int | None
    updated_at: str  # UTC ISO

    @property
    def private(self) -> bool:
        return self.channel == "private"


_SELECT = "SELECT mention_id, body, channel, template_id, updated_at FROM drafts"


def _row(row: Any) -> Draft:
    return Draft(int(row[0]), row[1], row[2], row[3], row[4])


def get(db: sqlite_utils.Database, mention_id: int) -> Draft | None:
    """The saved draft of one mention, if any."""
    row = db.execute(_SELECT + " WHERE mention_id = ?", [mention_id]).fetchone()
    return _row(row) if row else None


def with_drafts(db: sqlite_utils.Database) -> list[int]:
    """Ids of the mentions that have a draft, most recently edited first."""
    rows = db.execute("SELECT mention_id FROM drafts ORDER BY updated_at DESC").fetchall()
    return [int(r[0]) for r in rows]


def save(
    db: sqlite_utils.Database,
    mention_id: int,
    body: str,
    *,
    channel: str = "public",
    template_id: int | None = None,
) -> Draft | None:
    """Remember *body* as the draft reply to *mention_id*; an empty body removes the draft.

    Returns the stored draft (``None`` when removed). Raises ``CrisisdeskError`` for an unknown
    mention, channel or an absurdly long text; nothing already stored is changed then.
    """
    if channel not in CHANNELS:
        raise CrisisdeskError(f"'{channel}' is not a reply channel.", hint="Use public or private.")
    if len(body) > MAX_DRAFT_CHARS:
        raise CrisisdeskError(
            "This draft is too long to keep.",
            hint=f"Keep a reply under {MAX_DRAFT_CHARS:,} characters.",
        )
    if not body.strip():
        discard(db, mention_id)
        return None
    with db.atomic():
        if db.execute("SELECT 1 FROM mentions WHERE id = ?", [mention_id]).fetchone() is None:
            raise CrisisdeskError(f"There is no mention #{mention_id} to draft a reply to.")
        db.execute(
            "INSERT INTO drafts (mention_id, body, channel, template_id, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (mention_id) DO UPDATE SET body = excluded.body,"
            " channel = excluded.channel, template_id = excluded.template_id,"
            " updated_at = excluded.updated_at",
            [mention_id, body, channel, template_id, now_iso()],
        )
    return get(db, mention_id)


def discard(db: sqlite_utils.Database, mention_id: int) -> bool:
    """Forget the draft of *mention_id*; ``False`` when there was none."""
    with db.atomic():
        cursor = db.execute("DELETE FROM drafts WHERE mention_id = ?", [mention_id])
    return bool(cursor.rowcount)
