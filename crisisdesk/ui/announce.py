"""Say a short message to a screen reader without moving the focus (issue 15.12, 15.13).

A status-bar message, an add-account error or a crisis alert appears where the owner is not
looking; a screen reader user would never hear it. :func:`announce` sends Qt's announcement
event (AT-SPI ``Announcement``; Orca speaks it). :data:`announced` keeps the last messages so
tests can check what was said.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

#: the last messages announced, newest last (for tests and for debugging)
announced: deque[str] = deque(maxlen=20)


def announce(source: QObject, text: str, *, urgent: bool = False) -> None:
    """Have a screen reader say *text* (politely, or at once when *urgent*)."""
    text = " ".join(text.split())
    if not text:
        return
    announced.append(text)
    if not QAccessible.isActive():
        return  # no assistive technology listening: nothing to build
    event = QAccessibleAnnouncementEvent(source, text)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if urgent
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
