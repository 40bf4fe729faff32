"""Issue 15 (large text): the inbox list goes above the details when the page is too narrow for
both side by side, and the mention text gets its room before the other columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.ui.inbox.column_fit import READABLE_CHARS, TEXT_MIN_CHARS
from crisisdesk.ui.inbox.model import COLUMN_INDEX
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row

#: a 1440 x 900 screen at 200 % and at 150 %, less the window manager's title bar
AT_200 = (720, 420)
AT_150 = (960, 560)


def open_window(qtbot: Any, db: Any, db_path: Path, settings: Settings, size: tuple[int, int]):
    insert_mentions(db, [mention_row(priority=p, text="Where is my order " * 5) for p in range(8)])
    window = MainWindow(db, db_path, settings, SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window


def resize(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    for _ in range(3):  # the filters fold after the resize: their layout comes next
        QApplication.processEvents()


def visible_text_chars(window: MainWindow) -> float:
    """How many average characters of the Mention column are on screen (not scrolled off)."""
    table = window.inbox.table
    header = table.horizontalHeader()
    text = COLUMN_INDEX["text"]
    if header.isSectionHidden(text):
        return 0
    left = max(header.sectionViewportPosition(text), 0)
    right = min(left + header.sectionSize(text), table.viewport().width())
    return max(right - left, 0) / table.fontMetrics().averageCharWidth()


def drag_handle(qtbot: Any, splitter: Any, by: int) -> None:
    handle = splitter.handle(1)
    start = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(handle, start + QPoint(0, by))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=start + QPoint(0, by))
    QApplication.processEvents()


def stacked(window: MainWindow) -> bool:
    splitter = window.inbox.splitter
    return splitter.orientation() == Qt.Orientation.Vertical and window.inbox.stacking.stacked


@pytest.mark.parametrize("size", [AT_200, AT_150], ids=["200%", "150%"])
def test_large_text_in_a_small_window_stacks_and_shows_the_mention(
    qtbot: Any, db: Any, db_path: Path, large_font: None, size: tuple[int, int]
) -> None:
    window = open_window(qtbot, db, db_path, Settings(DictStorage()), size)
    assert stacked(window)
    assert visible_text_chars(window) >= READABLE_CHARS
    assert window.inbox.table.horizontalScrollBar().maximum() == 0  # nothing scrolled off
    # the list is above the details and the reply, each as wide as the page
    right = window.inbox.splitter.widget(1)
    assert right.geometry().top() > window.inbox.table.geometry().bottom()
    assert right.width() == window.inbox.table.width()
    if size == AT_150:  # room for the badges as well
        shown = window.inbox.table.horizontalHeader()
        assert not shown.isSectionHidden(COLUMN_INDEX["sentiment"])
        assert not shown.isSectionHidden(COLUMN_INDEX["priority"])


def test_the_default_font_at_1024_keeps_them_side_by_side(
    qtbot: Any, db: Any, db_path: Path
) -> None:
    window = open_window(qtbot, db, db_path, Settings(DictStorage()), (1024, 640))
    assert not stacked(window)
    assert window.inbox.splitter.orientation() == Qt.Orientation.Horizontal
    assert visible_text_chars(window) >= TEXT_MIN_CHARS


def test_resizing_back_and_forth_keeps_selection_focus_and_each_split(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    settings = Settings(DictStorage())
    window = open_window(qtbot, db, db_path, settings, (1400, 800))
    page = window.inbox
    assert not stacked(window)
    window.activateWindow()
    page.focus_list()
    page.move_selection(1)
    chosen = page.selected_ids()
    assert len(chosen) == 1 and QApplication.focusWidget() is page.table
    page.splitter.setSizes([900, 400])
    side = page.splitter.sizes()

    resize(window, AT_200)
    assert stacked(window)
    assert page.selected_ids() == chosen and QApplication.focusWidget() is page.table
    assert window.inbox_feature.detail.mention_id == chosen[0]
    drag_handle(qtbot, page.splitter, 30)  # the owner moves the handle down
    high = page.splitter.sizes()
    assert high[0] > high[1]

    resize(window, (1400, 800))
    assert not stacked(window)
    assert page.splitter.sizes() == side  # the side-by-side split came back
    assert page.selected_ids() == chosen and QApplication.focusWidget() is page.table
    resize(window, AT_200)
    assert page.splitter.sizes() == high  # and the stacked one

    window.close()  # both are remembered
    assert settings.get("inbox/splitter") and settings.get("inbox/splitter_stacked")
    again = open_window(qtbot, db, db_path, settings, AT_200)
    resize(again, AT_200)
    assert stacked(again) and again.inbox.splitter.sizes() == high


def test_the_badges_step_aside_for_the_text_but_not_when_the_owner_showed_them(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    window = open_window(qtbot, db, db_path, Settings(DictStorage()), AT_200)
    page = window.inbox
    header = page.table.horizontalHeader()
    assert {"priority", "sentiment"} <= set(page.auto_hidden_columns)
    assert not header.isSectionHidden(COLUMN_INDEX["time"])
    assert not header.isSectionHidden(COLUMN_INDEX["author"])
    page._set_column_shown(COLUMN_INDEX["sentiment"], True)  # the header menu's action
    resize(window, (AT_200[0] + 2, AT_200[1]))
    assert not header.isSectionHidden(COLUMN_INDEX["sentiment"])
    resize(window, (1400, 800))  # room again: all the key columns come back
    assert not {"priority", "sentiment"} & set(page.auto_hidden_columns)
    assert not header.isSectionHidden(COLUMN_INDEX["priority"])


def test_in_a_short_window_the_filter_choices_fold_behind_a_button(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    window = open_window(qtbot, db, db_path, Settings(DictStorage()), (1400, 800))
    bar = window.inbox.filter_bar
    assert not bar.compact and not bar.filters_button.isVisible()
    assert bar.sentiment.isVisible()
    resize(window, AT_200)
    assert bar.compact and bar.filters_button.isVisible() and not bar.sentiment.isVisible()
    assert not any(b.isVisible() for b in bar.view_buttons.buttons())  # in the View menu
    list_height = window.inbox.splitter.height()
    assert list_height > window.inbox.height() // 2  # the list, details and reply get the room
    bar.filters_button.setFocus()
    qtbot.keyClick(bar.filters_button, Qt.Key.Key_Space)  # keyboard only
    assert bar.sentiment.isVisible() and bar.filters_button.accessibleName() == "Hide the filters"
    # unfolded, the filters fit above the list (they overlapped it with the views unfolded too)
    QApplication.processEvents()
    top = window.inbox.table.mapTo(window, window.inbox.table.rect().topLeft()).y()
    assert bar.clear.mapTo(window, bar.clear.rect().bottomLeft()).y() < top
    bar.complaints.setChecked(True)  # a filter on, then folded: the button says so
    qtbot.keyClick(bar.filters_button, Qt.Key.Key_Space)
    assert not bar.sentiment.isVisible()
    assert bar.filters_button.text() == "Filters (1)"
    assert bar.filters_button.accessibleName() == "Show the filters, 1 on"
    resize(window, (1400, 800))
    assert not bar.compact and not bar.filters_button.isVisible() and bar.sentiment.isVisible()
    assert all(b.isVisible() for b in bar.view_buttons.buttons())
    bar.sentiment.setFocus()
    resize(window, AT_200)
    assert bar.compact and bar.sentiment.isVisible()  # the focused choice stays


def test_stacked_the_list_and_the_details_share_the_height_until_the_owner_moves_it(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    window = open_window(qtbot, db, db_path, Settings(DictStorage()), AT_200)
    resize(window, (AT_200[0], AT_200[1] + 40))
    sizes = window.inbox.splitter.sizes()
    assert stacked(window) and abs(sizes[0] - sizes[1]) <= 1
    resize(window, (1400, 800))  # beside, and back: still half each, of the new height
    resize(window, AT_200)
    sizes = window.inbox.splitter.sizes()
    assert stacked(window) and abs(sizes[0] - sizes[1]) <= 1
    drag_handle(qtbot, window.inbox.splitter, 30)
    moved = window.inbox.splitter.sizes()
    resize(window, (AT_200[0], AT_200[1] + 40))
    assert window.inbox.splitter.sizes()[0] >= moved[0]  # the owner's split is kept
