"""The saved-view buttons (Needs reply, Complaints, Today, All, Follow-ups due).

Not a QButtonGroup: Qt treats checkable buttons in a group like radio buttons and lets Tab stop
only at the checked one, so the other views could not be reached from the keyboard (issue 15.5).
Each button is a Tab stop, and Left/Right move between them as in a toolbar.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton


class ViewButtons(QObject):
    """The buttons in order; arrows move the focus along them (wrapping)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buttons: list[QAbstractButton] = []

    def addButton(self, button: QAbstractButton) -> None:
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.installEventFilter(self)
        self._buttons.append(button)

    def buttons(self) -> list[QAbstractButton]:
        return list(self._buttons)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and watched in self._buttons:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}.get(Qt.Key(event.key()), 0)
            if step and not event.modifiers():
                index = self._buttons.index(watched)
                target = self._buttons[(index + step) % len(self._buttons)]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)
