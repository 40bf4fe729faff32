"""Reading a widget tree as a screen reader does (QAccessible), for the accessibility tests.

A screen reader speaks an interactive widget by its accessible name; a label by its name, which
replaces its text when set. :func:`problems` lists what a screen reader user would miss.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QTextEdit,
    QPlainTextEdit,
)


def accessible_name(widget: QWidget) -> str:
    """What a screen reader calls *widget*: its name, and for a combo box (whose name on Linux
    is its current value) or a spin box the label that labels it."""
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is None:
        return ""
    if isinstance(widget, (QComboBox, QAbstractSpinBox)):
        labels = iface.relations(QAccessible.RelationFlag.Label)
        return " ".join(r[0].text(QAccessible.Text.Name).strip() for r in labels).strip()
    return iface.text(QAccessible.Text.Name).strip()


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]+>", " ", text).replace("&amp;", "&").replace("&nbsp;", " ")
    return " ".join(text.replace("&", "").split())


def _inner(widget: QWidget) -> bool:
    """Parts of a composite widget a screen reader reaches through its owner."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox) and widget is not parent.lineEdit():
            return True  # a combo's list (its typing field is spoken on its own)
        if isinstance(parent, QAbstractSpinBox):
            return True  # a spin box's edit
        if isinstance(parent, QAbstractItemView) and widget is not parent:
            return True  # header sections, scroll bars, editors in a view
        if isinstance(parent, QAbstractScrollArea) and isinstance(widget, QScrollBar):
            return True  # a scroll area's own scroll bars
        parent = parent.parentWidget()
    return widget.objectName().startswith("qt_")


def problems(root: QWidget) -> list[str]:
    """Every visible interactive widget without a name and every label whose name hides its text."""
    found: list[str] = []
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        if (not widget.isVisibleTo(root) and widget is not root) or _inner(widget):
            continue
        where = f"{type(widget).__name__}({widget.objectName() or '?'})"
        name = accessible_name(widget)
        if isinstance(widget, INTERACTIVE) and not name:
            found.append(f"no name: {where} {_describe(widget)}")
        elif isinstance(widget, QLabel) and widget.accessibleName():
            text = _plain(widget.text())
            if text and _plain(widget.accessibleName()) != text and text not in name:
                found.append(f"name hides text: {where} name={name!r} text={text[:40]!r}")
    return found


def _describe(widget: QWidget) -> str:
    text = getattr(widget, "text", None)
    if callable(text):
        try:
            return repr(str(text())[:30])
        except TypeError:
            return ""
    return ""


def interactive_count(root: QWidget) -> int:
    return sum(
        1
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE) and w.isVisibleTo(root) and not _inner(w)
    )


def tab_stops(root: QWidget) -> list[QWidget]:
    """The widgets of *root* a keyboard user should reach with Tab (visible, enabled, taking
    Tab focus; a focus proxy stands for its owner)."""
    from PySide6.QtCore import Qt

    stops = []
    for widget in root.findChildren(QWidget):
        if widget.focusProxy() is not None or not widget.isVisibleTo(root):
            continue
        if not widget.isEnabled() or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        if _inner(widget) and not isinstance(widget, QLineEdit):
            continue
        stops.append(widget)
    return stops


def tab_through(qtbot: object, root: QWidget, presses: int) -> list[QWidget]:
    """Press Tab *presses* times from where the focus is; the widgets focused, in order."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    seen: list[QWidget] = []
    for _ in range(presses):
        current = QApplication.focusWidget()
        assert current is not None, "the focus left the window"
        qtbot.keyClick(current, Qt.Key.Key_Tab)  # type: ignore[attr-defined]
        focused = QApplication.focusWidget()
        while focused is not None and focused.focusProxy() is not None:
            focused = focused.focusProxy()
        if focused is not None:
            seen.append(focused)
    return seen


def shift_tab(qtbot: object, widget: QWidget) -> None:
    """Shift+Tab as a person presses it, letting go of Shift afterwards: QTest's click leaves
    the application's modifier state at Shift, and a later test's click on a list then extends
    a selection instead of making one."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    qtbot.keyClick(widget, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]
    qtbot.keyRelease(QApplication.focusWidget() or widget, Qt.Key.Key_Shift)  # type: ignore[attr-defined]
