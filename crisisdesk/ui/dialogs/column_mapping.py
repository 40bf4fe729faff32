"""Import: which column of the file is which, for headers crisisdesk does not recognise
(another language, an unusual export). Remembered per set of column names.

The file's column names are text from the user's file: shown only as combo box items (plain).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QWidget

from crisisdesk.settings import Settings
from crisisdesk.sources.files.rows import FIELD_NAMES, resolve_columns
from crisisdesk.ui.widgets import WrapLabel, column, ok_cancel_buttons

#: the fields offered, most needed first; "text" is required
OFFERED = (
    "text", "created_at", "author_handle", "author_name", "url", "external_id", "source",
    "likes", "reposts", "replies", "author_followers",
)  # fmt: skip
NOT_IN_FILE = "(not in this file)"


def header_id(header: Sequence[str]) -> str:
    """Names a set of column names in settings (order and case do not matter)."""
    names = sorted({h.strip().casefold() for h in header})
    return hashlib.sha1(json.dumps(names).encode()).hexdigest()[:16]


def remembered(settings: Settings, header: Sequence[str]) -> dict[str, str]:
    """The mapping chosen last time for these column names (only columns still present)."""
    try:
        saved = json.loads(settings.get(f"import/columns/{header_id(header)}") or "{}")
    except ValueError:
        return {}
    return {k: v for k, v in saved.items() if k in FIELD_NAMES and v in header}


def needs_mapping(header: Sequence[str]) -> bool:
    """crisisdesk cannot tell which column holds the post text."""
    return bool(header) and "text" not in resolve_columns(list(header))


class ColumnMappingDialog(QDialog):
    """One choice per field: which of the file's columns holds it."""

    def __init__(
        self,
        file_name: str,
        header: Sequence[str],
        preset: Mapping[str, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Which column is which?")
        self.setAccessibleName("Column mapping")
        self.header = list(header)
        guess = {**resolve_columns(self.header), **(preset or {})}
        intro = WrapLabel(
            f"crisisdesk does not recognise the column names of {file_name}. Choose the column "
            "that holds the text of the posts, and any others you know. crisisdesk remembers "
            "this for files with the same columns."
        )
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for field in OFFERED:
            combo = QComboBox(self)
            combo.setObjectName(f"column_{field}")
            combo.addItem(NOT_IN_FILE, None)
            for name in self.header:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(combo.findData(guess.get(field)), 0))
            title = FIELD_NAMES[field].capitalize() + (" (needed)" if field == "text" else "")
            label = QLabel(f"{title}:", self)
            label.setBuddy(combo)
            combo.setAccessibleName(title)
            combo.currentIndexChanged.connect(self._update_ok)
            form.addRow(label, combo)
            self.combos[field] = combo
        self.problem = WrapLabel(description="Column problem")
        buttons = ok_cancel_buttons(self)
        self.ok_button = buttons.button(buttons.StandardButton.Ok)
        self.ok_button.setText("Import")
        self.setMinimumWidth(40 * self.fontMetrics().averageCharWidth() + 200)
        column(self, intro, form, self.problem, buttons)
        self._update_ok()
        self.adjustSize()  # the intro wraps for the width above, not a narrower guess

    def mapping(self) -> dict[str, str]:
        """{our field: the file's column} for every field given a column."""
        return {f: c.currentData() for f, c in self.combos.items() if c.currentData()}

    def _update_ok(self, *_args: object) -> None:
        chosen = list(self.mapping().values())
        problem = ""
        if "text" not in self.mapping():
            problem = "Choose the column with the text of the posts."
        elif len(chosen) != len(set(chosen)):
            problem = "Each column can be used for one field only."
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.ok_button.setEnabled(not problem)
