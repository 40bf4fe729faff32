"""Opening the database: real files, refusing anything that is not ours without touching it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from crisisdesk.errors import DatabaseError, DatabaseTooNewError, NotADatabaseError
from crisisdesk.store import open_database
from crisisdesk.store.migrations import MIGRATIONS
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _fingerprint(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _siblings(path: Path) -> list[str]:
    """Files next to *path* sharing its name (the -wal / -shm files SQLite may leave)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


def _real_database(path: Path, rows: int = 5) -> Path:
    db = open_database(path)
    insert_mentions(db, [mention_row() for _ in range(rows)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"Date,Text\n2026-01-01,hello\n", id="csv-text"),
        pytest.param(PNG_BYTES, id="png"),
        pytest.param(b"SQLite format 2\x00" + b"\x00" * 100, id="almost-magic"),
        pytest.param(b"SQLite", id="short-prefix"),
        pytest.param("Ünïcödé notes 🎂\n".encode(), id="utf8-text"),
    ],
)
def test_non_sqlite_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(content)
    before = _fingerprint(path)

    with pytest.raises(NotADatabaseError) as info:
        open_database(path)

    assert str(path) in str(info.value)
    assert "Nothing was changed" in info.value.hint
    assert _fingerprint(path) == before
    assert _siblings(path) == [path.name]


def test_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()

    db = open_database(path)

    assert {"mentions", "events", "replies", "mentions_fts"} <= set(db.table_names())
    db.close()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")


def test_missing_file_and_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "crisisdesk.sqlite3"

    db = open_database(path)

    assert "mentions" in db.table_names()
    db.close()
    assert path.is_file()


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(NotADatabaseError, match="folder"):
        open_database(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_parent_that_is_a_file_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me")

    with pytest.raises(DatabaseError, match="folder"):
        open_database(blocker / "crisisdesk.sqlite3")
    assert blocker.read_text() == "keep me"


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[:100], id="truncated-in-header"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated-half"),
        pytest.param(lambda raw: raw[:100] + bytes(range(256)) * 64, id="garbage-after-header"),
        pytest.param(lambda raw: b"SQLite format 3\x00", id="magic-only"),
        pytest.param(
            lambda raw: raw[:4096] + b"\xff" * 4096 + raw[8192:], id="corrupt-second-page"
        ),
    ],
)
def test_damaged_sqlite_file_is_refused_and_left_untouched(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    raw = _real_database(tmp_path / "good.sqlite3").read_bytes()
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(damage(raw))
    before = _fingerprint(path)

    with pytest.raises(NotADatabaseError) as info:
        open_database(path)

    assert "damaged" in info.value.hint
    assert _fingerprint(path) == before
    assert _siblings(path) == [path.name]  # no stray -wal/-shm files left behind


def test_other_programs_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "places.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO bookmarks (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = _fingerprint(path)

    with pytest.raises(NotADatabaseError, match="other program"):
        open_database(path)

    assert _fingerprint(path) == before
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert names == {"bookmarks"}


def test_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    db = open_database(path)
    insert_mentions(db, [mention_row(text="kept as is")])
    db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('crisisdesk', 'm999_from_the_future', '2030-01-01')"
    )
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = _fingerprint(path)

    with pytest.raises(DatabaseTooNewError) as info:
        open_database(path)

    assert "newer version" in str(info.value)
    assert "Update crisisdesk" in info.value.hint
    assert _fingerprint(path) == before


def test_wal_mode_foreign_keys_and_busy_timeout_are_on(db) -> None:  # type: ignore[no-untyped-def]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO replies (mention_id, body, created_at) VALUES (424242, 'hi', 'x')")


def test_reopening_applies_migrations_once_and_keeps_data(db_path: Path) -> None:
    db = open_database(db_path)
    insert_mentions(db, [mention_row(text=f"row {i}") for i in range(3)])
    snapshot = table_snapshot(db)
    applied = [m.name for m in MIGRATIONS.applied(db)]
    db.close()

    for _ in range(3):
        db = open_database(db_path)
        assert [m.name for m in MIGRATIONS.applied(db)] == applied
        assert table_snapshot(db) == snapshot
        db.close()
    assert applied == [m.name for m in MIGRATIONS._migrations]
    conn = sqlite3.connect(db_path)
    count = conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    conn.close()
    assert count == len(applied)


def test_memory_database_works() -> None:
    db = open_database(":memory:")
    insert_mentions(db, [mention_row(text="in memory")])
    assert db.execute("SELECT text FROM mentions").fetchone()[0] == "in memory"
