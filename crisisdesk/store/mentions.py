"""Mentions: upsert keyed by (source, external_id), filtered queries, triage state changes.

The store saves what it is given and answers queries: scores and priorities are computed by
``analysis`` and handed in by ``services`` (which also re-prioritise after a triage change or a
refreshed reach: see ``services/triage.py`` and ``services/priorities.py``). Nothing here
hard-deletes a mention; "archived" is a status. Big imports use ``store/bulk.py``.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import sqlite_utils

from crisisdesk.domain import NewMention, Scores, Sentiment, Status
from crisisdesk.errors import CrisisdeskError, SearchSyntaxError
from crisisdesk.store import events
from crisisdesk.store.migrations import MENTION_STATUSES
from crisisdesk.store.search import plan_search

# plain values of the domain's words (argparse choices, SQL parameters, messages show them)
#: sentiment labels, for filters and their error messages
LABELS: tuple[str, ...] = tuple(s.value for s in Sentiment)
#: statuses that still wait for an answer, in triage order
UNANSWERED: tuple[str, ...] = tuple(s.value for s in Status if s.unanswered)


@dataclass(frozen=True)
class Mention:
    id: int
    source: str
    external_id: str
    url: str | None
    author_handle: str
    author_name: str
    author_followers: int
    text: str
    created_at: str
    fetched_at: str
    in_reply_to: str | None
    thread_root: str | None
    likes: int
    reposts: int
    replies: int
    sentiment: float
    label: str
    complaint: bool
    cues: tuple[str, ...]
    priority: int
    status: str
    assignee: str | None
    account_id: int | None

    def to_json(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["cues"] = list(self.cues)
        return data


_COLUMNS = [f.name for f in fields(Mention)]
_SELECT = ", ".join(f"m.{c}" for c in _COLUMNS)

#: columns an upsert may set; anything else in a row dict is ignored
INSERT_COLUMNS = (
    "source", "external_id", "url", "author_handle", "author_name", "author_followers", "text",
    "created_at", "fetched_at", "in_reply_to", "thread_root", "likes", "reposts", "replies",
    "sentiment", "label", "complaint", "cues", "priority", "status", "raw", "account_id",
)  # fmt: skip
_DEFAULTS: dict[str, Any] = {
    "url": None, "author_handle": "", "author_name": "", "author_followers": 0,
    "in_reply_to": None, "thread_root": None, "likes": 0, "reposts": 0, "replies": 0,
    "sentiment": 0.0, "label": Sentiment.NEUTRAL.value, "complaint": 0, "cues": "[]",
    "priority": 0, "status": Status.NEW.value, "raw": None, "account_id": None,
}  # fmt: skip
#: what a re-sync may refresh on an existing mention (never its text or triage state)
REFRESH_COLUMNS = ("likes", "reposts", "replies", "author_followers", "url", "fetched_at")

INSERT_SQL = "INSERT INTO mentions ({cols}) VALUES ({qs}) ON CONFLICT DO NOTHING".format(
    cols=", ".join(INSERT_COLUMNS), qs=", ".join("?" for _ in INSERT_COLUMNS)
)


def _row_to_mention(row: Sequence[Any]) -> Mention:
    data = dict(zip(_COLUMNS, row, strict=True))
    data["complaint"] = bool(data["complaint"])
    data["cues"] = tuple(json.loads(data["cues"] or "[]"))
    return Mention(**data)


_COLUMN_DEFAULTS = tuple((col, _DEFAULTS.get(col)) for col in INSERT_COLUMNS)
_CUES_AT = INSERT_COLUMNS.index("cues")
_RAW_AT = INSERT_COLUMNS.index("raw")
_COMPLAINT_AT = INSERT_COLUMNS.index("complaint")


def _insert_values(row: Mapping[str, Any]) -> list[Any]:
    # one comprehension, then three fix-ups: this runs for every row of a million-row import
    get = row.get
    values = [get(col, default) for col, default in _COLUMN_DEFAULTS]
    cues = values[_CUES_AT]
    if not isinstance(cues, str):
        values[_CUES_AT] = json.dumps(list(cues or ()))
    raw = values[_RAW_AT]
    if raw is not None and not isinstance(raw, str):
        values[_RAW_AT] = json.dumps(raw, ensure_ascii=False, default=str)
    values[_COMPLAINT_AT] = int(bool(values[_COMPLAINT_AT]))
    return values


@dataclass
class UpsertCounts:
    inserted: int = 0
    duplicates: int = 0
    updated: int = 0
    #: ids of the known mentions whose reach an upsert refreshed (their priority is now stale)
    refreshed: list[int] = field(default_factory=list)

    def add(self, other: UpsertCounts) -> None:
        self.inserted += other.inserted
        self.duplicates += other.duplicates
        self.updated += other.updated
        self.refreshed.extend(other.refreshed)


def insert_many(db: sqlite_utils.Database, rows: Sequence[Mapping[str, Any]]) -> UpsertCounts:
    """Insert analysed mention rows; rows whose (source, external_id) exist are duplicates.

    The caller owns the transaction (wrap in ``db.atomic()`` for all-or-nothing).
    """
    # rowcount sums the rows each execution inserted; FTS trigger rows are not counted
    inserted = db.conn.executemany(INSERT_SQL, (_insert_values(r) for r in rows)).rowcount
    return UpsertCounts(inserted=inserted, duplicates=len(rows) - inserted)


def row_of(mention: NewMention, scores: Scores, status: str = Status.NEW) -> dict[str, Any]:
    """The stored row of a new mention and its scores."""
    row: dict[str, Any] = {f.name: getattr(mention, f.name) for f in fields(mention)}
    row.update(scores._asdict())
    row["label"] = str(scores.label)
    row["status"] = str(status)
    return row


def upsert(db: sqlite_utils.Database, scored: Sequence[tuple[NewMention, Scores]]) -> UpsertCounts:
    """:func:`upsert_many` for scored new mentions (what sync hands over)."""
    return upsert_many(db, [row_of(m, s) for m, s in scored])


def upsert_many(db: sqlite_utils.Database, rows: Sequence[Mapping[str, Any]]) -> UpsertCounts:
    """Insert new mentions and refresh engagement counts of known ones (used by sync).

    Local triage state (status, assignee, labels) and the stored text are never overwritten.
    The ids of refreshed mentions are in the result's ``refreshed``: their priority no longer
    matches their reach (``services.priorities.rescore`` recomputes it).
    """
    counts = UpsertCounts()
    with db.atomic():
        for row in rows:
            existing = db.execute(
                "SELECT id, likes, reposts, replies, author_followers, url FROM mentions"
                " WHERE source = ? AND external_id = ?",
                [row["source"], row["external_id"]],
            ).fetchone()
            if existing is None:
                db.execute(INSERT_SQL, _insert_values(row))
                counts.inserted += 1
                continue
            new = [row.get(c, _DEFAULTS.get(c)) for c in REFRESH_COLUMNS[:-1]]
            url_at = REFRESH_COLUMNS.index("url")
            if new[url_at] is None:  # a payload without a link never erases the one we have
                new[url_at] = existing[1 + url_at]
            if list(existing[1:]) == new:
                counts.duplicates += 1
                continue
            sets = ", ".join(f"{c} = ?" for c in REFRESH_COLUMNS)
            db.execute(
                f"UPDATE mentions SET {sets} WHERE id = ?",
                [*new, row.get("fetched_at"), existing[0]],
            )
            counts.refreshed.append(existing[0])
            counts.updated += 1
    return counts


@dataclass(frozen=True)
class MentionFilter:
    """What the inbox or ``crisisdesk mentions`` asks for. Empty fields do not filter."""

    search: str = ""
    label: str | None = None
    complaints_only: bool = False
    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    since: str | None = None  # UTC ISO, inclusive
    until: str | None = None  # UTC ISO, exclusive
    assignee: str | None = None
    tag: str | None = None  # a user label from the labels table
    follow_up_due_before: str | None = None  # UTC ISO: a pending follow-up due before it

    def where(self) -> tuple[str, list[Any]]:
        """SQL WHERE clause (over alias ``m``) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        plan = plan_search(self.search) if self.search.strip() else None
        if plan and plan.match:
            clauses.append(_FTS_IN)  # first, its parameter first: query() relies on that
            params.append(plan.match)
        if plan and plan.exclude:
            clauses.append(
                "m.id NOT IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)"
            )
            params.append(plan.exclude)
        for symbols in plan.contains if plan else ():
            clauses.append("(instr(m.text, ?) > 0 OR instr(m.author_name, ?) > 0)")
            params.extend([symbols, symbols])
        for symbols in plan.lacks if plan else ():
            clauses.append("instr(m.text, ?) = 0 AND instr(m.author_name, ?) = 0")
            params.extend([symbols, symbols])
        if self.label:
            if self.label not in LABELS:
                raise CrisisdeskError(
                    f"'{self.label}' is not a sentiment label.",
                    hint="Use one of: " + ", ".join(LABELS) + ".",
                )
            clauses.append("m.label = ?")
            params.append(self.label)
        if self.complaints_only:
            clauses.append("m.complaint = 1")
        if self.statuses:
            bad = [s for s in self.statuses if s not in MENTION_STATUSES]
            if bad:
                raise CrisisdeskError(
                    f"'{bad[0]}' is not a status.",
                    hint="Use one of: " + ", ".join(MENTION_STATUSES) + ".",
                )
            clauses.append(f"m.status IN ({', '.join('?' for _ in self.statuses)})")
            params.extend(self.statuses)
        if self.sources:
            clauses.append(f"m.source IN ({', '.join('?' for _ in self.sources)})")
            params.extend(self.sources)
        if self.since:
            clauses.append("m.created_at >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("m.created_at < ?")
            params.append(self.until)
        if self.assignee:
            clauses.append("m.assignee = ?")
            params.append(self.assignee)
        if self.tag:
            clauses.append(
                "m.id IN (SELECT ml.mention_id FROM mention_labels ml"
                " JOIN labels l ON l.id = ml.label_id WHERE l.name = ?)"
            )
            params.append(self.tag)
        if self.follow_up_due_before:
            clauses.append(f"m.id IN ({_DUE})")
            params.append(self.follow_up_due_before)
        return (" AND ".join(clauses) or "1"), params


_DUE = "SELECT mention_id FROM follow_ups WHERE done_at IS NULL AND due_at <= ?"

#: sort keys offered to users → ORDER BY; every one ends in a unique tiebreak (sentiment ties
#: go by priority; status sorts in triage order: its position in the word list)
SORTS = {
    "priority": "m.priority DESC, m.created_at DESC, m.id DESC",
    "newest": "m.created_at DESC, m.id DESC",
    "oldest": "m.created_at ASC, m.id ASC",
    "most_negative": "m.sentiment ASC, m.priority DESC, m.id DESC",
    "most_positive": "m.sentiment DESC, m.priority DESC, m.id DESC",
    "author": "m.author_name COLLATE NOCASE, m.author_handle COLLATE NOCASE, m.id DESC",
    "text": "m.text COLLATE NOCASE ASC, m.id DESC",
    "platform": "m.source ASC, m.priority DESC, m.id DESC",
    "status": "instr('new open replied offline resolved archived', m.status), m.id DESC",
    "waiting": "m.status IN ('new', 'open') DESC, m.created_at ASC, m.id ASC",
}


def _run(db: sqlite_utils.Database, sql: str, params: Sequence[Any]) -> list[Any]:
    try:
        return db.execute(sql, list(params)).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc).lower() or "mentions_fts" in str(exc):
            raise SearchSyntaxError(
                "crisisdesk could not understand that search.",
                hint='Use plain words, "quoted phrases", OR, and -word to exclude.',
            ) from exc
        raise


