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

import logging
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import shiboken6
import sqlite_utils
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from crisisdesk.store.transactions import immediate
from crisisdesk.ui.tasks import TaskContext, TaskRunner

log = logging.getLogger(__name__)

#: writes ``values`` ({mention id: value}) and logs it; returns anything
Apply = Callable[[sqlite_utils.Database, Mapping[int, Any]], object]
#: one write, run in the worker thread with the task's connection
WriteFn = Callable[[sqlite_utils.Database], Any]


@dataclass
class Change:
    """What one triage change is, kept apart from its ``QUndoCommand``.

    The stack deletes a command when a new change is pushed over its undone state, even while
    the command's writes are still queued; the writes refer to this plain object instead, so a
    change's first write still settles it and its queued undo still writes *before*.
    """

    text: str
    apply: Apply
    before: dict[int, Any] | None = None  # None until the first write landed
    after: dict[int, Any] | None = None

    def values(self, *, undoing: bool) -> dict[int, Any] | None:
        return self.before if undoing else self.after


class ChangeCommand(QUndoCommand):
    """One triage change on the stack: ``undo`` writes *before*, ``redo`` writes *after* again.

    Pushed as soon as the change is asked for; :meth:`WriteQueue.settle` gives its
    :class:`Change` the exact values (and the command its final text) once the first write landed.
    """

    #: QUndoCommand.id() of commands that may merge (a run of single-letter keys)
    RUN_ID = 0x7472

    def __init__(self, text: str, apply: Apply, writes: WriteQueue, run: int | None = None) -> None:
        super().__init__(text)
        self.change = Change(text, apply)
        #: the changes merged into this one (a run of keys), oldest first
        self.merged: list[Change] = []
        self.run = run
        self._writes = writes

    def id(self) -> int:
        return -1 if self.run is None else self.RUN_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """A later change of the same run of keys joins this one: one Ctrl+Z undoes the run."""
        if not isinstance(other, ChangeCommand) or other.run != self.run or other.merged:
            return False
        self.merged.append(other.change)
        self.setText(f"{len(self.merged) + 1} changes by keys")
        return True

    def changes(self) -> list[Change]:
        return [self.change, *self.merged]

    def redo(self) -> None:
        for change in self.changes():
            self._writes.replay(self, undoing=False, change=change)

    def undo(self) -> None:
        for change in reversed(self.changes()):
            self._writes.replay(self, undoing=True, change=change)


def _alive(command: ChangeCommand) -> bool:
    """The stack has not deleted *command* (it does, e.g., for undone ones under a new push)."""
    return shiboken6.isValid(command)


