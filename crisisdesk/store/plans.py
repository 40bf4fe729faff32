"""Crisis plans: sections and checklist items the owner prepares and works through.

A plan is an ordered list of rows (``position`` 0..n-1): a section heading
(:attr:`PlanEntryKind.SECTION`) or an item. An item with ``level`` 1 sits under the section
above it; level 0 stands on its own. A section's :class:`PlanSectionRole` says what its items
hold (contacts, holding statements, review questions), so the composer and the post-crisis
report can find them (see ``store/plan_views.py``).

At most one plan is *active* (a live incident); relative due times (``"+1 h"``) count from the
moment it was made active. Every write here is one ``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from crisisdesk.domain import PlanEntryKind, PlanSectionRole
from crisisdesk.errors import CrisisdeskError
from crisisdesk.store.transactions import immediate
from crisisdesk.store.typed_text import one_line
from crisisdesk.timeutil import normalise, now_iso, parse_iso

MAX_NAME_LENGTH = 80
MAX_TEXT_LENGTH = 2000
MAX_NOTES_LENGTH = 10_000

_UNITS = {"min": ("min", 1), "h": ("h", 60), "d": ("d", 60 * 24)}
_RELATIVE = re.compile(
    r"\+\s*(\d{1,4})\s*(m|mins?|minutes?|h|hrs?|hours?|d|days?)\.?", re.IGNORECASE
)
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")

#: sections whose items are reference (no checkbox, not counted in the progress)
REFERENCE_ROLES = frozenset(
    {PlanSectionRole.CONTACTS, PlanSectionRole.STATEMENTS, PlanSectionRole.RULES}
)


class PlanError(CrisisdeskError):
    """A plan or an item cannot be saved as entered (nothing was changed)."""


@dataclass(frozen=True)
class Entry:
    """One row of a plan without its ids: what a plan file, a copy and the editor hand over."""

    kind: PlanEntryKind
    text: str
    level: int = 0
    role: PlanSectionRole = PlanSectionRole.STEPS
    owner: str = ""
    due: str = ""
    notes: str = ""
    done_at: str | None = None  # UTC ISO; None = not done
    done_by: str = ""

    @property
    def is_section(self) -> bool:
        return self.kind is PlanEntryKind.SECTION

    @property
    def done(self) -> bool:
        return self.done_at is not None


#: the columns of an Entry, in the table's names
ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Entry))
EDITABLE_FIELDS = frozenset({"text", "owner", "due", "notes", "level", "done_at", "done_by"})


@dataclass(frozen=True)
class PlanItem:
    """A stored row: its id and position, and what it says."""

    id: int
    plan_id: int
    position: int
    entry: Entry


@dataclass(frozen=True)
class Plan:
    id: int
    name: str
    active: bool
    activated_at: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class PlanDoc:
    """A whole plan as it travels: the default plan, a JSON file, a duplicate."""

    name: str
    entries: tuple[Entry, ...]


# --- checking what a person typed -----------------------------------------------------------------


def clean_name(name: str) -> str:
    cleaned = one_line(name)
    if not cleaned:
        raise PlanError("A plan needs a name.", hint='For example "Product recall".')
    if len(cleaned) > MAX_NAME_LENGTH:
        raise PlanError(
            "That plan name is too long.", hint=f"Keep it under {MAX_NAME_LENGTH + 1} characters."
        )
    return cleaned


def parse_due(text: str) -> str:
    """What a person wrote as a due time → its stored form.

    ``""`` (no due time), a time after activation (``"+30 min"``, ``"+1 h"``, ``"+2 d"``) or a
    date (``"2026-12-01"``, kept as a date) or a date and time (stored as UTC ISO).
    """
    value = text.strip()
    if not value:
        return ""
    match = _RELATIVE.fullmatch(value)
    if match:
        unit = match.group(2).lower()
        key = "min" if unit.startswith("m") else unit[0]
        return f"+{int(match.group(1))} {_UNITS[key][0]}"
    if _DATE_ONLY.fullmatch(value):
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            pass
        else:
            return value
    elif not value.startswith(("+", "-")):
        try:
            return normalise(value)
        except ValueError:
            pass
    raise PlanError(
        f'The due time "{value[:40]}" is not understood.',
        hint='Write a time after the plan is started ("+30 min", "+1 h", "+2 d") or a date '
        "(2026-12-01).",
    )


def relative_minutes(due: str) -> int | None:
    """Minutes after activation for a relative due time, else ``None``."""
    match = _RELATIVE.fullmatch(due)
    if not match:
        return None
    unit = match.group(2).lower()
    return int(match.group(1)) * _UNITS["min" if unit.startswith("m") else unit[0]][1]


def due_time(due: str, activated_at: str | None) -> datetime | None:
    """When a relative due time falls for a plan made active at *activated_at* (UTC)."""
    minutes = relative_minutes(due)
    if minutes is None or activated_at is None:
        return None
    return parse_iso(activated_at) + timedelta(minutes=minutes)


def check_entry(entry: Entry) -> Entry:
    """The entry as it will be stored (trimmed, due parsed); raises :class:`PlanError`."""
    text = entry.text.strip()
    if not text:
        raise PlanError("An item needs some text.", hint="Write what has to be done.")
    if len(text) > MAX_TEXT_LENGTH or len(entry.notes) > MAX_NOTES_LENGTH:
        raise PlanError("That text is too long for one item.", hint="Split it into two items.")
    level = 0 if entry.is_section else min(max(entry.level, 0), 1)
    done_at = None if entry.is_section else entry.done_at
    return replace(
        entry,
        text=text,
        level=level,
        owner=" ".join(entry.owner.split()),
        due="" if entry.is_section else parse_due(entry.due),
        notes=entry.notes.strip(),
        done_at=done_at,
        done_by=entry.done_by.strip() if done_at else "",
    )


# --- reading --------------------------------------------------------------------------------------

_PLAN_COLUMNS = "id, name, active, activated_at, created_at, updated_at"
_ITEM_COLUMNS = "id, plan_id, position, " + ", ".join(ENTRY_FIELDS)


def _plan(row: Sequence[Any]) -> Plan:
    return Plan(row[0], row[1], bool(row[2]), row[3], row[4], row[5])


def _item(row: Sequence[Any]) -> PlanItem:
    values = dict(zip(ENTRY_FIELDS, row[3:], strict=True))
    values["kind"] = PlanEntryKind(values["kind"])
    values["role"] = PlanSectionRole(values["role"])
    return PlanItem(row[0], row[1], row[2], Entry(**values))


def list_plans(db: sqlite_utils.Database) -> list[Plan]:
    """Every plan, by name."""
    rows = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans ORDER BY name COLLATE NOCASE, id")
    return [_plan(r) for r in rows.fetchall()]


def get_plan(db: sqlite_utils.Database, plan_id: int) -> Plan | None:
    row = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = ?", [plan_id]).fetchone()
    return None if row is None else _plan(row)


def find_plan(db: sqlite_utils.Database, name: str) -> Plan | None:
    """The plan called *name* (case and spacing ignored)."""
    row = db.execute(
        f"SELECT {_PLAN_COLUMNS} FROM plans WHERE name = ?", [" ".join(name.split())]
    ).fetchone()
    return None if row is None else _plan(row)


def active_plan(db: sqlite_utils.Database) -> Plan | None:
    row = db.execute(f"SELECT {_PLAN_COLUMNS} FROM plans WHERE active = 1").fetchone()
    return None if row is None else _plan(row)


def items(db: sqlite_utils.Database, plan_id: int) -> list[PlanItem]:
    """The plan's rows in order."""
    rows = db.execute(
        f"SELECT {_ITEM_COLUMNS} FROM plan_items WHERE plan_id = ? ORDER BY position, id",
        [plan_id],
    )
    return [_item(r) for r in rows.fetchall()]


