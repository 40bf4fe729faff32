"""Many new mentions at once (an import, the demo): typed mentions and their scores go
straight to the insert statement, and big imports index for search in bulk."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from itertools import repeat
from operator import attrgetter
from typing import Any

import sqlite_utils

from crisisdesk.domain import NewMention, Scores, Sentiment, Status
from crisisdesk.store import mentions, series
from crisisdesk.store.mentions import UpsertCounts

_FTS_INSERT_TRIGGER = "mentions_ai"  # created by sqlite-utils enable_fts in migrations.py
_HOURS_INSERT_TRIGGER = "mention_hours_insert"  # m008: the hourly tallies of the charts


# the NewMention fields in INSERT_COLUMNS order, up to the scores
_NEW_HEAD = attrgetter(*mentions.INSERT_COLUMNS[: mentions.INSERT_COLUMNS.index("sentiment")])


@functools.lru_cache(maxsize=4096)
def _cues_json(cues: tuple[str, ...]) -> str:
    return json.dumps(list(cues))  # few distinct cue lists: each is encoded once


#: the plain ``str`` of each label and status. sqlite3 binds only exact ``str`` without asking
#: its adapters: an enum member costs ~0.6 µs more per parameter. (Plain strings map to
#: themselves: a ``StrEnum`` member hashes and compares as its value.)
_PLAIN: dict[str, str] = {m: m.value for m in (*Sentiment, *Status)}


def _new_values(mention: NewMention, scores: Scores, status: str) -> tuple[Any, ...]:
    # this runs for every row of a million-row import: a tuple, no dict in between
    sentiment, label, complaint, cues, priority = scores
    plain = _PLAIN.get
    return (*_NEW_HEAD(mention), sentiment, plain(label, label), int(complaint),
            _cues_json(cues), priority, plain(status, status), mention.raw,
            mention.account_id)  # fmt: skip


def insert_new(
    db: sqlite_utils.Database,
    new: Sequence[NewMention],
    scores: Sequence[Scores],
    status: str | Sequence[str] = Status.NEW,
) -> UpsertCounts:
    """Insert new mentions with their scores (one *status* for all, or one each); those whose
    (source, external_id) exist are duplicates. The caller owns the transaction."""
    statuses = repeat(status) if isinstance(status, str) else status
    values = map(_new_values, new, scores, statuses)
    inserted = db.conn.executemany(mentions.INSERT_SQL, values).rowcount
    return UpsertCounts(inserted=inserted, duplicates=len(new) - inserted)


def stored_texts(
    db: sqlite_utils.Database, keys: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """{(source, external_id): text} of the stored mentions among *keys*."""
    found: dict[tuple[str, str], str] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 400):  # 800 parameters a statement, well under limits
        chunk = unique[start : start + 400]
        values = ", ".join("(?, ?)" for _ in chunk)
        sql = (
            "SELECT source, external_id, text FROM mentions "
            f"WHERE (source, external_id) IN (VALUES {values})"
        )
        params = [part for key in chunk for part in key]
        for source, external_id, text in db.execute(sql, params).fetchall():
            found[(source, external_id)] = text
    return found


class BulkInserter:
    """``insert_many`` for big imports: new rows are added to the FTS index in bulk.

    Through the per-row insert trigger, FTS5 flushes its pending index at every statement
    savepoint, which made imports about three times slower. Rows are indexed every
    :attr:`FTS_ROWS` rows (fewer, bigger FTS segments to merge) and when :func:`bulk_insert`
    ends. Get one from :func:`bulk_insert`.
    """

    #: rows inserted before they are added to the FTS index in one statement
    FTS_ROWS = 20_000

    def __init__(
        self, db: sqlite_utils.Database, fts_columns: list[str], *, tally_hours: bool = False
    ) -> None:
        self._db = db
        self._tally_hours = tally_hours  # the hourly tallies' trigger is off: add them here
        cols = ", ".join(f'"{c}"' for c in fts_columns)
        self._fts_sql = (
            f"INSERT INTO mentions_fts (rowid, {cols}) SELECT id, {cols} FROM mentions WHERE id > ?"
        )
        self._unindexed_after: int | None = None  # rows with a higher id are not indexed yet
        self._unindexed = 0

    def insert_many(self, rows: Sequence[Mapping[str, Any]]) -> UpsertCounts:
        """:func:`~crisisdesk.store.mentions.insert_many` (row dicts)."""
        self._before_insert()
        return self._after_insert(mentions.insert_many(self._db, rows))

    def insert_new(
        self, new: Sequence[NewMention], scores: Sequence[Scores], status: str = Status.NEW
    ) -> UpsertCounts:
        """:func:`insert_new` (new mentions with their scores)."""
        self._before_insert()
        return self._after_insert(insert_new(self._db, new, scores, status))

    def stored_texts(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The stored text of each (source, external_id) in *keys* that exists."""
        return stored_texts(self._db, keys)

    def _before_insert(self) -> None:
        if self._unindexed_after is None:
            # new rows get ids above the current maximum (INTEGER PRIMARY KEY, one writer)
            self._unindexed_after = self._db.execute(
                "SELECT coalesce(max(id), 0) FROM mentions"
            ).fetchone()[0]

    def _after_insert(self, counts: UpsertCounts) -> UpsertCounts:
        self._unindexed += counts.inserted
        if self._unindexed >= self.FTS_ROWS:
            self.flush()
        return counts

    def flush(self) -> None:
        """Add the rows inserted so far to the FTS index."""
        if self._unindexed:
            self._db.execute(self._fts_sql, [self._unindexed_after])
            if self._tally_hours:
                series.add_to_hours(self._db, self._unindexed_after or 0)
        self._unindexed_after = None
        self._unindexed = 0


@contextlib.contextmanager
def bulk_insert(db: sqlite_utils.Database) -> Iterator[BulkInserter]:
    """Within the caller's transaction (``db.atomic()``), insert batches with batched FTS indexing.

    The FTS insert trigger (and the hourly tallies' one: a per-row trigger makes every row a
    statement with its own journal, ~40% slower) is dropped for the duration and re-created
    before the transaction ends; DDL is transactional in SQLite, so a rollback or a crash
    restores it with the rest.
    """
    if not db.conn.in_transaction:
        raise RuntimeError("bulk_insert() must run inside db.atomic()")
    found = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [_FTS_INSERT_TRIGGER]
    ).fetchone()
    hours = db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
        [_HOURS_INSERT_TRIGGER],
    ).fetchone()
    columns = [r[1] for r in db.execute("PRAGMA table_info(mentions_fts)").fetchall()]
    inserter = BulkInserter(db, columns, tally_hours=found is not None and hours is not None)
    if found is None:  # no trigger to drop
        yield inserter
        inserter.flush()
        return
    db.execute(f"DROP TRIGGER {_FTS_INSERT_TRIGGER}")
    if hours is not None:
        db.execute(f"DROP TRIGGER {_HOURS_INSERT_TRIGGER}")
    try:
        yield inserter
        inserter.flush()
    finally:
        if db.conn.in_transaction:
            db.execute(found[0])
            if hours is not None:
                db.execute(hours[0])
