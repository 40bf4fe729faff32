"""The template library dialog on a real database file, with the immediate task runner:
search and categories, create/edit/duplicate/delete with undo, errors, business details."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import open_database
from crisisdesk.store import templates as tpl
from crisisdesk.ui.composer.templates_dialog import ALL_CATEGORIES, TemplatesDialog
from crisisdesk.ui.tasks import SyncTaskRunner


@pytest.fixture
def settings() -> Settings:
    return Settings(DictStorage({"composer/contact": "hello@crumb.example"}))


@pytest.fixture
def dialog(qtbot: Any, db_path: Path, settings: Settings) -> TemplatesDialog:
    open_database(db_path).close()
    dlg = TemplatesDialog(SyncTaskRunner(db_path), settings, choosing=True)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def stored(db_path: Path) -> list[tpl.Template]:
    db = open_database(db_path)
    try:
        return tpl.list_templates(db)
    finally:
        db.close()


def shown(dialog: TemplatesDialog) -> list[str]:
    names: list[str] = []
    for i in range(dialog.tree.topLevelItemCount()):
        heading = dialog.tree.topLevelItem(i)
        assert heading is not None
        names += [heading.child(j).text(0) for j in range(heading.childCount())]
    return names


def item_named(dialog: TemplatesDialog, name: str) -> QTreeWidgetItem:
    found = dialog.tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
    assert len(found) == 1
    return found[0]


def test_opens_with_the_shipped_library_by_category(dialog: TemplatesDialog) -> None:
    assert len(shown(dialog)) == len(tpl.shipped())
    headings = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert headings == sorted(headings, key=str.casefold) and "Thank a fan" in headings
    assert dialog.name_edit.text() == shown(dialog)[0]
    assert "Tone check: " in dialog.tone_label.text()
    assert not dialog.save_button.isEnabled()


def test_search_and_category_filter(dialog: TemplatesDialog) -> None:
    dialog.search.setText("REVIEW thank")
    assert set(shown(dialog)) == {
        "Thanks for the review",
        "A review that mixes us up with someone else",
    }
    dialog.search.clear()
    dialog.category_filter.setCurrentText("Thank a fan")
    assert len(shown(dialog)) == 3
    dialog.search.setText("nothing matches this")
    assert shown(dialog) == [] and not dialog.name_edit.isEnabled()
    dialog.category_filter.setCurrentText(ALL_CATEGORIES)
    dialog.search.clear()
    assert len(shown(dialog)) == len(tpl.shipped())


def test_edit_save_and_undo(dialog: TemplatesDialog, db_path: Path, qtbot: Any) -> None:
    dialog.tree.setCurrentItem(item_named(dialog, "Late or missing order"))
    old = dialog.body_edit.toPlainText()
    dialog.body_edit.setPlainText("CALM DOWN!!! We did nothing wrong.")
    assert dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.save_button.isEnabled()
    body = {t.name: t.body for t in stored(db_path)}["Late or missing order"]
    assert body == "CALM DOWN!!! We did nothing wrong."
    assert "shouting" in dialog.tone_label.text() and "defensive" in dialog.tone_label.text()
    dialog.undo_stack.undo()
    assert {t.name: t.body for t in stored(db_path)}["Late or missing order"] == old
    assert dialog.body_edit.toPlainText() == old
    dialog.undo_stack.redo()
    assert {t.name: t.body for t in stored(db_path)}["Late or missing order"].startswith("CALM")


def test_selecting_another_template_keeps_the_edit(dialog: TemplatesDialog, db_path: Path) -> None:
    dialog.tree.setCurrentItem(item_named(dialog, "Offer a phone call"))
    dialog.name_edit.setText("Offer a call")
    dialog.name_edit.textEdited.emit("Offer a call")
    dialog.tree.setCurrentItem(item_named(dialog, "Thanks for the review"))
    assert "Offer a call" in {t.name for t in stored(db_path)}
    assert dialog.name_edit.text() == "Thanks for the review"


def test_new_duplicate_delete_with_undo(dialog: TemplatesDialog, db_path: Path) -> None:
    count = len(tpl.shipped())
    dialog.new_template()
    assert dialog.name_edit.text() == "New template" and len(stored(db_path)) == count + 1
    dialog.name_edit.setText("Birthday cake mix-up")
    dialog.category_edit.setEditText("Fans")
    dialog.save()
    assert "Birthday cake mix-up" in shown(dialog)
    dialog.duplicate()
    assert dialog.name_edit.text() == "Birthday cake mix-up (copy)"
    assert len(stored(db_path)) == count + 2
    dialog.delete()
    assert "Birthday cake mix-up (copy)" not in shown(dialog)
    assert "Ctrl+Z" in dialog.status_label.text()
    dialog.undo_stack.undo()  # the delete
    assert "Birthday cake mix-up (copy)" in {t.name for t in stored(db_path)}
    dialog.undo_stack.undo()  # the duplicate
    dialog.undo_stack.undo()  # the rename
    dialog.undo_stack.undo()  # the new template
    assert len(stored(db_path)) == count
    dialog.undo_stack.redo()
    assert "New template" in {t.name for t in stored(db_path)}


def test_delete_key_and_undo_restores_a_shipped_template(
    dialog: TemplatesDialog, db_path: Path, qtbot: Any
) -> None:
    dialog.tree.setCurrentItem(item_named(dialog, "Thanks for the review"))
    dialog.tree.setFocus()
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Delete)
    assert "Thanks for the review" not in {t.name for t in stored(db_path)}
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = {t.name: t for t in stored(db_path)}["Thanks for the review"]
    assert back.builtin


def test_a_refused_edit_says_why_and_keeps_the_text(dialog: TemplatesDialog, db_path: Path) -> None:
    dialog.tree.setCurrentItem(item_named(dialog, "Offer a phone call"))
    dialog.name_edit.setText("late OR missing order")  # another template's name
    dialog.save()
    assert dialog.error_label.isVisible()
    assert "already exists" in dialog.error_label.text()
    assert dialog.name_edit.text() == "late OR missing order"
    assert dialog.undo_stack.count() == 0
    assert "Offer a phone call" in {t.name for t in stored(db_path)}
    dialog.body_edit.setPlainText("")
    dialog.name_edit.setText("Offer a phone call")
    dialog.save()
    assert "has no text" in dialog.error_label.text()


def test_use_template_hands_it_over(dialog: TemplatesDialog, qtbot: Any) -> None:
    dialog.tree.setCurrentItem(item_named(dialog, "Thanks for the review"))
    with qtbot.waitSignal(dialog.templateChosen) as blocker:
        assert dialog.use_button is not None
        dialog.use_button.click()
    chosen = blocker.args[0]
    assert isinstance(chosen, tpl.Template) and chosen.name == "Thanks for the review"
    assert not dialog.isVisible()


def test_business_details_are_settings_and_fill_the_preview(
    dialog: TemplatesDialog, settings: Settings
) -> None:
    field = dialog.business.fields["composer/signature"]
    field.setText("  Maria, owner ")
    field.editingFinished.emit()
    assert settings.get("composer/signature") == "Maria, owner"
    assert settings.get("composer/contact") == "hello@crumb.example"
    dialog.business.fields["composer/business"].setText("Crumb & Co")
    dialog.done(0)
    assert settings.get("composer/business") == "Crumb & Co"


def test_every_widget_has_an_accessible_name(dialog: TemplatesDialog) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit

    for kind in (QLineEdit, QPlainTextEdit, QComboBox, QAbstractButton):
        for widget in dialog.findChildren(kind):
            if widget.isVisible() and widget.parent() is not None:
                owner = widget.parent()
                if isinstance(owner, QComboBox):  # a combo's own line edit
                    continue
                assert widget.accessibleName() or (
                    isinstance(widget, QAbstractButton) and widget.text()
                ), widget
