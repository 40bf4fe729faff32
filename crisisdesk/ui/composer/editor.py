"""The reply text field: Ctrl+Enter asks to send, Escape asks to go back to the list."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit


class ReplyEditor(QPlainTextEdit):
    """The reply text. Ctrl+Enter asks to send; Escape asks to go back to the list."""

    sendRequested = Signal()
    leaveRequested = Signal()

    def sizeHint(self) -> QSize:
        # small, so the pane fits its scroll area; the layout's stretch gives it the rest
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 5)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods & (
            Qt.KeyboardModifier.ControlModifier
        ):
            self.sendRequested.emit()
            return
        if key == Qt.Key.Key_Escape and not mods:
            self.leaveRequested.emit()
            return
        super().keyPressEvent(event)
