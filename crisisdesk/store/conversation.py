"""What the detail pane shows around one mention: its conversation and its history.

The conversation is the other mentions of the same thread (``mentions.thread``) plus our own
replies to any of them, oldest first. The history is the audit log of the mention and of our
replies to it. :func:`details` reads all of it, with the mention's labels and follow-up, in one
read transaction (one consistent snapshot, one task of the GUI's runner).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from crisisdesk.store import events, follow_ups, labels, mentions
from crisisdesk.store.follow_ups import FollowUp
from crisisdesk.store.mentions import Mention


@dataclass(frozen=True)
class Entry:
    """One message in a conversation: a mention from someone, or a reply from us."""

    kind: str  # "mention" | "reply"
    at: str  # UTC ISO: created_at of a mention, sent_at (or created_at) of a reply
    author: str  # "Name (@handle)" for mentions, "You" for our replies
    text: str
    mention_id: int
    is_current: bool = False
    reply_state: str | None = None  # draft / queued / sent / failed
    reply_channel: str | None = None  # public / private


def _author(m: Mention) -> str:
    if m.author_name and m.author_handle:
        return f"{m.author_name} (@{m.author_handle.lstrip('@')})"
    return m.author_name or (f"@{m.author_handle.lstrip('@')}" if m.author_handle else "someone")


def _replies_to(db: sqlite_utils.Database, ids: Sequence[int]) -> list[Entry]:
    if not ids:
        return []
    rows = db.execute(
        "SELECT mention_id, body, state, channel, coalesce(sent_at, created_at) FROM replies"
        f" WHERE mention_id IN ({', '.join('?' for _ in ids)}) ORDER BY id",
        list(ids),
    ).fetchall()
    return [
        Entry(
            kind="reply",
            at=str(at),
            author="You",
            text=str(body),
            mention_id=int(mention_id),
            reply_state=str(state),
            reply_channel=str(channel),
        )
        for mention_id, body, state, channel, at in rows
    ]


def conversation(db: sqlite_utils.Database, mention: Mention) -> list[Entry]:
    """The thread around *mention* (included, flagged ``is_current``) with our replies.

    Oldest first. Only *mention* itself when it stands alone and has no replies.
    """
    others = mentions.thread(db, mention)
    entries = [
        Entry("mention", m.created_at, _author(m), m.text, m.id, is_current=m.id == mention.id)
        for m in [*others, mention]
    ]
    entries.extend(_replies_to(db, [e.mention_id for e in entries]))
    # stable: a reply at the same second as its mention stays after it
    return sorted(entries, key=lambda e: (e.at, e.kind == "reply"))


def history(db: sqlite_utils.Database, mention_id: int) -> list[events.Event]:
    """Audit events of the mention and of our replies to it, oldest first."""
    found = list(events.for_entity(db, "mention", mention_id))
    reply_ids = [
        int(r[0]) for r in db.execute("SELECT id FROM replies WHERE mention_id = ?", [mention_id])
    ]
    for reply_id in reply_ids:
        found.extend(events.for_entity(db, "reply", reply_id))
    return sorted(found, key=lambda e: e.id)


@dataclass(frozen=True)
class MentionDetails:
    """Everything the detail pane shows about one mention, read at one moment."""

    mention: Mention
    labels: tuple[str, ...]
    follow_up: FollowUp | None  # the pending one
    thread: tuple[Entry, ...]  # see conversation(): always holds the mention itself
    history: tuple[events.Event, ...]


def details(db: sqlite_utils.Database, mention_id: int) -> MentionDetails | None:
    """The mention with its labels, pending follow-up, conversation and history; ``None`` when
    no mention has this id. Read in one transaction, so the parts agree with each other."""
    own = not db.conn.in_transaction
    if own:
        db.execute("BEGIN")  # deferred: a read snapshot, no write lock
    try:
        mention = mentions.get(db, mention_id)
        if mention is None:
            return None
        return MentionDetails(
            mention=mention,
            labels=tuple(labels.for_mention(db, mention_id)),
            follow_up=follow_ups.pending(db, mention_id),
            thread=tuple(conversation(db, mention)),
            history=tuple(history(db, mention_id)),
        )
    finally:
        if own and db.conn.in_transaction:
            db.execute("COMMIT")
