"""Builders for crisis plans: entries, whole plans, plan files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crisisdesk.domain import PlanEntryKind, PlanSectionRole
from crisisdesk.store import plans
from crisisdesk.store.plans import Entry, PlanDoc


def section(text: str, role: PlanSectionRole = PlanSectionRole.STEPS) -> Entry:
    return Entry(PlanEntryKind.SECTION, text, role=role)


def item(text: str, **fields: Any) -> Entry:
    fields.setdefault("level", 1)
    return Entry(PlanEntryKind.ITEM, text, **fields)


def small_doc(name: str = "Product recall") -> PlanDoc:
    """Two sections of steps, contacts, a holding statement and a review: 9 rows."""
    return PlanDoc(
        name,
        (
            section("Contacts", PlanSectionRole.CONTACTS),
            item("Approves replies", owner="Sam", notes="555-0100"),
            section("First hour"),
            item("Pause promotions", owner="Ana", due="+10 min"),
            item("Acknowledge publicly", due="+15 min"),
            section("Statements", PlanSectionRole.STATEMENTS),
            item("Looking into it", notes="We have seen the posts and are looking into it."),
            section("Review", PlanSectionRole.REVIEW),
            item("What went wrong?", notes="The oven timer failed."),
        ),
    )


def long_doc(sections: int = 12, per_section: int = 15, name: str = "Long plan") -> PlanDoc:
    """Many numbered items (``S03 item 07 ...``), some with long notes, for pagination tests."""
    entries: list[Entry] = []
    for s in range(1, sections + 1):
        entries.append(section(f"Section {s:02d}"))
        for i in range(1, per_section + 1):
            notes = " ".join(["A longer note that wraps over several lines."] * (i % 4))
            entries.append(item(f"S{s:02d} item {i:02d} do the thing", owner="Ana", notes=notes))
    return PlanDoc(name, tuple(entries))


def store_doc(db: Any, doc: PlanDoc | None = None) -> int:
    return plans.create_plan(db, doc or small_doc())


def plan_file(path: Path, **overrides: Any) -> Path:
    """A plan JSON file; *overrides* replace top-level keys (version, entries...)."""
    from crisisdesk.export.plan_json import to_json

    data = json.loads(to_json(small_doc()))
    data.update(overrides)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path
