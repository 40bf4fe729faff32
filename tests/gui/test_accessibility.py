"""Issue 15 (done when #1): every widget of the window and of each dialog, read as a screen
reader reads it (QAccessible): no interactive widget without a name, no label whose accessible
name hides its text (a label's value is its text; what it is goes in the description)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QWidget

from crisisdesk.domain import Severity
from crisisdesk.errors import CrisisdeskError, SearchSyntaxError
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import accounts
from crisisdesk.ui.about import AboutDialog
from crisisdesk.ui.accounts.add_dialog import AddAccountDialog
from crisisdesk.ui.charts.thresholds import AlertSettingsDialog
from crisisdesk.ui.composer.templates_dialog import TemplatesDialog
from crisisdesk.ui.composer.x_sign_in import XSignInDialog
from crisisdesk.ui.dialogs.assign_dialog import AssignDialog
from crisisdesk.ui.dialogs.column_mapping import ColumnMappingDialog
from crisisdesk.ui.dialogs.follow_up_dialog import FollowUpDialog
from crisisdesk.ui.dialogs.import_dialog import FileOutcome, ImportSummaryDialog
from crisisdesk.ui.dialogs.label_picker import LabelPicker
from crisisdesk.ui.getting_started import GettingStartedDialog
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.shortcuts_dialog import ShortcutsDialog
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.a11y import accessible_name, interactive_count, problems
from tests.helpers.builders import insert_mentions, mention_row


@pytest.fixture
def window(qtbot: Any, db: Any, db_path: Path) -> MainWindow:
    accounts.add(db, platform="mastodon", name="bakery", base_url="https://social.example")
    insert_mentions(db, [mention_row(priority=90, complaint=True, label="negative"),
                         mention_row(priority=40)])  # fmt: skip
    win = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    win.resize(1280, 860)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_walker_finds_what_a_screen_reader_would_miss(qtbot: Any) -> None:
    """The checker itself: a nameless button, a combo named only by its value, a label whose
    name replaces its text are found; the fixed forms are not."""
    root = QWidget()
    qtbot.addWidget(root)
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    layout = QVBoxLayout(root)
    nameless = QPushButton()
    combo = QComboBox()
    combo.addItems(["Any tone", "Negative"])
    combo.setAccessibleName("Tone")  # on Linux still read as "Any tone"
    hiding = QLabel("Sam")
    hiding.setAccessibleName("Assigned to")
    for widget in (nameless, combo, hiding):
        layout.addWidget(widget)
    root.show()
    found = problems(root)
    assert len(found) == 3, found
    nameless.setAccessibleName("Send")
    QLabel("&Tone", root).setBuddy(combo)
    hiding.setAccessibleName("")
    hiding.setAccessibleDescription("Assigned to")
    assert problems(root) == []
    assert accessible_name(combo) == "Tone"


@pytest.mark.parametrize("page", ["inbox", "accounts", "plan", "charts"])
def test_every_page_of_the_window_is_named_for_a_screen_reader(
    window: MainWindow, qtbot: Any, page: str
) -> None:
    window.show_page(page)
    if page == "inbox":
        window.inbox.table.selectRow(0)  # the detail pane and the composer show
        qtbot.waitUntil(lambda: window.composer.pane.mention_id is not None)
        window.inbox.filter_bar.show_search_error(SearchSyntaxError("A quote is not closed."))
    if page == "accounts":
        window.accounts_page.table.selectRow(0)
    QApplication.processEvents()
    assert interactive_count(window) >= 15
    assert problems(window) == []


def test_the_detail_pane_reads_its_values(window: MainWindow, qtbot: Any) -> None:
    """Issue 15.2: the twelve fields are read as their values (Sam, not 'Assigned to')."""
    window.inbox.table.selectRow(0)
    values = [
        w
        for w in window.inbox_feature.detail.findChildren(QLabel)
        if w.accessibleDescription() and w.isVisibleTo(window)
    ]
    assert len(values) >= 9  # and the text, history and conversation views
    for label in values:
        assert accessible_name(label) == label.text().strip(), label.accessibleDescription()


def _dialogs(db: Any, db_path: Path) -> dict[str, Callable[[], QDialog]]:
    settings = Settings(DictStorage())
    runner = SyncTaskRunner(db_path)
    return {
        "add account": lambda: AddAccountDialog(runner, settings),
        "labels": lambda: LabelPicker(["cake", "refund"], {1: ("cake",)}),
        "assign": lambda: AssignDialog(2, ["Sam", "Alex"], current="Sam"),
        "follow-up": lambda: FollowUpDialog(1),
        "import": lambda: ImportSummaryDialog(
            [FileOutcome(Path("orders.csv"), error=CrisisdeskError("No text column."))]
        ),
        "column mapping": lambda: ColumnMappingDialog("de.csv", ["Beitrag", "Datum", "Autor"]),
        "templates": lambda: TemplatesDialog(runner, settings),
        "about": lambda: AboutDialog(db_path, settings),
        "shortcuts": lambda: ShortcutsDialog(settings, [("O", "Mark open"), ("/", "Search")]),
        "getting started": lambda: GettingStartedDialog(settings),
        "alert settings": lambda: AlertSettingsDialog(settings),
        "x sign-in": lambda: XSignInDialog(db, runner, settings, "bakery-x"),
    }


DIALOGS = list(_dialogs(None, Path("unused")))


@pytest.mark.parametrize("name", DIALOGS)
def test_every_dialog_is_named_for_a_screen_reader(
    qtbot: Any, db: Any, db_path: Path, name: str
) -> None:
    dialog = _dialogs(db, db_path)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    if isinstance(dialog, AddAccountDialog):
        dialog.show_message("The token was refused.", Severity.ERROR)
    assert dialog.accessibleName() or dialog.windowTitle()
    assert interactive_count(dialog) >= 2
    assert problems(dialog) == []


def test_the_add_account_result_is_read_as_a_status_and_a_problem_as_an_alert(
    qtbot: Any, db: Any, db_path: Path, memory_keyring: Any
) -> None:
    """Issue 15.9: the result box was a plain frame to a screen reader (heard only once, when
    announced); now it is a status bar, and an alert while it reports a problem."""
    from PySide6.QtGui import QAccessible

    dialog = _dialogs(db, db_path)["add account"]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = QAccessible.queryAccessibleInterface(dialog.status_box)
    name = QAccessible.Text.Name
    dialog.show_message("It works: signed in as @maple.")
    assert box.role() == QAccessible.Role.StatusBar
    assert box.text(name) == "Result"
    assert [box.child(i).text(name) for i in range(box.childCount())][-1] == (
        "It works: signed in as @maple."
    )
    dialog.show_message("The check failed. The token was refused.", Severity.ERROR)
    assert box.role() == QAccessible.Role.AlertMessage
    assert not box.state().invisible
    parent = QAccessible.queryAccessibleInterface(dialog)
    assert any(  # a screen reader's review of the dialog finds it
        parent.child(i).role() == QAccessible.Role.AlertMessage for i in range(parent.childCount())
    )
    dialog.show_message("Checking with Mastodon…")
    assert box.role() == QAccessible.Role.StatusBar


def test_the_crisis_banner_is_named_and_announced_once(qtbot: Any) -> None:
    """Issue 15.13: an alert appears where the owner may not be looking; it is spoken."""
    from crisisdesk.ui import announce
    from crisisdesk.ui.charts.alerts import CrisisBanner

    banner = CrisisBanner()
    qtbot.addWidget(banner)
    banner.show()
    banner.show_alerts([], "12 complaints in the last hour (usually 1).", plan=True)
    assert announce.announced[-1] == "Crisis alert. 12 complaints in the last hour (usually 1)."
    count = len(announce.announced)
    banner.show_alerts([], "12 complaints in the last hour (usually 1).", plan=True)
    assert len(announce.announced) == count  # the same alert is not repeated
    assert banner.accessibleName() == "Crisis alert"
    assert problems(banner) == []
