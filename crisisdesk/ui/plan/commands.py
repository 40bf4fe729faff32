"""Every change on the Plan page as an undoable command, and the queue its writes go through.

A command changes what is on screen at once (when its plan is the one shown) and queues the
same change as a write (:class:`PlanWrites`): the writes run one after another on the task
runner, in the order the commands were done and undone. Ids of new rows and plans are chosen
when the command is made, so redo after undo writes the very same rows again. When a write
fails, the page shows the error, forgets the undo history and reads the plan again: what is on
screen is always what is stored.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import sqlite_utils
from PySide6.QtGui import QUndoCommand

from crisisdesk.store import plans
from crisisdesk.store.plans import Entry, PlanDoc, PlanItem
from crisisdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from crisisdesk.ui.plan.page import PlanPage

WriteFn = Callable[[sqlite_utils.Database], Any]


class PlanWrites:
    """The Plan page's database work, strictly one after another (reads queue behind writes)."""

    def __init__(self, runner: TaskRunner, failed: Callable[[BaseException], None]) -> None:
        self._runner = runner
        self._failed = failed
        self._queue: deque[tuple[WriteFn, Callable[[Any], None] | None]] = deque()
        self._busy = False

    def run(self, fn: WriteFn, then: Callable[[Any], None] | None = None) -> None:
        self._queue.append((fn, then))
        self._next()

    def idle(self) -> bool:
        return not self._busy and not self._queue

    def _next(self) -> None:
        if self._busy or not self._queue:
            return
        fn, then = self._queue.popleft()
        self._busy = True

        def done(result: Any) -> None:
            self._busy = False
            if then is not None:
                then(result)
            self._next()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self._queue.clear()
            self._failed(exc)

        self._runner.op(lambda ctx: fn(ctx.db)).success(done).failure(
            failed
        ).uninterruptible().start()


def _fields(entry: Entry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in plans.EDITABLE_FIELDS}


class PlanCommand(QUndoCommand):
    def __init__(self, page: PlanPage, plan_id: int, text: str) -> None:
        super().__init__(text)
        self.page = page
        self.plan_id = plan_id

    @property
    def shown(self) -> bool:
        """True when the command's plan is on screen (else it only writes, then shows it)."""
        return self.page.plan_id == self.plan_id

    def write(self, fn: WriteFn) -> None:
        self.page.writes.run(fn)
        if not self.shown:
            self.page.show_plan(self.plan_id)
        else:
            self.page.rows_changed()


class EditItem(PlanCommand):
    """Text, who, due, notes, indent or done of one row."""

    def __init__(self, page: PlanPage, plan_id: int, item_id: int, before: Entry, after: Entry,
                 text: str) -> None:  # fmt: skip
        super().__init__(page, plan_id, text)
        self.item_id, self.before, self.after = item_id, before, after

    def _apply(self, entry: Entry) -> None:
        if self.shown:
            self.page.model.replace_entry(self.item_id, entry)
        item_id, fields = self.item_id, _fields(entry)
        self.write(lambda db: plans.update_item(db, item_id, fields))

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


class InsertItem(PlanCommand):
    def __init__(self, page: PlanPage, plan_id: int, item: PlanItem, text: str) -> None:
        super().__init__(page, plan_id, text)
        self.item = item

    def insert(self) -> None:
        if self.shown:
            self.page.model.insert(self.item.position, self.item)
        item = self.item
        self.write(lambda db: plans.insert_item(db, item.plan_id, item.position, item.entry,
                                                item_id=item.id))  # fmt: skip

    def remove(self) -> None:
        if self.shown:
            self.page.model.remove(self.page.model.row_of(self.item.id))
        item_id = self.item.id
        self.write(lambda db: plans.delete_item(db, item_id))

    def redo(self) -> None:
        self.insert()

    def undo(self) -> None:
        self.remove()


class DeleteItem(InsertItem):
    def redo(self) -> None:
        self.remove()

    def undo(self) -> None:
        self.insert()


