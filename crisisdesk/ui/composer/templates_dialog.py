"""The template library dialog: find, create, edit, duplicate and delete reply templates, and
the business details that fill ``{business}``, ``{contact}`` and ``{signature}``.

    dialog = TemplatesDialog(runner, settings, parent, choosing=True)
    dialog.templateChosen.connect(composer.use_template)   # "Use template" (only when choosing)
    dialog.open()

Every change is undoable (Ctrl+Z / Ctrl+Shift+Z in the dialog): the database write runs through
the task runner first, and only a write that succeeded becomes an undo step. Edits are saved
with Ctrl+S, and also when another template is selected or the dialog closes (undo takes them
back). Search and category filter the loaded list at once, with the store's own rule
(``store.templates.matches``). The shipped templates are seeded on first use by the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.analysis.templates import VARIABLES, fill
from crisisdesk.analysis.tone import check
from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.store import templates
from crisisdesk.store.templates import Template
from crisisdesk.ui.business_details import BusinessDetailsBox, business_values
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.tasks import TaskContext, TaskRunner
from crisisdesk.ui.widgets import WrapLabel, hidden_buddy, name_field

ALL_CATEGORIES = "All categories"
_ID = Qt.ItemDataRole.UserRole
#: stand-in values for the tone preview of a template (the owner's own where set)
PREVIEW = {
    "name": "Sam", "handle": "@sam", "platform": "Mastodon", "order": "4821",
    "business": "your business", "contact": "hello@business.example", "signature": "You",
}  # fmt: skip


class _Change(QUndoCommand):
    """One stored change: *undo_fn* / *redo_fn* run on the runner; the first redo was done."""

    def __init__(
        self, dialog: TemplatesDialog, text: str, undo_fn: Callable[[TaskContext], Template],
        redo_fn: Callable[[TaskContext], Template],
    ) -> None:  # fmt: skip
        super().__init__(text)
        self.dialog = dialog
        self.undo_fn = undo_fn
        self.redo_fn = redo_fn
        self.done = True

    def redo(self) -> None:
        if self.done:
            self.done = False  # pushed after the write succeeded: nothing to do yet
            return
        self.dialog.run(self.redo_fn)

    def undo(self) -> None:
        self.dialog.run(self.undo_fn)


class TemplatesDialog(RememberGeometry, QDialog):
    """The template library. ``templateChosen(Template)`` when the owner picks one to use."""

    templateChosen = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        choosing: bool = False,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.settings = settings
        self.setWindowTitle("Reply templates")
        self.setAccessibleName("Reply templates")
        self.undo_stack = QUndoStack(self)
        self._all: list[Template] = []
        self._current: Template | None = None
        self._build(choosing)
        self.remember_geometry(settings, "templates")
        self.reload()

    # --- building ------------------------------------------------------------------------------

    def _build(self, choosing: bool) -> None:
        self.error_label = WrapLabel(description="Template error")
        # the same warning colours as the inbox's search error (and words, not only colour)
        self.error_label.setStyleSheet(
            "QLabel { background: #fde2e1; color: #8a1c14; border-radius: 3px; padding: 6px; }"
        )
        self.error_label.hide()
        self.status_label = WrapLabel(description="Template library status")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search templates")
        self.search.setAccessibleName("Search templates")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._show_list)
        self.category_filter = QComboBox()
        self.category_filter.setAccessibleName("Category filter")
        hidden_buddy(self, self.category_filter, "Category filter")
        self.category_filter.currentIndexChanged.connect(self._show_list)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Templates")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)  # categories are headings, always open
        self.tree.currentItemChanged.connect(self._selected)
        self.tree.itemDoubleClicked.connect(lambda *_: self.use_current())
        self.new_button = self._button("&New", "New template", self.new_template)
        self.duplicate_button = self._button("D&uplicate", "Duplicate template", self.duplicate)
        self.delete_button = self._button("&Delete", "Delete template", self.delete)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.search, self.category_filter):
            left_layout.addWidget(widget)
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.status_label)

        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(templates.MAX_NAME)
        self.category_edit = QComboBox()
        self.category_edit.setEditable(True)
        self.category_edit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.body_edit = QPlainTextEdit()
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.textChanged.connect(self._edited)
        self.name_edit.textEdited.connect(self._edited)
        self.category_edit.editTextChanged.connect(self._edited)
        self.variables_label = WrapLabel(
            "Variables: " + ", ".join(f"{{{k}}} {v}" for k, v in VARIABLES.items()) + ".",
            description="Template variables",
        )
        self.tone_label = WrapLabel(description="Tone check of the template")
        self.save_button = self._button("&Save", "Save template", self.save)
        self.save_button.setEnabled(False)
        form = QFormLayout()
        for text, field, name in (
            ("&Name", self.name_edit, "Template name"),
            ("&Category", self.category_edit, "Template category"),
            ("&Text", self.body_edit, "Template text"),
        ):
            name_field(field, name)
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(form, 1)
        for label in (self.variables_label, self.tone_label, self.error_label):
            right_layout.addWidget(label)
        right_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([320, 560])

        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        self.use_button: QPushButton | None = None
        if choosing:
            self.use_button = box.addButton("&Use template", QDialogButtonBox.ButtonRole.AcceptRole)
            self.use_button.setAccessibleName("Use template")
            self.use_button.clicked.connect(self.use_current)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        self.business = BusinessDetailsBox(self.settings)
        self.business.changed.connect(self._show_tone)
        layout.addWidget(self.business)
        layout.addWidget(box)
        self._shortcuts()
        self.resize(900, 600)

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def _shortcuts(self) -> None:
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.addActions([undo, redo])
        for key, slot in (
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence.StandardKey.New, self.new_template),
            (QKeySequence.StandardKey.Find, self.search.setFocus),
            (QKeySequence("Ctrl+D"), self.duplicate),
        ):
            QShortcut(QKeySequence(key), self).activated.connect(slot)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree)
        delete.activated.connect(self.delete)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)

    # --- the list ------------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Load every template (seeding on first use) and show them; select *select*."""
        keep = select if select is not None else (self._current.id if self._current else None)
        self.runner.op(lambda ctx: templates.list_templates(ctx.db)).success(
            lambda found: self._loaded(found, keep)
        ).start()

    def _loaded(self, found: list[Template], select: int | None) -> None:
        self._all = found
        names = sorted({t.category for t in found if t.category}, key=str.casefold)
        for combo, first in ((self.category_filter, [ALL_CATEGORIES]), (self.category_edit, [])):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(first + names)
            index = combo.findText(text)
            if index >= 0:
                combo.setCurrentIndex(index)
            elif combo.isEditable():
                combo.setEditText(text)
            combo.blockSignals(False)
        self._show_list(select=select)

    def _show_list(self, *_: Any, select: int | None = None) -> None:
        if self.is_dirty():
            self.save()  # filtering keeps the edits in view of nothing: store them first
        category = self.category_filter.currentText()
        wanted = None if category in ("", ALL_CATEGORIES) else category
        search = self.search.text()
        if select is None and self._current is not None:
            select = self._current.id
        self.tree.blockSignals(True)
        self.tree.clear()
        chosen: QTreeWidgetItem | None = None
        first: QTreeWidgetItem | None = None
        headings: dict[str, QTreeWidgetItem] = {}
        for template in self._all:  # sorted by category, then name
            if not templates.matches(template, search, wanted):
                continue
            heading = headings.get(template.category)
            if heading is None:
                heading = QTreeWidgetItem([template.category or "No category"])
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading, not a choice
                font = heading.font(0)
                font.setBold(True)
                heading.setFont(0, font)
                self.tree.addTopLevelItem(heading)
                headings[template.category] = heading
            item = QTreeWidgetItem(heading, [template.name])
            item.setData(0, _ID, template.id)
            item.setToolTip(0, template.body)
            first = first or item
            if template.id == select:
                chosen = item
        self.tree.expandAll()
        target = chosen or first
        if target is not None:
            self.tree.setCurrentItem(target)
        self.tree.blockSignals(False)
        shown = self._template(target)
        if shown != self._current or shown is None:
            self._show(shown)  # unchanged: the editor keeps its cursor

    def _template(self, item: QTreeWidgetItem | None) -> Template | None:
        if item is None:
            return None
        wanted = item.data(0, _ID)
        return next((t for t in self._all if t.id == wanted), None)

    def _selected(self, item: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        wanted = self._template(item)
        self.error_label.hide()
        if not self.is_dirty() or self._current is None:
            self._show(wanted)
            return
        # selecting another template keeps the edits (undo takes them back)
        edited, fields = self._current, self._fields()
        self._show(wanted)
        self._store_edit(edited, *fields)

    # --- the editor ----------------------------------------------------------------------------

    def _show(self, template: Template | None) -> None:
        self._current = template
        for widget in (self.name_edit, self.category_edit, self.body_edit):
            widget.blockSignals(True)
        self.name_edit.setText(template.name if template else "")
        self.category_edit.setEditText(template.category if template else "")
        self.body_edit.setPlainText(template.body if template else "")
        for widget in (self.name_edit, self.category_edit, self.body_edit):
            widget.blockSignals(False)
            widget.setEnabled(template is not None)
        self.duplicate_button.setEnabled(template is not None)
        self.delete_button.setEnabled(template is not None)
        if self.use_button is not None:
            self.use_button.setEnabled(template is not None)
        self._edited()
        self._show_tone()

    def _fields(self) -> tuple[str, str, str]:
        return self.name_edit.text(), self.category_edit.currentText(), self.body_edit.toPlainText()

    def is_dirty(self) -> bool:
        current = self._current
        if current is None:
            return False
        name, category, body = self._fields()
        return (name.strip(), category.strip(), body.strip()) != (
            current.name, current.category, current.body.strip(),
        )  # fmt: skip

    def _edited(self) -> None:
        self.save_button.setEnabled(self.is_dirty())

    def _show_tone(self) -> None:
        """The tone check of the template filled with the owner's details and stand-ins."""
        current = self._current
        if current is None:
            self.tone_label.clear()
            return
        values = dict(PREVIEW)
        values.update((k, v) for k, v in business_values(self.settings).items() if v)
        filled = fill(current.body, values)
        contact = (values["contact"],)
        report = check(filled.text, own_contacts=contact)
        codes = ", ".join(dict.fromkeys(f.code for f in report.findings)) or "no findings"
        blanks = f"; left for you: {', '.join(filled.unfilled)}" if filled.unfilled else ""
        self.tone_label.setText(f"Tone check: {report.score}/100, {codes}{blanks}.")

    # --- changes (each an undo step once stored) ----------------------------------------------

    def run(
        self, fn: Callable[[TaskContext], Template],
        then: Callable[[Template], None] | None = None, *, select: bool = True,
    ) -> None:  # fmt: skip
        """Run a stored change; on success reload (and select what it returned)."""

        def done(template: Template) -> None:
            self.error_label.hide()
            if then is not None:
                then(template)
            self.reload(select=template.id if select else None)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, CrisisdeskError):
                self.runner.show_failure(exc)  # a bug: the error dialog, with its details
                return
            self.error_label.setText(exc.user_text())
            self.error_label.show()
            if select:  # not for a refused edit: the editor keeps it to correct
                self.reload()

        self.runner.op(fn).success(done).failure(failed).start()

    def _push(self, text: str, undo_fn: Callable[[TaskContext], Template],
              redo_fn: Callable[[TaskContext], Template]) -> None:  # fmt: skip
        self.status_label.clear()
        self.undo_stack.push(_Change(self, text, undo_fn, redo_fn))

    def save(self) -> None:
        """Store the edited name, category and text (Ctrl+S)."""
        if self._current is not None and self.is_dirty():
            self._store_edit(self._current, *self._fields())

    def _store_edit(self, old: Template, name: str, category: str, body: str) -> None:
        def saved(new: Template) -> None:
            if self._current is not None and self._current.id == new.id:
                self._current = new  # still shown (the owner may have selected another)
                self._edited()
                self._show_tone()
            self._push(
                f"Edit “{new.name}”",
                lambda ctx: templates.update(
                    ctx.db, old.id, name=old.name, category=old.category, body=old.body
                ),
                lambda ctx: templates.update(
                    ctx.db, new.id, name=new.name, category=new.category, body=new.body
                ),
            )

        self.run(
            lambda ctx: templates.update(ctx.db, old.id, name=name, category=category, body=body),
            saved,
            select=False,
        )

    def _created(self, text: str) -> Callable[[Template], None]:
        """After a template was added: an undo step that removes it and can bring it back."""

        def created(template: Template) -> None:
            state = {"template": template}

            def undo(ctx: TaskContext) -> Template:
                gone = templates.delete(ctx.db, state["template"].id)
                state["template"] = gone
                return gone

            def redo(ctx: TaskContext) -> Template:
                state["template"] = templates.restore(ctx.db, state["template"])
                return state["template"]

            self._push(f"{text} “{template.name}”", undo, redo)

        return created

    def new_template(self) -> None:
        """Add a template to edit (Ctrl+N), in the category shown."""
        self.save()
        category = self.category_filter.currentText()
        category = "" if category == ALL_CATEGORIES else category
        taken = {t.name.casefold() for t in self._all}
        name = "New template"
        number = 2
        while name.casefold() in taken:
            name, number = f"New template ({number})", number + 1
        body = "Hi {name}, thank you for telling us, and I'm sorry. — {signature}"
        self.search.clear()
        self.run(lambda ctx: templates.create(ctx.db, name, category, body), self._created("Add"))
        self.name_edit.setFocus()
        self.name_edit.selectAll()

    def duplicate(self) -> None:
        """A copy of the selected template (Ctrl+D)."""
        current = self._current
        if current is None:
            return
        self.save()
        self.run(lambda ctx: templates.duplicate(ctx.db, current.id), self._created("Duplicate"))

    def delete(self) -> None:
        """Delete the selected template (Del); Ctrl+Z brings it back."""
        current = self._current
        if current is None:
            return
        state = {"template": current}

        def undo(ctx: TaskContext) -> Template:
            state["template"] = templates.restore(ctx.db, state["template"])
            return state["template"]

        def redo(ctx: TaskContext) -> Template:
            state["template"] = templates.delete(ctx.db, state["template"].id)
            return state["template"]

        def deleted(template: Template) -> None:
            self._current = None
            self._push(f"Delete “{template.name}”", undo, redo)
            self.status_label.setText(f"Deleted “{template.name}”. Press Ctrl+Z to undo.")

        self.run(redo, deleted)

    # --- choosing and closing ------------------------------------------------------------------

    def use_current(self) -> None:
        """Hand the selected template to the composer and close (only when choosing)."""
        if self.use_button is None or self._current is None:
            return
        self.save()
        self.templateChosen.emit(self._current)
        self.accept()

    def done(self, result: int) -> None:
        if self.is_dirty():
            self.save()
        self.business.store()
        super().done(result)
