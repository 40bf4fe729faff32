"""File → Import: error dialog for unreadable files, cancel leaves the DB as it was, summary."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from crisisdesk.ui.dialogs.import_dialog import ImportSummaryDialog, import_files, run_import
from crisisdesk.ui.tasks import SyncTaskRunner, TaskContext, TaskRunner
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot, write_csv

HEADER = ["Text", "Author", "Created At", "Likes"]
GOOD_ROWS = [
    ["Loved the sourdough!", "ann", "2026-11-20 10:00", "3"],
    ["", "bob", "2026-11-20 10:05", "1"],  # line 3: empty text
    ["Cake never came", "cy", "not a date", "1"],  # line 4: bad date
    # line 5: a date without day, month and year (a count like "lots" alone is only a warning
    # since issue 8: the post is kept with 0 likes)
    ["Lots of likes", "dee", "Tuesday", "lots"],
    ["<b>bold</b> &amp; fine", "eve", "2026-11-20 11:00", "0"],
]


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def stored(db):
    insert_mentions(db, [mention_row(), mention_row(text="already here")])
    return db


def _snapshot(db):
    return [table_snapshot(db, t) for t in ("mentions", "events", "replies")]


def _boxes(parent, cls):
    return [w for w in parent.findChildren(cls) if w.isVisible()]


def test_malformed_file_shows_a_clear_error_and_changes_nothing(
    qtbot, parent, stored, db_path, tmp_path
):
    bad = tmp_path / "export.csv"
    bad.write_bytes(os.urandom(4096))
    before = _snapshot(stored)
    done = []

    run_import(parent, db_path, [bad], SyncTaskRunner(db_path), lambda: done.append(1))

    assert done == [1]
    boxes = _boxes(parent, QMessageBox)
    assert len(boxes) == 1
    box = boxes[0]
    assert box.icon() == QMessageBox.Icon.Warning  # a user error, not "something went wrong"
    assert "export.csv" in box.text()
    assert box.informativeText()  # what to do next
    assert not _boxes(parent, ImportSummaryDialog)
    assert _snapshot(stored) == before
    box.close()


def test_good_file_summary_lists_counts_mapping_and_skipped_rows(
    qtbot, parent, stored, db_path, tmp_path
):
    path = write_csv(tmp_path / "mentions.csv", HEADER, GOOD_ROWS)
    before = len(table_snapshot(stored))

    run_import(parent, db_path, [path], SyncTaskRunner(db_path), lambda: None)

    (dialog,) = _boxes(parent, ImportSummaryDialog)
    assert dialog.headline.text().startswith("2 new mentions imported from 1 file")
    assert "3 rows skipped" in dialog.headline.text()
    files_text = dialog.files_view.toPlainText()
    assert "mentions.csv: 2 imported" in files_text
    assert '"Created At" → date' in files_text  # which column became which
    items = [dialog.problems_list.item(i).text() for i in range(dialog.problems_list.count())]
    assert [i.split(":")[0] for i in items] == ["Line 3", "Line 4", "Line 5"]
    assert "empty" in items[0] and "date" in items[1] and "Tuesday" in items[2]
    assert dialog.problems_label.text() == "Skipped rows (3):"
    assert len(table_snapshot(stored)) == before + 2
    texts = {r[0] for r in stored.execute("SELECT text FROM mentions")}
    assert "<b>bold</b> & fine" not in texts and "bold & fine" in texts
    assert "Line 4" in dialog.report_text()
    dialog.close()


def test_reimport_counts_duplicates_and_adds_nothing(qtbot, parent, stored, db_path, tmp_path):
    path = write_csv(tmp_path / "mentions.csv", HEADER, GOOD_ROWS)
    run_import(parent, db_path, [path], SyncTaskRunner(db_path), lambda: None)
    for d in _boxes(parent, ImportSummaryDialog):
        d.close()
    before = _snapshot(stored)

    run_import(parent, db_path, [path], SyncTaskRunner(db_path), lambda: None)

    (dialog,) = _boxes(parent, ImportSummaryDialog)
    assert dialog.headline.text().startswith("0 new mentions imported")
    assert "2 were already stored" in dialog.headline.text()
    assert _snapshot(stored) == before
    dialog.close()


def test_several_files_one_unreadable_summary_shows_both(qtbot, parent, stored, db_path, tmp_path):
    good = write_csv(tmp_path / "good.csv", HEADER, GOOD_ROWS[:1])
    empty = tmp_path / "empty.json"
    empty.write_text("")

    run_import(parent, db_path, [good, empty], SyncTaskRunner(db_path), lambda: None)

    (dialog,) = _boxes(parent, ImportSummaryDialog)
    text = dialog.files_view.toPlainText()
    assert "good.csv: 1 imported" in text
    assert "empty.json: could not be imported. Nothing from it was stored." in text
    assert "1 file not imported" in dialog.headline.text()
    assert not dialog.problems_list.isVisibleTo(dialog)
    dialog.close()


def _many_rows(n):
    return [
        [f"Order {i} never arrived, still waiting for my refund #{i}", f"u{i}", "2026-11-20", "1"]
        for i in range(n)
    ]


def test_cancel_button_while_importing_stores_nothing(qtbot, parent, stored, db_path, tmp_path):
    """A real thread pool; the window keeps processing events while the worker imports.

    Cancel is pressed as soon as the worker reports it started the file; the file is large
    enough (6000 rows, about a second of scoring) that the worker is still inside its
    transaction then, and the importer checks for cancel after every batch and before commit.
    """
    path = write_csv(tmp_path / "big.csv", HEADER, _many_rows(6000))
    before = _snapshot(stored)
    pool = QThreadPool()
    runner = TaskRunner(db_path, pool=pool)
    done = []
    try:
        run_import(parent, db_path, [path], runner, lambda: done.append(1), workers=0)
        (progress,) = parent.findChildren(QProgressDialog)
        qtbot.waitUntil(lambda: "(1 of 1)" in progress.labelText(), timeout=10_000)
        assert runner.active_count == 1 and done == []
        with qtbot.waitSignal(runner.taskFinished, timeout=30_000):
            progress.findChild(QPushButton).click()
    finally:
        pool.waitForDone(30_000)

    assert done == [1]
    assert _snapshot(stored) == before
    (dialog,) = _boxes(parent, ImportSummaryDialog)
    assert dialog.windowTitle() == "Import cancelled"
    assert "big.csv: cancelled. Nothing from this file was stored." in (
        dialog.files_view.toPlainText()
    )
    dialog.close()


def test_worker_cancelled_mid_file_rolls_back_and_skips_later_files(stored, db_path, tmp_path):
    """The worker half on its own, cancelled from inside the first file's progress."""
    first = write_csv(tmp_path / "first.csv", HEADER, _many_rows(3000))
    second = write_csv(tmp_path / "second.csv", HEADER, _many_rows(10))
    before = _snapshot(stored)
    cancel = threading.Event()
    seen = []

    def report(done, total, text):
        seen.append((done, total, text))
        if total and done > 0:  # mid-file, or at the latest at its end, before commit
            cancel.set()

    published = []
    ctx = TaskContext(db_path, cancel, report, published.append)
    outcomes = import_files(ctx, db_path, [first, second], workers=0)
    assert published == outcomes  # each one handed to the GUI thread as it ended

    assert [o.path.name for o in outcomes] == ["first.csv", "second.csv"]
    assert outcomes[0].cancelled and outcomes[1].not_started
    assert seen[0] == (0, 0, "Importing first.csv (1 of 2)…")
    assert _snapshot(stored) == before


