"""Assign mentions to a person, picking from names used before or typing a new one."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QWidget

from crisisdesk.ui.format import these_mentions
from crisisdesk.ui.widgets import WrapLabel, column, name_field, ok_cancel_buttons

MAX_NAME_LENGTH = 60


class AssignDialog(QDialog):
    """``exec()``; then ``assignee()`` — the name, or ``None`` to unassign (empty field)."""

    def __init__(
        self,
        count: int,
        previous_names: list[str],
        parent: QWidget | None = None,
        *,
        current: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign")
        self.setAccessibleName("Assign to a person")
        intro = WrapLabel(
            f"Who should handle {these_mentions(count)}? Leave the name empty to unassign."
        )
        self.name_box = QComboBox()
        self.name_box.setEditable(True)
        self.name_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name_box.addItems(previous_names)
        self.name_box.setCurrentText(current or "")
        name_field(self.name_box, "Person's name")
        line = self.name_box.lineEdit()
        assert line is not None  # editable combo boxes always have one
        line.setMaxLength(MAX_NAME_LENGTH)
        line.setPlaceholderText("Name, e.g. Sam")
        intro.setBuddy(self.name_box)
        column(self, intro, self.name_box, ok_cancel_buttons(self))
        self.setMinimumWidth(320)

    def assignee(self) -> str | None:
        name = " ".join(self.name_box.currentText().split())
        return name or None