def document(db: sqlite_utils.Database, plan_id: int) -> PlanDoc:
    """The plan as a :class:`PlanDoc` (for export, JSON and duplicating)."""
    plan = get_plan(db, plan_id)
    if plan is None:
        raise PlanError("That plan no longer exists.", hint="Choose another plan.")
    return PlanDoc(plan.name, tuple(i.entry for i in items(db, plan_id)))


def unique_name(db: sqlite_utils.Database, name: str) -> str:
    """*name*, or *name* (2), (3)... when a plan of that name exists."""
    base = clean_name(name)
    candidate, n = base, 1
    while find_plan(db, candidate) is not None:
        n += 1
        candidate = f"{base[: MAX_NAME_LENGTH - 6]} ({n})"
    return candidate


# --- writing --------------------------------------------------------------------------------------


def _touch(db: sqlite_utils.Database, plan_id: int) -> None:
    db.execute("UPDATE plans SET updated_at = ? WHERE id = ?", [now_iso(), plan_id])


def _insert_row(
    db: sqlite_utils.Database, plan_id: int, position: int, entry: Entry, item_id: int | None
) -> int:
    values = [getattr(entry, f) for f in ENTRY_FIELDS]
    values = [str(v) if isinstance(v, PlanEntryKind | PlanSectionRole) else v for v in values]
    cursor = db.execute(
        f"INSERT INTO plan_items (id, plan_id, position, {', '.join(ENTRY_FIELDS)})"
        f" VALUES (?, ?, ?, {', '.join('?' for _ in ENTRY_FIELDS)})",
        [item_id, plan_id, position, *values],
    )
    return int(cursor.lastrowid or 0)


