"""Open or create the crisisdesk database safely.

A file that is not SQLite, or a database written by a newer crisisdesk, is refused with a
clear message *before* anything is written to it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

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


def _not_a_database(path: Path | str, exc: sqlite3.DatabaseError) -> DatabaseError:
    if "malformed" in str(exc):
        return damaged_error(path)
    if any(marker in str(exc) for marker in _NOT_SQLITE) and not _looks_like_sqlite(path):
        return NotADatabaseError(
            f"{path} is not a crisisdesk database (it is some other kind of file).",
            hint="Nothing was changed in it. Choose another file, or move this one away.",
        )
    return NotADatabaseError(
        f"{path} cannot be opened as a database: {exc}.",
        hint="Nothing was changed in it. It may be damaged; restore a backup or move it away.",
    )


def busy_error(what: str = "Nothing was changed", again: str = "try again") -> DatabaseError:
    """The one message for a write that waited for the lock in vain (an import or a sync in
    another window or process holds it)."""
    return DatabaseError(
        f"{what}: the database is busy with another change (an import or a sync).",
        hint=f"Wait for the sync or other import to finish, then {again}.",
    )


def read_only_error(path: Path | str) -> DatabaseError:
    return DatabaseError(
        f"{path} is read-only, so crisisdesk cannot save changes to it. Nothing was changed.",
        hint="Reading it works. To change it, make the file (and its folder) writable, or "
        "copy it somewhere you can write to and use --db.",
    )


def damaged_error(path: Path | str) -> NotADatabaseError:
    return NotADatabaseError(
        f"{path} cannot be read: part of the file is damaged. Nothing was changed in it.",
        hint="It is damaged: restore your latest backup of it. To save what is still "
        f'readable, run: sqlite3 "{path}" .recover > recovered.sql',
    )


# SQLite's primary result codes (sqlite3 errors carry them as ``sqlite_errorcode``)
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _NOTADB = 5, 6, 8, 10, 11, 13, 26


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # extended code -> primary


def is_busy(exc: BaseException) -> bool:
    """Whether *exc* is SQLite giving up on the lock another connection holds."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = _code(exc)
    if code is not None:
        return code in (_BUSY, _LOCKED)
    text = str(exc).lower()  # raised without a code (sqlite_utils re-raises some)
    return "locked" in text or "busy" in text


def database_file(db: sqlite_utils.Database) -> str:
    """The file *db* is connected to (for messages)."""
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row and row[2] else ":memory:"


def explain_error(exc: sqlite3.DatabaseError, path: Path | str) -> DatabaseError | None:
    """The owner's message for a database error they can act on; None for a bug."""
    text = str(exc).lower()
    code = _code(exc)
    if is_busy(exc):
        return busy_error()
    if code == _READONLY or "readonly" in text:
        return read_only_error(path)
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return damaged_error(path)
    if code == _FULL or "disk is full" in text:
        return DatabaseError(
            "The disk is full, so nothing was changed.", hint="Free some disk space and try again."
        )
    if code == _IOERR or "disk i/o error" in text:
        return DatabaseError(
            f"{path} could not be read or written (a disk error). Nothing was changed.",
            hint="Check the disk (and that it is still connected), then try again.",
        )
    return None


def _writable(path: Path) -> bool:
    """Whether SQLite can write *path*: the file itself and, for the WAL, its folder."""
    if not path.exists():
        return True  # created below (or refused with a clear message)
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; in a read-only folder a WAL database needs ``immutable``."""
    uri = "file:" + quote(str(path.resolve()))
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)
    return conn


def connect(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open the database at *path* (creating it if missing) and bring its schema up to date.

    ``path=":memory:"`` is allowed for throwaway use. Each thread must open its own
    connection (``check_same_thread`` stays on, as sqlite3 wants). A file (or folder) that
    cannot be written is opened read-only: reading works, a write raises the read-only message.
    """
    memory = str(path) == ":memory:"
    if not memory:
        path = Path(path)
        _check_path(path)
        if not _writable(path):
            return _open_read_only(path)
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


def _open_read_only(path: Path) -> sqlite_utils.Database:
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect_read_only(path)
        db = sqlite_utils.Database(conn)
        newer = unknown_migrations(db)
        foreign = is_foreign_database(db)
        pending = bool(MIGRATIONS.pending(db)) and not foreign
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        known = explain_error(exc, path)
        if known is not None and "damaged" in str(known):
            raise known from exc
        raise _not_a_database(path, exc) from exc
    if foreign or newer or pending:
        conn.close()
        if foreign:
            raise NotADatabaseError(f"{path} is a database of some other program.")
        if newer:
            raise DatabaseTooNewError(
                f"{path} was written by a newer version of crisisdesk.",
                hint="Nothing was changed in it. Update crisisdesk to open it.",
            )
        raise DatabaseError(
            f"{path} is read-only and needs an update this version of crisisdesk makes.",
            hint="Make the file and its folder writable once, then open it again.",
        )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Public entry point used by the CLI, the app and the tests."""
    return connect(path)
