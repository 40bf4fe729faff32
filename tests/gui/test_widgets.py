"""The dialog kit: plain-text wrapping labels, the OK/Cancel row, the help box, columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget

from crisisdesk.ui.widgets import HelpBox, WrapLabel, column, ok_cancel_buttons


def test_wrap_label_shows_markup_literally_and_wraps(qtbot) -> None:
    label = WrapLabel("<b>FREE</b> &amp; more", description="Note")
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.wordWrap()
    assert label.text() == "<b>FREE</b> &amp; more"
    # the text is what a screen reader reads; what it is comes after (issue 15.2)
    assert label.accessibleName() == "" and label.accessibleDescription() == "Note"


def test_ok_cancel_row_accepts_and_rejects(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    buttons = ok_cancel_buttons(dialog)
    with qtbot.waitSignal(dialog.accepted):
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    with qtbot.waitSignal(dialog.rejected):
        buttons.button(QDialogButtonBox.StandardButton.Cancel).click()


def test_help_box_and_column(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    help_box = HelpBox("Paste the token <here>")
    stretchy = QListWidget()
    row = QHBoxLayout()
    layout = column(dialog, help_box, (stretchy, 1), row)
    assert help_box.label.text() == "Paste the token <here>"
    assert help_box.label.textFormat() == Qt.TextFormat.PlainText
    help_box.set_text("changed")
    assert help_box.findChild(QLabel).text() == "changed"
    assert [layout.itemAt(i).widget() or layout.itemAt(i).layout() for i in range(3)] == [
        help_box,
        stretchy,
        row,
    ]
    assert [layout.stretch(i) for i in range(3)] == [0, 1, 0]
