"""The business details replies are filled with: name, own contact and signature.

``BusinessDetailsBox`` edits the declared settings ``business/name``, ``business/contact``
and ``business/signature`` (the template variables ``{business}``, ``{contact}``,
``{signature}``; the contact is also what the tone check never flags as personal data). A
field is stored when editing finishes; ``changed`` is emitted after a stored change.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from crisisdesk.settings import Settings

#: setting, the template variable it fills, label (with its mnemonic), example shown while
#: the field is empty; the name is also the title of printed plans
BUSINESS_FIELDS = (
    ("business/name", "business", "&Business name", "Crumb & Co Bakery"),
    ("business/contact", "contact", "Your c&ontact", "hello@crumb.example or 0161 555 0100"),
    ("business/signature", "signature", "Si&gn replies as", "Maria, owner"),
)


def business_values(settings: Settings) -> dict[str, str]:
    """The template variables the settings fill ("business", "contact", "signature")."""
    return {variable: str(settings.get(key)).strip() for key, variable, _, _ in BUSINESS_FIELDS}


class BusinessDetailsBox(QGroupBox):
    changed = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Your business (fills {business}, {contact} and {signature})", parent)
        self.setAccessibleName("Business details")
        self.settings = settings
        form = QFormLayout(self)
        self.fields: dict[str, QLineEdit] = {}
        for key, _variable, text, example in BUSINESS_FIELDS:
            field = QLineEdit(str(settings.get(key)))
            field.setPlaceholderText(f"e.g. {example}")
            field.setAccessibleName(text.replace("&", ""))
            field.editingFinished.connect(self.store)
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
            self.fields[key] = field

    def store(self) -> None:
        """Store every field that differs from its setting; ``changed`` if any did."""
        stored = False
        for key, field in self.fields.items():
            value = field.text().strip()
            if value != str(self.settings.get(key)):
                self.settings.set(key, value)
                stored = True
        if stored:
            self.changed.emit()
