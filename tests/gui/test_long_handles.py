"""Issue 15.11: a long handle wraps inside itself in the detail pane's heading and the
composer's "Reply to …" instead of being cut at the pane's edge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.ui.inbox.breaks import ZWSP, breakable, unbroken
from crisisdesk.ui.inbox.detail import MentionDetail
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row

HANDLES = ["eastbrookeats.bsky.social", "theeastbrookfamilybakeryandcafe"]
#: longer than the reply pane is wide even when it has the whole width (stacked)
LONGEST = "theeastbrookfamilybakeryandcafeofmainstreetsince1987"


def widest_line(label: QLabel, text: str) -> int:
    """The widest line *text* takes when wrapped in *label*'s width (wider: it is cut)."""
    room = label.contentsRect().width()
    flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
    return label.fontMetrics().boundingRect(QRect(0, 0, room, 10_000), flags, text).width()


def test_breakable_marks_places_a_handle_may_wrap_and_nothing_else() -> None:
    assert breakable("@eastbrookeats.bsky.social") == f"@eastbrookeats.{ZWSP}bsky.{ZWSP}social"
    assert breakable("Sam Lee · 12 followers.") == "Sam Lee · 12 followers."  # nothing to break
    long_run = "a" * 30
    assert breakable(long_run) == ZWSP.join(long_run)
    for text in HANDLES:
        assert unbroken(breakable(text)) == text


@pytest.mark.parametrize("handle", HANDLES)
def test_a_long_handle_wraps_in_the_narrowest_detail_pane(
    qtbot: Any, db: Any, db_path: Path, large_font: None, handle: str
) -> None:
    (mid,) = insert_mentions(
        db, [mention_row(source="bluesky", author_name="Eastbrook Eats", author_handle=handle)]
    )
    detail = MentionDetail(SyncTaskRunner(db_path))
    qtbot.addWidget(detail)
    detail.resize(detail.minimumWidth(), 600)
    detail.show()
    detail.show_mention(mid)
    QApplication.processEvents()
    label = detail.author_label
    assert unbroken(label.text()).startswith(f"Eastbrook Eats  @{handle} · ")
    assert widest_line(label, unbroken(label.text())) > label.contentsRect().width()  # was cut
    assert widest_line(label, label.text()) <= label.contentsRect().width()
    assert label.height() >= label.heightForWidth(label.width())  # all its lines are shown


def test_the_reply_heading_wraps_a_long_handle(
    qtbot: Any, db: Any, db_path: Path, large_font: None
) -> None:
    (mid,) = insert_mentions(db, [mention_row(author_name="Eastbrook Eats", author_handle=LONGEST)])
    window = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(window)
    window.resize(720, 420)  # stacked at 14 pt and 200 %; narrow beside the list otherwise
    window.show()
    qtbot.waitExposed(window)
    window.inbox.select_ids([mid])
    QApplication.processEvents()
    label = window.composer.pane.to_label
    assert LONGEST in unbroken(label.text())
    assert widest_line(label, unbroken(label.text())) > label.contentsRect().width()  # was cut
    assert widest_line(label, label.text()) <= label.contentsRect().width()
