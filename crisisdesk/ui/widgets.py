"""The small parts every dialog repeats: a plain-text wrapping label, an OK/Cancel row, a help
box, and a vertical column to put them in.

Text in these parts is always plain text (``Qt.PlainText``), so a name or a reason that came
from the internet or a file is shown literally, never as markup.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

#: an item of :func:`column`: a widget or layout, or one with its stretch factor
ColumnItem = QWidget | QLayout | tuple[QWidget | QLayout, int]


class WrapLabel(QLabel):
    """Plain text that wraps to the width it is given."""

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, description: str = ""
    ) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setText(text)
        # what the text is (a screen reader says it after the text); never the accessible
        # name, which would replace the text for a screen reader (issue 15.2)
        if description:
            self.setAccessibleDescription(description)


class PageStack(QStackedWidget):
    """A stack as small as the page it shows. A plain QStackedWidget is as large as its largest
    page, shown or not: the hidden welcome panel made the main window 466 px tall at 14 pt and
    200 %, where the screen has 450 (issue 15.8)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return super().sizeHint() if page is None else page.sizeHint()


def scrolling(page: QWidget, name: str) -> QScrollArea:
    """*page* in a frameless scroll area (no Tab stop of its own). In a window too short for it
    (a large font, 200 %) it scrolls: without one, rows that wrap got less height than they
    need and overlapped (issue 15.8). Tab scrolls the focused control into view."""
    scroll = QScrollArea(page.parentWidget())
    scroll.setObjectName(name)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    return scroll


class HelpBox(QFrame):
    """A framed note that explains what a dialog needs (styled as ``#helpBox``)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpBox")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = WrapLabel(text, self, description="Help")
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


def hidden_buddy(parent: QWidget, field: QWidget, name: str) -> QLabel:
    """A label a screen reader names *field* by (Qt on Linux names combo boxes and spin boxes by
    their labels, through the labelled-by relation) where the value already says it on screen."""
    label = QLabel(name, parent)
    label.setBuddy(field)
    label.hide()
    return label


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """Name the clear button ``setClearButtonEnabled`` adds (Qt leaves it without a name)."""
    for action in edit.findChildren(QAction):
        if action.objectName() == "_q_qlineeditclearaction":
            action.setText(name)
            action.setToolTip(name)
    for button in edit.findChildren(QToolButton):  # the buttons do not follow the action's text
        action = button.defaultAction()
        button.setAccessibleName(action.text() if action is not None else "")


def name_field(field: QWidget, name: str) -> None:
    """Give *field* its accessible name; an editable combo box's typing field gets it too (the
    screen reader is in that field while the owner types)."""
    field.setAccessibleName(name)
    line = field.lineEdit() if isinstance(field, QComboBox) else None
    if line is not None:
        line.setAccessibleName(name)


def date_edit(parent: QWidget, name: str) -> QDateEdit:
    """A calendar date field named *name* for screen readers, showing today, ISO order."""
    edit = QDateEdit(parent)
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate())
    return edit
