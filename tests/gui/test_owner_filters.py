"""Issue 9.23: filter by assignee and by follow-ups due; "Complaint" in the sentiment choice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crisisdesk.store import follow_ups, mentions
from crisisdesk.ui.inbox.filter_bar import COMPLAINT, FilterBar, FilterState


def shown(window) -> list[str]:
    model = window.inbox.model
    return sorted(model.mention_at(r).text for r in range(model.rowCount()))


def test_filter_by_assignee_and_by_follow_ups_due(qtbot, db, db_path):
    from crisisdesk.settings import DictStorage, Settings
    from tests.gui.test_owner_layout import open_window
    from tests.helpers.builders import insert_mentions, mention_row

    a, b, c = insert_mentions(db, [mention_row(text=t) for t in ("sam's", "due", "later")])
    mentions.set_assignee(db, [a], "Sam")
    now = datetime.now(UTC)
    follow_ups.schedule(db, [b], now - timedelta(hours=1), "call back")
    follow_ups.schedule(db, [c], now + timedelta(days=2), None)
    win = open_window(qtbot, db, db_path, Settings(DictStorage()))
    more = win.inbox.filter_bar.more
    assert more.assignee.isVisible() and more.assignee.findData("Sam") >= 0
    assert more.assignee.accessibleName() == "Assigned to"
    more.assignee.setCurrentIndex(more.assignee.findData("Sam"))
    qtbot.waitUntil(lambda: shown(win) == ["sam's"])
    more.assignee.setCurrentIndex(0)
    win.inbox_feature.view_actions["follow_ups"].trigger()  # View → Follow-ups due (Ctrl+5)
    assert win.inbox_feature.view_actions["follow_ups"].shortcut().toString() == "Ctrl+5"
    qtbot.waitUntil(lambda: shown(win) == ["due"])
    state = win.inbox.filter_bar.state()
    assert FilterState.from_json(state.to_json()) == state  # remembered


def test_complaint_in_the_sentiment_choice_is_complaints_only(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    assert bar.sentiment.findText("Complaint") >= 0
    with qtbot.waitSignal(bar.filterChanged):
        bar.sentiment.setCurrentIndex(bar.sentiment.findData(COMPLAINT))
    assert bar.state().complaints_only and bar.state().sentiment is None
    assert bar.complaints.isChecked()
    bar.complaints.setChecked(False)
    assert not bar.state().complaints_only
    assert bar.sentiment.currentData() is None
    bar.apply_view("complaints")
    assert bar.sentiment.currentData() == COMPLAINT
