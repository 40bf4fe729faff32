"""The Plan page in a real main window on a real database file: edit, tick, reorder, indent,
undo/redo, several plans, the active plan's progress, persistence, export, print."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from crisisdesk.export import plan_json
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import open_database, plans
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.plan.page import PlanPage
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.plans import plan_file

DEFAULT = plan_json.default_plan()


def open_window(qtbot: Any, db: Any, db_path: Path, storage: DictStorage) -> MainWindow:
    window = MainWindow(db, db_path, Settings(storage), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("plan")
    return window


@pytest.fixture
def storage() -> DictStorage:
    return DictStorage({"plan/your_name": "Ana", "business/name": "Maple Street Bakery"})


@pytest.fixture
def window(qtbot: Any, db: Any, db_path: Path, storage: DictStorage) -> MainWindow:
    return open_window(qtbot, db, db_path, storage)


@pytest.fixture
def page(window: MainWindow) -> PlanPage:
    return window.plan.page


def texts(page: PlanPage) -> list[str]:
    return [r.entry.text for r in page.model.rows()]


def stored(db_path: Path, plan_id: int) -> list[plans.PlanItem]:
    other = open_database(db_path)  # a second connection: what is really on disk
    try:
        return plans.items(other, plan_id)
    finally:
        other.close()


def row_of(page: PlanPage, text: str) -> int:
    return texts(page).index(text)


def key(
    qtbot: Any, page: PlanPage, key_code: Qt.Key, mods: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    page.view.setFocus()
    qtbot.keyClick(page.view, key_code, mods)


def test_first_open_shows_the_default_plan_and_no_progress(window: MainWindow, page: PlanPage,
                                                           qtmodeltester: Any) -> None:  # fmt: skip
    assert window.current_page() == "plan"
    assert texts(page) == [e.text for e in DEFAULT.entries]
    assert page.plan_combo.currentText() == "Social media crisis plan"
    assert window.plan.progress_label.isHidden()
    assert window.undo_stack is page.undo_stack  # Edit → Undo follows the page
    qtmodeltester.check(page.model)


def test_add_an_item_by_keyboard_edit_it_in_place_and_undo(
    qtbot: Any, page: PlanPage, db_path: Path
) -> None:
    row = row_of(page, "Save evidence: screenshots of the key posts with dates and links")
    page.select_row(row)
    key(qtbot, page, Qt.Key.Key_Insert)
    assert texts(page)[row + 1] == "New item" and page.model.item_at(row + 1).entry.level == 1
    editor = QApplication.focusWidget()
    assert editor is not page.view  # the new item's text is being edited in place
    editor.selectAll()
    qtbot.keyClicks(editor, "Call the insurer")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop turn
    qtbot.waitUntil(lambda: texts(page)[row + 1] == "Call the insurer")
    assert [r.entry.text for r in stored(db_path, page.plan_id)][row + 1] == "Call the insurer"
    page.undo_stack.undo()
    assert texts(page)[row + 1] == "New item"
    page.undo_stack.undo()
    assert texts(page) == [e.text for e in DEFAULT.entries]
    assert [r.entry.text for r in stored(db_path, page.plan_id)] == texts(page)
    page.undo_stack.redo()
    page.undo_stack.redo()
    assert [r.entry.text for r in stored(db_path, page.plan_id)][row + 1] == "Call the insurer"


def test_reorder_by_keys_and_by_drop_with_undo(qtbot: Any, page: PlanPage, db_path: Path) -> None:
    first = row_of(page, "Make this plan active and tell the team who does what")
    page.select_row(first)
    key(qtbot, page, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert texts(page)[first + 1] == "Make this plan active and tell the team who does what"
    assert page.view.currentIndex().row() == first + 1  # the selection follows the item
    key(qtbot, page, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert texts(page)[first] == "Make this plan active and tell the team who does what"
    # drag "Post a fuller update" onto the row of the first step: it lands before it
    post = row_of(page, "Post a fuller update, or say when one will come")
    data = page.model.mimeData([page.model.index(post, 0)])
    page.model.dropMimeData(data, Qt.DropAction.MoveAction, first, 0, QModelIndex())
    assert texts(page)[first] == "Post a fuller update, or say when one will come"
    assert [r.entry.text for r in stored(db_path, page.plan_id)] == texts(page)
    page.undo_stack.undo()
    assert texts(page) == [e.text for e in DEFAULT.entries]
    assert [r.entry.text for r in stored(db_path, page.plan_id)] == texts(page)


def test_indent_and_outdent(qtbot: Any, page: PlanPage, db_path: Path) -> None:
    row = row_of(page, "Save evidence: screenshots of the key posts with dates and links")
    page.select_row(row)
    key(qtbot, page, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert page.model.item_at(row).entry.level == 0
    assert stored(db_path, page.plan_id)[row].entry.level == 0
    page.undo_stack.undo()
    assert page.model.item_at(row).entry.level == 1
    section = row_of(page, "First hour")
    page.select_row(section)
    key(qtbot, page, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert page.undo_stack.count() == 1  # a section has no level to change


def test_tick_with_who_and_when_progress_in_the_status_bar(
    qtbot: Any, window: MainWindow, page: PlanPage, db_path: Path
) -> None:
    page.activate_action.trigger()
    label = window.plan.progress_label
    assert label.isVisible() and label.text() == "Active plan: 0/20 done"
    assert "Social media crisis plan" in label.toolTip()
    row = row_of(page, "Pause scheduled promotional posts, ads and newsletters")
    page.select_row(row)
    key(qtbot, page, Qt.Key.Key_Space)
    entry = page.model.item_at(row).entry
    assert entry.done and entry.done_by == "Ana"
    assert stored(db_path, page.plan_id)[row].entry.done_at == entry.done_at
    assert label.text() == "Active plan: 1/20 done"
    # a contact has no box: Space does nothing there
    page.select_row(1)
    key(qtbot, page, Qt.Key.Key_Space)
    assert label.text() == "Active plan: 1/20 done"
    page.undo_stack.undo()
    assert not page.model.item_at(row).entry.done
    assert label.text() == "Active plan: 0/20 done"
    page.undo_stack.undo()  # the incident start
    assert label.isHidden() and plans.active_plan(open_database(db_path)) is None


def test_the_box_ticks_with_the_mouse_model_path(page: PlanPage) -> None:
    row = row_of(page, "Gather the facts: what happened, when, who was involved, what is claimed")
    index = page.model.index(row, 0)
    assert page.model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert page.model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    page.select_row(row)
    page.reset_action.trigger()
    assert not page.model.item_at(row).entry.done
    assert page.undo_stack.count() == 2


def test_a_wrong_due_time_is_explained_and_changes_nothing(page: PlanPage, db_path: Path) -> None:
    row = row_of(page, "Save evidence: screenshots of the key posts with dates and links")
    before = stored(db_path, page.plan_id)
    assert not page.model.setData(page.model.index(row, 2), "tomorrow-ish")
    assert page.message.isVisible() and '"tomorrow-ish" is not understood' in page.message.text()
    assert page.undo_stack.count() == 0 and stored(db_path, page.plan_id) == before
    assert page.model.setData(page.model.index(row, 2), "+2 hours")
    assert page.model.item_at(row).entry.due == "+2 h" and page.message.isHidden()


def test_notes_are_saved_when_the_selection_moves(page: PlanPage, db_path: Path) -> None:
    row = row_of(page, "What went wrong, and why?")
    page.select_row(row)
    page.notes.setPlainText("The oven timer failed; nobody answered for 6 hours.")
    page.select_row(row - 1)
    assert stored(db_path, page.plan_id)[row].entry.notes.startswith("The oven timer")
    page.undo_stack.undo()
    assert stored(db_path, page.plan_id)[row].entry.notes == ""


def test_plans_new_duplicate_rename_delete_all_undoable(page: PlanPage, db_path: Path) -> None:
    first = page.plan_id
    page.select_row(row_of(page, "Pause scheduled promotional posts, ads and newsletters"))
    page.toggle_current_done()
    page.duplicate_plan()
    copy = page.plan_id
    assert copy != first and page.plan.name == "Social media crisis plan (copy)"
    assert texts(page) == [e.text for e in DEFAULT.entries]
    assert not any(r.entry.done for r in page.model.rows())  # a fresh copy
    page.rename_plan("Product recall")
    page.new_plan("Rude staff video")
    assert [p.name for p in page.plans] == [
        "Product recall", "Rude staff video", "Social media crisis plan"
    ]  # fmt: skip
    page.rename_plan("product recall")  # another plan's name, case ignored
    assert "already a plan" in page.message.text()
    page.delete_plan(confirm=False)
    assert [p.name for p in page.plans] == ["Product recall", "Social media crisis plan"]
    page.undo_stack.undo()  # the delete
    assert page.plan.name == "Rude staff video" and texts(page) == ["First hour"]
    for _ in range(4):
        page.undo_stack.undo()  # new, rename, duplicate, tick
    assert [p.name for p in page.plans] == ["Social media crisis plan"]
    assert page.plan_id == first and not any(r.entry.done for r in stored(db_path, first))


def test_everything_is_there_after_a_restart(
    qtbot: Any, window: MainWindow, page: PlanPage, db: Any, db_path: Path, storage: DictStorage
) -> None:
    page.new_plan("Product recall")
    page.add_section()
    page.model.setData(page.model.index(1, 0), "Stop sales")
    page.add_item()
    page.model.setData(page.model.index(2, 0), "Take the product off the shelves")
    page.model.setData(page.model.index(2, 1), "Sam")
    page.activate_action.trigger()
    page.toggle_current_done()
    expected = page.model.rows()
    window.close()
    again = open_window(qtbot, db, db_path, storage)
    restored = again.plan.page
    assert restored.plan.name == "Product recall" and restored.plan.active
    assert restored.model.rows() == expected
    assert again.plan.progress_label.text() == "Active plan: 1/1 done"
    assert restored.undo_stack.count() == 0


def test_export_import_and_print(qtbot: Any, window: MainWindow, page: PlanPage,
                                 tmp_path: Path) -> None:  # fmt: skip
    feature = window.plan
    for fmt in ("pdf", "html", "md", "json"):
        feature.export(fmt, tmp_path / f"plan.{fmt}")
    text = pypdf.PdfReader(io.BytesIO((tmp_path / "plan.pdf").read_bytes())).pages[0]
    assert "MAPLE STREET BAKERY" in " ".join(text.extract_text().split())
    assert plan_json.read_file(tmp_path / "plan.json").entries == DEFAULT.entries
    feature.import_file(plan_file(tmp_path / "recall.json"))
    assert page.plan.name == "Product recall" and len(texts(page)) == 9
    page.undo_stack.undo()
    assert [p.name for p in page.plans] == ["Social media crisis plan"]
    from PySide6.QtPrintSupport import QPrinter

    printer = feature.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert feature.paint(printer) >= 2
    reader = pypdf.PdfReader(str(tmp_path / "printed.pdf"))
    assert "Post-crisis review" in " ".join(
        " ".join(p.extract_text().split()) for p in reader.pages
    )


def test_the_file_menu_has_the_plan_entries(window: MainWindow) -> None:
    texts_ = [a.text().replace("&", "") for a in window.menus["File"].actions("export")]
    # the plan's entries, together and in this order (other features export too: the report)
    assert texts_[:6] == [
        "Export plan as PDF…", "Export plan as HTML…", "Export plan as Markdown…",
        "Export plan file (to share)…", "Import plan file…", "Print plan…",
    ]  # fmt: skip
    assert window.plan.print_action.shortcut().toString() == "Ctrl+P"


def test_keys_typed_in_the_notes_never_change_the_checklist(qtbot: Any, page: PlanPage) -> None:
    row = row_of(page, "Save evidence: screenshots of the key posts with dates and links")
    page.select_row(row)
    page.notes.setFocus()
    before = page.model.rows()
    for key_code in (Qt.Key.Key_Space, Qt.Key.Key_Delete, Qt.Key.Key_Insert):
        qtbot.keyClick(page.notes, key_code)
    assert page.model.rows() == before and page.undo_stack.count() == 0
    assert page.notes.toPlainText() == " "  # the space went into the notes


def test_a_write_that_cannot_land_is_said_and_the_page_shows_what_is_stored(
    qtbot: Any, db: Any, db_path: Path, storage: DictStorage
) -> None:
    page = PlanPage(db, SyncTaskRunner(db_path, busy_timeout_ms=50), Settings(storage))
    qtbot.addWidget(page)
    page.show_plan()
    row = row_of(page, "Save evidence: screenshots of the key posts with dates and links")
    page.select_row(row)
    page.model.setData(page.model.index(row, 1), "Sam")
    assert page.undo_stack.count() == 1
    blocker = open_database(db_path)
    blocker.execute("BEGIN IMMEDIATE")  # an import or a sync holds the write lock
    try:
        page.toggle_current_done()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert not page.message.isHidden() and "busy" in page.message.text()
    qtbot.waitUntil(lambda: page.undo_stack.count() == 0)  # no history the file no longer has
    assert not page.model.item_at(row).entry.done  # as stored: not ticked
    assert page.model.item_at(row).entry.owner == "Sam"  # the earlier edit stays
    page.toggle_current_done()  # once the lock is gone, it simply works
    assert stored(db_path, page.plan_id)[row].entry.done_by == "Ana"
