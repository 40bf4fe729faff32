"""The Plan page: choose a plan, work through its checklist, edit it — all of it undoable.

Top row: the plan chooser and what can be done with whole plans (new, duplicate, rename,
delete, start / end the incident). Below: the checklist (sections and items; edit in place,
tick, drag to reorder; keys for all of it) and the notes of the selected item.
"""

from __future__ import annotations

import getpass
from dataclasses import replace
from typing import Any

import sqlite_utils
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.domain import PlanEntryKind
from crisisdesk.errors import CrisisdeskError
from crisisdesk.export.plan_json import ensure_a_plan
from crisisdesk.settings import Settings
from crisisdesk.store import plan_views, plans
from crisisdesk.store.plans import Entry, Plan, PlanDoc, PlanItem
from crisisdesk.timeutil import now_iso
from crisisdesk.ui.plan import commands as cmd
from crisisdesk.ui.plan import plan_ops
from crisisdesk.ui.plan.model import IndentDelegate, PlanModel
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.window_api import make_action

INDENT_PX = 22
#: keys of the checklist, for Help → Keyboard shortcuts
PLAN_KEYS = (
    ("Insert", "Plan: add an item below"),
    ("Ctrl+Up / Ctrl+Down", "Plan: move the item up / down"),
    ("Ctrl+Right / Ctrl+Left", "Plan: indent under the section / out of it"),
    ("Space", "Plan: tick or untick the item"),
    ("F2", "Plan: edit the item in place"),
    ("Delete", "Plan: delete the item"),
)


