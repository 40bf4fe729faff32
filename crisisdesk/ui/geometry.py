"""Windows and dialogs remember their size and position through one small mixin, and never
open larger than the screen (:func:`fit_to_screen`).

    class ShortcutsDialog(RememberGeometry, QDialog):
        def __init__(self, settings, parent=None):
            super().__init__(parent)
            self.remember_geometry(settings, "shortcuts")

The geometry is stored under the declared settings family ``geometry/<name>`` when the dialog
is closed (accepted, rejected or closed by the window manager).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget

from crisisdesk.settings import Settings


class RememberGeometry:
    """Mix into a QWidget subclass *before* the Qt class."""

    _geometry_settings: Settings | None = None
    _geometry_key = ""

    def remember_geometry(self, settings: Settings, name: str) -> None:
        """Restore the geometry saved under *name* now, and save it again on close."""
        self._geometry_settings = settings
        self._geometry_key = f"geometry/{name}"
        saved = settings.get(self._geometry_key)
        if saved:
            self._as_widget().restoreGeometry(QByteArray(saved))

    def save_geometry(self) -> None:
        if self._geometry_settings is not None:
            geometry = self._as_widget().saveGeometry()
            self._geometry_settings.set(self._geometry_key, bytes(geometry.data()))

    def _as_widget(self) -> QWidget:
        assert isinstance(self, QWidget), "RememberGeometry mixes into QWidget subclasses"
        return self

    def done(self, result: int) -> None:
        """QDialog.done: accept, reject and Escape all come through here."""
        self.save_geometry()
        parent: Any = super()
        parent.done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_geometry()
        parent: Any = super()
        parent.closeEvent(event)


def fit_to_screen(widget: QWidget) -> None:
    """Never larger than the screen (a small laptop, or a geometry saved on a big monitor):
    a window wider than the screen hides the detail pane off its edge."""
    screen = widget.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    width = max(min(widget.width(), room.width()), widget.minimumWidth())
    height = max(min(widget.height(), room.height()), widget.minimumHeight())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    if not room.contains(widget.frameGeometry().topLeft()):
        widget.move(room.topLeft())
