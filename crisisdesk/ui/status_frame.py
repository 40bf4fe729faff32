"""A framed result line that a screen reader knows as one (issue 15.9).

A QFrame is read as a plain container ("filler"), so the add-account result was only heard when
it was announced. :class:`StatusFrame` is exposed through QAccessible as a status bar, or as an
alert while it reports a problem; its text stays in the label inside it. Qt has no way to give
a widget a role of our choosing, so a small accessible interface is installed for it through
an interface factory (one, for the whole app, the first time a frame is made).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QFrame, QWidget

_installed = False


class StatusFrame(QFrame):
    """A framed status line; :meth:`set_problem` makes it an alert for assistive technology."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _install_factory()
        self._problem = False
        self._accessible: QAccessibleInterface | None = None  # kept alive while the frame is

    @property
    def problem(self) -> bool:
        return self._problem

    def set_problem(self, problem: bool) -> None:
        self._problem = problem


class _StatusAccessible(QAccessibleWidget):
    """A status bar, or an alert while its frame reports a problem."""

    def role(self) -> QAccessible.Role:
        frame = self.widget()
        if isinstance(frame, StatusFrame) and frame.problem:
            return QAccessible.Role.AlertMessage
        return QAccessible.Role.StatusBar


def _interface_for(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if not isinstance(obj, StatusFrame):
        return None
    interface = _StatusAccessible(obj, QAccessible.Role.StatusBar, "")
    # Qt caches the interface until the frame is destroyed, then deletes it; the frame holds
    # the Python side so it is not collected before
    obj._accessible = interface
    return interface


def _install_factory() -> None:
    global _installed
    if not _installed:
        QAccessible.installFactory(_interface_for)
        _installed = True
