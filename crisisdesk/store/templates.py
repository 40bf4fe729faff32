"""The owner's reply templates: the ``templates`` table (m001, m005), seeded from the shipped
library in ``resources/templates/library.json`` on first use.

API (the composer and the template library dialog use these)::

    list_templates(db, search="", category=None) -> list[Template]   # by category, then name
    Template(id, name, category, body, builtin)                      # builtin: shipped with the app
    categories(db) -> list[str]
    matches(template, search, category) -> bool                      # the one search rule
    get(db, template_id) -> Template
    create(db, name, category, body) -> Template
    update(db, template_id, name=..., category=..., body=...) -> Template
    duplicate(db, template_id) -> Template                           # "Name (copy)"
    delete(db, template_id) -> Template                              # give it to restore() to undo
    restore(db, template) -> Template                                # back under its old id

Filling a template's ``{variables}`` is ``analysis.templates.fill``. Seeding adds each shipped
template once, ever: the keys already added are remembered in ``meta`` (``templates/seeded``), so
an owner's edit is never overwritten and a template they deleted does not come back; a template
added to the library in a later version is added on the next use. Every change writes an audit
event (entity "template") in the same transaction. Searching folds case and accents, in Python:
an owner has tens of templates, not thousands.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from typing import Any, NamedTuple

import sqlite_utils

from crisisdesk import paths
from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events, meta
from crisisdesk.store.transactions import immediate
from crisisdesk.store.typed_text import has_invisible_characters, one_line
from crisisdesk.timeutil import now_iso

__all__ = [
    "Template", "categories", "create", "delete", "duplicate", "ensure_seeded", "get",
    "list_templates", "matches", "restore", "shipped", "sort_key", "update",
]  # fmt: skip

MAX_NAME = 80
MAX_CATEGORY = 40
MAX_BODY = 10_000
SEEDED_KEY = "templates/seeded"
_COLUMNS = "id, name, category, body, builtin_key"


class Template(NamedTuple):
    id: int
    name: str
    category: str  # "" when the owner gave none
    body: str
    builtin: bool  # seeded from the shipped library (the owner may have edited it since)


class Shipped(NamedTuple):
    """A template of the shipped library."""

    key: str
    name: str
    category: str
    body: str


@cache
def shipped() -> tuple[Shipped, ...]:
    """The templates shipped in ``resources/templates/library.json`` (read once)."""
    path = paths.resources_dir() / "templates" / "library.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Shipped(t["key"], t["name"], t["category"], t["body"]) for t in data["templates"])


def _row(row: Any) -> Template:
    return Template(int(row[0]), str(row[1]), str(row[2] or ""), str(row[3]), row[4] is not None)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- checks of what the owner typed ---------------------------------------------------------


def _clean_line(value: str, what: str, most: int, *, required: bool) -> str:
    cleaned = one_line(value)
    if required and not cleaned:
        raise CrisisdeskError(f"The template needs a {what}.", hint=f"Type a {what}.")
    if len(cleaned) > most:
        raise CrisisdeskError(
            f"That {what} is too long ({len(cleaned)} characters).",
            hint=f"Keep it under {most + 1} characters.",
        )
    if has_invisible_characters(cleaned):
        raise CrisisdeskError(
            f"The {what} contains invisible control characters.", hint="Retype it by hand."
        )
    return cleaned


def _clean_body(body: str) -> str:
    text = str(body).replace("\r\n", "\n").strip()
    if not text:
        raise CrisisdeskError("The template has no text.", hint="Write the reply it should start.")
    if len(text) > MAX_BODY:
        raise CrisisdeskError(
            f"The template text is too long ({len(text)} characters).",
            hint=f"Keep it under {MAX_BODY + 1} characters; no platform takes more.",
        )
    return text


def _check_name_free(db: sqlite_utils.Database, name: str, except_id: int | None = None) -> None:
    for other_id, other in db.execute("SELECT id, name FROM templates").fetchall():
        if other_id != except_id and _fold(other) == _fold(name):
            raise CrisisdeskError(
                f"A template named “{other}” already exists.", hint="Choose another name."
            )


def _free_name(db: sqlite_utils.Database, wanted: str) -> str:
    taken = {_fold(r[0]) for r in db.execute("SELECT name FROM templates")}
    if _fold(wanted) not in taken:
        return wanted
    number = 2
    while _fold(f"{wanted} ({number})") in taken:
        number += 1
    return f"{wanted} ({number})"


# --- seeding -------------------------------------------------------------------------------------


def _seeded(db: sqlite_utils.Database) -> set[str]:
    raw = meta.get(db, SEEDED_KEY)
    try:
        keys = json.loads(raw) if raw else []
    except ValueError:
        keys = []
    return {str(k) for k in keys} if isinstance(keys, list) else set()


def ensure_seeded(db: sqlite_utils.Database) -> int:
    """Add the shipped templates not added before; returns how many were added."""
    library = shipped()
    if {t.key for t in library} <= _seeded(db):
        return 0  # the common case: a read, no write lock
    added = 0
    with immediate(db):
        done = _seeded(db)  # again, under the lock: another thread may have seeded
        now = now_iso()
        for item in library:
            if item.key in done:
                continue
            exists = db.execute(
                "SELECT 1 FROM templates WHERE builtin_key = ?", [item.key]
            ).fetchone()
            if exists is None:
                name = _free_name(db, item.name)
                db.execute(
                    "INSERT INTO templates (name, category, body, builtin_key, created_at,"
                    " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [name, item.category, item.body, item.key, now, now],
                )
                added += 1
            done.add(item.key)
        meta.put(db, SEEDED_KEY, json.dumps(sorted(done)))
    return added


# --- queries -------------------------------------------------------------------------------------


def list_templates(
    db: sqlite_utils.Database, search: str = "", category: str | None = None
) -> list[Template]:
    """The templates whose name, category or text contain every word of *search* (case and
    accents aside), in *category* when given; by category, then name. Seeds on first use."""
    ensure_seeded(db)
    rows = [_row(r) for r in db.execute(f"SELECT {_COLUMNS} FROM templates")]
    return sorted((t for t in rows if matches(t, search, category)), key=sort_key)


def matches(template: Template, search: str = "", category: str | None = None) -> bool:
    """Whether *template* is in *category* (when given) and has every word of *search* in its
    name, category or text, case and accents aside (the dialog filters with this too)."""
    if category is not None and _fold(template.category) != _fold(category):
        return False
    haystack = _fold(f"{template.name}\n{template.category}\n{template.body}")
    return all(word in haystack for word in _fold(search).split())


def sort_key(template: Template) -> tuple[str, str, int]:
    """By category, then name (case and accents aside)."""
    return _fold(template.category), _fold(template.name), template.id


def categories(db: sqlite_utils.Database) -> list[str]:
    """Every category in use, alphabetically (case aside); no empty one."""
    ensure_seeded(db)
    names = {str(r[0]) for r in db.execute("SELECT DISTINCT category FROM templates") if r[0]}
    return sorted(names, key=_fold)


def get(db: sqlite_utils.Database, template_id: int) -> Template:
    row = db.execute(f"SELECT {_COLUMNS} FROM templates WHERE id = ?", [template_id]).fetchone()
    if row is None:
        raise CrisisdeskError(
            "That template no longer exists.", hint="It may have been deleted in another window."
        )
    return _row(row)


# --- changes -------------------------------------------------------------------------------------


def create(db: sqlite_utils.Database, name: str, category: str, body: str) -> Template:
    """Add the owner's own template; a name already used (case aside) is refused."""
    name = _clean_line(name, "name", MAX_NAME, required=True)
    category = _clean_line(category, "category", MAX_CATEGORY, required=False)
    body = _clean_body(body)
    with immediate(db):
        _check_name_free(db, name)
        now = now_iso()
        cursor = db.execute(
            "INSERT INTO templates (name, category, body, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [name, category, body, now, now],
        )
        template_id = int(cursor.lastrowid or 0)
        events.record(db, "template", template_id, "create", new=name)
    return get(db, template_id)


