"""Showing errors to a person: never a traceback on its own, never only a log line.

A :class:`~crisisdesk.errors.CrisisdeskError` is something the owner caused and can fix: its
message and hint are shown as they are. Anything else is a bug: the owner sees "Something went
wrong" with the technical details folded away behind Qt's "Show Details…" button.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crisisdesk.errors import CrisisdeskError

log = logging.getLogger(__name__)

BUG_TITLE = "Something went wrong"
BUG_TEXT = (
    "Something went wrong inside crisisdesk. Your data is safe: nothing was changed by this "
    "error.\nIf it keeps happening, copy the details below into a bug report."
)

#: message boxes without a parent window, kept alive until they are closed
_orphans: set[QMessageBox] = set()


def build_error_box(parent: QWidget | None, exc: BaseException, details: str = "") -> QMessageBox:
    """A message box describing *exc* (not shown yet)."""
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)  # messages may quote file or platform text
    if isinstance(exc, CrisisdeskError):
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("crisisdesk")
        box.setText(str(exc))
        if exc.hint:
            box.setInformativeText(exc.hint)
    else:
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(BUG_TITLE)
        box.setText(BUG_TEXT)
        box.setDetailedText(details or "".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAccessibleName("Error")
    return box


def show_error(parent: QWidget | None, exc: BaseException, details: str = "") -> QMessageBox:
    """Show *exc* without blocking (window-modal on *parent*). Returns the box (tests close it)."""
    box = build_error_box(parent, exc, details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:
        _orphans.add(box)
        box.finished.connect(lambda _result: _orphans.discard(box))
    box.open()
    return box


def install_excepthook() -> None:
    """Bugs raised in slots/callbacks reach the user as a dialog, and the log, not just stderr."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unhandled error:\n%s", details)
        if QApplication.instance() is None or isinstance(exc, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(QApplication.activeWindow(), exc, details)

    sys.excepthook = hook
