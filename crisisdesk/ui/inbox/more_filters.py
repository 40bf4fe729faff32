"""One more inbox filter: who a mention is assigned to ("Follow-ups due" is a saved view).

Kept beside the filter bar (which owns the search, the saved views and the state) so that the
bar stays small; the bar puts :class:`MoreFilters` in its row of controls.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget


class MoreFilters(QWidget):
    """An "Assigned to" choice, shown once someone has been assigned."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assignee = QComboBox(self)
        self.assignee.setObjectName("assignee")
        self.assignee.setAccessibleName("Assigned to")
        self.assignee.setToolTip("Assigned to")
        self.assignee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.assignee.addItem("Anyone", None)
        self.assignee.setVisible(False)  # absent until someone has been assigned
        self.assignee.currentIndexChanged.connect(lambda _i: self._changed())
        self._updating = False
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.assignee)

    def _changed(self) -> None:
        if not self._updating:
            self.changed.emit()

    def set_names(self, names: Sequence[str], keep: str | None = None) -> None:
        """The people mentions were assigned to (the chosen one stays)."""
        wanted = list(dict.fromkeys([*names, *([keep] if keep else [])]))
        current = self.assignee.currentData()
        self._updating = True
        try:
            self.assignee.clear()
            self.assignee.addItem("Anyone", None)
            for name in wanted:
                self.assignee.addItem(name, name)
            self.assignee.setCurrentIndex(max(self.assignee.findData(current), 0))
        finally:
            self._updating = False
        self.assignee.setVisible(bool(wanted))

    def show_assignee(self, assignee: str | None) -> None:
        self._updating = True
        try:
            if assignee and self.assignee.findData(assignee) < 0:
                self.set_names([], keep=assignee)
                self._updating = True
            self.assignee.setCurrentIndex(max(self.assignee.findData(assignee), 0))
        finally:
            self._updating = False