def create_plan(
    db: sqlite_utils.Database,
    doc: PlanDoc,
    *,
    plan_id: int | None = None,
    item_ids: Sequence[int] | None = None,
) -> int:
    """Store *doc* as a new plan (its name made unique); returns the plan id.

    *plan_id* and *item_ids* restore a deleted plan under its old ids (undo).
    """
    entries = [check_entry(e) for e in doc.entries]
    with immediate(db):
        name = unique_name(db, doc.name)
        now = now_iso()
        cursor = db.execute(
            "INSERT INTO plans (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
            [plan_id, name, now, now],
        )
        new_id = int(cursor.lastrowid or 0)
        for position, entry in enumerate(entries):
            wanted = item_ids[position] if item_ids is not None else None
            _insert_row(db, new_id, position, entry, wanted)
    return new_id


def delete_plan(db: sqlite_utils.Database, plan_id: int) -> None:
    with immediate(db):
        db.execute("DELETE FROM plan_items WHERE plan_id = ?", [plan_id])
        db.execute("DELETE FROM plans WHERE id = ?", [plan_id])


def rename_plan(db: sqlite_utils.Database, plan_id: int, name: str) -> str:
    """Rename; returns the stored name. Raises :class:`PlanError` when the name is taken."""
    cleaned = clean_name(name)
    with immediate(db):
        other = find_plan(db, cleaned)
        if other is not None and other.id != plan_id:
            raise PlanError(
                f'There is already a plan called "{other.name}".', hint="Choose another name."
            )
        db.execute("UPDATE plans SET name = ? WHERE id = ?", [cleaned, plan_id])
        _touch(db, plan_id)
    return cleaned


def duplicate_plan(db: sqlite_utils.Database, plan_id: int, name: str | None = None) -> int:
    """A copy of the plan with every item unchecked; returns the new plan's id."""
    doc = document(db, plan_id)
    fresh = tuple(replace(e, done_at=None, done_by="") for e in doc.entries)
    return create_plan(db, PlanDoc(name or f"{doc.name} (copy)", fresh))


def set_active(
    db: sqlite_utils.Database, plan_id: int | None, activated_at: str | None = None
) -> None:
    """Make *plan_id* the active plan (``None``: no plan is active)."""
    with immediate(db):
        db.execute("UPDATE plans SET active = 0, activated_at = NULL WHERE active = 1")
        if plan_id is not None:
            db.execute(
                "UPDATE plans SET active = 1, activated_at = ? WHERE id = ?",
                [activated_at or now_iso(), plan_id],
            )


def insert_item(
    db: sqlite_utils.Database,
    plan_id: int,
    position: int,
    entry: Entry,
    *,
    item_id: int | None = None,
) -> int:
    """Insert *entry* at *position* (later rows move down); returns its id."""
    checked = check_entry(entry)
    with immediate(db):
        db.execute(
            "UPDATE plan_items SET position = position + 1 WHERE plan_id = ? AND position >= ?",
            [plan_id, position],
        )
        new_id = _insert_row(db, plan_id, position, checked, item_id)
        _touch(db, plan_id)
    return new_id


