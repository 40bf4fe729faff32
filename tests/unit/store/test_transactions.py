"""Writes while another connection writes: wait for the lock, or a clear "busy" error."""

from __future__ import annotations

import sqlite3

import pytest

from crisisdesk.store import labels, mentions, open_database
from crisisdesk.store.transactions import DatabaseBusyError, immediate
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


@pytest.fixture
def other(db_path, db):
    """A second connection (like an import on a worker thread) holding the write lock."""
    conn = open_database(db_path)
    yield conn
    if conn.conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def test_deferred_read_then_write_fails_at_once_which_is_why_immediate_exists(db, other):
    (a,) = insert_mentions(db, [mention_row()])
    other.execute("BEGIN IMMEDIATE")
    db.execute("PRAGMA busy_timeout = 50")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        mentions.set_status(db, [a], "open")  # plain db.atomic(): SELECT, then UPDATE


def test_busy_lock_gives_a_clear_error_and_changes_nothing(db, other):
    (a,) = insert_mentions(db, [mention_row()])
    before = [table_snapshot(db, t) for t in ("mentions", "events", "labels", "mention_labels")]
    other.execute("BEGIN IMMEDIATE")
    db.execute("PRAGMA busy_timeout = 50")

    with pytest.raises(DatabaseBusyError) as info, immediate(db):
        mentions.set_status(db, [a], "open")
    assert "busy" in info.value.user_text() and "Nothing was changed" in info.value.user_text()
    with pytest.raises(DatabaseBusyError):
        labels.add(db, [a], "refund")

    other.execute("ROLLBACK")
    assert not db.conn.in_transaction
    assert [table_snapshot(db, t) for t in ("mentions", "events", "labels", "mention_labels")] == (
        before
    )
    # once the other writer is done, the same change goes through
    with immediate(db):
        mentions.set_status(db, [a], "open")
    assert mentions.get(db, a).status == "open"


def test_error_inside_rolls_back_and_nesting_uses_a_savepoint(db):
    (a,) = insert_mentions(db, [mention_row()])
    with pytest.raises(RuntimeError), immediate(db):
        mentions.set_status(db, [a], "open")
        raise RuntimeError("boom")
    assert mentions.get(db, a).status == "new"
    assert not db.conn.in_transaction

    with immediate(db):
        mentions.set_status(db, [a], "open")
        with pytest.raises(RuntimeError), immediate(db):
            mentions.set_status(db, [a], "resolved")
            raise RuntimeError("inner")
    assert mentions.get(db, a).status == "open"
