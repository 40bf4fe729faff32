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
def m005_templates(db: sqlite_utils.Database) -> None:
    # the owner's reply templates (store/templates.py): builtin_key names the shipped template
    # a row was seeded from (NULL for the owner's own), so seeding never adds one twice and
    # never overwrites an edit; times for "recently edited"
    db.execute("ALTER TABLE templates ADD COLUMN builtin_key TEXT")
    db.execute("ALTER TABLE templates ADD COLUMN created_at TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE templates ADD COLUMN updated_at TEXT NOT NULL DEFAULT ''")
    db.execute(
        "CREATE UNIQUE INDEX IF NOT EXISTS idx_templates_builtin ON templates (builtin_key)"
        " WHERE builtin_key IS NOT NULL"
    )


@MIGRATIONS()
def m006_drafts(db: sqlite_utils.Database) -> None:
    # the composer's unsent reply per mention, saved as the owner types (store/drafts.py), so a
    # crash or a failed send never loses it; one row per mention, removed once the reply is sent
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS drafts (
            mention_id INTEGER PRIMARY KEY REFERENCES mentions(id) ON DELETE CASCADE,
            body TEXT NOT NULL,
            channel TEXT NOT NULL DEFAULT 'public' CHECK (channel IN ('public', 'private')),
            template_id INTEGER,
            updated_at TEXT NOT NULL
        )
        """
    )


@MIGRATIONS()
def m007_plans(db: sqlite_utils.Database) -> None:
    # crisis plans (store/plans.py): a plan is an ordered list of rows, each a section heading
    # or a checklist item; an item with level 1 sits under the section above it. At most one
    # plan is active (the live incident); relative due times ("+1 h") count from activated_at
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS plans (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
            activated_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS idx_plans_one_active ON plans (active) WHERE active = 1;
        CREATE TABLE IF NOT EXISTS plan_items (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('section', 'item')),
            level INTEGER NOT NULL DEFAULT 0 CHECK (level IN (0, 1)),
            role TEXT NOT NULL DEFAULT 'steps'
                CHECK (role IN ('steps', 'contacts', 'statements', 'rules', 'review')),
            text TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            done_at TEXT,
            done_by TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX IF NOT EXISTS idx_plan_items_order ON plan_items (plan_id, position);
        """
    )


@MIGRATIONS()
def m008_insight(db: sqlite_utils.Database) -> None:
    # issue 13: charts and spike detection read hourly tallies. Grouping a million mentions
    # by hour takes seconds even from an index, so triggers keep one row per (UTC hour,
    # source, label, complaint) up to date as mentions are added, changed or removed, and
    # the charts read a few thousand rows instead. Filled from the mentions already stored.
    contribution = (
        "substr({r}.created_at, 1, 13), {r}.source, {r}.label, {r}.complaint, {sign},"
        " {sign} * {r}.sentiment, {sign} * ({r}.likes + {r}.reposts + {r}.replies),"
        " {sign} * (({r}.likes + {r}.reposts + {r}.replies) >= 10)"
    )
    upsert = (
        "INSERT INTO mention_hours (hour, source, label, complaint, n, sentiment_sum,"
        " engagement, engaged) VALUES ({values})"
        " ON CONFLICT (hour, source, label, complaint) DO UPDATE SET n = n + excluded.n,"
        " sentiment_sum = sentiment_sum + excluded.sentiment_sum,"
        " engagement = engagement + excluded.engagement, engaged = engaged + excluded.engaged;"
    )
    add = upsert.format(values=contribution.format(r="new", sign=1))
    remove = upsert.format(values=contribution.format(r="old", sign=-1))
    columns = "created_at, source, label, complaint, sentiment, likes, reposts, replies"
    db.executescript(
        f"""
        CREATE TABLE mention_hours (
            hour TEXT NOT NULL,             -- 'YYYY-MM-DDTHH', UTC
            source TEXT NOT NULL,
            label TEXT NOT NULL,
            complaint INTEGER NOT NULL,
            n INTEGER NOT NULL,
            sentiment_sum REAL NOT NULL,
            engagement INTEGER NOT NULL,    -- likes + reposts + replies
            engaged INTEGER NOT NULL,       -- mentions with 10 or more of them
            PRIMARY KEY (hour, source, label, complaint)
        ) WITHOUT ROWID;
        INSERT INTO mention_hours
            SELECT substr(created_at, 1, 13), source, label, complaint, count(*),
                   total(sentiment), sum(likes + reposts + replies),
                   sum((likes + reposts + replies) >= 10)
            FROM mentions GROUP BY 1, 2, 3, 4;
        CREATE TRIGGER mention_hours_insert AFTER INSERT ON mentions BEGIN {add} END;
        CREATE TRIGGER mention_hours_delete AFTER DELETE ON mentions BEGIN {remove} END;
        CREATE TRIGGER mention_hours_update AFTER UPDATE OF {columns} ON mentions
            BEGIN {remove} {add} END;
        """
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
