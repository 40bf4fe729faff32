"""Add or remove labels on one or many mentions: a checklist of labels plus "new label".

A label some (not all) of the selected mentions carry starts half-checked; left so, it is not
changed. Checked → added to every selected mention; unchecked → taken off every one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store.labels import MAX_LABEL_LENGTH, clean_name
from crisisdesk.ui.widgets import WrapLabel, column, ok_cancel_buttons

_INITIAL = Qt.ItemDataRole.UserRole + 1


class LabelPicker(QDialog):
    """``exec()``; then ``changes()`` → (labels to add, labels to remove)."""

    def __init__(
        self,
        all_names: Sequence[str],
        current: Mapping[int, Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Labels")
        self.setAccessibleName("Labels")
        count = len(current)
        intro = WrapLabel(
            "Tick the labels this mention should have."
            if count == 1
            else f"Tick labels to add to all {count} mentions, untick to remove them. "
            "Half-ticked labels stay as they are."
        )

        self.list = QListWidget()
        self.list.setAccessibleName("Labels")
        self._keys: set[str] = set()
        for name in all_names:
            having = sum(1 for names in current.values() if name in names)
            if having == 0:
                state = Qt.CheckState.Unchecked
            elif having == count:
                state = Qt.CheckState.Checked
            else:
                state = Qt.CheckState.PartiallyChecked
            self._add_item(name, state)

        self.new_edit = QLineEdit()
        self.new_edit.setPlaceholderText("New label, e.g. refund")
        self.new_edit.setAccessibleName("New label name")
        self.new_edit.setMaxLength(MAX_LABEL_LENGTH)
        self.new_edit.installEventFilter(self)
        self.add_button = QPushButton("&Add")
        self.add_button.setAccessibleName("Add new label")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_new)
        self.error_label = WrapLabel(description="Label error")
        self.error_label.hide()
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_edit, 1)
        new_row.addWidget(self.add_button)

        column(self, intro, (self.list, 1), new_row, self.error_label, ok_cancel_buttons(self))
        # no labels yet: what the owner types is a new label name, so it starts there
        (self.new_edit if not all_names else self.list).setFocus()
        self.setMinimumSize(320, 320)

    def _add_item(self, name: str, state: Qt.CheckState) -> QListWidgetItem:
        item = QListWidgetItem(name)
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        if state == Qt.CheckState.PartiallyChecked:
            flags |= Qt.ItemFlag.ItemIsUserTristate
        item.setFlags(flags)
        item.setCheckState(state)
        item.setData(_INITIAL, state.value)
        self.list.addItem(item)
        self._keys.add(name.casefold())
        return item

    def add_new(self) -> None:
        """Add the typed label to the list, ticked (or tick it if it is there already)."""
        if not self.new_edit.text().strip():
            return
        try:
            name = clean_name(self.new_edit.text())
        except CrisisdeskError as exc:
            self.error_label.setText(exc.user_text())
            self.error_label.show()
            return
        self.error_label.hide()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.text().casefold() == name.casefold():
                item.setCheckState(Qt.CheckState.Checked)
                break
        else:
            item = self._add_item(name, Qt.CheckState.Unchecked)
            item.setCheckState(Qt.CheckState.Checked)
        self.list.setCurrentItem(item)
        self.new_edit.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter in "New label" with a name typed adds the label and stays: pressing OK too
        # closed the dialog, and the letters typed next landed on the list as triage keys
        if (
            watched is self.new_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.new_edit.text().strip()
        ):
            self.add_new()
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        # a name typed but not yet added counts: people press OK straight away
        if self.new_edit.text().strip():
            self.add_new()
            if not self.error_label.isHidden():
                return
        super().accept()

    def changes(self) -> tuple[list[str], list[str]]:
        """Labels to add to every selected mention, and labels to remove from every one."""
        add: list[str] = []
        remove: list[str] = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            initial = Qt.CheckState(item.data(_INITIAL))
            state = item.checkState()
            if state == initial or state == Qt.CheckState.PartiallyChecked:
                continue
            (add if state == Qt.CheckState.Checked else remove).append(item.text())
        return add, remove
