"""The main window on a real temp database: menus, filters, counts, keys, settings, first start."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QWidget

from crisisdesk import app as app_mod
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.timeutil import to_iso
from crisisdesk.ui.geometry import fit_to_screen
from crisisdesk.ui.inbox.model import COLUMN_INDEX
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def ago(**delta: float) -> str:
    return to_iso(NOW - timedelta(**delta))


def sample_rows() -> list[dict]:
    return [
        mention_row(
            text="Where is my refund? Ordered a cake, never came",
            label="negative", complaint=True, priority=95, created_at=ago(hours=3),
            source="mastodon",
        ),
        mention_row(
            text="Refund took two weeks but it came",
            label="neutral", priority=40, status="open", created_at=ago(hours=1),
            source="reddit",
        ),
        mention_row(
            text="Best sourdough in town", label="positive", priority=20, status="replied",
            created_at=ago(days=2), source="bluesky",
        ),
        mention_row(
            text="Rude staff again, awful", label="negative", complaint=True, priority=80,
            status="resolved", created_at=ago(minutes=30), source="reddit",
        ),
    ]  # fmt: skip


def open_window(qtbot, db, db_path: Path, settings: Settings | None = None) -> MainWindow:
    window = MainWindow(
        db, db_path, settings or Settings(DictStorage()), SyncTaskRunner(db_path), now=lambda: NOW
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def shown(window: MainWindow) -> list[str]:
    model = window.inbox.model
    return [model.mention_at(r).text for r in range(model.rowCount())]


@pytest.fixture
def window(qtbot, db, db_path: Path) -> MainWindow:
    insert_mentions(db, sample_rows())
    return open_window(qtbot, db, db_path)


def test_window_opens_on_the_inbox_with_the_first_page(window: MainWindow) -> None:
    assert not window.showing_welcome
    assert window.current_page() == "inbox"
    assert window.nav.item(0).text() == "Inbox"
    assert window.nav.count() == window.pages.count()  # an entry only for a real page
    assert shown(window)[0].startswith("Where is my refund")  # highest priority first
    header = window.inbox.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMN_INDEX["priority"]
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_menus_have_the_standard_shortcuts(window: MainWindow) -> None:
    def keys(action) -> set[str]:
        return {k.toString() for k in action.shortcuts()}

    assert "Ctrl+O" in keys(window.import_action)
    assert "Ctrl+Q" in keys(window.quit_action)
    assert "Ctrl+Z" in keys(window.undo_action)
    assert "Ctrl+Shift+Z" in keys(window.redo_action)
    assert {"Ctrl+F", "/"} <= keys(window.inbox_feature.find_action)
    assert "F5" in keys(window.refresh_action)
    titles = [a.text() for a in window.menuBar().actions()]
    assert [t for t in titles if t != "&Mention"] == ["&File", "&Edit", "&View", "&Help"]
    view_titles = [a.text() for a in window.view_menu.actions() if a.text()]
    assert view_titles[:4] == ["Needs reply", "Complaints", "Today", "All"]
    rows = dict((what, k) for k, what in window.shortcut_rows())
    assert rows["Import"] == QKeySequence("Ctrl+O").toString(QKeySequence.SequenceFormat.NativeText)


def test_mention_actions_get_a_menu_and_toolbar(window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    action = QAction("Mark resolved", window)
    action.setShortcut(QKeySequence("R"))
    window.add_mention_actions([action])
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Mention", "&View", "&Help"]
    assert window.mention_menu is not None and action in window.mention_menu.actions()
    assert window.mention_toolbar is not None and action in window.mention_toolbar.actions()
    assert ("R", "Mark resolved") in window.shortcut_rows()


def test_filtering_through_the_window(window: MainWindow, qtbot) -> None:
    bar = window.inbox.filter_bar
    bar.search.setText("refund")
    with qtbot.waitSignal(window.inbox.loaded, timeout=2000):
        pass  # the debounce timer fires and the list reloads
    assert sorted(shown(window)) == [
        "Refund took two weeks but it came",
        "Where is my refund? Ordered a cake, never came",
    ]
    bar.sentiment.setCurrentIndex(bar.sentiment.findData("negative"))
    assert shown(window) == ["Where is my refund? Ordered a cake, never came"]
    bar.apply_view("all")
    assert len(shown(window)) == 4
    bar.complaints.click()
    assert sorted(shown(window)) == ["Rude staff again, awful",
                                     "Where is my refund? Ordered a cake, never came"]  # fmt: skip
    bar.apply_view("all")
    bar.status.setCurrentIndex(bar.status.findData("resolved"))
    assert shown(window) == ["Rude staff again, awful"]
    bar.apply_view("all")
    qtbot.waitUntil(lambda: bar.platform.findData("reddit") >= 0)
    bar.platform.setCurrentIndex(bar.platform.findData("reddit"))
    assert sorted(shown(window)) == ["Refund took two weeks but it came", "Rude staff again, awful"]


def test_saved_views_from_the_view_menu(window: MainWindow) -> None:
    window.inbox_feature.view_actions["needs_reply"].trigger()
    assert shown(window) == [
        "Where is my refund? Ordered a cake, never came",
        "Refund took two weeks but it came",
    ]
    assert window.inbox_feature.view_actions["needs_reply"].isChecked()
    window.inbox_feature.view_actions["complaints"].trigger()
    assert set(shown(window)) == {
        "Where is my refund? Ordered a cake, never came",
        "Rude staff again, awful",
    }
    window.inbox_feature.view_actions["today"].trigger()
    today = NOW.astimezone().date()
    expected = {
        r["text"]
        for r in sample_rows()
        if datetime.fromisoformat(r["created_at"].replace("Z", "+00:00")).astimezone().date()
        == today
    }
    assert set(shown(window)) == expected
    window.inbox_feature.view_actions["all"].trigger()
    assert len(shown(window)) == 4
    # a hand-made filter unchecks the views in the menu too
    bar = window.inbox.filter_bar
    bar.sentiment.setCurrentIndex(bar.sentiment.findData("positive"))
    assert not any(a.isChecked() for a in window.inbox_feature.view_actions.values())


def test_a_malformed_search_shows_inline_and_keeps_results(window: MainWindow, qtbot) -> None:
    before = shown(window)
    bar = window.inbox.filter_bar
    with qtbot.assertNotEmitted(window.inbox.loaded):
        bar.search.setText('refund "never')
        qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert bar.search_error.isVisible()
    assert "quote" in bar.search_error.text()
    assert shown(window) == before
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_status_bar_counts(window: MainWindow) -> None:
    assert window.inbox_feature.counts.new_label.text() == "1 new"
    assert window.inbox_feature.counts.complaints_label.text() == "1 complaint waiting"
    assert window.inbox_feature.counts.oldest_label.text() == "oldest waiting 3 h"


def test_counts_follow_triage_changes(window: MainWindow, db, qtbot) -> None:
    from crisisdesk.store import mentions

    first = window.inbox.model.mention_at(0)
    mentions.set_status(db, [first.id], "replied")
    with qtbot.waitSignal(window.summaryUpdated):
        window.inbox_feature.on_mentions_changed([first.id])
    assert window.inbox.model.index(0, COLUMN_INDEX["status"]).data() == "Replied"
    assert window.inbox_feature.counts.new_label.text() == "0 new"
    assert window.inbox_feature.counts.complaints_label.text() == "0 complaints waiting"
    assert window.inbox_feature.counts.oldest_label.text() == "oldest waiting 1 h"


def test_every_header_sorts_and_time_starts_newest_first(window: MainWindow, qtbot) -> None:
    """Issue 9.17: Author, Mention and Status sort too; the first click on Time is newest."""
    window.resize(1600, 800)  # every column on screen
    table = window.inbox.table
    header = table.horizontalHeader()
    model = window.inbox.model

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click(COLUMN_INDEX["time"])
    assert model.sort_key == "newest"
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    times = [model.mention_at(r).created_at for r in range(model.rowCount())]
    assert times == sorted(times, reverse=True)
    for key, store_key in (("author", "author"), ("text", "text"), ("status", "status")):
        click(COLUMN_INDEX[key])
        assert model.sort_key == store_key
        assert header.sortIndicatorSection() == COLUMN_INDEX[key]
    statuses = [model.mention_at(r).status for r in range(model.rowCount())]
    order = ["new", "open", "replied", "offline", "resolved", "archived"]
    assert statuses == sorted(statuses, key=order.index)
    click(COLUMN_INDEX["text"])
    texts = [model.mention_at(r).text.casefold() for r in range(model.rowCount())]
    assert texts == sorted(texts)


def test_keyboard_slash_focuses_search_and_j_k_move(window: MainWindow, qtbot) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    table = window.inbox.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert window.inbox.selected_ids() == [window.inbox.model.mention_at(0).id]
    qtbot.keyClick(table, Qt.Key.Key_J)
    qtbot.keyClick(table, Qt.Key.Key_J)
    assert window.inbox.selected_ids() == [window.inbox.model.mention_at(2).id]
    with qtbot.waitSignal(window.inbox.selectionChanged) as selected:
        qtbot.keyClick(table, Qt.Key.Key_K)
    assert selected.args[0] == [window.inbox.model.mention_at(1).id]
    qtbot.keyClick(table, Qt.Key.Key_Slash)
    qtbot.waitUntil(window.inbox.filter_bar.search.hasFocus)
    qtbot.keyClicks(window.inbox.filter_bar.search, "a/b")
    assert window.inbox.filter_bar.search.text() == "a/b"  # "/" types inside the box
    qtbot.keyClick(window.inbox.filter_bar.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(table.hasFocus)


def test_html_injection_shows_literally_in_the_table(qtbot, db, db_path: Path) -> None:
    payload = "<script>alert('x')</script><b>FREE</b> &amp;"
    insert_mentions(db, [mention_row(text=payload, author_name="<u>Mallory</u>")])
    window = open_window(qtbot, db, db_path)
    model = window.inbox.model
    assert model.index(0, COLUMN_INDEX["text"]).data() == payload
    assert model.index(0, COLUMN_INDEX["author"]).data().startswith("<u>Mallory</u>")


def test_refresh_keeps_the_selection(window: MainWindow, db, qtbot) -> None:
    second = window.inbox.model.mention_at(1).id
    window.inbox.select_ids([second])
    insert_mentions(db, [mention_row(text="a new top complaint", priority=99)])
    window.refresh_action.trigger()
    assert shown(window)[0] == "a new top complaint"
    assert window.inbox.selected_ids() == [second]


def test_settings_survive_close_and_reopen(qtbot, db, db_path: Path, tmp_path: Path) -> None:
    insert_mentions(db, sample_rows())
    ini = tmp_path / "conf" / "settings.ini"
    first = open_window(qtbot, db, db_path, app_mod.ini_settings(ini))
    first.resize(1000, 530)
    size = (first.width(), first.height())
    assert size == (1000, 530)
    first.inbox.filter_bar.apply_view("complaints")
    first.inbox.model.sort(COLUMN_INDEX["time"], Qt.SortOrder.AscendingOrder)
    header = first.inbox.table.horizontalHeader()
    header.resizeSection(COLUMN_INDEX["author"], 211)
    header.setSectionHidden(COLUMN_INDEX["platform"], True)
    if first.inbox.splitter.count() < 2:  # the detail pane, when not wired in yet
        first.inbox.set_detail_widget(QWidget())
    first.inbox.splitter.setSizes([500, 300])
    sizes = first.inbox.splitter.sizes()
    first.close()
    assert ini.exists()

    second = open_window(qtbot, db, db_path, app_mod.ini_settings(ini))
    assert second.height() == size[1]
    # Qt keeps a restored window on screen: the offscreen test screen may be narrower
    screen_width = second.screen().availableGeometry().width()
    assert second.width() == size[0] or size[0] > screen_width >= second.width() >= screen_width - 8
    assert second.inbox.filter_bar.current_view() == "complaints"
    assert second.inbox_feature.view_actions["complaints"].isChecked()
    assert second.inbox.model.sort_key == "oldest"
    assert shown(second) == ["Where is my refund? Ordered a cake, never came",
                             "Rude staff again, awful"]  # fmt: skip
    header = second.inbox.table.horizontalHeader()
    assert header.sectionSize(COLUMN_INDEX["author"]) == 211
    assert header.isSectionHidden(COLUMN_INDEX["platform"])
    assert header.sortIndicatorSection() == COLUMN_INDEX["time"]
    if second.inbox.splitter.count() < 2:
        second.inbox.set_detail_widget(QWidget())
    if second.inbox.stacking.stacked:
        # a narrow test screen: the list went above the details, so the side-by-side split
        # waits for a wider window; back beside them, the list keeps its larger share
        second.inbox.stacking.set_stacked(False)
        restored = second.inbox.splitter.sizes()
        assert restored[0] > restored[1] and restored[1] == sizes[1]
        return
    restored = second.inbox.splitter.sizes()
    # the same split (the window may be narrower on a small test screen)
    assert restored[0] / sum(restored) == pytest.approx(sizes[0] / sum(sizes), abs=0.02)


def test_shortcuts_dialog_remembers_its_size(window: MainWindow, qtbot) -> None:
    from crisisdesk.ui.shortcuts_dialog import ShortcutsDialog

    dialog = ShortcutsDialog(window._settings, window.shortcut_rows(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(520, 333)
    dialog.reject()
    again = ShortcutsDialog(window._settings, window.shortcut_rows(), window)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (520, 333)
    assert again.table.rowCount() == len(window.shortcut_rows())


# --- first start ------------------------------------------------------------------------------


def test_empty_database_offers_demo_and_import(qtbot, db, db_path: Path) -> None:
    window = open_window(qtbot, db, db_path)
    assert window.showing_welcome
    assert window.welcome.demo_button.isVisible() and window.welcome.import_button.isVisible()
    assert window.inbox_feature.counts.new_label.text() == "0 new"
    assert window.inbox_feature.counts.oldest_label.text() == "nothing waiting"


def test_welcome_panel_leads_to_the_accounts_page(qtbot, db, db_path: Path) -> None:
    window = open_window(qtbot, db, db_path)
    assert window.welcome.account_button.isVisible()
    qtbot.mouseClick(window.welcome.account_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "accounts"
    assert not window.showing_welcome


def test_welcome_panel_explains_the_areas_and_opens_the_default_plan(
    qtbot, db, db_path: Path
) -> None:
    from crisisdesk.ui.welcome import AREAS

    window = open_window(qtbot, db, db_path)
    shown = " ".join(label.text() for label in window.welcome.findChildren(QLabel))
    for area, purpose in AREAS:
        assert area in shown and purpose in shown
    qtbot.mouseClick(window.welcome.plan_button, Qt.MouseButton.LeftButton)
    assert window.current_page() == "plan"
    assert not window.showing_welcome
    # the plan page starts the owner off with the shipped default plan
    chooser = window.findChild(QWidget, "planPage").plan_combo
    qtbot.waitUntil(lambda: chooser.count() > 0)
    assert "crisis plan" in chooser.currentText().lower()


def test_stale_priorities_are_refreshed_after_the_first_page(qtbot, db, db_path: Path) -> None:
    """A complaint stored long ago with its import-time priority gets its waiting points."""
    (stale_id,) = insert_mentions(
        db,
        [
            mention_row(
                text="Still no refund", complaint=True, cues=["refund"], sentiment=-0.4,
                label="negative", priority=1, created_at=ago(hours=40),
            )
        ],
    )  # fmt: skip
    window = open_window(qtbot, db, db_path)
    model = window.inbox.model
    stored = db.execute("SELECT priority FROM mentions WHERE id = ?", [stale_id]).fetchone()[0]
    assert stored > 30  # a complaint (30 points) waiting 40 h: refreshed from its stale 1
    assert model.mention_at(model.row_of(stale_id)).priority == stored
    assert window.inbox_feature.priorities.timer.isActive()


def test_load_demo_from_the_welcome_panel(qtbot, db, db_path: Path) -> None:
    window = open_window(qtbot, db, db_path)
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert not window.showing_welcome
    assert window.inbox.model.rowCount() == 200  # first page of the 3,000 demo mentions
    count = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
    assert count == 3000
    new = window.inbox_feature.counts.new_label.text()
    assert new.endswith(" new") and new != "0 new"
    assert "3,000" in window.statusBar().currentMessage()


# --- opening the database ---------------------------------------------------------------------


def _answer_database_dialog(qtbot, button_text: str, choose: Path | None = None) -> list[str]:
    """Click *button_text* in the database problem box (and pick *choose* in the file dialog)."""
    seen: list[str] = []

    def on_box() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        seen.append(box.text())
        seen.append(box.informativeText())
        if choose is not None:
            QTimer.singleShot(0, on_file_dialog)
        button = next(b for b in box.buttons() if b.text() == button_text)
        button.click()

    def on_file_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog), dialog
        dialog.selectFile(str(choose))
        dialog.accept()

    QTimer.singleShot(0, on_box)
    return seen


def test_a_file_that_is_not_a_database_explains_and_can_quit(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("these are my notes, not a database\n")
    seen = _answer_database_dialog(qtbot, "Quit")
    assert app_mod.open_interactively(bad) is None
    assert "not a crisisdesk database" in seen[0]
    assert "Nothing was changed" in seen[1] and "choose another" in seen[1]
    assert bad.read_text() == "these are my notes, not a database\n"


def test_a_bad_file_lets_the_user_pick_another(qtbot, tmp_path: Path, db_path: Path, db) -> None:
    insert_mentions(db, [mention_row(text="kept")])
    before = table_snapshot(db)
    bad = tmp_path / "broken.sqlite3"
    bad.write_bytes(b"\x00garbage" * 100)
    _answer_database_dialog(qtbot, "Choose another file…", choose=db_path)
    opened = app_mod.open_interactively(bad)
    assert opened is not None
    other, path = opened
    try:
        assert path == db_path
        assert table_snapshot(other) == before
    finally:
        other.close()
    assert bad.read_bytes() == b"\x00garbage" * 100


def test_run_gui_quits_cleanly_on_a_bad_file(qtbot, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    monkeypatch.setattr(QApplication.instance(), "setStyleSheet", lambda _s: None)
    bad = tmp_path / "image.sqlite3"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    _answer_database_dialog(qtbot, "Quit")
    assert app_mod.run_gui(bad) == 2


def test_start_gui_opens_the_window_and_remembers_settings(
    qtbot, db_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(QApplication.instance(), "setStyleSheet", lambda _s: None)
    started = app_mod.start_gui(db_path)
    assert started is not None
    _app, window, db = started
    qtbot.addWidget(window)
    try:
        assert window.isVisible() and window.showing_welcome  # a new, empty database
        window.close()
    finally:
        db.close()
    from crisisdesk import paths

    ini = paths.config_dir() / app_mod.SETTINGS_FILE
    assert ini.exists() and "geometry" in ini.read_text()


def test_qt_bindings_keep_none_alive(qapp) -> None:
    """PySide6 6.12.0 dropped a reference to None on every void call; on Python 3.11 the app
    then aborts ("none_dealloc") after some thousands of clicks and repaints."""
    from PySide6.QtWidgets import QCheckBox

    box = QCheckBox()
    before = sys.getrefcount(None)
    for _ in range(500):
        box.toggle()  # a void C++ call
    assert sys.getrefcount(None) >= before - 5


def test_the_window_never_opens_larger_than_the_screen(qtbot, db, db_path: Path) -> None:
    insert_mentions(db, sample_rows())
    window = open_window(qtbot, db, db_path)
    room = window.screen().availableGeometry()
    assert window.width() <= max(room.width(), window.minimumWidth())
    assert window.height() <= max(room.height(), window.minimumHeight())
    # a geometry remembered from a bigger monitor is fitted too
    window.resize(room.width() + 600, room.height() + 400)
    fit_to_screen(window)
    assert window.width() <= max(room.width(), window.minimumWidth())
    assert window.height() <= max(room.height(), window.minimumHeight())