def query(
    db: sqlite_utils.Database,
    flt: MentionFilter | None = None,
    *,
    sort: str = "priority",
    limit: int = 50,
    offset: int = 0,
) -> list[Mention]:
    """One page of mentions matching *flt*, in *sort* order."""
    flt = flt or MentionFilter()
    if sort not in SORTS:
        raise CrisisdeskError(f"'{sort}' is not a sort order.", hint="Use: " + ", ".join(SORTS))
    where, params = flt.where()
    index = _SORT_INDEXES.get(sort)
    if index and flt.search.strip() and _walk_sort_index(db, flt.search, limit + offset):
        # A common word: walking the sort's index and probing the (materialised) matches
        # finds a page ~5x faster at 1M mentions than SQLite's own plan, which fetches and
        # sorts every match. Rarer words keep SQLite's plan (fast for them).
        index = f" INDEXED BY {index}"
    else:
        index = ""
    source = f"mentions m{index}"
    if not index and where.startswith(_FTS_IN):
        # Fewer matches: loop over them (CROSS JOIN keeps them the outer loop), so a filter
        # with its own index (status, complaint...) cannot make SQLite walk that index and
        # probe the matches instead (inbox "new/open" + a rare word at 1M: 170 ms -> 0.1 ms)
        source = _FTS_DRIVEN_FROM
        where = where.removeprefix(_FTS_IN).removeprefix(" AND ") or "1"
    sql = f"SELECT {_SELECT} FROM {source} WHERE {where} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?"
    return [_row_to_mention(r) for r in _run(db, sql, [*params, limit, offset])]


