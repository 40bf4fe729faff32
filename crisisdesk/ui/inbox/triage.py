"""Triage actions on the selected mentions, each one undoable (Ctrl+Z) and in the audit log.

Every change goes through a store function that writes the audit log in the same transaction
(``mentions.set_status``/``restore_statuses``/``set_assignee``, ``labels``, ``follow_ups``). The
change is made first; only a change that altered something becomes a ``QUndoCommand`` holding
the exact previous and new value per mention, so undo puts back what each mention had.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlite_utils
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from crisisdesk.services import triage
from crisisdesk.store import assignees, follow_ups, labels, mentions
from crisisdesk.store.transactions import immediate
from crisisdesk.timeutil import parse_iso
from crisisdesk.ui import errors
from crisisdesk.ui.dialogs.assign_dialog import AssignDialog
from crisisdesk.ui.dialogs.follow_up_dialog import FollowUpDialog
from crisisdesk.ui.dialogs.label_picker import LabelPicker
from crisisdesk.ui.inbox.model import STATUS_TEXT

#: status → (menu text, single-key shortcut, short toolbar text). Letters are mnemonic where
#: they can be, E archives as in most mail programs, and none clashes with j/k (move) or /.
STATUS_ACTIONS: dict[str, tuple[str, str, str]] = {
    "open": ("Mark &Open", "O", "Open"),
    "replied": ("Mark &Replied", "R", "Replied"),
    "offline": ("Mark &Taken Offline", "T", "Offline"),
    "resolved": ("Mark Resolved (&Done)", "D", "Done"),
    "archived": ("&Archive", "E", "Archive"),
}
ASSIGN_SHORTCUT = "A"
LABELS_SHORTCUT = "L"
FOLLOW_UP_SHORTCUT = "F"
CLEAR_FOLLOW_UP_SHORTCUT = "Shift+F"


def _mentions_word(n: int) -> str:
    return "1 mention" if n == 1 else f"{n} mentions"


class ChangeCommand(QUndoCommand):
    """An already-applied change: ``undo`` applies *before*, ``redo`` applies *after* again.

    If the store refuses (e.g. the database is busy with an import), the person is told and
    the command steps the stack back, so the stack always matches what is stored and
    Ctrl+Z can simply be pressed again later.
    """

    def __init__(
        self,
        text: str,
        apply: Callable[[Mapping[int, Any]], object],
        before: Mapping[int, Any],
        after: Mapping[int, Any],
        controller: TriageController,
    ) -> None:
        super().__init__(text)
        self._apply = apply
        self._before = dict(before)
        self._after = dict(after)
        self._controller = controller
        self._skip_next = True  # pushing calls redo(); the change is already made

    def redo(self) -> None:
        self._run(self._after, undoing=False)

    def undo(self) -> None:
        self._run(self._before, undoing=True)

    def _run(self, values: Mapping[int, Any], *, undoing: bool) -> None:
        if self._skip_next:
            self._skip_next = False
            return
        try:
            self._apply(values)
        except Exception as exc:
            self._controller.report_error(exc)
            # step back once the stack has finished this step; that step writes nothing
            self._skip_next = True
            stack = self._controller.undo_stack
            QTimer.singleShot(0, stack.redo if undoing else stack.undo)
            return
        self._controller.mentionsChanged.emit(sorted(values))


class TriageController(QObject):
    """The triage actions over whatever ``selected_ids()`` returns at the time."""

    #: ids of mentions whose stored state changed (after a change, an undo or a redo)
    mentionsChanged = Signal(list)
    #: a short confirmation for the status bar
    statusMessage = Signal(str)

    def __init__(
        self,
        db: sqlite_utils.Database,
        undo_stack: QUndoStack,
        selected_ids: Callable[[], list[int]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self.undo_stack = undo_stack
        self._selected_ids = selected_ids
        self.status_actions: dict[str, QAction] = {}
        for status, (text, key, short) in STATUS_ACTIONS.items():
            title = STATUS_TEXT[status].lower()
            action = self._action(text, key, f"Mark the selected mentions as {title}", short)
            action.triggered.connect(lambda _checked=False, s=status: self.set_status(s))
            self.status_actions[status] = action
        self.assign_action = self._action(
            "A&ssign To…", ASSIGN_SHORTCUT, "Choose who handles the selected mentions", "Assign"
        )
        self.assign_action.triggered.connect(self.assign)
        self.labels_action = self._action(
            "&Labels…", LABELS_SHORTCUT, "Add or remove labels on the selected mentions", "Labels"
        )
        self.labels_action.triggered.connect(self.edit_labels)
        self.follow_up_action = self._action(
            "&Follow Up…",
            FOLLOW_UP_SHORTCUT,
            "Set a date to check back on the selected mentions",
            "Follow up",
        )
        self.follow_up_action.triggered.connect(self.follow_up)
        self.clear_follow_up_action = self._action(
            "&Clear Follow-Up",
            CLEAR_FOLLOW_UP_SHORTCUT,
            "Remove the follow-up date",
            "Clear follow-up",
        )
        self.clear_follow_up_action.triggered.connect(self.clear_follow_up)
        self._separator = QAction(self)
        self._separator.setSeparator(True)
        self.update_enabled()

    def _action(self, text: str, key: str, tip: str, short: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({key})")
        action.setIconText(short or text.replace("&", ""))  # the toolbar's shorter label
        return action

    # --- what the window wires up ----------------------------------------------------------------

    def actions(self) -> list[QAction]:
        """Menu order: statuses, a separator, then assign / labels / follow-up."""
        return [
            *self.status_actions.values(),
            self._separator,
            self.assign_action,
            self.labels_action,
            self.follow_up_action,
            self.clear_follow_up_action,
        ]

    def update_enabled(self, *_args: object) -> None:
        """Enable the actions only when something is selected (connect to selection changes)."""
        has_selection = bool(self._selected_ids())
        for action in self.actions():
            if not action.isSeparator():
                action.setEnabled(has_selection)

    def report_error(self, exc: BaseException) -> None:
        errors.show_error(self._dialog_parent(), exc)

    # --- actions ----------------------------------------------------------------------------------

    def _ids(self) -> list[int]:
        return list(dict.fromkeys(self._selected_ids()))

    def _dialog_parent(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else QApplication.activeWindow()

    def _push(
        self,
        text: str,
        apply: Callable[[Mapping[int, Any]], object],
        before: Mapping[int, Any],
        after: Mapping[int, Any],
        unchanged_message: str,
    ) -> bool:
        if not before:
            self.statusMessage.emit(unchanged_message)
            return False
        self.undo_stack.push(ChangeCommand(text, apply, before, after, self))
        self.mentionsChanged.emit(sorted(before))
        self.statusMessage.emit(f"{text}. Undo with Ctrl+Z.")
        return True

    def _guarded(self, change: Callable[[], object]) -> object:
        try:
            return change()
        except Exception as exc:
            self.report_error(exc)
            return None

    # the mentions store uses deferred transactions; take the write lock first so a
    # concurrent import or sync makes us wait (busy timeout) or say "busy", not crash
    def _set_statuses(self, values: Mapping[int, str]) -> dict[int, str]:
        with immediate(self._db):
            return triage.restore_statuses(self._db, values)

    def _set_assignees(self, values: Mapping[int, str | None]) -> dict[int, str | None]:
        with immediate(self._db):
            return triage.set_assignee(self._db, values)

    def set_status(self, status: str) -> bool:
        """Give every selected mention *status*. Returns whether anything changed."""
        ids = self._ids()
        if not ids:
            return False
        previous = self._guarded(lambda: self._set_statuses(dict.fromkeys(ids, status)))
        if not isinstance(previous, dict):
            return False
        title = STATUS_TEXT.get(status, status).lower()
        return self._push(
            f"Mark {_mentions_word(len(previous))} as {title}",
            self._set_statuses,
            previous,
            dict.fromkeys(previous, status),
            f"Already {title}.",
        )

    def set_assignee(self, assignee: str | None) -> bool:
        ids = self._ids()
        if not ids:
            return False
        previous = self._guarded(lambda: self._set_assignees(dict.fromkeys(ids, assignee)))
        if not isinstance(previous, dict):
            return False
        n = _mentions_word(len(previous))
        return self._push(
            f"Assign {n} to {assignee}" if assignee else f"Unassign {n}",
            self._set_assignees,
            previous,
            dict.fromkeys(previous, assignee),
            "Nothing to change.",
        )

    def change_labels(self, add: list[str], remove: list[str]) -> bool:
        ids = self._ids()
        if not ids or not (add or remove):
            return False
        previous = self._guarded(lambda: labels.change(self._db, ids, add=add, remove=remove))
        if not isinstance(previous, dict):
            return False
        after = labels.for_mentions(self._db, previous)
        parts = [f"add {', '.join(add)}"] if add else []
        parts += [f"remove {', '.join(remove)}"] if remove else []
        return self._push(
            f"Labels on {_mentions_word(len(previous))}: {'; '.join(parts)}",
            lambda values: labels.set_labels(self._db, values),
            previous,
            after,
            "The labels were already like that.",
        )

    def set_follow_up(self, plan: follow_ups.Plan | None) -> bool:
        ids = self._ids()
        if not ids:
            return False
        previous = self._guarded(lambda: follow_ups.set_plans(self._db, dict.fromkeys(ids, plan)))
        if not isinstance(previous, dict):
            return False
        n = _mentions_word(len(previous))
        return self._push(
            f"Follow up on {n}" if plan else f"Clear follow-up on {n}",
            lambda values: follow_ups.set_plans(self._db, values),
            previous,
            dict.fromkeys(previous, plan),
            "Nothing to change.",
        )

    # --- dialogs ----------------------------------------------------------------------------------

    def assign(self) -> bool:
        ids = self._ids()
        if not ids:
            return False
        current = {m.assignee for m in (mentions.get(self._db, i) for i in ids[:200]) if m}
        dialog = AssignDialog(
            len(ids),
            assignees.recent(self._db),
            self._dialog_parent(),
            current=next(iter(current)) if len(current) == 1 else None,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.set_assignee(dialog.assignee())

    def edit_labels(self) -> bool:
        ids = self._ids()
        if not ids:
            return False
        dialog = LabelPicker(
            labels.all_names(self._db), labels.for_mentions(self._db, ids), self._dialog_parent()
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        add, remove = dialog.changes()
        return self.change_labels(add, remove)

    def follow_up(self) -> bool:
        ids = self._ids()
        if not ids:
            return False
        pending = follow_ups.pending_for(self._db, ids)
        existing = pending.get(ids[0]) if len(ids) == 1 else None
        dialog = FollowUpDialog(
            len(ids),
            self._dialog_parent(),
            due=parse_iso(existing.due_at) if existing else None,
            note=existing.note if existing else None,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        plan = self._guarded(lambda: follow_ups.make_plan(dialog.due(), dialog.note()))
        if not isinstance(plan, follow_ups.Plan):
            return False
        return self.set_follow_up(plan)

    def clear_follow_up(self) -> bool:
        return self.set_follow_up(None)