class PlanPage(QWidget):
    #: the active plan's progress changed: (its name, done, total); name "" when none is active
    progressChanged = Signal(str, int, int)
    #: a plan was read and shown (tests wait for it)
    planShown = Signal(int)

    def __init__(self, db: sqlite_utils.Database, runner: TaskRunner, settings: Settings,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("planPage")
        self.setAccessibleName("Crisis plan")
        self.db = db  # the GUI thread's connection: short id lookups only
        self._settings = settings
        self.undo_stack = QUndoStack(self)
        self.writes = cmd.PlanWrites(runner, self._write_failed)
        self.plan_id: int | None = None
        self.plan: Plan | None = None
        self.plans: list[Plan] = []
        self.active: Plan | None = None
        self._active_counts: tuple[int, int] = (0, 0)
        self._last_id = 0
        self._last_plan_id = 0
        self._notes_item: int | None = None
        self._build()
        self._build_actions()

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.plan_combo = QComboBox(self)
        self.plan_combo.setObjectName("planChooser")
        self.plan_combo.setAccessibleName("Plan")
        self.plan_combo.setMinimumContentsLength(16)  # fits 720 px at 14 pt (issue 15.8)
        self.plan_combo.activated.connect(self._plan_chosen)
        chooser_label = QLabel("&Plan:", self)
        chooser_label.setBuddy(self.plan_combo)
        self.plan_bar = QToolBar("Plan", self)
        self.plan_bar.setObjectName("planBar")
        self.plan_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("planState")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(chooser_label)
        top.addWidget(self.plan_combo)
        top.addWidget(self.plan_bar, 1)
        top.addWidget(self.state_label)

        self.model = PlanModel(self)
        self.model.edits = self
        self.view = QTreeView(self)
        self.view.setObjectName("planItems")
        self.view.setAccessibleName("Plan items")
        self.view.setModel(self.model)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(False)
        self.view.setItemDelegate(IndentDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        header = self.view.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 400)
        for column, width in ((1, 130), (2, 120), (3, 150)):
            header.resizeSection(column, width)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.item_bar = QToolBar("Items", self)
        self.item_bar.setObjectName("planItemBar")
        self.item_bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("planNotes")
        self.notes.setAccessibleName("Notes of the selected item")
        self.notes.setPlaceholderText(
            "Notes: phone numbers, the words of a statement, what you learned…"
        )
        self.notes.installEventFilter(self)
        notes_label = QLabel("&Notes of the selected item (saved when you leave the box):", self)
        notes_label.setWordWrap(True)  # fits a narrow window at a large font (issue 15.8)
        notes_label.setBuddy(self.notes)
        notes_box = QWidget(self)
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(notes_label)
        notes_layout.addWidget(self.notes)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("planSplitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(notes_box)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)

        self.message = QLabel(self)
        self.message.setObjectName("planMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Plan message")
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.item_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.splitter, 1)

    def _action(self, text: str, slot: Any, keys: list[Any], tip: str, bar: QToolBar) -> QAction:
        """A toolbar action. The item bar's keys (Space, Delete, Insert, Ctrl+arrows) act only
        while the checklist itself has the focus: typing in an editor or the notes never ticks
        or deletes an item; the plan bar's keys work anywhere on the page."""
        action = make_action(self, text, slot, keys, tip=tip)
        if bar is self.item_bar:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.view.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        bar.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.plan_bar
        self.new_plan_action = self._action("New…", self.new_plan, [], "Start an empty plan", bar)
        self.duplicate_action = self._action(
            "Duplicate", self.duplicate_plan, [], "A copy of this plan, every box unticked", bar
        )
        self.rename_action = self._action("Rename…", self.rename_plan, [], "Rename this plan", bar)
        self.delete_plan_action = self._action(
            "Delete…", self.delete_plan, [], "Delete this plan (Undo brings it back)", bar
        )
        self.activate_action = self._action(
            "Start incident", self.toggle_active, ["Ctrl+Shift+A"],
            "Make this the active plan: due times count from now (Ctrl+Shift+A)", bar,
        )  # fmt: skip
        self.activate_action.setCheckable(True)
        bar = self.item_bar
        self.add_item_action = self._action(
            "Add item", self.add_item, ["Insert"], "Add an item below (Insert)", bar
        )
        self.add_section_action = self._action(
            "Add section", self.add_section, ["Ctrl+Insert"], "Add a section (Ctrl+Insert)", bar
        )
        self.up_action = self._action(
            "Move up", lambda: self.move_by(-1), ["Ctrl+Up"], "Move up (Ctrl+Up)", bar
        )
        self.down_action = self._action(
            "Move down", lambda: self.move_by(1), ["Ctrl+Down"], "Move down (Ctrl+Down)", bar
        )
        self.indent_action = self._action(
            "Indent", lambda: self.set_level(1), ["Ctrl+Right"],
            "Put the item under the section above (Ctrl+Right)", bar,
        )  # fmt: skip
        self.outdent_action = self._action(
            "Outdent", lambda: self.set_level(0), ["Ctrl+Left"],
            "Take the item out of its section (Ctrl+Left)", bar,
        )  # fmt: skip
        self.done_action = self._action(
            "Done", self.toggle_current_done, ["Space"], "Tick or untick (Space)", bar
        )
        self.reset_action = self._action(
            "Reset item", self.reset_item, [], "Untick the item and forget who did it", bar
        )
        self.reset_all_action = self._action(
            "Untick all", self.reset_plan, [], "Untick every item (after a drill)", bar
        )
        self.delete_action = self._action(
            "Delete item", self.delete_item, [QKeySequence.StandardKey.Delete],
            "Delete the item (Delete)", bar,
        )  # fmt: skip

    # --- reading --------------------------------------------------------------------------------

    def show_plan(self, plan_id: int | None = None) -> None:
        """Read the plans and show *plan_id* (default: the one shown last, the active one, the
        first); a database without any plan gets the default plan first."""

        def read(db: sqlite_utils.Database) -> tuple[list[Plan], Plan | None, Any, Any]:
            ensure_a_plan(db)
            found = plans.list_plans(db)
            ids = {p.id for p in found}
            wanted = plan_id if plan_id in ids else None
            if wanted is None:
                remembered = self._settings.get("plan/current")
                active = plans.active_plan(db)
                wanted = remembered if remembered in ids else (active.id if active else None)
            plan = next((p for p in found if p.id == wanted), found[0] if found else None)
            rows = plans.items(db, plan.id) if plan else []
            return found, plan, rows, plan_views.progress_counts(db)

        self.writes.run(read, self._shown)

    def _shown(self, result: tuple[list[Plan], Plan | None, list[PlanItem], Any]) -> None:
        found, plan, rows, progress = result
        self.plans = found
        self.active = next((p for p in found if p.active), None)
        self._active_counts = (progress.done, progress.total) if progress else (0, 0)
        changed = plan is None or plan.id != self.plan_id or rows != self.model.rows()
        self.plan = plan
        self.plan_id = plan.id if plan else None
        self.plan_combo.clear()
        for p in found:
            self.plan_combo.addItem(f"{p.name}  (active)" if p.active else p.name, p.id)
        if plan is not None:
            self.plan_combo.setCurrentIndex(self.plan_combo.findData(plan.id))
            self._settings.set("plan/current", plan.id)
        activated_at = plan.activated_at if plan is not None and plan.active else None
        if activated_at != self.model.activated_at:
            self.model.activated_at = activated_at
            changed = True
        if changed:
            current = self.view.currentIndex()
            self.model.set_rows(rows)
            if rows:
                row = min(max(current.row(), 0), len(rows) - 1)
                self.view.setCurrentIndex(self.model.index(row, 0))
        self._update_state()
        self.rows_changed()
        if plan is not None:
            self.planShown.emit(plan.id)

    def _update_state(self) -> None:
        is_active = self.plan is not None and self.plan.active
        self.activate_action.setChecked(is_active)
        self.activate_action.setText("End incident" if is_active else "Start incident")
        if is_active and self.plan and self.plan.activated_at:
            from crisisdesk.ui.format import short_time_text

            self.state_label.setText(f"Active since {short_time_text(self.plan.activated_at)}")
        else:
            self.state_label.setText("Not active" if self.plan else "")

    def rows_changed(self) -> None:
        """Tell the status bar how far the active plan is."""
        if self.active is None:
            self.progressChanged.emit("", 0, 0)
            return
        done, total = self._active_counts
        if self.active.id == self.plan_id:
            done, total = self.model.progress()
            self._active_counts = (done, total)
        self.progressChanged.emit(self.active.name, done, total)

    def _write_failed(self, exc: BaseException) -> None:
        self.show_message(exc)
        # after the command that queued the write is on the stack (a write can fail inside
        # push() itself): then forget the history and show what is stored
        QTimer.singleShot(0, self._forget_and_reload)

    def _forget_and_reload(self) -> None:
        self.undo_stack.clear()
        self.show_plan(self.plan_id)

    def show_message(self, exc: BaseException) -> None:
        text = exc.user_text() if isinstance(exc, CrisisdeskError) else str(exc)
        self.message.setText(text)
        self.message.show()

    # --- what the model asks for (PlanEdits) ----------------------------------------------------

    def edit(self, item_id: int, changes: dict[str, Any]) -> None:
        row = self.model.row_of(item_id)
        before = self.model.item_at(row).entry
        after = plans.check_entry(replace(before, **changes))
        what = "Edit item" if set(changes) <= {"text", "owner", "due", "notes"} else "Change item"
        self.push(cmd.EditItem(self, self._plan(), item_id, before, after, what))

    def toggle_done(self, item_id: int) -> None:
        entry = self.model.item_at(self.model.row_of(item_id)).entry
        if entry.done:
            self.edit(item_id, {"done_at": None, "done_by": ""})
        else:
            self.edit(item_id, {"done_at": now_iso(), "done_by": self.your_name()})

    def move_item(self, item_id: int, to_row: int) -> None:
        source = self.model.row_of(item_id)
        target = min(max(to_row, 0), self.model.rowCount() - 1)
        if target != source:
            self.push(cmd.MoveItem(self, self._plan(), item_id, source, target, "Move item"))
            self.view.setCurrentIndex(self.model.index(target, 0))

    def input_error(self, error: CrisisdeskError) -> None:
        self.show_message(error)

    # --- commands of the toolbar and keys -------------------------------------------------------

    def your_name(self) -> str:
        name = str(self._settings.get("plan/your_name")).strip()
        if name:
            return name
        try:
            return getpass.getuser()
        except (OSError, KeyError):
            return "me"

    def _plan(self) -> int:
        if self.plan_id is None:
            raise RuntimeError("no plan shown")
        return self.plan_id

    def push(self, command: Any) -> None:
        self.message.hide()
        self.undo_stack.push(command)

    def _current_row(self) -> int:
        return self.view.currentIndex().row() if self.view.currentIndex().isValid() else -1

    def new_item_id(self) -> int:
        stored = self.db.execute("SELECT coalesce(max(id), 0) FROM plan_items").fetchone()[0]
        self._last_id = max(self._last_id, int(stored)) + 1
        return self._last_id

    def new_plan_id(self) -> int:
        stored = self.db.execute("SELECT coalesce(max(id), 0) FROM plans").fetchone()[0]
        self._last_plan_id = max(self._last_plan_id, int(stored)) + 1
        return self._last_plan_id

    def _insert(self, entry: Entry, text: str) -> None:
        if self.plan_id is None:
            return
        row = self._current_row() + 1 if self._current_row() >= 0 else self.model.rowCount()
        item = PlanItem(self.new_item_id(), self.plan_id, row, entry)
        self.push(cmd.InsertItem(self, self.plan_id, item, text))
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def add_item(self) -> None:
        row = self._current_row()
        level = 1 if any(r.entry.is_section for r in self.model.rows()[: row + 1]) else 0
        self._insert(Entry(PlanEntryKind.ITEM, "New item", level=level), "Add item")

    def add_section(self) -> None:
        self._insert(Entry(PlanEntryKind.SECTION, "New section"), "Add section")

    def delete_item(self) -> None:
        row = self._current_row()
        if row < 0 or self.plan_id is None:
            return
        self.push(cmd.DeleteItem(self, self.plan_id, self.model.item_at(row), "Delete item"))

    def move_by(self, step: int) -> None:
        row = self._current_row()
        if row >= 0:
            self.move_item(self.model.item_at(row).id, row + step)

    def set_level(self, level: int) -> None:
        row = self._current_row()
        if row < 0:
            return
        item = self.model.item_at(row)
        if not item.entry.is_section and item.entry.level != level:
            self.edit(item.id, {"level": level})

    def toggle_current_done(self) -> None:
        row = self._current_row()
        if row >= 0 and self.model.checkable(row):
            self.toggle_done(self.model.item_at(row).id)

    def reset_item(self) -> None:
        row = self._current_row()
        if row >= 0 and self.model.item_at(row).entry.done:
            self.edit(self.model.item_at(row).id, {"done_at": None, "done_by": ""})

    def reset_plan(self) -> None:
        if self.plan_id is not None and any(r.entry.done for r in self.model.rows()):
            self.push(cmd.ResetPlan(self, self.plan_id, self.model.rows()))

    # --- whole plans (ui/plan/plan_ops.py) ------------------------------------------------------

    def _plan_chosen(self, index: int) -> None:
        plan_ops.plan_chosen(self, index)

    def create_plan(self, doc: PlanDoc, text: str) -> int:
        """Add *doc* as a new plan (undoable) and show it; returns its id."""
        return plan_ops.create_plan(self, doc, text)

    def new_plan(self, name: str | None = None) -> None:
        plan_ops.new_plan(self, name)

    def duplicate_plan(self) -> None:
        plan_ops.duplicate_plan(self)

    def rename_plan(self, name: str | None = None) -> None:
        plan_ops.rename_plan(self, name)

    def delete_plan(self, confirm: bool = True) -> None:
        plan_ops.delete_plan(self, confirm)

    def toggle_active(self) -> None:
        plan_ops.toggle_active(self)

    # --- notes ---------------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.commit_notes()
        if current.isValid() and current.row() < self.model.rowCount():
            item = self.model.item_at(current.row())
            self._notes_item = item.id
            self.notes.setPlainText(item.entry.notes)
            self.notes.setEnabled(True)
        else:
            self._notes_item = None
            self.notes.clear()
            self.notes.setEnabled(False)

    def commit_notes(self) -> None:
        if self._notes_item is None:
            return
        try:
            row = self.model.row_of(self._notes_item)
        except KeyError:
            return
        text = self.notes.toPlainText().strip()
        if text != self.model.item_at(row).entry.notes:
            self.edit(self._notes_item, {"notes": text})

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent

        if watched is self.notes and event.type() == QEvent.Type.FocusOut:
            self.commit_notes()
        return super().eventFilter(watched, event)

    def select_row(self, row: int) -> None:
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
