"""Triage writes as tasks of the window's runner, with the undo stack kept in step with them.

A ``QUndoStack`` moves at once when Ctrl+Z is pressed, but the write behind the move lands later
(on a worker thread, maybe after waiting for a sync's write lock). So every write records how
the stack moved when it was asked for (a push, an undo or a redo). The writes run one after
another in that order, each in its own ``BEGIN IMMEDIATE`` transaction. When one fails (the
database stayed busy), it and everything queued behind it are dropped, the user sees the error
through the runner's failure path, and the stack moves back over exactly those steps, newest
first: a command whose first write never happened is made obsolete and leaves the stack. So
the stack always matches what is stored, and Ctrl+Z can simply be pressed again later.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import sqlite_utils
from PySide6.QtCore import QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from crisisdesk.store.transactions import immediate
from crisisdesk.ui.tasks import TaskContext, TaskRunner

#: writes ``values`` ({mention id: value}) and logs it; returns anything
Apply = Callable[[sqlite_utils.Database, Mapping[int, Any]], object]
#: one write, run in the worker thread with the task's connection
WriteFn = Callable[[sqlite_utils.Database], Any]


class ChangeCommand(QUndoCommand):
    """One triage change: ``undo`` writes *before*, ``redo`` writes *after* again.

    Pushed as soon as the change is asked for; :meth:`settle` gives it its exact values (and its
    final text) once the change's own write has landed.
    """

    def __init__(self, text: str, apply: Apply, writes: WriteQueue) -> None:
        super().__init__(text)
        self.apply = apply
        self.before: dict[int, Any] | None = None  # None until the first write landed
        self.after: dict[int, Any] | None = None
        self._writes = writes

    def settle(self, text: str, before: Mapping[int, Any], after: Mapping[int, Any]) -> None:
        self.setText(text)
        self.before = dict(before)
        self.after = dict(after)

    def values(self, *, undoing: bool) -> dict[int, Any] | None:
        return self.before if undoing else self.after

    def redo(self) -> None:
        self._writes.replay(self, undoing=False)

    def undo(self) -> None:
        self._writes.replay(self, undoing=True)


@dataclass
class Write:
    """A write waiting for its turn, and how the undo stack moved when it was asked for."""

    move: Literal["push", "undo", "redo"]
    command: ChangeCommand
    #: builds the write when its turn comes (values settle meanwhile); None: nothing to write
    prepare: Callable[[], WriteFn | None]
    #: runs in the GUI thread with the write's result
    landed: Callable[[Any], None]


def _in_transaction(write: WriteFn) -> Callable[[TaskContext], Any]:
    # take the write lock first, so a concurrent import or sync makes us wait (busy timeout)
    # or say "busy", and the write and its audit events land together or not at all
    def work(ctx: TaskContext) -> Any:
        with immediate(ctx.db):
            return write(ctx.db)

    return work


class WriteQueue:
    """Runs triage writes one at a time, in order, and keeps *stack* in step with them."""

    def __init__(
        self,
        runner: TaskRunner,
        stack: QUndoStack,
        changed: Callable[[list[int]], None],
    ) -> None:
        self._runner = runner
        self.stack = stack
        self._changed = changed  # ids whose stored state an undo or a redo changed
        self._waiting: deque[Write] = deque()
        self._current: Write | None = None
        self._quiet = False  # moving the stack to match the store: commands write nothing
        self._in_stack_call = False  # inside QUndoStack.undo()/redo(): the stack moves after

    @property
    def idle(self) -> bool:
        """Nothing is being written or waiting to be."""
        return self._current is None and not self._waiting

    # --- what the controller asks for --------------------------------------------------------

    def change(self, command: ChangeCommand, write: WriteFn, landed: Callable[[Any], None]) -> None:
        """Push *command* now and run its first *write*; *landed* settles or discards it."""
        self._quietly(lambda: self.stack.push(command))
        self._enqueue(Write("push", command, lambda: write, landed))

    def settle(
        self, command: ChangeCommand, text: str, before: Mapping[int, Any], after: Mapping[int, Any]
    ) -> None:
        command.settle(text, before, after)
        # the Edit menu read the text when the command was pushed; give it the final one
        self.stack.undoTextChanged.emit(self.stack.undoText())
        self.stack.redoTextChanged.emit(self.stack.redoText())

    def discard(self, command: ChangeCommand) -> None:
        """*command* changed nothing: it leaves the stack (now, or when the stack reaches it)."""
        self._after_stack_call(lambda: self._remove(command))

    # --- what the commands ask for -----------------------------------------------------------

    def replay(self, command: ChangeCommand, *, undoing: bool) -> None:
        """The stack is undoing or redoing *command*: write its values when their turn comes."""
        if self._quiet:
            return

        def prepare() -> WriteFn | None:
            values = command.values(undoing=undoing)
            if not values:  # its first write changed nothing: there is nothing to put back
                return None
            return lambda db: command.apply(db, values)

        def landed(_result: object) -> None:
            self._changed(sorted(command.values(undoing=undoing) or ()))

        self._in_stack_call = True
        try:
            self._enqueue(Write("undo" if undoing else "redo", command, prepare, landed))
        finally:
            self._in_stack_call = False

    # --- running -----------------------------------------------------------------------------

    def _enqueue(self, write: Write) -> None:
        self._waiting.append(write)
        self._next()

    def _next(self) -> None:
        while self._current is None and self._waiting:
            write = self._waiting.popleft()
            fn = write.prepare()
            if fn is None:
                continue
            self._current = write
            (
                self._runner.op(_in_transaction(fn))
                .success(self._landed)
                .failure(self._failed)
                .cancelled(self._drop)
                .uninterruptible()  # closing the window does not lose a change
                .start()
            )

    def _landed(self, result: object) -> None:
        write, self._current = self._current, None
        assert write is not None
        write.landed(result)
        self._next()

    def _failed(self, exc: BaseException) -> None:
        self._runner.show_failure(exc)
        self._drop()

    def _drop(self) -> None:
        """The write in flight failed (or the window closed): it and all behind it are off."""
        dropped = [w for w in (self._current, *self._waiting) if w is not None]
        self._current = None
        self._waiting.clear()
        self._after_stack_call(lambda: self._step_back(dropped))

    def _step_back(self, dropped: list[Write]) -> None:
        """Undo the stack moves of writes that never happened, newest first."""
        for write in reversed(dropped):
            if write.move == "undo":
                self._quietly(self.stack.redo)
            elif write.move == "redo":
                self._quietly(self.stack.undo)
            else:
                self._remove(write.command)

    def _remove(self, command: ChangeCommand) -> None:
        # an obsolete command is deleted, unapplied, the next time the stack undoes or redoes
        # it; on top of the stack that is now
        command.setObsolete(True)
        index = self.stack.index()
        if index > 0 and self.stack.command(index - 1) is command:
            self._quietly(self.stack.undo)

    def _quietly(self, move: Callable[[], None]) -> None:
        self._quiet = True
        try:
            move()
        finally:
            self._quiet = False

    def _after_stack_call(self, fn: Callable[[], None]) -> None:
        # inside QUndoStack.undo()/redo() (an immediate runner ends the write right there) the
        # stack sets its index after the command returns: move it once that is done
        if self._in_stack_call:
            QTimer.singleShot(0, fn)
        else:
            fn()
