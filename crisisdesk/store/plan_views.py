"""What other features read from the crisis plans (read-only).

- the reply composer: :func:`holding_statements` and :func:`key_contacts`;
- the post-crisis report: :func:`plan_progress` (what was done, by whom, when) and
  :func:`review_lessons` (the review section's answers);
- the main window's status bar: :func:`progress_counts`.

They read the *active* plan; when no plan is active, the composer's two fall back to the first
plan by name, so an owner's prepared statements are there before an incident is declared.
"""

from __future__ import annotations

from typing import NamedTuple

import sqlite_utils

from crisisdesk.domain import PlanSectionRole
from crisisdesk.store.plans import (
    REFERENCE_ROLES,
    Plan,
    PlanItem,
    active_plan,
    get_plan,
    items,
    list_plans,
)


class Contact(NamedTuple):
    """A key contact of the plan: the role ("Approves replies"), who, and how to reach them."""

    role: str
    name: str
    reach: str


class DoneItem(NamedTuple):
    section: str
    text: str
    done_by: str
    done_at: str  # UTC ISO


class PlanProgress(NamedTuple):
    plan_id: int
    plan_name: str
    done: int
    total: int
    done_items: list[DoneItem]

    def text(self) -> str:
        """The short form for the status bar: ``7/19 done``."""
        return f"{self.done}/{self.total} done"


def _plan_for_reading(db: sqlite_utils.Database) -> Plan | None:
    active = active_plan(db)
    if active is not None:
        return active
    plans = list_plans(db)
    return plans[0] if plans else None


def _by_section(rows: list[PlanItem]) -> list[tuple[PlanItem | None, PlanItem]]:
    """(its section or None, item) for every item, in order."""
    section: PlanItem | None = None
    pairs: list[tuple[PlanItem | None, PlanItem]] = []
    for row in rows:
        if row.entry.is_section:
            section = row
        else:
            pairs.append((section if row.entry.level == 1 else None, row))
    return pairs


def _items_of_role(db: sqlite_utils.Database, role: PlanSectionRole) -> list[PlanItem]:
    plan = _plan_for_reading(db)
    if plan is None:
        return []
    return [
        item
        for section, item in _by_section(items(db, plan.id))
        if section is not None and section.entry.role is role
    ]


def holding_statements(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """(name, body) of every holding statement in the active plan, in the plan's order."""
    return [
        (item.entry.text, item.entry.notes)
        for item in _items_of_role(db, PlanSectionRole.STATEMENTS)
        if item.entry.notes
    ]


def key_contacts(db: sqlite_utils.Database) -> list[Contact]:
    """The contacts section of the active plan: role, person, how to reach them."""
    return [
        Contact(item.entry.text, item.entry.owner, item.entry.notes)
        for item in _items_of_role(db, PlanSectionRole.CONTACTS)
    ]


def plan_progress(db: sqlite_utils.Database, plan_id: int | None = None) -> PlanProgress | None:
    """Checklist progress of *plan_id* (default: the active plan); ``None`` without a plan.

    Contacts, statements and rules are reference, not steps: they do not count.
    """
    plan = active_plan(db) if plan_id is None else get_plan(db, plan_id)
    if plan is None:
        return None
    counted = [
        (section, item)
        for section, item in _by_section(items(db, plan.id))
        if section is None or section.entry.role not in REFERENCE_ROLES
    ]
    done = [
        DoneItem(
            section.entry.text if section else "",
            item.entry.text,
            item.entry.done_by,
            item.entry.done_at or "",
        )
        for section, item in counted
        if item.entry.done
    ]
    return PlanProgress(plan.id, plan.name, len(done), len(counted), done)


def incident_plan_id(db: sqlite_utils.Database, since: str, until: str) -> int | None:
    """The plan worked through between *since* and *until* (UTC ISO): the one with the most
    items ticked in that time, else the active plan; ``None`` when neither exists. After an
    incident the plan is usually no longer active, yet it is the one the report is about."""
    row = db.execute(
        "SELECT plan_id FROM plan_items WHERE done_at >= ? AND done_at < ?"
        " GROUP BY plan_id ORDER BY count(*) DESC, max(done_at) DESC LIMIT 1",
        [since, until],
    ).fetchone()
    if row is not None:
        return int(row[0])
    plan = active_plan(db)
    return plan.id if plan is not None else None


def progress_counts(db: sqlite_utils.Database) -> PlanProgress | None:
    """The active plan's progress (for the status bar); ``None`` when no plan is active."""
    return plan_progress(db)


def review_lessons(db: sqlite_utils.Database, plan_id: int | None = None) -> str:
    """The review section's questions and answers as plain text ("" when none is written)."""
    plan = active_plan(db) if plan_id is None else get_plan(db, plan_id)
    if plan is None:
        return ""
    parts = [
        f"{item.entry.text}\n{item.entry.notes}"
        for section, item in _by_section(items(db, plan.id))
        if section is not None and section.entry.role is PlanSectionRole.REVIEW and item.entry.notes
    ]
    return "\n\n".join(parts)
