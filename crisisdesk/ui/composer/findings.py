"""The list of tone findings under the editor: one row per finding, with its one-click fix.

A row shows the severity, the message and the suggestion as plain text; its button applies the
mechanical fix (``fixes.fix_for``) or, when only the owner can rewrite it, selects the words.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.analysis.tone import Finding
from crisisdesk.ui.composer.fixes import fix_for
from crisisdesk.ui.composer.highlight import severity_colour

SEVERITY_WORD = {"block": "Fix before sending", "warn": "Warning", "tip": "Tip"}
_ORDER = {"block": 0, "warn": 1, "tip": 2}


class FindingRow(QFrame):
    def __init__(self, finding: Finding, fix_label: str | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.finding = finding
        self.setObjectName(f"finding_{finding.code}")
        severity = str(finding.severity)
        word = SEVERITY_WORD.get(severity, severity)
        self.setAccessibleName(f"{word}: {finding.message}")
        marker = QLabel("●", self)
        marker.setAccessibleName(word)
        palette = marker.palette()
        palette.setColor(QPalette.ColorRole.WindowText, severity_colour(self.palette(), severity))
        marker.setPalette(palette)
        marker.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel(f"{word}: {finding.message}\n{finding.suggestion}".strip(), self)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        text.setAccessibleName(finding.message)
        self.button = QPushButton(fix_label or "Show", self)
        self.button.setAccessibleName(
            f"{fix_label}: {finding.message}" if fix_label else f"Show where: {finding.message}"
        )
        self.button.setToolTip(
            "Change the reply as suggested (Ctrl+Z undoes it)"
            if fix_label
            else "Select these words in the reply so you can rewrite them"
        )
        self.button.setVisible(bool(fix_label) or finding.start is not None)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(marker)
        layout.addWidget(text, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignTop)


class FindingsList(QWidget):
    """Rows for the current findings; ``activated(finding)`` when a row's button is clicked."""

    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toneFindings")
        self.setAccessibleName("Tone check findings")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.rows: list[FindingRow] = []

    def show_findings(self, text: str, findings: Sequence[Finding]) -> None:
        for row in self.rows:
            row.setParent(None)  # type: ignore[call-overload]
            row.deleteLater()
        self.rows = []
        ordered = sorted(
            findings, key=lambda f: (_ORDER.get(str(f.severity), 3), f.start or 0, f.code)
        )
        for finding in ordered:
            fix = fix_for(text, finding)
            row = FindingRow(finding, fix.label if fix else None, self)
            row.button.clicked.connect(lambda _c=False, f=finding: self.activated.emit(f))
            self._layout.addWidget(row)
            self.rows.append(row)

    def codes(self) -> list[str]:
        return [str(r.finding.code) for r in self.rows]