def delete_item(db: sqlite_utils.Database, item_id: int) -> None:
    """Remove a row; later rows move up."""
    with immediate(db):
        row = db.execute(
            "SELECT plan_id, position FROM plan_items WHERE id = ?", [item_id]
        ).fetchone()
        if row is None:
            return
        db.execute("DELETE FROM plan_items WHERE id = ?", [item_id])
        db.execute(
            "UPDATE plan_items SET position = position - 1 WHERE plan_id = ? AND position > ?",
            [row[0], row[1]],
        )
        _touch(db, row[0])


def move_item(db: sqlite_utils.Database, item_id: int, to_position: int) -> None:
    """Move a row to *to_position* (its index after the move); the rows between shift."""
    with immediate(db):
        row = db.execute(
            "SELECT plan_id, position FROM plan_items WHERE id = ?", [item_id]
        ).fetchone()
        if row is None:
            raise PlanError("That item no longer exists.", hint="Reload the plan.")
        plan_id, old = row
        count = db.execute(
            "SELECT count(*) FROM plan_items WHERE plan_id = ?", [plan_id]
        ).fetchone()[0]
        new = min(max(to_position, 0), count - 1)
        if new > old:
            db.execute(
                "UPDATE plan_items SET position = position - 1"
                " WHERE plan_id = ? AND position > ? AND position <= ?",
                [plan_id, old, new],
            )
        elif new < old:
            db.execute(
                "UPDATE plan_items SET position = position + 1"
                " WHERE plan_id = ? AND position >= ? AND position < ?",
                [plan_id, new, old],
            )
        db.execute("UPDATE plan_items SET position = ? WHERE id = ?", [new, item_id])
        _touch(db, plan_id)


def update_item(db: sqlite_utils.Database, item_id: int, changes: Mapping[str, Any]) -> Entry:
    """Change some fields of a row (text, owner, due, notes, level, done_at, done_by).

    Returns the entry as stored. Raises :class:`PlanError` for a value that cannot be saved.
    """
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with immediate(db):
        row = db.execute(f"SELECT {_ITEM_COLUMNS} FROM plan_items WHERE id = ?", [item_id])
        found = row.fetchone()
        if found is None:
            raise PlanError("That item no longer exists.", hint="Reload the plan.")
        current = _item(found)
        entry = check_entry(replace(current.entry, **changes))
        db.execute(
            "UPDATE plan_items SET text = ?, owner = ?, due = ?, notes = ?, level = ?,"
            " done_at = ?, done_by = ? WHERE id = ?",
            [
                entry.text, entry.owner, entry.due, entry.notes, entry.level,
                entry.done_at, entry.done_by, item_id,
            ],
        )  # fmt: skip
        _touch(db, current.plan_id)
    return entry


def set_done(
    db: sqlite_utils.Database, item_id: int, done_by: str | None, at: str | None = None
) -> Entry:
    """Tick an item as done by *done_by* (now, or *at*); ``None`` unticks it (reset)."""
    if done_by is None:
        return update_item(db, item_id, {"done_at": None, "done_by": ""})
    return update_item(db, item_id, {"done_at": at or now_iso(), "done_by": done_by})


def reset_plan(db: sqlite_utils.Database, plan_id: int) -> None:
    """Untick every item (after a drill, or to reuse a plan)."""
    with immediate(db):
        db.execute(
            "UPDATE plan_items SET done_at = NULL, done_by = '' WHERE plan_id = ?", [plan_id]
        )
        _touch(db, plan_id)


def replace_items(db: sqlite_utils.Database, plan_id: int, rows: Iterable[PlanItem]) -> None:
    """Put back exactly *rows* (ids, positions, fields): the undo of a bulk change."""
    with immediate(db):
        db.execute("DELETE FROM plan_items WHERE plan_id = ?", [plan_id])
        for row in rows:
            _insert_row(db, plan_id, row.position, row.entry, row.id)
        _touch(db, plan_id)
