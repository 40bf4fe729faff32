"""Schema, as an ordered list of migrations. Never edit an applied migration: add one."""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

from crisisdesk.domain import Status

MIGRATIONS = Migrations("crisisdesk")

#: every status a mention can have, in triage order (the values m001 wrote into its CHECK);
#: plain values: argparse choices and messages show them
MENTION_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)


@MIGRATIONS()
def m001_initial(db: sqlite_utils.Database) -> None:
    statuses = ", ".join(f"'{s}'" for s in MENTION_STATUSES)
    db.executescript(
        f"""
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            name TEXT NOT NULL UNIQUE,
            base_url TEXT,
            handle TEXT,
            options TEXT NOT NULL DEFAULT '{{}}',   -- JSON; never a secret
            state TEXT NOT NULL DEFAULT '{{}}',     -- JSON cursors (since_id, cursor, etag)
            last_sync_at TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            external_id TEXT NOT NULL,
            url TEXT,
            author_handle TEXT NOT NULL DEFAULT '',
            author_name TEXT NOT NULL DEFAULT '',
            author_followers INTEGER NOT NULL DEFAULT 0,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            in_reply_to TEXT,
            thread_root TEXT,
            likes INTEGER NOT NULL DEFAULT 0,
            reposts INTEGER NOT NULL DEFAULT 0,
            replies INTEGER NOT NULL DEFAULT 0,
            sentiment REAL NOT NULL DEFAULT 0,
            label TEXT NOT NULL DEFAULT 'neutral'
                CHECK (label IN ('negative', 'neutral', 'positive')),
            complaint INTEGER NOT NULL DEFAULT 0,
            cues TEXT NOT NULL DEFAULT '[]',
            priority INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ({statuses})),
            assignee TEXT,
            raw TEXT,
            account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
            UNIQUE (source, external_id)
        );
        CREATE INDEX idx_mentions_priority ON mentions (priority DESC, created_at DESC);
        CREATE INDEX idx_mentions_created ON mentions (created_at DESC);
        CREATE INDEX idx_mentions_status ON mentions (status, priority DESC);
        CREATE INDEX idx_mentions_complaint ON mentions (complaint, priority DESC);
        CREATE INDEX idx_mentions_thread ON mentions (source, thread_root);

        CREATE TABLE labels (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE
        );
        CREATE TABLE mention_labels (
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            label_id INTEGER NOT NULL REFERENCES labels(id),
            PRIMARY KEY (mention_id, label_id)
        );
        CREATE TABLE replies (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
            body TEXT NOT NULL,
            channel TEXT NOT NULL DEFAULT 'public' CHECK (channel IN ('public', 'private')),
            state TEXT NOT NULL DEFAULT 'draft'
                CHECK (state IN ('draft', 'queued', 'sent', 'failed')),
            idempotency_key TEXT,
            external_id TEXT,
            url TEXT,
            error TEXT,
            tone_report TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX idx_replies_mention ON replies (mention_id);
        CREATE TABLE follow_ups (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id),
            due_at TEXT NOT NULL,
            note TEXT,
            done_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE INDEX idx_follow_ups_due ON follow_ups (done_at, due_at);
        CREATE TABLE templates (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            category TEXT,
            body TEXT NOT NULL
        );
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            window_start TEXT NOT NULL,
            window_end TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT,
            created_at TEXT NOT NULL,
            acknowledged_at TEXT
        );
        -- append-only audit log of every state change and send
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            entity TEXT NOT NULL,
            entity_id INTEGER,
            action TEXT NOT NULL,
            old TEXT,
            new TEXT,
            actor TEXT NOT NULL DEFAULT 'me',
            detail TEXT
        );
        CREATE INDEX idx_events_entity ON events (entity, entity_id, id);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )
    db.table("mentions").enable_fts(
        ["text", "author_handle", "author_name"],
        fts_version="FTS5",
        create_triggers=True,
        tokenize="porter unicode61 remove_diacritics 2",
    )


@MIGRATIONS()
def m002_reply_index(db: sqlite_utils.Database) -> None:
    # direct replies by parent, for a mention's conversation (mentions.thread); partial, so
    # the many mentions that reply to nothing cost no index space and no import time
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_mentions_reply ON mentions (source, in_reply_to)"
        " WHERE in_reply_to IS NOT NULL"
    )


@MIGRATIONS()
def m003_meta(db: sqlite_utils.Database) -> None:
    # small facts about the database itself, e.g. when stored priorities were last refreshed
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@MIGRATIONS()
def m004_account_sync_state(db: sqlite_utils.Database) -> None:
    # how an account's last sync went, as a state (domain.AccountState) rather than a message
    # to compare; the old column "state" already holds the connector's cursors. Existing rows
    # get theirs from last_error / last_sync_at; the text is the offline message as it was
    # written before this migration (store.accounts.OFFLINE_TEXT then)
    offline = "Offline: the network cannot be reached. Stored mentions are still here."
    db.execute(
        "ALTER TABLE accounts ADD COLUMN sync_state TEXT NOT NULL DEFAULT 'never_synced'"
        " CHECK (sync_state IN ('never_synced', 'ok', 'offline', 'failed'))"
    )
    db.execute(
        """
        UPDATE accounts SET sync_state = CASE
            WHEN last_error = ? THEN 'offline'
            WHEN last_error IS NOT NULL AND last_error != '' THEN 'failed'
            WHEN last_sync_at IS NOT NULL AND last_sync_at != '' THEN 'ok'
            ELSE 'never_synced'
        END
        """,
        [offline],
    )


@MIGRATIONS()
def m010_complaint_corrections(db: sqlite_utils.Database) -> None:
    """The owner's "complaint" / "not a complaint" answers (issue 10): they fix the mention's
    flag and teach the recogniser on this machine. ``recognised`` is what the recogniser had
    said, put back when the owner's answer is undone."""
    db.executescript(
        """
        CREATE TABLE complaint_corrections (
            mention_id INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
            complaint INTEGER NOT NULL CHECK (complaint IN (0, 1)),
            recognised INTEGER NOT NULL CHECK (recognised IN (0, 1)),
            at TEXT NOT NULL
        );
        """
    )


def unknown_migrations(db: sqlite_utils.Database) -> list[str]:
    """Names of applied migrations this version does not know: the file is from the future.

    Read-only; raises ``sqlite3.DatabaseError`` on a damaged file.
    """
    db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    known = {m.name for m in MIGRATIONS._migrations}
    return [m.name for m in MIGRATIONS.applied(db) if m.name not in known]


def is_foreign_database(db: sqlite_utils.Database) -> bool:
    """True when the file holds tables but no crisisdesk schema: another program's database.

    Read-only, so such a file can be refused without adding our tables to it.
    """
    if MIGRATIONS.applied(db):
        return False
    tables = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE substr(name, 1, 7) != 'sqlite_' AND name != ?",
        [Migrations.migrations_table],
    ).fetchone()[0]
    return bool(tables)
