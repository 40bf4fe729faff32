"""The crisis alert thresholds: read from the settings, and the small dialog that edits them."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from crisisdesk.analysis.spikes import Thresholds
from crisisdesk.settings import Settings
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.widgets import HelpBox, ok_cancel_buttons


def thresholds_from(settings: Settings) -> Thresholds:
    """The detection thresholds the owner set (defaults where nothing is stored)."""
    return Thresholds(
        min_score=float(max(2, settings.get("insight/min_score"))),
        min_count=max(1, settings.get("insight/min_count")),
        min_ratio=max(100, settings.get("insight/min_ratio_percent")) / 100,
    )


class AlertSettingsDialog(RememberGeometry, QDialog):
    """Insight → Alert settings: how much a rise must stand out to raise an alert."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Crisis alert settings")
        self.setObjectName("alertSettings")
        self._settings = settings
        self.min_count = self._spin("Complaints in a window at least", 1, 100, "insight/min_count")
        self.min_ratio = self._spin(
            "Times the usual volume, in %", 100, 2000, "insight/min_ratio_percent"
        )
        self.min_ratio.setSingleStep(50)
        self.min_score = self._spin(
            "Unlikely by chance: 1 in 10 to the power", 2, 12, "insight/min_score"
        )
        self.tray = QCheckBox("Also announce new alerts in the system &tray", self)
        self.tray.setAccessibleName("Announce new alerts in the system tray")
        self.tray.setChecked(settings.get("insight/tray"))
        form = QFormLayout()
        form.addRow("&Complaints in a window, at least:", self.min_count)
        form.addRow("&Volume, at least (% of usual):", self.min_ratio)
        form.addRow("&Rarity (1 in 10^N by chance):", self.min_score)
        form.addRow(self.tray)
        layout = QVBoxLayout(self)
        layout.addWidget(
            HelpBox(
                "crisisdesk compares each recent hour, few hours, day and three days with what is "
                "usual for that time of day and week. Raise these numbers for fewer alerts; lower "
                "them to hear about smaller rises sooner.",
                self,
            )
        )
        layout.addLayout(form)
        layout.addWidget(ok_cancel_buttons(self))
        self.remember_geometry(settings, "alertSettings")

    def _spin(self, name: str, low: int, high: int, key: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(low, high)
        spin.setValue(self._settings.get(key))
        spin.setAccessibleName(name)
        return spin

    def accept(self) -> None:
        self._settings.set("insight/min_count", self.min_count.value())
        self._settings.set("insight/min_ratio_percent", self.min_ratio.value())
        self._settings.set("insight/min_score", self.min_score.value())
        self._settings.set("insight/tray", self.tray.isChecked())
        super().accept()