_FTS_IN = "m.id IN (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ?)"
_FTS_DRIVEN_FROM = (
    "(SELECT rowid AS fts_id FROM mentions_fts WHERE mentions_fts MATCH ?) f"
    " CROSS JOIN mentions m ON m.id = f.fts_id"
)

#: sorts whose order an index gives (see migrations); the others sort their matches
_SORT_INDEXES = {
    "priority": "idx_mentions_priority",
    "newest": "idx_mentions_created",
    "oldest": "idx_mentions_created",
}


def _walk_sort_index(db: sqlite_utils.Database, search: str, rows_needed: int) -> bool:
    """Whether walking the sort index beats sorting all matches of *search* (cost estimate).

    Walking reads about rows_needed * total / matches index entries; sorting reads every
    match. Measured at 1M mentions, an index entry costs about twice a match, so walking
    wins when matches² > 2 * rows_needed * total. Counting stops at that threshold.
    """
    plan = plan_search(search)
    if plan is None or not plan.match:
        return False
    total = int(db.execute("SELECT coalesce(max(id), 0) FROM mentions").fetchone()[0])
    threshold = math.isqrt(2 * rows_needed * total) + 1
    sql = "SELECT count(*) FROM (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? LIMIT ?)"
    return int(_run(db, sql, [plan.match, threshold])[0][0]) >= threshold


