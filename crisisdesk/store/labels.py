"""User labels on mentions ("refund", "wedding cake", "press"): the labels + mention_labels tables.

Every change writes an audit event (entity "mention", action "label") in the same transaction.
Label names are never deleted; taking a label off a mention only removes the link, and the
audit log keeps the record of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import sqlite_utils

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events
from crisisdesk.store.transactions import immediate
from crisisdesk.store.typed_text import has_invisible_characters, one_line

MAX_LABEL_LENGTH = 40
# the labels table compares names with COLLATE NOCASE, which folds ASCII letters only
_ASCII_FOLD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _key(name: str) -> str:
    return name.translate(_ASCII_FOLD)


def clean_name(name: str) -> str:
    """The label as stored: trimmed, inner whitespace collapsed. Raises on unusable names."""
    cleaned = one_line(name)
    if not cleaned:
        raise CrisisdeskError("A label needs at least one letter or digit.", hint="Type a name.")
    if len(cleaned) > MAX_LABEL_LENGTH:
        raise CrisisdeskError(
            f"That label is too long ({len(cleaned)} characters).",
            hint=f"Keep labels under {MAX_LABEL_LENGTH + 1} characters.",
        )
    if has_invisible_characters(cleaned):
        raise CrisisdeskError(
            "That label contains invisible control characters.", hint="Retype it by hand."
        )
    return cleaned


def all_names(db: sqlite_utils.Database) -> list[str]:
    """Every label ever created, alphabetically (case-insensitive)."""
    return [r[0] for r in db.execute("SELECT name FROM labels ORDER BY name COLLATE NOCASE")]


def for_mention(db: sqlite_utils.Database, mention_id: int) -> list[str]:
    """The labels on one mention, alphabetically."""
    return list(for_mentions(db, [mention_id]).get(mention_id, ()))


def for_mentions(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, tuple[str, ...]]:
    """Labels per mention id (alphabetical); ids without labels map to ``()``."""
    wanted = list(dict.fromkeys(ids))
    result: dict[int, tuple[str, ...]] = {i: () for i in wanted}
    collected: dict[int, list[str]] = {}
    # chunked so a huge selection never exceeds SQLite's parameter limit
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = db.execute(
            "SELECT ml.mention_id, l.name FROM mention_labels ml"
            " JOIN labels l ON l.id = ml.label_id"
            f" WHERE ml.mention_id IN ({', '.join('?' for _ in chunk)})"
            " ORDER BY l.name COLLATE NOCASE",
            chunk,
        ).fetchall()
        for mention_id, name in rows:
            collected.setdefault(mention_id, []).append(name)
    for mention_id, names in collected.items():
        result[mention_id] = tuple(names)
    return result


def _label_id(db: sqlite_utils.Database, name: str) -> int:
    """Id of the label called *name* (case-insensitive), creating it when new."""
    row = db.execute("SELECT id FROM labels WHERE name = ?", [name]).fetchone()
    if row is not None:
        return int(row[0])
    cursor = db.execute("INSERT INTO labels (name) VALUES (?)", [name])
    return int(cursor.lastrowid or 0)


def _canonical(db: sqlite_utils.Database, name: str) -> str:
    """The stored spelling of an existing label ("Refund" typed, "refund" stored → "refund")."""
    row = db.execute("SELECT name FROM labels WHERE name = ?", [name]).fetchone()
    return str(row[0]) if row else name


def _existing_ids(db: sqlite_utils.Database, ids: Sequence[int]) -> list[int]:
    found: list[int] = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        found.extend(
            r[0]
            for r in db.execute(
                f"SELECT id FROM mentions WHERE id IN ({', '.join('?' for _ in chunk)})", chunk
            )
        )
    wanted = set(found)
    return [i for i in ids if i in wanted]


def _apply(
    db: sqlite_utils.Database,
    targets: Mapping[int, Iterable[str]],
    actor: str,
) -> dict[int, tuple[str, ...]]:
    """Make each mention carry exactly the given labels; log each label added or removed.

    Returns the previous label set of every mention that changed. Runs in one transaction.
    """
    previous: dict[int, tuple[str, ...]] = {}
    with immediate(db):
        ids = _existing_ids(db, list(targets))
        before = for_mentions(db, ids)
        for mention_id in ids:
            wanted: dict[str, str] = {}
            for name in targets[mention_id]:
                stored = _canonical(db, clean_name(name))
                wanted.setdefault(_key(stored), stored)
            have = {_key(n): n for n in before[mention_id]}
            added = [wanted[k] for k in wanted if k not in have]
            removed = [have[k] for k in have if k not in wanted]
            if not added and not removed:
                continue
            previous[mention_id] = before[mention_id]
            for name in added:
                db.execute(
                    "INSERT OR IGNORE INTO mention_labels (mention_id, label_id) VALUES (?, ?)",
                    [mention_id, _label_id(db, name)],
                )
                events.record(db, "mention", mention_id, "label", old=None, new=name, actor=actor)
            for name in removed:
                db.execute(
                    "DELETE FROM mention_labels WHERE mention_id = ?"
                    " AND label_id = (SELECT id FROM labels WHERE name = ?)",
                    [mention_id, name],
                )
                events.record(db, "mention", mention_id, "label", old=name, new=None, actor=actor)
    return previous


def change(
    db: sqlite_utils.Database,
    ids: Iterable[int],
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    actor: str = "me",
) -> dict[int, tuple[str, ...]]:
    """Add and/or remove labels on many mentions at once (one transaction).

    A label in both *add* and *remove* is added. Unknown mention ids are ignored. Returns
    ``{id: previous labels}`` for the mentions that changed, which ``set_labels`` puts back.
    """
    to_add = [clean_name(n) for n in add]
    add_keys = {_key(n) for n in to_add}
    to_remove = {_key(clean_name(n)) for n in remove} - add_keys
    with immediate(db):
        wanted_ids = list(dict.fromkeys(ids))
        current = for_mentions(db, wanted_ids)
        targets: dict[int, list[str]] = {}
        for mention_id, names in current.items():
            kept = [n for n in names if _key(n) not in to_remove]
            kept_keys = {_key(n) for n in kept}
            kept.extend(n for n in to_add if _key(n) not in kept_keys)
            targets[mention_id] = kept
        return _apply(db, targets, actor)


def add(
    db: sqlite_utils.Database, ids: Iterable[int], name: str, *, actor: str = "me"
) -> dict[int, tuple[str, ...]]:
    """Put label *name* on the mentions (created if new). Returns previous sets of those changed."""
    return change(db, ids, add=[name], actor=actor)


def remove(
    db: sqlite_utils.Database, ids: Iterable[int], name: str, *, actor: str = "me"
) -> dict[int, tuple[str, ...]]:
    """Take label *name* off the mentions. Returns previous sets of those changed."""
    return change(db, ids, remove=[name], actor=actor)


def set_labels(
    db: sqlite_utils.Database, values: Mapping[int, Iterable[str]], *, actor: str = "me"
) -> dict[int, tuple[str, ...]]:
    """Give each mention exactly the labels listed for it (undo/redo). Logged like any change."""
    return _apply(db, {k: list(v) for k, v in values.items()}, actor)
