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

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _check_header(path: Path) -> None:
    """Refuse anything that is not an (empty or) SQLite file, without touching it."""
    if not path.exists():
        return
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a crisisdesk database.")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(
            f"{path} cannot be read: {exc.strerror or exc}.",
            hint="Check that the file is yours and not open in another program.",
        ) from exc
    if head and head != SQLITE_MAGIC:
        raise NotADatabaseError(
            f"{path} is not a crisisdesk database (it is some other kind of file).",
            hint="Nothing was changed in it. Choose another file, or move this one away.",
        )


def connect(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the database at *path* (creating it if missing) and bring its schema up to date.

    ``path=":memory:"`` is allowed for throwaway use. Each thread must open its own
    connection (``check_same_thread`` stays on, as sqlite3 wants).
    """
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        _check_header(path)
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
        raise NotADatabaseError(
            f"{path} cannot be opened as a database: {exc}.",
            hint="Nothing was changed in it. It may be damaged; restore a backup or move it away.",
        ) from exc
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