def count(db: sqlite_utils.Database, flt: MentionFilter | None = None) -> int:
    where, params = (flt or MentionFilter()).where()
    return int(_run(db, f"SELECT count(*) FROM mentions m WHERE {where}", params)[0][0])


def get(db: sqlite_utils.Database, mention_id: int) -> Mention | None:
    row = db.execute(f"SELECT {_SELECT} FROM mentions m WHERE m.id = ?", [mention_id]).fetchone()
    return _row_to_mention(row) if row else None


def get_raw(db: sqlite_utils.Database, mention_id: int) -> str | None:
    """The payload as the platform or file sent it (JSON text), for the detail view."""
    row = db.execute("SELECT raw FROM mentions WHERE id = ?", [mention_id]).fetchone()
    return row[0] if row else None


def thread(db: sqlite_utils.Database, mention: Mention) -> list[Mention]:
    """Other mentions of the same conversation, oldest first (excluding *mention*)."""
    root = mention.thread_root or mention.external_id
    # three indexed lookups; one OR over the columns made SQLite scan the whole source
    # (~100 ms per selected mention at 300k rows)
    rows = db.execute(
        f"SELECT {_SELECT} FROM mentions m WHERE m.id IN ("
        " SELECT id FROM mentions WHERE source = ? AND thread_root = ?"
        " UNION ALL SELECT id FROM mentions WHERE source = ? AND external_id = ?"
        " UNION ALL SELECT id FROM mentions WHERE source = ? AND in_reply_to = ?"
        ") AND m.id != ? ORDER BY m.created_at, m.id LIMIT 200",
        [mention.source, root, mention.source, root, mention.source, mention.external_id,
         mention.id],
    ).fetchall()  # fmt: skip
    return [_row_to_mention(r) for r in rows]


