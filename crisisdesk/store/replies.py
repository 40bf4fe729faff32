"""Our replies to mentions: queued before sending, then sent (with the platform's id) or failed.

A reply row is written *before* anything is posted, with an idempotency key, so a retry after
a timeout reuses the same key and the platform (or the connector's check) does not post twice.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events
from crisisdesk.timeutil import now_iso

CHANNELS = ("public", "private")
STATES = ("draft", "queued", "sent", "failed")


@dataclass(frozen=True)
class Reply:
    id: int
    mention_id: int
    account_id: int | None
    body: str
    channel: str
    state: str
    idempotency_key: str | None
    external_id: str | None
    url: str | None
    error: str | None
    tone_report: dict[str, Any] | None
    created_at: str
    sent_at: str | None

    @property
    def private(self) -> bool:
        return self.channel == "private"


_COLUMNS = (
    "id", "mention_id", "account_id", "body", "channel", "state", "idempotency_key",
    "external_id", "url", "error", "tone_report", "created_at", "sent_at",
)  # fmt: skip
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM replies"


def _row(row: Any) -> Reply:
    data = dict(zip(_COLUMNS, row, strict=True))
    data["tone_report"] = json.loads(data["tone_report"]) if data["tone_report"] else None
    return Reply(**data)


def get(db: sqlite_utils.Database, reply_id: int) -> Reply | None:
    row = db.execute(_SELECT + " WHERE id = ?", [reply_id]).fetchone()
    return _row(row) if row else None


def for_mention(db: sqlite_utils.Database, mention_id: int) -> list[Reply]:
    """Every reply to one mention, oldest first."""
    rows = db.execute(_SELECT + " WHERE mention_id = ? ORDER BY id", [mention_id]).fetchall()
    return [_row(r) for r in rows]


def find_unsent(
    db: sqlite_utils.Database, mention_id: int, body: str, channel: str
) -> Reply | None:
    """The latest queued/failed reply with this exact body and channel (a retry reuses it)."""
    row = db.execute(
        _SELECT + " WHERE mention_id = ? AND body = ? AND channel = ?"
        " AND state IN ('queued', 'failed') ORDER BY id DESC LIMIT 1",
        [mention_id, body, channel],
    ).fetchone()
    return _row(row) if row else None


def queue(
    db: sqlite_utils.Database,
    mention_id: int,
    body: str,
    *,
    channel: str = "public",
    account_id: int | None = None,
    tone_report: dict[str, Any] | None = None,
) -> Reply:
    """Store a reply about to be sent (state 'queued', a fresh idempotency key) and log it."""
    if channel not in CHANNELS:
        raise CrisisdeskError(f"'{channel}' is not a reply channel.", hint="Use public or private.")
    with db.atomic():
        cursor = db.execute(
            "INSERT INTO replies (mention_id, account_id, body, channel, state, idempotency_key,"
            " tone_report, created_at) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)",
            [
                mention_id,
                account_id,
                body,
                channel,
                uuid.uuid4().hex,
                json.dumps(tone_report) if tone_report else None,
                now_iso(),
            ],
        )
        reply_id = int(cursor.lastrowid or 0)
        events.record(db, "reply", reply_id, "queue", new="queued", detail={"channel": channel})
    reply = get(db, reply_id)
    assert reply is not None
    return reply


def requeue(db: sqlite_utils.Database, reply_id: int) -> Reply:
    """Mark a failed reply as being retried (same idempotency key)."""
    with db.atomic():
        old = db.execute("SELECT state FROM replies WHERE id = ?", [reply_id]).fetchone()
        if old is None:
            raise CrisisdeskError(f"There is no reply #{reply_id}.")
        db.execute("UPDATE replies SET state = 'queued', error = NULL WHERE id = ?", [reply_id])
        events.record(db, "reply", reply_id, "retry", old=old[0], new="queued")
    reply = get(db, reply_id)
    assert reply is not None
    return reply


def mark_sent(
    db: sqlite_utils.Database, reply_id: int, *, external_id: str, url: str | None
) -> None:
    """Record that the platform accepted the reply. Call inside the caller's transaction."""
    old = db.execute("SELECT state FROM replies WHERE id = ?", [reply_id]).fetchone()
    at = now_iso()
    db.execute(
        "UPDATE replies SET state = 'sent', external_id = ?, url = ?, error = NULL, sent_at = ?"
        " WHERE id = ?",
        [external_id, url, at, reply_id],
    )
    events.record(
        db, "reply", reply_id, "sent", old=old[0] if old else None, new="sent",
        detail={"external_id": external_id, "url": url}, at=at,
    )  # fmt: skip


def mark_failed(db: sqlite_utils.Database, reply_id: int, error: str) -> None:
    """Record why sending failed; the row stays so a retry reuses its idempotency key."""
    with db.atomic():
        old = db.execute("SELECT state FROM replies WHERE id = ?", [reply_id]).fetchone()
        db.execute("UPDATE replies SET state = 'failed', error = ? WHERE id = ?", [error, reply_id])
        events.record(
            db, "reply", reply_id, "failed", old=old[0] if old else None, new="failed",
            detail={"error": error},
        )  # fmt: skip


def record_manual(
    db: sqlite_utils.Database,
    mention_id: int,
    body: str,
    *,
    channel: str = "public",
    tone_report: dict[str, Any] | None = None,
) -> Reply:
    """Store a reply the owner posted themselves (copied into the platform's own app): state
    'sent' with no platform id, so its reply time counts like any other. Call inside the
    caller's transaction."""
    if channel not in CHANNELS:
        raise CrisisdeskError(f"'{channel}' is not a reply channel.", hint="Use public or private.")
    at = now_iso()
    cursor = db.execute(
        "INSERT INTO replies (mention_id, body, channel, state, tone_report, created_at, sent_at)"
        " VALUES (?, ?, ?, 'sent', ?, ?, ?)",
        [mention_id, body, channel, json.dumps(tone_report) if tone_report else None, at, at],
    )
    reply_id = int(cursor.lastrowid or 0)
    events.record(
        db, "reply", reply_id, "sent", new="sent", detail={"channel": channel, "manual": True},
        at=at,
    )  # fmt: skip
    reply = get(db, reply_id)
    assert reply is not None
    return reply


@dataclass(frozen=True)
class ReplyTime:
    """How long one mention waited for our first sent reply (for the response-time charts)."""

    mention_id: int
    mention_created_at: str
    first_reply_at: str


def reply_times(db: sqlite_utils.Database, since: str | None = None) -> list[ReplyTime]:
    """The first sent reply of each answered mention, optionally only replies sent since
    *since* (UTC ISO), in the order they were sent."""
    rows = db.execute(
        "SELECT m.id, m.created_at, min(r.sent_at) AS first FROM replies r"
        " JOIN mentions m ON m.id = r.mention_id WHERE r.state = 'sent'"
        " AND r.sent_at IS NOT NULL GROUP BY m.id HAVING first >= ? ORDER BY first, m.id",
        [since or ""],
    ).fetchall()
    return [ReplyTime(int(r[0]), r[1], r[2]) for r in rows]
