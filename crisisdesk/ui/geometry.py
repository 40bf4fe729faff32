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
from PySide6.QtWidgets import QStyle, QWidget

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
    frame_w, frame_h = frame_size(widget)
    least = widget.minimumSize().expandedTo(widget.minimumSizeHint())
    # the frame (title bar, borders) is part of what must fit; the layout's minimum wins
    width = max(min(widget.width(), room.width() - frame_w), least.width())
    height = max(min(widget.height(), room.height() - frame_h), least.height())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    frame = widget.frameGeometry()
    if not room.contains(frame.topLeft()) or not room.contains(frame.bottomRight()):
        x = max(room.left(), min(frame.left(), room.right() + 1 - width - frame_w))
        y = max(room.top(), min(frame.top(), room.bottom() + 1 - height - frame_h))
        widget.move(x, y)


def frame_size(widget: QWidget) -> tuple[int, int]:
    """The window frame's width and height: measured once shown, else the style's title bar
    and borders (before the first show the window manager has not framed it yet)."""
    outer, inner = widget.frameGeometry(), widget.geometry()
    if outer.size() != inner.size():
        return outer.width() - inner.width(), outer.height() - inner.height()
    style = widget.style()
    border = style.pixelMetric(QStyle.PixelMetric.PM_MdiSubWindowFrameWidth)
    title = style.pixelMetric(QStyle.PixelMetric.PM_TitleBarHeight)
    return 2 * border, title + 2 * border
