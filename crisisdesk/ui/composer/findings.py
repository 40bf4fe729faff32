"""The list of tone findings under the editor: one item per finding, with its one-click fix.

An item shows the severity, the message, the suggestion and what a click does, as plain text.
A click (or Enter/Space on the focused item) applies the mechanical fix (``fixes.fix_for``)
or, when only the owner can rewrite it, selects the words in the reply.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QWidget

from crisisdesk.analysis.tone import Finding
from crisisdesk.ui.composer.fixes import fix_for
from crisisdesk.ui.composer.highlight import severity_colour

SEVERITY_WORD = {"block": "Fix before sending", "warn": "Warning", "tip": "Tip"}
_ORDER = {"block": 0, "warn": 1, "tip": 2}
FindingRole = Qt.ItemDataRole.UserRole + 1
ALL_CLEAR = "The tone check found nothing to change. Check the facts, then send."
#: before anything is written: what the checks look for, so the box teaches rather than waits
BEFORE_WRITING = (
    "As you write, the tone check looks here for what makes a reply land well: answer soon,"
    " say sorry for what went wrong, stay calm, own it, offer a next step, and take personal"
    " details to a private message."
)


def _dot(colour: QColor) -> QIcon:
    return _dot_rgba(colour.rgba())


@functools.lru_cache(maxsize=16)
def _dot_rgba(rgba: int, size: int = 12) -> QIcon:
    colour = QColor.fromRgba(rgba)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def item_text(text: str, finding: Finding) -> str:
    word = SEVERITY_WORD.get(str(finding.severity), str(finding.severity))
    fix = fix_for(text, finding)
    if fix is not None:
        action = f"Click: {fix.label.lower()}"
    elif finding.start is not None:
        action = "Click: select these words to rewrite them"
    else:
        action = ""
    lines = [f"{word}: {finding.message}", finding.suggestion, action]
    return "\n".join(line for line in lines if line)


class FindingsList(QListWidget):
    """Items for the current findings; ``activated(finding)`` on a click, Enter or Space."""

    activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toneFindings")
        self.setAccessibleName("Tone check findings")
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIconSize(QSize(12, 12))
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.setSpacing(3)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemClicked.connect(self._emit)

    def sizeHint(self) -> QSize:
        # small, so the composer fits its scroll area; the layout's stretch gives it the rest
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 6)

    def show_findings(self, text: str, findings: Sequence[Finding]) -> None:
        ordered = sorted(
            findings, key=lambda f: (_ORDER.get(str(f.severity), 3), f.start or 0, f.code)
        )
        texts = [item_text(text, f) for f in ordered]
        if not ordered:
            texts = [ALL_CLEAR if text.strip() else BEFORE_WRITING]
        if texts == [self.item(i).text() for i in range(self.count())]:
            # typing moved the spans only: keep the items (and the selection), update their data
            for i, finding in enumerate(ordered):
                self.item(i).setData(FindingRole, finding)
            return
        self.clear()
        if texts in ([ALL_CLEAR], [BEFORE_WRITING]):
            item = QListWidgetItem(texts[0])
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # nothing to click
            self.addItem(item)
            return
        for finding, label in zip(ordered, texts, strict=True):
            item = QListWidgetItem(label)
            item.setData(FindingRole, finding)
            item.setIcon(_dot(severity_colour(self.palette(), str(finding.severity))))
            word = SEVERITY_WORD.get(str(finding.severity), "")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{word}: {finding.message}")
            self.addItem(item)

    def _emit(self, item: QListWidgetItem) -> None:
        finding = item.data(FindingRole)
        if finding is not None:
            self.activated.emit(finding)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if item is not None and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
        ):
            self._emit(item)
            return
        super().keyPressEvent(event)

    def _findings(self) -> list[tuple[QListWidgetItem, Finding]]:
        items = (self.item(i) for i in range(self.count()))
        return [(item, item.data(FindingRole)) for item in items if item.data(FindingRole)]

    def codes(self) -> list[str]:
        return [str(finding.code) for _item, finding in self._findings()]

    def finding_item(self, code: str) -> QListWidgetItem | None:
        return next((item for item, f in self._findings() if str(f.code) == code), None)
