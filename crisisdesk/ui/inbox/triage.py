"""Triage actions on the selected mentions, each one undoable (Ctrl+Z) and in the audit log.

Every change goes through a function that writes the audit log in the same transaction
(``services.triage`` for status and assignee, ``labels``, ``follow_ups``) and runs as a task of the
window's runner, never on the GUI thread: a sync or an import holding the write lock makes the
change wait, not the window. The writes of :mod:`triage_writes` run one after another.

An action pushes its command at once (so Ctrl+Z right after it undoes it, even while it is
still being saved); the command learns the exact previous value per mention when the write lands,
so undo puts back what each mention had. A change that altered nothing, or failed, leaves no
command behind: the stack always matches what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import sqlite_utils
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from crisisdesk.services import triage
from crisisdesk.store import assignees, follow_ups, labels, mentions
from crisisdesk.timeutil import parse_iso
from crisisdesk.ui.dialogs.assign_dialog import AssignDialog
from crisisdesk.ui.dialogs.follow_up_dialog import FollowUpDialog
from crisisdesk.ui.dialogs.label_picker import LabelPicker
from crisisdesk.ui.format import STATUS_TEXT
from crisisdesk.ui.inbox.triage_writes import ChangeCommand, WriteQueue
from crisisdesk.ui.tasks import TaskRunner

T = TypeVar("T")

#: status → (menu text, single-key shortcut, short toolbar text). Letters are mnemonic where
#: they can be, E archives as in most mail programs, and none clashes with j/k (move) or /.
STATUS_ACTIONS: dict[str, tuple[str, str, str]] = {
    "open": ("Mark &Open", "O", "Open"),
    "replied": ("Mark &Replied", "R", "Replied"),
    "offline": ("Mark &Taken Offline", "T", "Offline"),
    "resolved": ("Mark Resolved (&Done)", "D", "Done"),
    "archived": ("&Archive", "E", "Archive"),
}
#: the owner's complaint answer (issue 10) -> (menu text, single key, toolbar text)
COMPLAINT_ACTIONS: dict[bool, tuple[str, str, str]] = {
    True: ("Mark as &Complaint", "C", "Complaint"),
    False: ("Mark &Not a Complaint", "N", "Not complaint"),
}
ASSIGN_SHORTCUT = "A"
LABELS_SHORTCUT = "L"
FOLLOW_UP_SHORTCUT = "F"
CLEAR_FOLLOW_UP_SHORTCUT = "Shift+F"


def _mentions_word(n: int) -> str:
    return "1 mention" if n == 1 else f"{n} mentions"


#: a command's text (what Undo names) → what happened, for the status bar
_PAST = (
    ("Mark ", "Marked "),
    ("Assign ", "Assigned "),
    ("Unassign ", "Unassigned "),
    ("Labels on ", "Changed the labels on "),
    ("Follow up on ", "Set a follow-up on "),
    ("Clear follow-up on ", "Cleared the follow-up on "),
)


def done_text(command_text: str) -> str:
    """ "Mark 1 mention as replied" → "Marked 1 mention as replied." (what happened)."""
    for now, past in _PAST:
        if command_text.startswith(now):
            command_text = past + command_text.removeprefix(now)
            break
    return command_text.rstrip(".") + "."


class TriageController(QObject):
    """The triage actions over whatever ``selected_ids()`` returns at the time."""

    #: ids of mentions whose stored state changed (after a change, an undo or a redo)
    mentionsChanged = Signal(list)
    #: a short confirmation for the status bar
    statusMessage = Signal(str)
    #: the owner's complaint answers changed (a mark, its undo or redo): the recogniser has
    #: something new to learn. Emitted from the worker thread that wrote them (queued).
    complaintsCorrected = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        undo_stack: QUndoStack,
        selected_ids: Callable[[], list[int]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.undo_stack = undo_stack
        self._writes = WriteQueue(runner, undo_stack, self.mentionsChanged.emit)
        self._selected_ids = selected_ids
        #: the inbox is on screen: its single-letter keys must not act on a hidden selection
        self._active = True
        self._dialog_open = False  # a triage dialog is loading or open: A/L/F wait for it
        #: the run of single-letter keys the change being made belongs to (SingleKeys sets it)
        self.key_run: Callable[[], int | None] = lambda: None
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
        self.complaint_actions: dict[bool, QAction] = {}
        for value, (text, key, short) in COMPLAINT_ACTIONS.items():
            what = "complaints" if value else "not complaints"
            action = self._action(
                text, key, f"Mark the selected mentions as {what}; crisisdesk learns from it", short
            )
            action.triggered.connect(lambda _checked=False, v=value: self.set_complaint(v))
            self.complaint_actions[value] = action
        self._separator = QAction(self)
        self._separator.setSeparator(True)
        self._complaint_separator = QAction(self)
        self._complaint_separator.setSeparator(True)
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
        """Menu order: statuses, a separator, assign / labels / follow-up, a separator, then
        complaint / not a complaint."""
        return [
            *self.status_actions.values(),
            self._separator,
            self.assign_action,
            self.labels_action,
            self.follow_up_action,
            self.clear_follow_up_action,
            self._complaint_separator,
            *self.complaint_actions.values(),
        ]

    def update_enabled(self, *_args: object) -> None:
        """Enable the actions only when something is selected (connect to selection changes)
        and the list they act on is on screen."""
        enabled = self._active and bool(self._selected_ids())
        for action in self.actions():
            if not action.isSeparator():
                action.setEnabled(enabled)

    def set_active(self, active: bool) -> None:
        """Whether the inbox (and its undo stack) is the page on screen; off, the actions and
        their keys do nothing, so no change lands on a stack Ctrl+Z does not reach."""
        self._active = active
        self.update_enabled()

    @property
    def idle(self) -> bool:
        """No triage change is being written or waiting to be (tests and shutdown use it)."""
        return self._writes.idle

    def flush(self, wait_ms: int) -> list[str]:
        """On close: wait for the queued changes (each up to *wait_ms*); returns what was not
        saved (see :meth:`WriteQueue.flush`)."""
        return self._writes.flush(wait_ms)

    # --- actions ----------------------------------------------------------------------------------

    def _ids(self) -> list[int]:
        # off the inbox the selection is hidden: nothing may act on it (menus, toolbar, keys)
        return list(dict.fromkeys(self._selected_ids())) if self._active else []

    def _dialog_parent(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else QApplication.activeWindow()

    def _change(
        self,
        text: str,
        apply: Callable[[sqlite_utils.Database, Mapping[int, Any]], object],
        write: Callable[[sqlite_utils.Database], Any],
        settled: Callable[[Any], tuple[str, Mapping[int, Any], Mapping[int, Any]]],
        unchanged_message: str,
    ) -> None:
        """Push a command for the change and *write* it; *settled* turns what the write returned
        into (final text, previous values, new values). Undo and redo write through *apply*."""
        command = ChangeCommand(text, apply, self._writes, run=self.key_run())

        def landed(result: object) -> None:
            final_text, before, after = settled(result)
            if not before:
                self._writes.discard(command)
                self.statusMessage.emit(unchanged_message)
                return
            self._writes.settle(command, final_text, before, after)
            self.mentionsChanged.emit(sorted(before))
            self.statusMessage.emit(f"{done_text(final_text)} Undo with Ctrl+Z.")

        self._writes.change(command, write, landed)

    def set_status(self, status: str) -> None:
        """Give every selected mention *status* (nothing that already has it changes)."""
        ids = self._ids()
        if not ids:
            return
        title = STATUS_TEXT.get(status, status).lower()
        self._change(
            f"Mark {_mentions_word(len(ids))} as {title}",
            lambda db, values: triage.restore_statuses(db, values),
            lambda db: triage.set_status(db, ids, status),
            lambda previous: (
                f"Mark {_mentions_word(len(previous))} as {title}",
                previous,
                dict.fromkeys(previous, status),
            ),
            f"Already {title}.",
        )

    def set_complaint(self, complaint: bool, ids: list[int] | None = None) -> None:
        """The owner's answer on the selected mentions (or *ids*): a complaint or not. Undo
        gives the recogniser the say again."""
        from crisisdesk.services import complaint_learning

        ids = ids or self._ids()
        if not ids:
            return
        word = "a complaint" if complaint else "not a complaint"

        def text(n: int) -> str:
            return f"Mark {_mentions_word(n)} as {word}"

        def apply(db: sqlite_utils.Database, values: Mapping[int, Any]) -> object:
            changed = complaint_learning.mark(db, values)
            self.complaintsCorrected.emit()
            return changed

        self._change(
            text(len(ids)),
            apply,
            lambda db: apply(db, dict.fromkeys(ids, complaint)),
            lambda previous: (text(len(previous)), previous, dict.fromkeys(previous, complaint)),
            f"Already marked as {word}.",
        )

    def set_assignee(self, assignee: str | None, ids: list[int] | None = None) -> None:
        """Assign the selected mentions (or *ids*) to *assignee*; ``None`` unassigns."""
        ids = ids or self._ids()
        if not ids:
            return

        def text(n: int) -> str:
            return (
                f"Assign {_mentions_word(n)} to {assignee}"
                if assignee
                else f"Unassign {_mentions_word(n)}"
            )

        self._change(
            text(len(ids)),
            lambda db, values: triage.set_assignee(db, values),
            lambda db: triage.set_assignee(db, ids, assignee),
            lambda previous: (text(len(previous)), previous, dict.fromkeys(previous, assignee)),
            "Nothing to change.",
        )

    def change_labels(
        self, add: list[str], remove: list[str], ids: list[int] | None = None
    ) -> None:
        """Add and remove labels on the selected mentions (or *ids*)."""
        ids = ids or self._ids()
        if not ids or not (add or remove):
            return
        parts = [f"add {', '.join(add)}"] if add else []
        parts += [f"remove {', '.join(remove)}"] if remove else []

        def text(n: int) -> str:
            return f"Labels on {_mentions_word(n)}: {'; '.join(parts)}"

        def write(db: sqlite_utils.Database) -> tuple[dict[int, Any], dict[int, Any]]:
            previous = labels.change(db, ids, add=add, remove=remove)
            return previous, labels.for_mentions(db, previous)

        self._change(
            text(len(ids)),
            lambda db, values: labels.set_labels(db, values),
            write,
            lambda result: (text(len(result[0])), result[0], result[1]),
            "The labels were already like that.",
        )

    def set_follow_up(self, plan: follow_ups.Plan | None, ids: list[int] | None = None) -> None:
        """Set (or with ``None`` clear) the follow-up of the selected mentions (or *ids*)."""
        ids = ids or self._ids()
        if not ids:
            return

        def text(n: int) -> str:
            return (
                f"Follow up on {_mentions_word(n)}"
                if plan
                else f"Clear follow-up on {_mentions_word(n)}"
            )

        self._change(
            text(len(ids)),
            lambda db, values: follow_ups.set_plans(db, values),
            lambda db: follow_ups.set_plans(db, dict.fromkeys(ids, plan)),
            lambda previous: (text(len(previous)), previous, dict.fromkeys(previous, plan)),
            "Nothing to change.",
        )

    # --- dialogs: what they offer is read by a task, then they open ------------------------------

    def _with_dialog_data(
        self, read: Callable[[sqlite_utils.Database], T], show: Callable[[T], None]
    ) -> None:
        # two quick presses of A (or L, F) would open two dialogs one after the other
        if self._dialog_open:
            return
        self._dialog_open = True

        def shown(data: T) -> None:
            try:
                show(data)
            finally:
                self._dialog_open = False

        def closed() -> None:
            self._dialog_open = False

        def failed(exc: BaseException) -> None:
            closed()
            self._runner.show_failure(exc)

        self._runner.op(lambda ctx: read(ctx.db)).success(shown).failure(failed).cancelled(
            closed
        ).start()

    def assign(self) -> None:
        ids = self._ids()
        if not ids:
            return

        def read(db: sqlite_utils.Database) -> tuple[set[str | None], list[str]]:
            current = {m.assignee for m in (mentions.get(db, i) for i in ids[:200]) if m}
            return current, assignees.recent(db)

        def show(data: tuple[set[str | None], list[str]]) -> None:
            current, recent = data
            dialog = AssignDialog(
                len(ids),
                recent,
                self._dialog_parent(),
                current=next(iter(current)) if len(current) == 1 else None,
            )
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            name = dialog.assignee()
            dialog.deleteLater()  # closed dialogs stayed, hidden, in the accessibility tree
            if accepted:
                self.set_assignee(name, ids)

        self._with_dialog_data(read, show)

    def edit_labels(self) -> None:
        ids = self._ids()
        if not ids:
            return

        def read(db: sqlite_utils.Database) -> tuple[list[str], dict[int, tuple[str, ...]]]:
            return labels.all_names(db), labels.for_mentions(db, ids)

        def show(data: tuple[list[str], dict[int, tuple[str, ...]]]) -> None:
            dialog = LabelPicker(data[0], data[1], self._dialog_parent())
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            add, remove = dialog.changes()
            dialog.deleteLater()
            if accepted:
                self.change_labels(add, remove, ids)

        self._with_dialog_data(read, show)

    def follow_up(self) -> None:
        ids = self._ids()
        if not ids:
            return

        def show(pending: dict[int, follow_ups.FollowUp]) -> None:
            existing = pending.get(ids[0]) if len(ids) == 1 else None
            dialog = FollowUpDialog(
                len(ids),
                self._dialog_parent(),
                due=parse_iso(existing.due_at) if existing else None,
                note=existing.note if existing else None,
            )
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            due, note = dialog.due(), dialog.note()
            dialog.deleteLater()  # two hidden copies were left in the accessibility tree (15.12)
            if not accepted:
                return
            try:
                plan = follow_ups.make_plan(due, note)
            except Exception as exc:
                self._runner.show_failure(exc)
                return
            self.set_follow_up(plan, ids)

        self._with_dialog_data(lambda db: follow_ups.pending_for(db, ids), show)

    def clear_follow_up(self) -> None:
        self.set_follow_up(None)
