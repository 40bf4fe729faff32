"""Your business details for reply templates: {business}, {contact} and {signature}.

The contact is also what the tone check accepts as *your own* e-mail or phone in a public reply
(a customer's would be flagged as private data)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from crisisdesk.settings import Settings
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.widgets import HelpBox, column, ok_cancel_buttons

#: setting name → (field label, accessible name, example)
FIELDS = {
    "composer/business": ("&Business name:", "Business name", "e.g. Maple & Rye Bakery"),
    "composer/contact": ("Your &contact:", "Your e-mail or phone", "e.g. hello@maple.example"),
    "composer/signature": ("&Signature:", "Signature", "e.g. Ana, owner"),
}


class BusinessDialog(RememberGeometry, QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your details for replies")
        self.setAccessibleName("Your details for replies")
        self._settings = settings
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, (label, name, example) in FIELDS.items():
            edit = QLineEdit(settings.get(key), self)
            edit.setAccessibleName(name)
            edit.setPlaceholderText(example)
            edit.setMaxLength(120)
            form.addRow(label, edit)
            self.edits[key] = edit
        help_box = HelpBox(
            "Templates fill these in for {business}, {contact} and {signature}. Your own contact"
            " details are fine in a public reply; a customer's never are.",
            self,
        )
        column(self, help_box, form, ok_cancel_buttons(self))
        self.remember_geometry(settings, "business_dialog")

    def accept(self) -> None:
        for key, edit in self.edits.items():
            self._settings.set(key, " ".join(edit.text().split()))
        super().accept()