def _check_status(status: str) -> None:
    if status not in MENTION_STATUSES:
        raise CrisisdeskError(
            f"'{status}' is not a status.", hint="Use one of: " + ", ".join(MENTION_STATUSES)
        )


def _set_column(
    db: sqlite_utils.Database,
    column: str,
    new_values: Mapping[int, Any],
    action: str,
    actor: str,
) -> dict[int, Any]:
    """Set *column* per mention id, logging each real change; returns the previous values."""
    previous: dict[int, Any] = {}
    with db.atomic():
        for mention_id, value in new_values.items():
            row = db.execute(f"SELECT {column} FROM mentions WHERE id = ?", [mention_id]).fetchone()
            if row is None or row[0] == value:
                continue
            previous[mention_id] = row[0]
            db.execute(f"UPDATE mentions SET {column} = ? WHERE id = ?", [value, mention_id])
            events.record(db, "mention", mention_id, action, old=row[0], new=value, actor=actor)
    return previous


def set_priorities(db: sqlite_utils.Database, changes: Iterable[tuple[int, int]]) -> None:
    """Store recomputed priorities: ``(priority, mention id)`` pairs."""
    db.conn.executemany("UPDATE mentions SET priority = ? WHERE id = ?", changes)


# "+status" keeps SQLite off the status index: nearly every imported mention is "new", so that
# index would walk most of the table; the created_at index narrows to the recent slice.
UNANSWERED_SINCE_SQL = (
    "SELECT id, sentiment, complaint, cues, author_followers, likes, reposts, replies,"
    " created_at, status, priority FROM mentions"
    f" WHERE created_at >= ? AND +status IN ({', '.join('?' for _ in UNANSWERED)})"
)


def unanswered_since(db: sqlite_utils.Database, since: str) -> list[tuple[Any, ...]]:
    """What the priority of each unanswered mention created at or after *since* depends on:
    (id, sentiment, complaint, cues JSON, followers, likes, reposts, replies, created_at,
    status, stored priority). A range scan of the ``created_at`` index."""
    return db.execute(UNANSWERED_SINCE_SQL, [since, *UNANSWERED]).fetchall()


def set_status(
    db: sqlite_utils.Database, ids: Iterable[int], status: str, *, actor: str = "me"
) -> dict[int, str]:
    """Set one status on many mentions. Returns {id: previous status} for those that changed.

    Only the status and its audit event: ``services.triage.set_status`` also re-prioritises.
    """
    _check_status(status)
    return _set_column(db, "status", dict.fromkeys(ids, status), "status", actor)


def restore_statuses(
    db: sqlite_utils.Database, previous: Mapping[int, str], *, actor: str = "me"
) -> dict[int, str]:
    """Put back per-mention statuses (undo). Logged like any change (see ``set_status``)."""
    for status in previous.values():
        _check_status(status)
    return _set_column(db, "status", previous, "status", actor)


def set_assignee(
    db: sqlite_utils.Database,
    ids_or_values: Iterable[int] | Mapping[int, str | None],
    assignee: str | None = None,
    *,
    actor: str = "me",
) -> dict[int, str | None]:
    """Assign mentions to a person (``None`` unassigns). A mapping sets per-id values (undo)."""
    if isinstance(ids_or_values, Mapping):
        values = dict(ids_or_values)
    else:
        values = dict.fromkeys(ids_or_values, assignee)
    return _set_column(db, "assignee", values, "assign", actor)
