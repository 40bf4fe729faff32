"""Pick when to follow up on mentions (local date and time) and an optional note."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from crisisdesk.store.follow_ups import MAX_NOTE_LENGTH
from crisisdesk.ui.format import these_mentions
from crisisdesk.ui.widgets import WrapLabel, column, ok_cancel_buttons


def default_due(now: datetime | None = None) -> datetime:
    """Tomorrow at 09:00 local time: the usual 'check back' moment."""
    local_now = (now or datetime.now().astimezone()).astimezone()
    tomorrow = local_now + timedelta(days=1)
    return tomorrow.replace(hour=9, minute=0, second=0, microsecond=0)


class FollowUpDialog(QDialog):
    """``exec()``; then ``due()`` (aware datetime) and ``note()``."""

    def __init__(
        self,
        count: int,
        parent: QWidget | None = None,
        *,
        due: datetime | None = None,
        note: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Follow up")
        self.setAccessibleName("Follow-up date")
        intro = WrapLabel(f"When should you check back on {these_mentions(count)}?")

        start = (due or default_due()).astimezone()
        self.when_edit = QDateTimeEdit(
            QDateTime.fromSecsSinceEpoch(int(start.timestamp())).toLocalTime()
        )
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when_edit.setAccessibleName("Follow-up date and time")
        self.note_edit = QLineEdit(note or "")
        self.note_edit.setMaxLength(MAX_NOTE_LENGTH)
        self.note_edit.setPlaceholderText("Optional, e.g. “call back about the refund”")
        self.note_edit.setAccessibleName("Follow-up note")

        form = QFormLayout()
        form.addRow("&Date and time:", self.when_edit)
        form.addRow("&Note:", self.note_edit)
        quick = QDialogButtonBox()
        for label, days in (("Tomorrow", 1), ("In 3 days", 3), ("Next week", 7)):
            button = quick.addButton(label, QDialogButtonBox.ButtonRole.ActionRole)
            button.clicked.connect(lambda _checked=False, d=days: self._in_days(d))
        column(self, intro, form, quick, ok_cancel_buttons(self))

    def _in_days(self, days: int) -> None:
        target = QDateTime.currentDateTime().addDays(days)
        target.setTime(QTime(9, 0))
        self.when_edit.setDateTime(target)

    def due(self) -> datetime:
        """The chosen moment as an aware datetime (local zone)."""
        secs = self.when_edit.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(secs).astimezone()

    def note(self) -> str:
        return self.note_edit.text().strip()