def update(
    db: sqlite_utils.Database, template_id: int, *, name: str, category: str, body: str
) -> Template:
    """Change a template (a shipped one too: seeding never overwrites it)."""
    name = _clean_line(name, "name", MAX_NAME, required=True)
    category = _clean_line(category, "category", MAX_CATEGORY, required=False)
    body = _clean_body(body)
    with immediate(db):
        old = get(db, template_id)
        _check_name_free(db, name, except_id=template_id)
        db.execute(
            "UPDATE templates SET name = ?, category = ?, body = ?, updated_at = ? WHERE id = ?",
            [name, category, body, now_iso(), template_id],
        )
        events.record(db, "template", template_id, "update", old=old.name, new=name)
    return get(db, template_id)


def duplicate(db: sqlite_utils.Database, template_id: int) -> Template:
    """A copy of a template, as the owner's own, named "Name (copy)" (or "(copy 2)"...)."""
    with immediate(db):
        original = get(db, template_id)
        base = f"{original.name[: MAX_NAME - 10]} (copy)"
        name = _free_name(db, base)
        now = now_iso()
        cursor = db.execute(
            "INSERT INTO templates (name, category, body, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [name, original.category, original.body, now, now],
        )
        copy_id = int(cursor.lastrowid or 0)
        events.record(db, "template", copy_id, "create", new=name, detail={"from": template_id})
    return get(db, copy_id)


def delete(db: sqlite_utils.Database, template_id: int) -> Template:
    """Remove a template; returns it as it was, for :func:`restore` (undo)."""
    with immediate(db):
        old = get(db, template_id)
        builtin_key = db.execute(
            "SELECT builtin_key FROM templates WHERE id = ?", [template_id]
        ).fetchone()[0]
        db.execute("DELETE FROM templates WHERE id = ?", [template_id])
        events.record(
            db, "template", template_id, "delete", old=old.name,
            detail={"builtin_key": builtin_key} if builtin_key else None,
        )  # fmt: skip
    return old


def restore(db: sqlite_utils.Database, template: Template) -> Template:
    """Put a deleted template back (with its shipped key), under its old id unless a new
    template took that id meanwhile; renamed if its name was taken. Returns it as stored."""
    with immediate(db):
        same_id = db.execute(
            "SELECT name, body FROM templates WHERE id = ?", [template.id]
        ).fetchone()
        if same_id is not None and tuple(same_id) == (template.name, template.body):
            return get(db, template.id)  # already back (undo ran twice)
        builtin_key = None
        if template.builtin:
            for event in reversed(events.for_entity(db, "template", template.id)):
                if event.action == "delete" and event.detail:
                    builtin_key = event.detail.get("builtin_key")
                    break
        if (
            builtin_key is not None
            and db.execute(
                "SELECT 1 FROM templates WHERE builtin_key = ?", [builtin_key]
            ).fetchone()
        ):
            builtin_key = None  # cannot be: keep the template, as the owner's own
        now = now_iso()
        cursor = db.execute(
            "INSERT INTO templates (id, name, category, body, builtin_key, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [None if same_id else template.id, _free_name(db, template.name), template.category,
             template.body, builtin_key, now, now],
        )  # fmt: skip
        restored = int(cursor.lastrowid or 0)
        events.record(
            db, "template", restored, "restore", new=template.name,
            detail=None if restored == template.id else {"was": template.id},
        )  # fmt: skip
    return get(db, restored)