class MoveItem(PlanCommand):
    def __init__(self, page: PlanPage, plan_id: int, item_id: int, source: int, target: int,
                 text: str) -> None:  # fmt: skip
        super().__init__(page, plan_id, text)
        self.item_id, self.source, self.target = item_id, source, target

    def _move(self, source: int, target: int) -> None:
        if self.shown:
            self.page.model.move(source, target)
        item_id = self.item_id
        self.write(lambda db: plans.move_item(db, item_id, target))

    def redo(self) -> None:
        self._move(self.source, self.target)

    def undo(self) -> None:
        self._move(self.target, self.source)


class ResetPlan(PlanCommand):
    """Untick every item of the plan (after a drill); undo puts every tick back."""

    def __init__(self, page: PlanPage, plan_id: int, rows: list[PlanItem]) -> None:
        super().__init__(page, plan_id, "Untick all items")
        self.rows = rows

    def redo(self) -> None:
        if self.shown:
            for row in self.rows:
                if row.entry.done:
                    unticked = replace(row.entry, done_at=None, done_by="")
                    self.page.model.replace_entry(row.id, unticked)
        plan_id = self.plan_id
        self.write(lambda db: plans.reset_plan(db, plan_id))

    def undo(self) -> None:
        if self.shown:
            for row in self.rows:
                self.page.model.replace_entry(row.id, row.entry)
        plan_id, rows = self.plan_id, self.rows
        self.write(lambda db: plans.replace_items(db, plan_id, rows))


# --- whole plans: create (new, duplicate, import), delete, rename, make active -----------------


class CreatePlan(QUndoCommand):
    def __init__(self, page: PlanPage, plan_id: int, doc: PlanDoc, item_ids: list[int],
                 text: str, *, delete: bool = False) -> None:  # fmt: skip
        super().__init__(text)
        self.page, self.plan_id, self.doc, self.item_ids = page, plan_id, doc, item_ids
        self.delete = delete
        self.previous = page.plan_id

    def _create(self) -> None:
        plan_id, doc, ids = self.plan_id, self.doc, self.item_ids
        self.page.writes.run(lambda db: plans.create_plan(db, doc, plan_id=plan_id, item_ids=ids))
        self.page.show_plan(plan_id)

    def _delete(self) -> None:
        plan_id = self.plan_id
        self.page.writes.run(lambda db: plans.delete_plan(db, plan_id))
        self.page.show_plan(self.previous if self.previous != plan_id else None)

    def redo(self) -> None:
        self._delete() if self.delete else self._create()

    def undo(self) -> None:
        self._create() if self.delete else self._delete()


class RenamePlan(QUndoCommand):
    def __init__(self, page: PlanPage, plan_id: int, old: str, new: str) -> None:
        super().__init__(f'Rename plan to "{new}"')
        self.page, self.plan_id, self.old, self.new = page, plan_id, old, new

    def _rename(self, name: str) -> None:
        plan_id = self.plan_id
        self.page.writes.run(lambda db: plans.rename_plan(db, plan_id, name))
        self.page.show_plan(plan_id)

    def redo(self) -> None:
        self._rename(self.new)

    def undo(self) -> None:
        self._rename(self.old)


class ActivatePlan(QUndoCommand):
    """Make a plan the active one (``None``: end the incident); undo restores the one before,
    with its start time (relative due times count from it)."""

    def __init__(self, page: PlanPage, new: int | None, new_at: str | None,
                 old: int | None, old_at: str | None, text: str) -> None:  # fmt: skip
        super().__init__(text)
        self.page, self.new, self.new_at, self.old, self.old_at = page, new, new_at, old, old_at

    def _set(self, plan_id: int | None, at: str | None) -> None:
        self.page.writes.run(lambda db: plans.set_active(db, plan_id, at))
        self.page.show_plan(self.page.plan_id)

    def redo(self) -> None:
        self._set(self.new, self.new_at)

    def undo(self) -> None:
        self._set(self.old, self.old_at)