@dataclass
class Write:
    """A write waiting for its turn, and how the undo stack moved when it was asked for."""

    move: Literal["push", "undo", "redo"]
    change: Change
    #: may have been deleted by the stack meanwhile: check with :func:`_alive` before use
    command: ChangeCommand
    #: builds the write when its turn comes (values settle meanwhile); None: nothing to write
    prepare: Callable[[], WriteFn | None]
    #: runs in the GUI thread with the write's result
    landed: Callable[[Any], None]

    def describe(self) -> str:
        """What the user asked for, e.g. "Undo: Mark 1 mention as replied"."""
        return (
            self.change.text if self.move == "push" else f"{self.move.title()}: {self.change.text}"
        )


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
        self._closing = False  # flush(): failures are collected for one closing report
        self._lost: list[str] = []

    @property
    def idle(self) -> bool:
        """Nothing is being written or waiting to be."""
        return self._current is None and not self._waiting

    # --- what the controller asks for --------------------------------------------------------

    def change(self, command: ChangeCommand, write: WriteFn, landed: Callable[[Any], None]) -> None:
        """Push *command* now and run its first *write*; *landed* settles or discards it."""
        self._quietly(lambda: self.stack.push(command))
        self._enqueue(Write("push", command.change, command, lambda: write, landed))

    def settle(
        self, command: ChangeCommand, text: str, before: Mapping[int, Any], after: Mapping[int, Any]
    ) -> None:
        change = command.change
        change.text, change.before, change.after = text, dict(before), dict(after)
        if not _alive(command) or command.merged:  # deleted (or merged: its text says so)
            return
        command.setText(text)
        # the Edit menu read the text when the command was pushed; give it the final one
        self.stack.undoTextChanged.emit(self.stack.undoText())
        self.stack.redoTextChanged.emit(self.stack.redoText())

    def discard(self, command: ChangeCommand) -> None:
        """*command* changed nothing: it leaves the stack (now, or when the stack reaches it)."""
        self._after_stack_call(lambda: self._remove(command))

    def flush(self, wait_ms: int) -> list[str]:
        """The window closes: let the queued writes land, giving each up to *wait_ms*.

        Returns (and logs) what may not be stored: a failed write and those behind it, or what
        was still waiting when the time ran out. GUI events other than user input keep running.
        """
        self._closing = True
        self._lost = []
        loop = QEventLoop()
        timer = QTimer()
        timer.setSingleShot(True)
        timer.setInterval(wait_ms)
        timer.timeout.connect(loop.quit)

        def check() -> None:
            if self.idle:
                loop.quit()
            else:
                timer.start()  # one write landed: the next gets its own wait

        self._runner.taskFinished.connect(check)
        try:
            if not self.idle:
                timer.start()
                loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        finally:
            self._runner.taskFinished.disconnect(check)
            timer.stop()
        if not self.idle:  # out of time: what waits never runs; the one in flight may land
            self._lost += [w.describe() for w in (self._current, *self._waiting) if w is not None]
            self._waiting.clear()
        if self._lost:
            log.error(
                "crisisdesk closed before %d triage change(s) could be saved: %s",
                len(self._lost),
                "; ".join(self._lost),
            )
        return self._lost

    # --- what the commands ask for -----------------------------------------------------------

    def replay(
        self, command: ChangeCommand, *, undoing: bool, change: Change | None = None
    ) -> None:
        """The stack is undoing or redoing *command* (its *change*, one of a merged run):
        write its values when their turn comes."""
        if self._quiet:
            return
        change = change or command.change

        def prepare() -> WriteFn | None:
            values = change.values(undoing=undoing)
            if not values:  # its first write changed nothing: there is nothing to put back
                return None
            return lambda db: change.apply(db, values)

        def landed(_result: object) -> None:
            self._changed(sorted(change.values(undoing=undoing) or ()))

        self._in_stack_call = True
        try:
            move: Literal["undo", "redo"] = "undo" if undoing else "redo"
            self._enqueue(Write(move, change, command, prepare, landed))
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
        try:
            write.landed(result)
        finally:  # whatever the GUI side did with the result, the writes behind it go on
            self._next()

    def _failed(self, exc: BaseException) -> None:
        if self._closing:  # the window is going: flush() reports it, with what was lost
            log.error("a triage change failed while closing: %s", exc, exc_info=exc)
            self._lost += [w.describe() for w in (self._current, *self._waiting) if w is not None]
        else:
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
            command = write.command
            if not _alive(command):  # the stack let it go already
                continue
            index = self.stack.index()
            if write.move == "undo":
                if index < self.stack.count() and self.stack.command(index) is command:
                    self._quietly(self.stack.redo)
            elif write.move == "redo":
                if index > 0 and self.stack.command(index - 1) is command:
                    self._quietly(self.stack.undo)
            else:
                self._remove(command)

    def _remove(self, command: ChangeCommand) -> None:
        """Take *command* off the stack now, wherever it is, leaving the others as they are.

        The stack deletes an obsolete command, unapplied, when it undoes or redoes it: walk
        quietly (nothing is written) to it and back, so no stale text stays on either side.
        """
        if not _alive(command):
            return
        position = next(
            (i for i in range(self.stack.count()) if self.stack.command(i) is command), None
        )
        if position is None:
            return
        command.setObsolete(True)
        index = self.stack.index()
        if position >= index:  # redo side: the redo that reaches it deletes it in place
            for _ in range(position - index + 1):
                self._quietly(self.stack.redo)
            for _ in range(position - index):
                self._quietly(self.stack.undo)
        else:  # undo side: the undo that reaches it deletes it; the rest are redone
            for _ in range(index - position):
                self._quietly(self.stack.undo)
            for _ in range(index - 1 - position):
                self._quietly(self.stack.redo)

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
