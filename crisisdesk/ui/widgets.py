"""The small parts every dialog repeats: a plain-text wrapping label, an OK/Cancel row, a help
box, and a vertical column to put them in.

Text in these parts is always plain text (``Qt.PlainText``), so a name or a reason that came
from the internet or a file is shown literally, never as markup.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

#: an item of :func:`column`: a widget or layout, or one with its stretch factor
ColumnItem = QWidget | QLayout | tuple[QWidget | QLayout, int]


class WrapLabel(QLabel):
    """Plain text that wraps to the width it is given."""

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, accessible_name: str = ""
    ) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setText(text)
        if accessible_name:
            self.setAccessibleName(accessible_name)


class HelpBox(QFrame):
    """A framed note that explains what a dialog needs (styled as ``#helpBox``)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpBox")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = WrapLabel(text, self, accessible_name="Help")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)

    def set_text(self, text: str) -> None:
        self.label.setText(text)


def ok_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """The OK / Cancel row, wired to the dialog's accept and reject."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def column(parent: QWidget, *items: ColumnItem) -> QVBoxLayout:
    """Lay *items* out top to bottom in *parent*; ``(item, stretch)`` gives an item the room
    left over."""
    layout = QVBoxLayout(parent)
    for item in items:
        target, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(target, QLayout):
            layout.addLayout(target, stretch)
        else:
            layout.addWidget(target, stretch)
    return layout
