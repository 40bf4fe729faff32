"""Under the search box: how many mentions match, and "did you mean" when none does.

The count and the suggestions are read by a task (a count over a big table is not instant);
suggestions are words from mentions (text from the internet), so they are shown as plain
button texts, never as rich text.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

#: words of a search that a suggestion may replace (not quoted, not excluded, not OR)
_PLAIN_WORD = re.compile(r'(?<![-"\w])([^\W\d_]{3,})(?![\w"])')


def plain_words(search: str) -> list[str]:
    """The plain words of *search* outside quotes ("refnud" in 'refnud -cake')."""
    unquoted = re.sub(r'"[^"]*"', " ", search)
    return [w for w in _PLAIN_WORD.findall(unquoted) if w != "OR"]


class SearchInfo(QWidget):
    """ "12 mentions match." or "No mentions match. Did you mean: [refund]"."""

    #: the owner chose a suggestion: the new search text
    searchChosen = Signal(str)

    MAX_SUGGESTIONS = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchInfo")
        self.label = QLabel(self)
        self.label.setObjectName("searchCount")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons: list[QPushButton] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 2)
        layout.addWidget(self.label)
        for _ in range(self.MAX_SUGGESTIONS):
            button = QPushButton(self)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            # looks like a link (the palette's link colour, underlined): one click searches it
            palette = button.palette()
            palette.setColor(QPalette.ColorRole.ButtonText, palette.color(QPalette.ColorRole.Link))
            button.setPalette(palette)
            font = button.font()
            font.setUnderline(True)
            button.setFont(font)
            button.hide()
            button.clicked.connect(lambda _c=False, b=button: self._chosen(b))
            self.buttons.append(button)
            layout.addWidget(button)
        layout.addStretch(1)
        self._search = ""
        self._replaced = ""
        self.hide()

    def show_result(self, search: str, count: int, typo: str, suggestions: list[str]) -> None:
        """*count* mentions match *search*; *suggestions* replace the word *typo* in it."""
        self._search, self._replaced = search, typo
        if count:
            self.label.setText("1 mention matches." if count == 1 else f"{count:,} mentions match.")
        elif suggestions:
            self.label.setText("No mentions match. Did you mean:")
        else:
            self.label.setText("No mentions match. Check the spelling, or try fewer words.")
        for button, word in zip(self.buttons, [*suggestions, *[""] * 3], strict=False):
            button.setText(word)  # a QPushButton shows its text as plain text
            button.setAccessibleName(f"Search for {word} instead")
            button.setToolTip(f"Search for {word} instead" if word else "")
            button.setVisible(bool(word) and not count)
        self.show()

    def clear_result(self) -> None:
        self.hide()

    def suggestions(self) -> list[str]:
        return [b.text() for b in self.buttons if b.isVisible()]

    def _chosen(self, button: QPushButton) -> None:
        typo = re.escape(self._replaced)
        new = re.sub(rf"(?<![\w-]){typo}(?!\w)", button.text(), self._search, count=1)
        self.searchChosen.emit(new)
