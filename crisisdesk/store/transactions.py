"""Write transactions that wait their turn instead of failing at once.

sqlite_utils' ``db.atomic()`` starts with a plain (deferred) ``BEGIN``. A transaction that reads
first and then writes while another connection (an import or a sync on a worker thread) holds
the write lock gets "database is locked" immediately: SQLite does not run the busy handler for
a read transaction that wants to become a write transaction. ``BEGIN IMMEDIATE`` takes the write
lock up front, so the connection's busy timeout applies; if the lock is still taken after it,
the person gets a message they understand instead of a traceback.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from crisisdesk.errors import DatabaseError


class DatabaseBusyError(DatabaseError):
    """Another part of crisisdesk (an import, a sync) is writing right now."""


BUSY_MESSAGE = "crisisdesk is busy saving other changes (an import or a sync) right now."
BUSY_HINT = "Nothing was changed. Try again in a moment, when it has finished."


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


@contextmanager
def immediate(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All-or-nothing write transaction that takes the write lock first.

    Inside an already open transaction it behaves like ``db.atomic()`` (a savepoint; the
    outer transaction decides). Raises :class:`DatabaseBusyError` when the lock stays taken
    longer than the connection's busy timeout; nothing is changed then.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            raise DatabaseBusyError(BUSY_MESSAGE, hint=BUSY_HINT) from exc
        raise
    try:
        yield db
        db.execute("COMMIT")
    except BaseException as exc:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and _busy(exc):
            raise DatabaseBusyError(BUSY_MESSAGE, hint=BUSY_HINT) from exc
        raise
