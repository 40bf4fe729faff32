"""What the Plan page does with whole plans: new, duplicate, import, rename, delete, start
and end an incident — each an undoable command (see ``commands.py``)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMessageBox

from crisisdesk.domain import PlanEntryKind
from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import plans
from crisisdesk.store.plans import Entry, PlanDoc
from crisisdesk.timeutil import now_iso
from crisisdesk.ui.plan import commands as cmd

if TYPE_CHECKING:
    from crisisdesk.ui.plan.page import PlanPage


def plan_chosen(page: PlanPage, index: int) -> None:
    plan_id = page.plan_combo.itemData(index)
    if plan_id is not None and plan_id != page.plan_id:
        page.commit_notes()
        page.show_plan(int(plan_id))


def create_plan(page: PlanPage, doc: PlanDoc, text: str) -> int:
    """Add *doc* as a new plan (undoable) and show it; returns its id."""
    plan_id = page.new_plan_id()
    ids = [page.new_item_id() for _ in doc.entries]
    name = plans.unique_name(page.db, doc.name)
    page.push(cmd.CreatePlan(page, plan_id, replace(doc, name=name), ids, text))
    return plan_id


def new_plan(page: PlanPage, name: str | None = None) -> None:
    if name is None:
        name, ok = QInputDialog.getText(page, "New plan", "Name of the new plan:")
        if not ok:
            return
    try:
        cleaned = plans.clean_name(name)
    except CrisisdeskError as exc:
        page.show_message(exc)
        return
    first = Entry(PlanEntryKind.SECTION, "First hour")
    page.create_plan(PlanDoc(cleaned, (first,)), f'New plan "{cleaned}"')


def duplicate_plan(page: PlanPage) -> None:
    if page.plan is None:
        return
    entries = tuple(replace(r.entry, done_at=None, done_by="") for r in page.model.rows())
    doc = PlanDoc(f"{page.plan.name} (copy)", entries)
    page.create_plan(doc, f'Duplicate "{page.plan.name}"')


def rename_plan(page: PlanPage, name: str | None = None) -> None:
    if page.plan is None:
        return
    if name is None:
        name, ok = QInputDialog.getText(page, "Rename plan", "New name:", text=page.plan.name)
        if not ok:
            return
    try:
        cleaned = plans.clean_name(name)
        other = plans.find_plan(page.db, cleaned)
        if other is not None and other.id != page.plan.id:
            raise plans.PlanError(
                f'There is already a plan called "{other.name}".', hint="Choose another name."
            )
    except CrisisdeskError as exc:
        page.show_message(exc)
        return
    if cleaned != page.plan.name:
        page.push(cmd.RenamePlan(page, page.plan.id, page.plan.name, cleaned))


def delete_plan(page: PlanPage, confirm: bool = True) -> None:
    if page.plan is None:
        return
    if confirm:
        answer = QMessageBox.question(
            page, "Delete plan",
            f'Delete the plan "{page.plan.name}"? Edit → Undo brings it back.',
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
    rows = page.model.rows()
    doc = PlanDoc(page.plan.name, tuple(r.entry for r in rows))
    page.push(cmd.CreatePlan(page, page.plan.id, doc, [r.id for r in rows],
                              f'Delete plan "{page.plan.name}"', delete=True))  # fmt: skip


def toggle_active(page: PlanPage) -> None:
    if page.plan is None:
        return
    old = page.active
    old_id, old_at = (old.id, old.activated_at) if old else (None, None)
    if page.plan.active:
        command = cmd.ActivatePlan(page, None, None, old_id, old_at, "End incident")
    else:
        text = f'Start incident with "{page.plan.name}"'
        command = cmd.ActivatePlan(page, page.plan.id, now_iso(), old_id, old_at, text)
    page.push(command)
