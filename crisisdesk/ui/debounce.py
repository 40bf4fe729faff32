"""Debounce: run a function once typing (or any burst of calls) pauses.

The one helper for search-as-you-type, live tone checks and draft saving (STYLE.md: a named
QTimer, never work on every keystroke, one reusable helper rather than a QTimer per widget)::

    self.check_later = Debounce(self, "toneCheck", 250, self._check)
    editor.textChanged.connect(self.check_later)     # restarts the wait on each call
    self.check_later.flush()                          # run now if a call is pending

The timer is a child of *parent* with *name* as object name, so tests can find and fire it
(``parent.findChild(QTimer, name)``) instead of sleeping.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Debounce(QObject):
    """Calls *fn* (no arguments) *interval_ms* after the last call to this object."""

    def __init__(
        self, parent: QObject, name: str, interval_ms: int, fn: Callable[[], None]
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Debounce")
        self._fn = fn
        self.timer = QTimer(parent)
        self.timer.setObjectName(name)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._fn)

    def __call__(self, *_args: object) -> None:
        """Start (or restart) the wait; arguments from a signal are ignored."""
        self.timer.start()

    @property
    def pending(self) -> bool:
        return self.timer.isActive()

    def flush(self) -> None:
        """Run now if a call is waiting (before sending, closing, switching mention)."""
        if self.timer.isActive():
            self.timer.stop()
            self._fn()

    def cancel(self) -> None:
        """Forget a waiting call."""
        self.timer.stop()
