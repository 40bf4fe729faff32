"""File → Post-crisis report…: pick the incident's dates and a PDF file; written in the
background (``export/report.py`` through the task runner)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.widgets import HelpBox, ok_cancel_buttons


class ReportDialog(RememberGeometry, QDialog):
    """The incident's first and last day (local) and where to save the PDF."""

    def __init__(
        self, settings: Settings, start: date, end: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Post-crisis report")
        self.setObjectName("reportDialog")
        self.first = self._date("First day of the incident", start)
        self.last = self._date("Last day of the incident", end)
        self.path = QLineEdit(str(Path.home() / f"post-crisis-report-{start:%Y-%m-%d}.pdf"), self)
        self.path.setAccessibleName("Report file")
        browse = QPushButton("&Browse…", self)
        browse.setAccessibleName("Choose the report file")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&First day:", self.first)
        form.addRow("&Last day:", self.last)
        form.addRow("&Save as:", row)
        layout = QVBoxLayout(self)
        layout.addWidget(
            HelpBox(
                "The report compares the incident with the same length of time before and after "
                "it: volumes, sentiment, how fast complaints were answered, the replies sent, and "
                "your crisis plan's progress and lessons.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self))
        self.remember_geometry(settings, "reportDialog")

    def _date(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day), self)
        edit.setAccessibleName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _browse(self) -> None:
        chosen, _f = QFileDialog.getSaveFileName(
            self, "Save the report", self.path.text(), "PDF document (*.pdf)"
        )
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def choice(self, tz: tzinfo) -> tuple[datetime, datetime, Path]:
        """(since, until, file) as chosen; a user mistake raises CrisisdeskError."""
        start, end = _day(self.first.date()), _day(self.last.date())
        if end < start:
            raise CrisisdeskError(
                "The last day is before the first day.",
                hint="Pick a last day on or after the first.",
            )
        path = Path(self.path.text().strip()).expanduser()
        if path.suffix.lower() != ".pdf":
            raise CrisisdeskError(
                f"'{path.name}' is not a PDF file name.", hint="Name the report file *.pdf."
            )
        since = datetime.combine(start, time(), tz)
        return since, datetime.combine(end + timedelta(days=1), time(), tz), path


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
