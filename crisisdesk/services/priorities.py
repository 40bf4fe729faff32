"""Stored priorities: compute a mention's priority and keep the waiting part current.

The waiting part of a priority grows until :data:`WAITING_CAP_HOURS`, so only unanswered
mentions younger than that (plus a margin for refreshes that ran late) can change with time.
:func:`refresh_priorities` touches that recent slice only, through the ``created_at`` index.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from crisisdesk.analysis.priority import WAITING_CAP_HOURS, Priority, points, score
from crisisdesk.store.mentions import UNANSWERED, Mention
from crisisdesk.timeutil import now_utc, to_iso

#: how far past the cap a refresh still looks: covers mentions that crossed the cap since the
#: last refresh, provided one ran within this margin (the app refreshes far more often)
REFRESH_MARGIN_HOURS = 24.0

# "+status" keeps SQLite off the status index: nearly every imported mention is "new", so that
# index would walk most of the table; the created_at index narrows to the recent slice.
REFRESH_SQL = (
    "SELECT id, sentiment, complaint, cues, author_followers, likes, reposts, replies,"
    " created_at, status, priority FROM mentions"
    f" WHERE created_at >= ? AND +status IN ({', '.join('?' for _ in UNANSWERED)})"
)


def waiting_hours(created_at: str, status: str, now: datetime) -> float | None:
    """Hours without an answer, or ``None`` once answered or closed. Never negative.

    A naive *now* is taken as UTC, like every stored time.
    """
    if status not in UNANSWERED:
        return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        # the stored form ("2026-11-23T15:04:05Z"); fromisoformat is ~30x faster than strptime
        created = datetime.fromisoformat(created_at)
    except (TypeError, ValueError):  # not a stored timestamp: treat as just arrived
        return 0.0
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return max(0.0, (now - created).total_seconds() / 3600.0)


def priority_for(mention: Mention, now: datetime | None = None) -> Priority:
    """The priority of a stored mention at *now* (default: the current time).

    Waiting counts only while the status is new or open.
    """
    return score(
        sentiment=mention.sentiment,
        complaint=mention.complaint,
        cues=mention.cues,
        followers=mention.author_followers,
        likes=mention.likes,
        reposts=mention.reposts,
        replies=mention.replies,
        waiting_hours=waiting_hours(mention.created_at, mention.status, now or now_utc()),
    )


def _cues(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            return ()
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(c) for c in value)


def priority_for_row(row: Mapping[str, Any], now: datetime | None = None) -> Priority:
    """The same for a row dict about to be stored (importers and sync use this).

    Missing counts are 0, a missing status is "new".
    """
    return score(
        sentiment=float(row.get("sentiment") or 0.0),
        complaint=bool(row.get("complaint")),
        cues=_cues(row.get("cues", ())),
        followers=int(row.get("author_followers") or 0),
        likes=int(row.get("likes") or 0),
        reposts=int(row.get("reposts") or 0),
        replies=int(row.get("replies") or 0),
        waiting_hours=waiting_hours(
            str(row.get("created_at") or ""), str(row.get("status") or "new"), now or now_utc()
        ),
    )


#: key in the ``meta`` table: when :func:`refresh_priorities` last ran (UTC ISO)
REFRESHED_AT_KEY = "priorities_refreshed_at"


def _refresh_since(db: sqlite_utils.Database, now: datetime) -> str:
    """The oldest creation time whose waiting points may have moved since the last refresh.

    Normally the recent slice only; after the app was closed for days, the slice reaches back
    to the last refresh; the very first refresh looks at every unanswered mention once.
    """
    row = db.execute("SELECT value FROM meta WHERE key = ?", [REFRESHED_AT_KEY]).fetchone()
    if row is None:
        return ""
    try:
        last = min(datetime.fromisoformat(row[0]), now)
    except ValueError:
        return ""
    return to_iso(min(last, now) - timedelta(hours=WAITING_CAP_HOURS + REFRESH_MARGIN_HOURS))


def refresh_priorities(db: sqlite_utils.Database, now: datetime | None = None) -> int:
    """Recompute the priority of recent unanswered mentions; return how many changed.

    Only mentions with status new/open created within ``WAITING_CAP_HOURS`` plus
    ``REFRESH_MARGIN_HOURS`` of the previous refresh (or of *now*) are read (a range scan on
    the ``created_at`` index), and only changed rows are written, all in one transaction.
    """
    now = now or now_utc()
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    since = _refresh_since(db, now)
    with db.atomic():
        rows = db.execute(REFRESH_SQL, [since, *UNANSWERED]).fetchall()
        changes: list[tuple[int, int]] = []
        for (
            mention_id,
            sentiment,
            complaint,
            cues,
            followers,
            likes,
            reposts,
            replies,
            created_at,
            status,
            old,
        ) in rows:
            new = points(
                sentiment=sentiment,
                complaint=bool(complaint),
                cues=_cues(cues) if complaint else (),  # cues only weigh on complaints
                followers=followers,
                likes=likes,
                reposts=reposts,
                replies=replies,
                waiting_hours=waiting_hours(created_at, status, now),
            )
            if new != old:
                changes.append((new, mention_id))
        if changes:
            db.conn.executemany("UPDATE mentions SET priority = ? WHERE id = ?", changes)
        db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [REFRESHED_AT_KEY, to_iso(now)],
        )
    return len(changes)
