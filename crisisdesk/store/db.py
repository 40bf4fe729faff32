"""Open or create the crisisdesk database safely.

A file that is not SQLite, or a database written by a newer crisisdesk, is refused with a
clear message *before* anything is written to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from crisisdesk.errors import DatabaseError, DatabaseTooNewError, NotADatabaseError
from crisisdesk.store.migrations import MIGRATIONS, is_foreign_database, unknown_migrations

BUSY_TIMEOUT_MS = 5000


def _check_path(path: Path) -> None:
    """Refuse a folder. Never opens the file itself (see below)."""
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a crisisdesk database.")


# The file is only ever opened through SQLite. POSIX drops *all* of a process's locks on a file
# when any one handle to it is closed, so reading the header with open() while the GUI holds a
# connection let another process delete the WAL that the GUI was still writing to.
_NOT_SQLITE = ("file is not a database", "file is encrypted")
SQLITE_MAGIC = b"SQLite format 3\x00"


def _looks_like_sqlite(path: Path | str) -> bool:
    """Header check, only once SQLite refused the file (no working connection to it exists)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _not_a_database(path: Path | str, exc: sqlite3.DatabaseError) -> NotADatabaseError:
    if any(marker in str(exc) for marker in _NOT_SQLITE) and not _looks_like_sqlite(path):
        return NotADatabaseError(
            f"{path} is not a crisisdesk database (it is some other kind of file).",
            hint="Nothing was changed in it. Choose another file, or move this one away.",
        )
    return NotADatabaseError(
        f"{path} cannot be opened as a database: {exc}.",
        hint="Nothing was changed in it. It may be damaged; restore a backup or move it away.",
    )


def connect(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the database at *path* (creating it if missing) and bring its schema up to date.

    ``path=":memory:"`` is allowed for throwaway use. Each thread must open its own
    connection (``check_same_thread`` stays on, as sqlite3 wants).
    """
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        _check_path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"The folder for {path} cannot be created: {exc.strerror or exc}.",
                hint="Choose a database path inside a folder you can write to.",
            ) from exc
    conn: sqlite3.Connection | None = None
    try:
        # autocommit outside explicit transactions; db.atomic() opens BEGIN/COMMIT itself
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        db = sqlite_utils.Database(conn)
        # reading the schema fails fast on a damaged file, before we write anything
        newer = unknown_migrations(db)
        foreign = not memory and is_foreign_database(db)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()  # also removes the -wal/-shm files SQLite made while trying
        raise _not_a_database(path, exc) from exc
    if foreign:
        conn.close()
        raise NotADatabaseError(
            f"{path} is a database of some other program, not a crisisdesk database.",
            hint="Nothing was changed in it. Choose another file, or a new file name.",
        )
    if newer:
        conn.close()
        raise DatabaseTooNewError(
            f"{path} was written by a newer version of crisisdesk.",
            hint="Nothing was changed in it. Update crisisdesk to open it.",
        )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; commits stay atomic
        if migrate:
            MIGRATIONS.apply(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path} could not be prepared: {exc}.") from exc
    return db


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Public entry point used by the CLI, the app and the tests."""
    return connect(path)
