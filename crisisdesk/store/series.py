"""Hourly tallies for charts, spike detection and the post-crisis report, counted in SQL.

Nothing here loads mentions one by one: each query groups by the UTC hour
(``substr(created_at, 1, 13)``) over the ``created_at`` index and returns at most one row per
hour (per source), so 90 days are ~2,160 rows whatever the number of mentions. Days and weeks
in the owner's time zone are built from these hours in ``analysis/series.py``.

What records an answer: a reply in ``replies`` with state ``sent``; its ``sent_at`` is when.
The first such reply of a complaint is its response (a status set by hand without a reply
sent through crisisdesk has no time we could trust, so it does not count).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from crisisdesk.domain import HourTally, PlatformTally, ResponseTally

_HOUR = "substr(m.created_at, 1, 13)"
_ENGAGEMENT = "(m.likes + m.reposts + m.replies)"
_RANGE = "m.created_at >= ? AND m.created_at < ?"
#: a negative mention with this many likes + reposts + replies is one people engage with
ENGAGED = 10


def hourly(db: sqlite_utils.Database, since: str, until: str) -> list[HourTally]:
    """One tally per UTC hour with mentions posted in [*since*, *until*) (UTC ISO), in order."""
    rows = db.execute(
        f"""
        SELECT {_HOUR} AS hour, count(*),
               sum(m.label = 'negative'), sum(m.label = 'neutral'), sum(m.label = 'positive'),
               sum(m.complaint), total(m.sentiment),
               sum(CASE WHEN m.label = 'negative' THEN {_ENGAGEMENT} ELSE 0 END),
               sum(m.label = 'negative' AND {_ENGAGEMENT} >= {ENGAGED})
        FROM mentions m INDEXED BY idx_mentions_created
        WHERE {_RANGE} GROUP BY hour ORDER BY hour
        """,
        [since, until],
    ).fetchall()
    return [HourTally(*row) for row in rows]


def hourly_by_source(db: sqlite_utils.Database, since: str, until: str) -> list[PlatformTally]:
    """One tally per UTC hour and source in [*since*, *until*)."""
    rows = db.execute(
        f"""
        SELECT {_HOUR} AS hour, m.source, count(*), sum(m.label = 'negative'), sum(m.complaint)
        FROM mentions m INDEXED BY idx_mentions_created
        WHERE {_RANGE} GROUP BY hour, m.source ORDER BY hour, m.source
        """,
        [since, until],
    ).fetchall()
    return [PlatformTally(*row) for row in rows]


def responses(db: sqlite_utils.Database, since: str, until: str) -> list[ResponseTally]:
    """First-reply delays of the complaints posted in [*since*, *until*), per UTC hour."""
    rows = db.execute(
        f"""
        WITH first AS (
            SELECT mention_id, min(sent_at) AS at FROM replies
            WHERE state = 'sent' AND sent_at IS NOT NULL GROUP BY mention_id
        ), delays AS (
            SELECT {_HOUR} AS hour,
                   (julianday(first.at) - julianday(m.created_at)) * 86400.0 AS delay
            FROM mentions m INDEXED BY idx_mentions_created
            LEFT JOIN first ON first.mention_id = m.id
            WHERE {_RANGE} AND m.complaint = 1
        )
        SELECT hour, count(*), count(delay), sum(delay <= 3600), sum(delay <= 14400),
               total(max(delay, 0))
        FROM delays GROUP BY hour ORDER BY hour
        """,
        [since, until],
    ).fetchall()
    return [ResponseTally(h, n, a, w1 or 0, w4 or 0, s) for h, n, a, w1, w4, s in rows]


def replies_sent(db: sqlite_utils.Database, since: str, until: str) -> list[tuple[str, int]]:
    """(UTC hour, replies sent in it) for the business's sent replies in [*since*, *until*)."""
    rows = db.execute(
        "SELECT substr(sent_at, 1, 13) AS hour, count(*) FROM replies"
        " WHERE state = 'sent' AND sent_at >= ? AND sent_at < ? GROUP BY hour ORDER BY hour",
        [since, until],
    ).fetchall()
    return [(str(h), int(n)) for h, n in rows]


#: what makes a mention one that drove an alert, per metric (see analysis.spikes.Metric)
_DRIVERS = {
    "complaints": ("m.complaint = 1", "m.created_at"),
    "negative_share": ("m.label = 'negative'", "m.created_at"),
    "engagement": (f"m.label = 'negative' AND {_ENGAGEMENT} >= {ENGAGED}", f"{_ENGAGEMENT} DESC"),
}


def driving_mentions(
    db: sqlite_utils.Database, metric: str, since: str, until: str, *, limit: int = 2000
) -> list[int]:
    """Ids of the mentions behind an alert on *metric* in [*since*, *until*): the complaints,
    the negative mentions, or the most engaged negative mentions first."""
    where, order = _DRIVERS[metric]
    rows = db.execute(
        f"SELECT m.id FROM mentions m INDEXED BY idx_mentions_created"
        f" WHERE {_RANGE} AND {where} ORDER BY {order} LIMIT ?",
        [since, until, limit],
    ).fetchall()
    return [int(r[0]) for r in rows]


def data_range(db: sqlite_utils.Database) -> tuple[str, str] | None:
    """(first, last) created_at of all mentions, or None on an empty database (index only)."""
    row = db.execute("SELECT min(created_at), max(created_at) FROM mentions").fetchone()
    return (str(row[0]), str(row[1])) if row and row[0] else None


@dataclass(frozen=True)
class SentReplyRow:
    sent_at: str
    channel: str
    body: str
    mention_text: str
    source: str


def sent_replies(
    db: sqlite_utils.Database, since: str, until: str, *, limit: int = 200
) -> list[SentReplyRow]:
    """The business's replies sent in [*since*, *until*), oldest first, with what they answered."""
    rows = db.execute(
        "SELECT r.sent_at, r.channel, r.body, m.text, m.source FROM replies r"
        " JOIN mentions m ON m.id = r.mention_id"
        " WHERE r.state = 'sent' AND r.sent_at >= ? AND r.sent_at < ? ORDER BY r.sent_at LIMIT ?",
        [since, until, limit],
    ).fetchall()
    return [SentReplyRow(*row) for row in rows]
