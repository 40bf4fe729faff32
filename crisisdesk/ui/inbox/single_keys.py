"""Single-letter triage keys (R, E, D, A…): only in the list, never from a run of typing.

WCAG 2.1.4 (character key shortcuts): a letter that changes data must act only where it belongs
and can be turned off. So:

- the triage actions' shortcuts have ``WidgetShortcut`` context: they reach the actions only
  while the mention list has focus (a letter typed in the Accounts table or on a check box
  does nothing to a mention);
- the list's letters go through :class:`SingleKeys`, which lets one act only when the setting
  ``inbox/single_keys`` is on and the user is not in the middle of typing that started
  elsewhere: a key typed in a text field or a dialog less than :data:`TYPING_GRACE_S` ago
  (Enter in the Labels dialog, then "refund" typed on) makes the following letters do nothing
  — each ignored letter extends the grace, it is still the same typing;
- consecutive triage keys (less than :data:`RUN_GAP_S` apart, nothing else pressed between)
  share a *run* number, and :class:`~crisisdesk.ui.inbox.triage_writes.ChangeCommand`\\ s of
  one run merge: one Ctrl+Z undoes the whole run.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QKeyCombination, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from crisisdesk.settings import Settings

#: a letter this soon after typing elsewhere is part of that typing, not a command
TYPING_GRACE_S = 1.0
#: triage keys at most this far apart form one undo step
RUN_GAP_S = 1.5
SETTING = "inbox/single_keys"


def _key_text(event: QKeyEvent) -> str:
    """The key as a shortcut string ("R", "Shift+F"), to compare with the actions' keys."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return QKeySequence(QKeyCombination(mods, event.keyCombination().key())).toString()


def _typing_place(widget: QWidget) -> bool:
    """A text field, or anything in a dialog: where a run of letters is typing."""
    editors = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)
    return isinstance(widget, editors) or isinstance(widget.window(), QDialog)


class SingleKeys(QObject):
    """Guards the list's single-key triage actions (see the module docstring)."""

    #: a single-letter key triggered this action (the inbox moves on after a status key)
    triggered = Signal(QAction)

    def __init__(
        self,
        table: QWidget,
        actions: list[QAction],
        settings: Settings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(table)
        self._table = table
        self._settings = settings
        self.clock = clock
        self._actions = [a for a in actions if not a.isSeparator() and not a.shortcut().isEmpty()]
        self._keys = {a.shortcut().toString(): a for a in self._actions}
        self._typed_elsewhere_at = -1e9
        self._last_key_at = -1e9
        self._last_was_triage = False
        self.run = 0  # the current run's number; 0 until the first triage key
        #: the run of the triage key being handled now (None outside a key press)
        self.current_run: int | None = None
        for action in self._actions:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        # one application filter (Qt drops it with this object): the list's keys, typing elsewhere
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.set_enabled(self.enabled)

    @property
    def enabled(self) -> bool:
        return bool(self._settings.get(SETTING))

    def set_enabled(self, on: bool) -> None:
        """Turn the single-letter keys on or off (remembered); off, the menus show none."""
        self._settings.set(SETTING, on)
        for key, action in self._keys.items():
            action.setShortcut(QKeySequence(key) if on else QKeySequence())

    def _action_for(self, event: QKeyEvent) -> QAction | None:
        if event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        ):
            return None
        return self._keys.get(_key_text(event))

    def allows(self) -> bool:
        """Whether a single-letter key pressed now may act."""
        return self.enabled and self.clock() - self._typed_elsewhere_at >= TYPING_GRACE_S

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._table and isinstance(event, QKeyEvent):
            action = self._action_for(event)
            if action is None:
                if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
                    self._last_was_triage = False  # a move (j is a shortcut, Down) ends a run
                return False
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()  # the key comes to us as a key press, not as the shortcut
                return True
            if kind == QEvent.Type.KeyPress:
                self._triage_key(action)
                return True  # never a keyboard search in the table
            return False
        typing = kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.text()
        elsewhere = isinstance(watched, QWidget) and watched is not self._table
        if typing and elsewhere and _typing_place(watched):  # type: ignore[arg-type]
            self._typed_elsewhere_at = self.clock()
        return False

    def _triage_key(self, action: QAction) -> None:
        now = self.clock()
        if not self.allows():
            if self.enabled:
                self._typed_elsewhere_at = now  # still the same typing
            return
        if not (self._last_was_triage and now - self._last_key_at <= RUN_GAP_S):
            self.run += 1
        self._last_key_at, self._last_was_triage = now, True
        if not action.isEnabled():
            return
        self.current_run = self.run
        try:
            action.trigger()
        finally:
            self.current_run = None
        self.triggered.emit(action)
