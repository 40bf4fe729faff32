"""A crisis plan as a JSON file, to share it with a second laptop (and the shipped default plan).

The file says what it is and which version of the format wrote it::

    {"format": "crisisdesk-plan", "version": 1, "name": "...", "entries": [{...}, ...]}

Reading checks the whole file before anything is stored: a file from a newer crisisdesk, a
damaged file or a row that makes no sense raises :class:`PlanFileError` with a message for the
owner, and nothing changes.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlite_utils

from crisisdesk import paths
from crisisdesk.domain import PlanEntryKind, PlanSectionRole
from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import plans
from crisisdesk.store.plans import Entry, PlanDoc, PlanError
from crisisdesk.timeutil import normalise

FORMAT_NAME = "crisisdesk-plan"
FORMAT_VERSION = 1
#: a plan file larger than this is not a plan (a few hundred items are a few hundred KB)
MAX_FILE_BYTES = 5_000_000
MAX_ENTRIES = 2000
_TEXT_FIELDS = ("text", "owner", "due", "notes", "done_by")


class PlanFileError(CrisisdeskError):
    """A plan file cannot be read as a crisisdesk plan; nothing was stored."""


def default_plan_path() -> Path:
    return paths.resources_dir() / "plans" / "default.json"


def to_json(doc: PlanDoc) -> str:
    """The plan as the JSON text of a plan file (fields at their defaults left out)."""
    entries: list[dict[str, Any]] = []
    for entry in doc.entries:
        row: dict[str, Any] = {"kind": entry.kind.value, "text": entry.text}
        if entry.is_section:
            row["role"] = entry.role.value
        else:
            row["level"] = entry.level
        for name in ("owner", "due", "notes", "done_at", "done_by"):
            value = getattr(entry, name)
            if value:
                row[name] = value
        entries.append(row)
    data = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "name": doc.name, "entries": entries}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _damaged(detail: str) -> PlanFileError:
    return PlanFileError(
        f"This plan file is damaged or not a crisisdesk plan: {detail}.",
        hint="Nothing was imported. Export the plan again on the other computer and copy it "
        "over once more.",
    )


def _entry(raw: object, number: int) -> Entry:
    if not isinstance(raw, dict):
        raise _damaged(f"row {number} is not an item")
    try:
        kind = PlanEntryKind(raw.get("kind", "item"))
        role = PlanSectionRole(raw.get("role", "steps"))
    except ValueError as exc:
        raise _damaged(f"row {number} has an unknown kind or role") from exc
    values: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        value = raw.get(name, "")
        if not isinstance(value, str):
            raise _damaged(f"row {number}'s {name} is not text")
        values[name] = value
    level = raw.get("level", 0)
    if not isinstance(level, int) or isinstance(level, bool) or level not in (0, 1):
        raise _damaged(f"row {number}'s level is not 0 or 1")
    done_at = raw.get("done_at")
    if done_at is not None and not isinstance(done_at, str):
        raise _damaged(f"row {number}'s done time is not text")
    entry = Entry(kind=kind, role=role, level=level, done_at=done_at or None, **values)
    try:
        if entry.done_at:
            entry = replace(entry, done_at=normalise(entry.done_at))
        return plans.check_entry(entry)
    except (PlanError, ValueError) as exc:
        text = exc.user_text() if isinstance(exc, CrisisdeskError) else str(exc)
        raise _damaged(f"row {number}: {text}") from exc


def from_json(text: str) -> PlanDoc:
    """Read a plan file's text; raises :class:`PlanFileError` (nothing is stored here)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _damaged("it is not readable JSON") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise _damaged("it does not say it is a crisisdesk plan")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _damaged("its format version is missing")
    if version > FORMAT_VERSION:
        raise PlanFileError(
            f"This plan was saved by a newer crisisdesk (plan format {version}; this version "
            f"reads up to {FORMAT_VERSION}).",
            hint="Nothing was imported. Update crisisdesk on this computer, then import again.",
        )
    name, entries = data.get("name"), data.get("entries")
    if not isinstance(name, str) or not name.strip():
        raise _damaged("the plan has no name")
    if not isinstance(entries, list):
        raise _damaged("the plan has no list of items")
    if len(entries) > MAX_ENTRIES:
        raise _damaged(f"it has more than {MAX_ENTRIES} items")
    try:
        plans.clean_name(name)
    except PlanError as exc:
        raise _damaged(str(exc).rstrip(".").lower()) from exc
    return PlanDoc(name, tuple(_entry(raw, n) for n, raw in enumerate(entries, start=1)))


def read_file(path: Path) -> PlanDoc:
    """Read and check a plan file; raises :class:`PlanFileError`."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _damaged("the file is far too large for a plan")
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise PlanFileError(f"There is no file {path}.", hint="Check the name.") from exc
    except OSError as exc:
        raise PlanFileError(
            f"The file {path} cannot be read: {exc.strerror}.", hint="Check the file."
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _damaged("it is not a text file") from exc
    return from_json(text)


def write_file(doc: PlanDoc, path: Path) -> None:
    """Write the plan file (through a temporary file, so a failed write leaves no half file)."""
    write_text(path, to_json(doc))


def write_text(path: Path, text: str | bytes) -> None:
    """Write an export (atomically); an unwritable place raises a :class:`CrisisdeskError`."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CrisisdeskError(
            f"crisisdesk cannot write {path}: {exc.strerror}.",
            hint="Choose another folder or file name.",
        ) from exc


def import_file(db: sqlite_utils.Database, path: Path) -> int:
    """Store the plan in *path* as a new plan (renamed "(2)" when the name is taken)."""
    return plans.create_plan(db, read_file(path))


def default_plan() -> PlanDoc:
    """The crisis plan shipped with crisisdesk."""
    return read_file(default_plan_path())


def ensure_a_plan(db: sqlite_utils.Database) -> None:
    """Give a database without any plan the default plan (first start of the Plan page)."""
    if not plans.list_plans(db):
        plans.create_plan(db, default_plan())
