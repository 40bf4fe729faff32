"""Help → About: the version, where the data lives, and the notices of bundled components and
of any data the app learned from (``crisisdesk/notices.py``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from crisisdesk import __version__, notices
from crisisdesk.settings import Settings
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.widgets import WrapLabel, column


class AboutDialog(RememberGeometry, QDialog):
    """What this is, which version, and whose work it is built on."""

    def __init__(self, db_path: Path, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About crisisdesk")
        shown = notices.load()
        title = QLabel(f"crisisdesk {__version__}", self)
        title.setObjectName("aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        intro = WrapLabel(
            "Notice a social-media backlash early, answer well, and follow a plan.\n\n"
            f"Your data: {db_path}\n\n{shown.about}",
            self,
        )
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.components = QTableWidget(len(shown.components), 3, self)
        self.components.setAccessibleName("Bundled components and their licences")
        self.components.setHorizontalHeaderLabels(["Component", "Licence", "Web site"])
        self.components.verticalHeader().hide()
        self.components.setTabKeyNavigation(False)  # Tab leaves the table, arrows move in it
        self.components.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.components.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, part in enumerate(shown.components):
            for col, text in enumerate(part):
                self.components.setItem(row, col, QTableWidgetItem(text))
        header = self.components.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        data_text = "\n\n".join(f"{d.name}: {d.use}\n{d.citation}" for d in shown.data)
        self.data_notes = WrapLabel(
            data_text or "The app ships no data learned from other people's texts.",
            self,
            description="Data the app learned from",
        )
        self.data_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column(self, title, intro, (self.components, 1), self.data_notes, buttons)
        self.resize(640, 560)
        self.remember_geometry(settings, "about")
