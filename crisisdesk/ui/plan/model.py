"""The rows of the plan on screen: a flat table model of sections and items.

The model shows what the undo commands put in it (:meth:`PlanModel.insert`, ``remove``,
``move``, ``replace_entry``). An edit in place, a tick or a drop never changes a row directly: it
asks the page (:class:`PlanEdits`) for an undoable command, which then changes the model and
queues the write. A row's text is the owner's: shown as plain text, never as rich text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from crisisdesk.domain import PlanSectionRole
from crisisdesk.errors import CrisisdeskError
from crisisdesk.store.plans import REFERENCE_ROLES, Entry, PlanItem, check_entry, due_time
from crisisdesk.timeutil import now_utc
from crisisdesk.ui.format import one_line, plain_tooltip, short_time_text

MIME_TYPE = "application/x-crisisdesk-plan-item"
INDENT_PX = 22
COLUMNS = ("Item", "Who", "Due", "Done", "Notes")
COLUMN_FIELDS = ("text", "owner", "due", "done_by", "notes")
Index = QModelIndex | QPersistentModelIndex


class PlanEdits(Protocol):
    """What the model asks of the page: undoable changes, and showing an input error."""

    def edit(self, item_id: int, changes: dict[str, Any]) -> None: ...

    def toggle_done(self, item_id: int) -> None: ...

    def move_item(self, item_id: int, to_row: int) -> None: ...

    def input_error(self, error: CrisisdeskError) -> None: ...


class PlanModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlanItem] = []
        self._roles: list[PlanSectionRole] = []
        self.edits: PlanEdits | None = None
        #: when the shown plan was made active (UTC ISO); relative due times count from it
        self.activated_at: str | None = None

    # --- what the commands change -------------------------------------------------------------

    def set_rows(self, rows: list[PlanItem]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._update_roles()
        self.endResetModel()

    def rows(self) -> list[PlanItem]:
        return list(self._rows)

    def item_at(self, row: int) -> PlanItem:
        return self._rows[row]

    def row_of(self, item_id: int) -> int:
        for row, item in enumerate(self._rows):
            if item.id == item_id:
                return row
        raise KeyError(item_id)

    def role_at(self, row: int) -> PlanSectionRole:
        """The role of the row's section (steps for an item standing on its own)."""
        return self._roles[row]

    def checkable(self, row: int) -> bool:
        item = self._rows[row]
        return not item.entry.is_section and self._roles[row] not in REFERENCE_ROLES

    def overdue(self, row: int) -> bool:
        """A step of the active plan not done by its due time."""
        entry = self._rows[row].entry
        due = due_time(entry.due, self.activated_at)
        return due is not None and not entry.done and self.checkable(row) and due < now_utc()

    def insert(self, row: int, item: PlanItem) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, item)
        old = self._renumber()
        self.endInsertRows()
        self._roles_changed(old)

    def remove(self, row: int) -> PlanItem:
        self.beginRemoveRows(QModelIndex(), row, row)
        item = self._rows.pop(row)
        old = self._renumber()
        self.endRemoveRows()
        self._roles_changed(old)
        return item

    def move(self, source: int, target: int) -> None:
        """Move the row at *source* so that it ends up at index *target*."""
        if source == target:
            return
        dest = target + 1 if target > source else target  # Qt counts before the move
        self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), dest)
        self._rows.insert(target, self._rows.pop(source))
        old = self._renumber()
        self.endMoveRows()
        self._roles_changed(old)

    def replace_entry(self, item_id: int, entry: Entry) -> None:
        row = self.row_of(item_id)
        self._rows[row] = replace(self._rows[row], entry=entry)
        old = self._roles
        self._update_roles()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._roles_changed(old)

    def _renumber(self) -> list[PlanSectionRole]:
        """Positions and roles follow the rows (before the view asks); returns the old roles."""
        self._rows = [replace(item, position=n) for n, item in enumerate(self._rows)]
        old = self._roles
        self._update_roles()
        return old

    def _update_roles(self) -> None:
        roles, current = [], PlanSectionRole.STEPS
        for item in self._rows:
            if item.entry.is_section:
                current = item.entry.role
                roles.append(current)
            else:
                roles.append(current if item.entry.level == 1 else PlanSectionRole.STEPS)
        self._roles = roles

    def _roles_changed(self, old: list[PlanSectionRole]) -> None:
        """A row moved under another kind of section: its box may come or go."""
        if old != self._roles and self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def progress(self) -> tuple[int, int]:
        """(done, total) of the steps on screen (contacts, statements and rules do not count)."""
        steps = [r for r in range(len(self._rows)) if self.checkable(r)]
        return sum(1 for r in steps if self._rows[r].entry.done), len(steps)

    # --- Qt model API ----------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = index.row(), index.column()
        entry = self._rows[row].entry
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(entry, column, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.CheckStateRole and column == 0 and self.checkable(row):
            return Qt.CheckState.Checked if entry.done else Qt.CheckState.Unchecked
        late = column == 2 and self.overdue(row)
        if role == Qt.ItemDataRole.FontRole and (entry.is_section or late):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and entry.is_section:
            return QApplication.palette().brush(QPalette.ColorRole.AlternateBase)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 2 and self.overdue(row):
                return "Overdue: this step was due earlier"
            return plain_tooltip(entry.notes) if column == 4 and entry.notes else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(entry, column, False)
            if column == 0 and self.checkable(row):
                text = f"{'Done' if entry.done else 'To do'}: {text}"
            return text
        return None

    def _text(self, entry: Entry, column: int, editing: bool) -> str:
        if column == 0:
            return entry.text
        if entry.is_section:
            return ""
        if column == 1:
            return entry.owner
        if column == 2:
            due = due_time(entry.due, self.activated_at)
            if editing or due is None:
                return entry.due
            return f"{due.astimezone():%H:%M} ({entry.due})"
        if column == 3:
            if editing or not entry.done_at:
                return entry.done_by
            return f"{entry.done_by or '—'} · {short_time_text(entry.done_at)}"
        return entry.notes if editing else one_line(entry.notes, 80)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        flags = base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        flags |= Qt.ItemFlag.ItemIsDragEnabled
        entry = self._rows[index.row()].entry
        column = index.column()
        if column == 0 or (not entry.is_section and (column != 3 or entry.done)):
            flags |= Qt.ItemFlag.ItemIsEditable
        if column == 0 and self.checkable(index.row()):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.edits is None:
            return False
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            if self.checkable(index.row()):
                self.edits.toggle_done(item.id)
                return True
            return False
        if role != Qt.ItemDataRole.EditRole:
            return False
        field = COLUMN_FIELDS[index.column()]
        text = str(value)
        if getattr(item.entry, field) == text:
            return False
        try:
            changes: dict[str, Any] = {field: text}
            checked = check_entry(replace(item.entry, **changes))
        except CrisisdeskError as exc:
            self.edits.input_error(exc)
            return False
        if checked == item.entry:
            return False
        self.edits.edit(item.id, {field: getattr(checked, field)})
        return True

    # --- drag and drop: a move becomes an undoable command ----------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        if rows:
            data.setData(MIME_TYPE, QByteArray(str(self._rows[rows[0]].id).encode()))
        return data

    def canDropMimeData(self, data: QMimeData, *_args: Any) -> bool:
        return data.hasFormat(MIME_TYPE)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask for a move command. Returns False so the view never removes the dragged row
        itself: the command has moved it."""
        if action != Qt.DropAction.MoveAction or not data.hasFormat(MIME_TYPE) or not self.edits:
            return False
        try:
            item_id = int(bytes(data.data(MIME_TYPE).data()).decode())
            source = self.row_of(item_id)
        except (ValueError, KeyError):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        target = row - 1 if row > source else row  # the index once the row has left
        if target != source:
            self.edits.move_item(item_id, target)
        return False


class IndentDelegate(QStyledItemDelegate):
    """Draws an item of a section a step to the right (the first column only)."""

    def _shift(self, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        indented = isinstance(model, PlanModel) and model.item_at(index.row()).entry.level == 1
        if index.column() == 0 and indented:
            option.rect = QRect(option.rect.adjusted(INDENT_PX, 0, 0, 0))

    def paint(self, painter: Any, option: QStyleOptionViewItem, index: Index) -> None:
        shifted = QStyleOptionViewItem(option)
        self._shift(shifted, index)
        super().paint(painter, shifted, index)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        shifted = QStyleOptionViewItem(option)
        self._shift(shifted, index)
        super().updateEditorGeometry(editor, shifted, index)
