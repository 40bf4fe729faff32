"""A layout that puts its items in a row and wraps onto the next row when the width runs out
(Qt's flow layout example). The inbox filter row needed 765 px on one line, which pushed the
window off a screen at 200% scaling or with a large font (issue 15.8); now it wraps."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping; its minimum width is that of the widest item."""

    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def height_with(
        self, width: int, shown: Collection[QWidget], hidden: Collection[QWidget] = ()
    ) -> int:
        """The height at *width* if *shown* were shown and *hidden* hidden (a folded row)."""
        return self._arrange(QRect(0, 0, width, 0), move=False, also=shown, but=hidden)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        width = sum(i.sizeHint().width() for i in self._visible()) + self._gap() * max(
            0, len(self._visible()) - 1
        )
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _visible(
        self, also: Collection[QWidget] = (), but: Collection[QWidget] = ()
    ) -> list[QLayoutItem]:
        shown = []
        for item in self._items:
            widget = item.widget()
            if widget in but:
                continue
            if widget is None or not widget.isHidden() or widget in also:
                shown.append(item)
        return shown

    def _gap(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        style = parent.style()
        for gap in (
            style.layoutSpacing(
                QSizePolicy.ControlType.PushButton,
                QSizePolicy.ControlType.PushButton,
                Qt.Orientation.Horizontal,
            ),
            style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing),
        ):
            if gap >= 0:
                return gap
        return 6

    def _arrange(
        self,
        rect: QRect,
        *,
        move: bool,
        also: Collection[QWidget] = (),
        but: Collection[QWidget] = (),
    ) -> int:
        """Place the items row by row (when *move*); the height they take at *rect*'s width.
        What is left of a row goes to its items that expand horizontally (the search box)."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        gap = max(self._gap(), 0)
        rows: list[list[QLayoutItem]] = [[]]
        x = area.x()
        for item in self._visible(also, but):
            width = item.sizeHint().width()
            if x + width > area.right() + 1 and rows[-1]:
                rows.append([])
                x = area.x()
            rows[-1].append(item)
            x += width + gap
        y = area.y()
        for row in rows:
            row_height = max((item.sizeHint().height() for item in row), default=0)
            if move:
                self._place(row, area, y, gap)
            y += row_height + gap
        if rows[0]:
            y -= gap
        return y - rect.y() + margins.bottom()

    @staticmethod
    def _place(row: list[QLayoutItem], area: QRect, y: int, gap: int) -> None:
        used = sum(item.sizeHint().width() for item in row) + gap * (len(row) - 1)
        growing = [i for i in row if i.expandingDirections() & Qt.Orientation.Horizontal]
        extra = max(0, area.width() - used)
        x = area.x()
        for item in row:
            hint = item.sizeHint()
            if item in growing:
                share = extra // len(growing)
                hint.setWidth(hint.width() + share)
            item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
