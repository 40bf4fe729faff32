"""Help → About shows the version, the database, and every bundled component's licence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from crisisdesk import __version__, notices
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.ui.about import AboutDialog
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner


def test_help_about_opens_the_dialog_with_version_data_and_licences(
    qtbot, db, db_path: Path
) -> None:
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog)
    assert dialog is not None and dialog.isVisible()
    title = dialog.findChild(QLabel, "aboutTitle")
    assert title.text() == f"crisisdesk {__version__}"
    assert any(str(db_path) in label.text() for label in dialog.findChildren(QLabel))
    table = dialog.components
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows == {c.name: c.licence for c in notices.load().components}
    # the complaint recogniser learned from a published data set: cited
    assert "Automatically Identifying Complaints in Social Media" in dialog.data_notes.text()
    dialog.reject()
    assert not dialog.isVisible()