def test_database_the_worker_cannot_open_is_reported(qtbot, parent, stored, db_path, tmp_path):
    path = write_csv(tmp_path / "m.csv", HEADER, GOOD_ROWS[:1])
    before = _snapshot(stored)
    done = []
    folder = tmp_path / "not-a-db"
    folder.mkdir()

    run_import(parent, folder, [path], SyncTaskRunner(folder), lambda: done.append(1))

    assert done == [1]
    (box,) = _boxes(parent, QMessageBox)
    assert "folder" in box.text()
    assert _snapshot(stored) == before
    box.close()


def test_file_import_through_the_main_window(qtbot, stored, db_path, tmp_path):
    from crisisdesk.settings import DictStorage, Settings
    from crisisdesk.ui.main_window import MainWindow

    window = MainWindow(stored, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    window.show()
    rows_before = window.inbox.model.rowCount()
    before = _snapshot(stored)
    bad = tmp_path / "bad.json"
    bad.write_text('[{"text": "unterminated', encoding="utf-8")

    window.import_files([bad])

    (box,) = _boxes(window, QMessageBox)
    assert "bad.json" in box.text()
    assert _snapshot(stored) == before
    box.close()

    window.import_files([write_csv(tmp_path / "good.csv", HEADER, GOOD_ROWS)])

    (dialog,) = _boxes(window, ImportSummaryDialog)
    assert dialog.problems_list.count() == 3
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == rows_before + 2)
    dialog.close()
