"""Issue 15.8: with a 14 pt font at 200% (a 1440 px screen is 720 px of layout) the window fits
the screen; the filter row and the Accounts buttons wrap instead of widening the window."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.ui.flow_layout import FlowLayout
from crisisdesk.ui.geometry import fit_to_screen
from crisisdesk.ui.inbox.filter_bar import SEARCH_MIN_CHARS
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row

#: a 1440 x 900 screen at 200 %: what the layout gets, in device-independent pixels
ROOM_AT_200 = (720, 450)
#: what a window manager's title bar takes of that (openbox: 20 px at 200 %)
TITLE_BAR = 30


def test_the_window_fits_720_px_with_a_14pt_font(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    insert_mentions(db, [mention_row(priority=90, complaint=True, label="negative")])
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    room = ROOM_AT_200[0] - window.nav.width()
    for page in ("inbox", "accounts", "charts"):
        assert window.pages.widget(window._page_keys.index(page)).minimumSizeHint().width() <= room
    assert window.minimumSizeHint().width() <= ROOM_AT_200[0]  # the welcome panel and Plan too
    assert window.minimumSizeHint().height() <= ROOM_AT_200[1] - TITLE_BAR
    assert window.inbox.filter_bar.minimumSizeHint().width() <= 520
    assert window.accounts_page.minimumSizeHint().width() <= 400


def test_a_flow_row_wraps_to_the_width_it_is_given(qtbot: Any) -> None:
    from PySide6.QtWidgets import QPushButton

    box = QWidget()
    qtbot.addWidget(box)
    flow = FlowLayout(box)
    buttons = [QPushButton(f"Button number {n}") for n in range(6)]
    for button in buttons:
        flow.addWidget(button)
    widest = max(b.sizeHint().width() for b in buttons)
    assert flow.minimumSize().width() == widest
    one_row = flow.heightForWidth(flow.sizeHint().width())
    assert flow.heightForWidth(widest + 10) > 3 * one_row  # one per row, nearly
    flow.setGeometry(QRect(0, 0, widest + 10, 400))
    assert len({b.geometry().y() for b in buttons}) == 6


def test_fitting_counts_the_frame(qtbot: Any, db: Any, db_path: Path) -> None:
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    window.resize(room.width() + 600, room.height() + 400)
    fit_to_screen(window)
    frame = window.frameGeometry()
    assert frame.width() <= max(room.width(), window.minimumSizeHint().width() + 50)
    assert window.height() < room.height() or window.minimumSizeHint().height() >= room.height()


def test_the_navigation_grows_with_the_font(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    """Issue 15.11: icons stayed 18 px and "Accounts" was cut at 14 pt."""
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    metrics = window.nav.fontMetrics()
    assert window.nav.iconSize().height() >= metrics.height()
    assert (
        window.nav.width() >= metrics.horizontalAdvance("Accounts") + window.nav.iconSize().width()
    )


def _overlapping(widgets: list[QWidget]) -> list[tuple[str, str]]:
    return [
        (a.objectName() or type(a).__name__, b.objectName() or type(b).__name__)
        for a, b in itertools.combinations(widgets, 2)
        if a.geometry().intersects(b.geometry())
    ]


def test_at_200_percent_with_14pt_the_inbox_fits_and_the_search_keeps_its_room(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    """Issue 15.8: at 200 % on a 1440 x 900 screen the window was 466 px tall where 450 are
    (the hidden welcome panel set its minimum), the search box was squeezed to "S…", and a
    third row of views overlapped the filters."""
    insert_mentions(db, [mention_row(priority=90, complaint=True, label="negative")])
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    width, height = ROOM_AT_200[0], ROOM_AT_200[1] - TITLE_BAR
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    assert window.height() <= height  # the layout did not push it past the screen
    bar = window.inbox.filter_bar
    metrics = bar.search.fontMetrics()
    room = SEARCH_MIN_CHARS * metrics.averageCharWidth() + 2 * metrics.height()
    assert bar.search.width() >= room
    shown = [w for w in bar.findChildren(QWidget) if w.parent() is bar and w.isVisible()]
    assert _overlapping(shown) == []
    page = window.inbox
    assert bar.geometry().bottom() < page.splitter.geometry().top()
    assert page.splitter.height() >= 4 * page.table.verticalHeader().defaultSectionSize()
    status = window.statusBar()
    assert status.isVisible() and status.geometry().bottom() < window.height()
    for key in window._page_keys:  # every page fits too (a page sets the minimum when shown)
        window.show_page(key)
        assert window.minimumSizeHint().height() <= height, key
        assert window.minimumSizeHint().width() <= width, key


def test_the_welcome_panel_scrolls_instead_of_making_the_window_taller(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    assert window.showing_welcome
    assert window.minimumSizeHint().height() <= ROOM_AT_200[1] - TITLE_BAR
    window.resize(ROOM_AT_200[0], ROOM_AT_200[1] - TITLE_BAR)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    welcome = window.welcome
    welcome.account_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(welcome.account_button, Qt.Key.Key_Tab)
    assert welcome.plan_button.hasFocus()
    # the last button is scrolled into view when the keyboard reaches it
    corner = welcome.plan_button.mapTo(window, welcome.plan_button.rect().bottomLeft())
    assert window.rect().contains(corner)


def test_a_flow_row_gives_what_is_left_to_an_item_that_expands(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit, QPushButton

    box = QWidget()
    qtbot.addWidget(box)
    flow = FlowLayout(box, spacing=4)
    edit = QLineEdit()
    button = QPushButton("Today")
    flow.addWidget(edit)
    flow.addWidget(button)
    wide = edit.sizeHint().width() + button.sizeHint().width() + 200
    flow.setGeometry(QRect(0, 0, wide, 100))
    assert edit.width() == edit.sizeHint().width() + 200 - 4
    assert button.geometry().right() == wide - 1


def test_columns_saved_with_a_smaller_font_are_widened_to_their_titles(
    qtbot: Any, db: Any, db_path: Path
) -> None:
    """Issue 15.11: the header state keeps pixel widths; at 14 pt titles were cut."""
    from PySide6.QtWidgets import QHeaderView

    from crisisdesk.ui.inbox.column_fit import title_width
    from crisisdesk.ui.inbox.model import COLUMN_INDEX, COLUMNS

    insert_mentions(db, [mention_row(priority=p) for p in range(3)])
    settings = Settings(DictStorage())
    small = MainWindow(db, db_path, settings, SyncTaskRunner(db_path))
    qtbot.addWidget(small)
    header = small.inbox.table.horizontalHeader()
    header.resizeSection(COLUMN_INDEX["author"], 400)  # the owner's own width stays
    small.inbox.save_settings()
    saved = {i: header.sectionSize(i) for i in range(len(COLUMNS))}
    before = QApplication.font()
    font = QFont(before)
    font.setPointSize(before.pointSize() * 2)
    QApplication.setFont(font)
    try:
        large = MainWindow(db, db_path, settings, SyncTaskRunner(db_path))
        qtbot.addWidget(large)
        header = large.inbox.table.horizontalHeader()
        fixed = [
            i
            for i in range(len(COLUMNS))
            if header.sectionResizeMode(i) != QHeaderView.ResizeMode.Stretch
        ]
        assert any(saved[i] < title_width(header, i) for i in fixed)  # the case at hand
        cut = [COLUMNS[i].key for i in fixed if header.sectionSize(i) < title_width(header, i)]
        assert cut == []
        assert header.sectionSize(COLUMN_INDEX["author"]) == 400
    finally:
        QApplication.setFont(before)


def test_at_200_percent_with_14pt_nothing_is_cut_or_overlaps(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    """The composer's heading and template row were cut at its scroll area's edge, and the
    Accounts page's wrapped buttons overlapped its text, when the window was this small."""
    insert_mentions(db, [mention_row(priority=90, complaint=True, label="negative")])
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    window.resize(ROOM_AT_200[0], ROOM_AT_200[1] - TITLE_BAR)
    window.show()
    qtbot.waitExposed(window)
    window.inbox.table.selectRow(0)
    qtbot.waitUntil(lambda: window.composer.pane.mention_id is not None)
    QApplication.processEvents()
    pane = window.composer.pane
    assert pane.width() >= pane.minimumSizeHint().width()
    assert pane.parentWidget().width() >= pane.width()  # the scroll area's viewport
    window.show_page("accounts")
    QApplication.processEvents()
    page = window.accounts_page
    shown = [w for w in page.findChildren(QWidget) if w.parent() is page and w.isVisible()]
    assert _overlapping(shown) == []
