"""Stored priorities: compute a mention's priority and keep the stored one current.

A priority moves after it was stored in three ways: time passes (the waiting part grows),
the owner answers or reopens a mention (:mod:`crisisdesk.services.triage` calls
:func:`rescore`), and a sync refreshes its reach (:func:`save_synced`). The arithmetic is
``analysis.scoring``'s; the store only reads and writes.

The waiting part of a priority grows until :data:`WAITING_CAP_HOURS`, so only unanswered
mentions younger than that (plus a margin for refreshes that ran late) can change with time.
:func:`refresh_priorities` touches that recent slice only, through the ``created_at`` index.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from crisisdesk.analysis.priority import WAITING_CAP_HOURS, Priority, score
from crisisdesk.analysis.scoring import age_hours, priority_of, priority_points, waiting_hours
from crisisdesk.domain import NewMention, Scores, Status
from crisisdesk.store import mentions, meta
from crisisdesk.store.mentions import Mention, UpsertCounts
from crisisdesk.timeutil import now_utc, to_iso

__all__ = [
    "REFRESHED_AT_KEY",
    "REFRESH_MARGIN_HOURS",
    "priority_for",
    "priority_for_row",
    "refresh_priorities",
    "rescore",
    "save_synced",
]

#: how far past the cap a refresh still looks: covers mentions that crossed the cap since the
#: last refresh, provided one ran within this margin (the app refreshes far more often)
REFRESH_MARGIN_HOURS = 24.0


def priority_for(mention: Mention, now: datetime | None = None) -> Priority:
    """The priority of a stored mention at *now* (default: the current time), with its reason.

    Waiting counts only while the status is new or open.
    """
    return priority_of(mention, now or now_utc())


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
    """The same for a row dict about to be stored.

    Missing counts are 0, a missing status is "new".
    """
    moment = now or now_utc()
    created = str(row.get("created_at") or "")
    return score(
        sentiment=float(row.get("sentiment") or 0.0),
        complaint=bool(row.get("complaint")),
        cues=_cues(row.get("cues", ())),
        followers=int(row.get("author_followers") or 0),
        likes=int(row.get("likes") or 0),
        reposts=int(row.get("reposts") or 0),
        replies=int(row.get("replies") or 0),
        waiting_hours=waiting_hours(created, str(row.get("status") or Status.NEW), moment),
        age_hours=age_hours(created, moment),
    )


def rescore(db: sqlite_utils.Database, ids: Iterable[int], now: datetime | None = None) -> int:
    """Recompute and store the priority of these mentions (after a triage change or a refreshed
    reach); return how many changed. Runs in the caller's transaction, if any."""
    moment = now or now_utc()
    changes: list[tuple[int, int]] = []
    for mention_id in ids:
        mention = mentions.get(db, mention_id)
        if mention is not None:
            new = priority_of(mention, moment).score
            if new != mention.priority:
                changes.append((new, mention_id))
    if changes:
        mentions.set_priorities(db, changes)
    return len(changes)


def save_synced(
    db: sqlite_utils.Database, scored: Sequence[tuple[NewMention, Scores]]
) -> UpsertCounts:
    """Store what a sync fetched (``store.mentions.upsert``) and, in the same transaction,
    re-prioritise the known mentions whose reach it refreshed (their stored status decides
    whether they are still waiting)."""
    with db.atomic():
        counts = mentions.upsert(db, scored)
        rescore(db, counts.refreshed)
    return counts


#: key in the ``meta`` table: when :func:`refresh_priorities` last ran (UTC ISO)
REFRESHED_AT_KEY = "priorities_refreshed_at"


def _refresh_since(db: sqlite_utils.Database, now: datetime) -> str:
    """The oldest creation time whose waiting points may have moved since the last refresh.

    Normally the recent slice only; after the app was closed for days, the slice reaches back
    to the last refresh; the very first refresh looks at every unanswered mention once.
    """
    value = meta.get(db, REFRESHED_AT_KEY)
    if value is None:
        return ""
    try:
        last = min(datetime.fromisoformat(value), now)
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
        ) in mentions.unanswered_since(db, since):
            new = priority_points(
                sentiment=sentiment,
                complaint=bool(complaint),
                cues=_cues(cues) if complaint else (),  # cues only weigh on complaints
                followers=followers,
                likes=likes,
                reposts=reposts,
                replies=replies,
                created_at=created_at,
                status=status,
                now=now,
            )
            if new != old:
                changes.append((new, mention_id))
        if changes:
            mentions.set_priorities(db, changes)
        meta.put(db, REFRESHED_AT_KEY, to_iso(now))
    return len(changes)
