"""Issue 9.15 (the window's part): a column-mapping step for headers crisisdesk does not
recognise, remembered per set of column names."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget

from crisisdesk.services.importing import import_file
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import mentions
from crisisdesk.ui.dialogs.column_mapping import ColumnMappingDialog, header_id
from crisisdesk.ui.dialogs.import_dialog import ImportSummaryDialog, run_import
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.gui.test_keyboard_triage import when_modal
from tests.helpers.builders import write_csv

GERMAN = ["Nachricht", "Benutzer", "Datum", "Gefällt mir"]
ROWS = [
    ["Die Torte kam nie an", "anna", "2026-11-20 09:00", "3"],
    ["Sehr lecker", "ben", "2026-11-20 10:00", "1"],
]


def test_services_take_a_column_mapping(db, tmp_path):
    path = write_csv(tmp_path / "de.csv", GERMAN, ROWS)
    report = import_file(
        db, path, workers=0, columns={"text": "Nachricht", "author_handle": "Benutzer",
                                      "created_at": "Datum", "likes": "Gefällt mir"},
    )  # fmt: skip
    assert report.imported == 2 and report.columns["text"] == "Nachricht"
    stored = sorted((m.text, m.author_handle, m.likes) for m in mentions.query(db, limit=10))
    assert stored == [("Die Torte kam nie an", "anna", 3), ("Sehr lecker", "ben", 1)]


def test_unknown_headers_ask_which_column_is_which_and_it_is_remembered(
    qtbot, db, db_path, tmp_path
):
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    settings = Settings(DictStorage())
    first = write_csv(tmp_path / "januar.csv", GERMAN, ROWS)
    seen: list[ColumnMappingDialog] = []

    def choose(dialog: ColumnMappingDialog) -> None:
        seen.append(dialog)
        assert not dialog.ok_button.isEnabled()  # the text column is needed
        assert dialog.combos["text"].accessibleName() == "Text (needed)"
        for field, column in (("text", "Nachricht"), ("author_handle", "Benutzer"),
                              ("created_at", "Datum"), ("likes", "Gefällt mir")):  # fmt: skip
            dialog.combos[field].setCurrentIndex(dialog.combos[field].findData(column))
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()

    when_modal(ColumnMappingDialog, choose)
    run_import(parent, db_path, [first], SyncTaskRunner(db_path), lambda: None, settings=settings)
    assert len(seen) == 1
    assert settings.get(f"import/columns/{header_id(GERMAN)}")
    assert sorted(m.text for m in mentions.query(db, limit=10)) == [
        "Die Torte kam nie an",
        "Sehr lecker",
    ]
    for dialog in parent.findChildren(ImportSummaryDialog):
        dialog.close()

    # next month's export, same columns in another order: no question, same mapping
    second = write_csv(
        tmp_path / "februar.csv",
        list(reversed(GERMAN)),
        [list(reversed(["Neue Beschwerde", "cara", "2026-12-01 09:00", "7"]))],
    )
    run_import(parent, db_path, [second], SyncTaskRunner(db_path), lambda: None, settings=settings)
    QApplication.processEvents()
    assert len(seen) == 1
    found = [m for m in mentions.query(db, limit=10) if m.text == "Neue Beschwerde"]
    assert found and found[0].author_handle == "cara" and found[0].likes == 7
