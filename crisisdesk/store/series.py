"""Hourly tallies for charts, spike detection and the post-crisis report, counted in SQL.

Nothing here loads mentions one by one: each query returns at most one row per UTC hour (per
source), so 90 days are ~2,160 rows whatever the number of mentions. Days and weeks
in the owner's time zone are built from these hours in ``analysis/series.py``.

The tallies are read from ``mention_hours`` (migration m008), which triggers keep up to date
as mentions are stored, changed or removed: grouping a million mentions on every chart
refresh took seconds, even from a covering index.

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


def _hours(since: str, until: str) -> list[str]:
    """Bounds on ``mention_hours.hour`` for [since, until): the hour *since* is in, and past
    the hour *until* is in unless *until* is exactly on the hour ('~' sorts after digits)."""
    on_the_hour = until[14:19] in ("", "00:00")
    return [since[:13], until[:13] if on_the_hour else until[:13] + "~"]


#: a negative mention with this many likes + reposts + replies is one people engage with
ENGAGED = 10


def hourly(db: sqlite_utils.Database, since: str, until: str) -> list[HourTally]:
    """One tally per UTC hour with mentions posted in [*since*, *until*) (UTC ISO), in order.

    Hours are whole: the hours *since* and *until* fall in count whole."""
    rows = db.execute(
        """
        SELECT hour, sum(n), sum(CASE WHEN label = 'negative' THEN n END),
               sum(CASE WHEN label = 'neutral' THEN n END),
               sum(CASE WHEN label = 'positive' THEN n END),
               sum(CASE WHEN complaint THEN n END), total(sentiment_sum),
               sum(CASE WHEN label = 'negative' THEN engagement END),
               sum(CASE WHEN label = 'negative' THEN engaged END)
        FROM mention_hours WHERE hour >= ? AND hour < ?
        GROUP BY hour HAVING sum(n) > 0 ORDER BY hour
        """,
        _hours(since, until),
    ).fetchall()
    return [
        HourTally(h, n, neg or 0, neu or 0, pos or 0, c or 0, s, e or 0, eng or 0)
        for h, n, neg, neu, pos, c, s, e, eng in rows
    ]


def by_source(db: sqlite_utils.Database, since: str, until: str) -> list[PlatformTally]:
    """What each source brought in [*since*, *until*) (whole hours), by source name."""
    rows = db.execute(
        """
        SELECT source, sum(n), sum(CASE WHEN label = 'negative' THEN n ELSE 0 END),
               sum(CASE WHEN complaint THEN n ELSE 0 END)
        FROM mention_hours WHERE hour >= ? AND hour < ?
        GROUP BY source HAVING sum(n) > 0 ORDER BY source
        """,
        _hours(since, until),
    ).fetchall()
    return [PlatformTally(*row) for row in rows]


def responses(db: sqlite_utils.Database, since: str, until: str) -> list[ResponseTally]:
    """First-reply delays of the complaints posted in [*since*, *until*), per UTC hour.

    The complaints come from the hourly tallies; the delays from the sent replies (few, and
    each finds its mention by id), so neither side scans the mentions."""
    answered = {
        hour: (n, w1, w4, total)
        for hour, n, w1, w4, total in db.execute(
            f"""
            WITH first AS (
                SELECT mention_id, min(sent_at) AS at FROM replies
                WHERE state = 'sent' AND sent_at IS NOT NULL GROUP BY mention_id
            ), delays AS (
                SELECT {_HOUR} AS hour,
                       -- whole seconds, exactly (julianday's floating point drifts)
                       max(CAST(strftime('%s', first.at) AS INTEGER)
                           - CAST(strftime('%s', m.created_at) AS INTEGER), 0) AS delay
                FROM first JOIN mentions m ON m.id = first.mention_id
                WHERE {_RANGE} AND m.complaint = 1
            )
            SELECT hour, count(*), sum(delay <= 3600), sum(delay <= 14400), total(delay)
            FROM delays GROUP BY hour
            """,
            [since, until],
        ).fetchall()
    }
    out = []
    for hour, complaints in db.execute(
        "SELECT hour, sum(n) FROM mention_hours WHERE complaint AND hour >= ? AND hour < ?"
        " GROUP BY hour HAVING sum(n) > 0 ORDER BY hour",
        _hours(since, until),
    ).fetchall():
        n, w1, w4, total = answered.get(hour, (0, 0, 0, 0.0))
        out.append(ResponseTally(hour, complaints, n, w1, w4, float(total)))
    return out


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
    # two statements: SQLite answers a lone min() or max() from the index, both at once by a scan
    first = db.execute("SELECT min(created_at) FROM mentions").fetchone()[0]
    last = db.execute("SELECT max(created_at) FROM mentions").fetchone()[0]
    return (str(first), str(last)) if first else None


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


def add_to_hours(db: sqlite_utils.Database, after_id: int) -> None:
    """Add the mentions with an id above *after_id* to the hourly tallies in one statement
    (a bulk import does this instead of the per-row trigger of m008, like its FTS batches)."""
    db.execute(
        """
        INSERT INTO mention_hours (hour, source, label, complaint, n, sentiment_sum,
                                   engagement, engaged)
        SELECT substr(created_at, 1, 13), source, label, complaint, count(*), total(sentiment),
               sum(likes + reposts + replies), sum((likes + reposts + replies) >= 10)
        FROM mentions WHERE id > ? GROUP BY 1, 2, 3, 4
        ON CONFLICT (hour, source, label, complaint) DO UPDATE SET n = n + excluded.n,
            sentiment_sum = sentiment_sum + excluded.sentiment_sum,
            engagement = engagement + excluded.engagement, engaged = engaged + excluded.engaged
        """,
        [after_id],
    )
