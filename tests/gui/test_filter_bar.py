"""The filter bar: debounced search, inline search errors, choices, saved views, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt

from crisisdesk.store.mentions import MentionFilter
from crisisdesk.timeutil import to_iso
from crisisdesk.ui.inbox.filter_bar import (
    SAVED_VIEWS,
    SEARCH_DEBOUNCE_MS,
    FilterBar,
    FilterState,
    view_for,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def bar(qtbot) -> FilterBar:
    widget = FilterBar(now=lambda: NOW)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def pick(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data!r} not offered"
    combo.setCurrentIndex(index)


def test_typing_is_debounced_by_a_named_timer(bar: FilterBar, qtbot) -> None:
    emitted: list[FilterState] = []
    bar.filterChanged.connect(emitted.append)
    qtbot.keyClicks(bar.search, "refund")
    assert emitted == []  # not on every keystroke
    timer = bar.search_debounce
    assert timer.objectName() == "searchDebounce"
    assert timer.isActive() and timer.isSingleShot() and timer.interval() == SEARCH_DEBOUNCE_MS
    with qtbot.waitSignal(bar.filterChanged, timeout=2000) as changed:
        pass
    assert changed.args[0].search == "refund"
    assert len(emitted) == 1


def test_enter_applies_the_search_at_once(bar: FilterBar, qtbot) -> None:
    qtbot.keyClicks(bar.search, "cake")
    with qtbot.waitSignal(bar.filterChanged, timeout=100) as changed:
        qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert changed.args[0].search == "cake"
    assert not bar.search_debounce.isActive()


@pytest.mark.parametrize(
    ("query", "words"),
    [('"late delivery', "quote"), ("refund OR", "OR"), ("-cake", "excluded")],
)
def test_a_malformed_search_shows_an_inline_message(
    bar: FilterBar, qtbot, query: str, words: str
) -> None:
    qtbot.keyClicks(bar.search, "cake")
    qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    bar.search.clear()
    with qtbot.assertNotEmitted(bar.filterChanged):
        qtbot.keyClicks(bar.search, query)
        qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert bar.search_error.isVisible()
    assert words in bar.search_error.text()
    assert bar.search.property("invalid") is True
    assert bar.state().search == "cake"  # the last good filter stays in force
    # fixing the search clears the message
    bar.search.setText("late delivery")
    with qtbot.waitSignal(bar.filterChanged, timeout=100):
        qtbot.keyClick(bar.search, Qt.Key.Key_Return)
    assert not bar.search_error.isVisible()
    assert bar.search.property("invalid") is False


def test_choices_build_the_store_filter(bar: FilterBar, qtbot) -> None:
    bar.set_sources(["mastodon", "reddit"])
    with qtbot.waitSignal(bar.filterChanged):
        pick(bar.sentiment, "negative")
    with qtbot.waitSignal(bar.filterChanged):
        bar.complaints.click()
    with qtbot.waitSignal(bar.filterChanged):
        pick(bar.status, "needs_reply")
    with qtbot.waitSignal(bar.filterChanged):
        pick(bar.platform, "reddit")
    flt = bar.mention_filter()
    assert flt == MentionFilter(
        label="negative", complaints_only=True, statuses=("new", "open"), sources=("reddit",)
    )
    pick(bar.status, "offline")
    assert bar.mention_filter().statuses == ("offline",)
    assert bar.platform.itemText(bar.platform.currentIndex()) == "Reddit"


def test_label_choice_is_absent_until_labels_exist(bar: FilterBar, qtbot) -> None:
    assert not bar.tag.isVisibleTo(bar)
    bar.set_tags(["refund", "wedding cake"])
    assert bar.tag.isVisibleTo(bar)
    with qtbot.waitSignal(bar.filterChanged):
        pick(bar.tag, "wedding cake")
    assert bar.mention_filter().tag == "wedding cake"


def test_date_ranges(bar: FilterBar, qtbot) -> None:
    pick(bar.period, "7d")
    assert bar.mention_filter().since == to_iso(NOW - timedelta(days=7))
    pick(bar.period, "today")
    local_midnight = NOW.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    assert bar.mention_filter().since == to_iso(local_midnight)
    assert not bar.date_from.isVisibleTo(bar)
    pick(bar.period, "custom")
    assert bar.date_from.isVisibleTo(bar) and bar.date_to.isVisibleTo(bar)
    bar.date_from.setDate(QDate(2026, 11, 1))
    bar.date_to.setDate(QDate(2026, 11, 3))
    flt = bar.mention_filter()
    start = datetime(2026, 11, 1).astimezone()
    end = datetime(2026, 11, 4).astimezone()  # "to" is inclusive: up to the next midnight
    assert (flt.since, flt.until) == (to_iso(start), to_iso(end))
    # a reversed range is read the way it was meant
    bar.date_from.setDate(QDate(2026, 11, 5))
    assert bar.state().date_from == "2026-11-03" and bar.state().date_to == "2026-11-05"


def test_saved_views_set_the_controls_and_show_which_is_active(bar: FilterBar, qtbot) -> None:
    views: list[str] = []
    bar.viewChanged.connect(views.append)
    button = bar.findChild(type(bar.view_buttons.buttons()[0]), "view_complaints")
    with qtbot.waitSignal(bar.filterChanged):
        button.click()
    assert bar.complaints.isChecked()
    assert bar.current_view() == "complaints" and button.isChecked()
    bar.apply_view("needs_reply")
    assert bar.status.currentData() == "needs_reply" and not bar.complaints.isChecked()
    assert bar.mention_filter().statuses == ("new", "open")
    bar.apply_view("today")
    assert bar.period.currentData() == "today"
    # changing a control makes the filter custom: no view is checked
    pick(bar.sentiment, "positive")
    assert bar.current_view() == ""
    assert not any(b.isChecked() for b in bar.view_buttons.buttons())
    bar.clear.click()
    assert bar.state() == FilterState() and bar.current_view() == "all"
    assert views == ["complaints", "needs_reply", "today", "", "all"]


def test_every_saved_view_is_reachable_and_distinct() -> None:
    states = [v.state for v in SAVED_VIEWS]
    assert len(set(states)) == len(states)
    titles = ["Needs reply", "Complaints", "Today", "All", "Follow-ups due"]
    assert [v.title for v in SAVED_VIEWS] == titles
    assert all(view_for(v.state) == v.key for v in SAVED_VIEWS)


def test_set_state_restores_every_control(bar: FilterBar, qtbot) -> None:
    state = FilterState(
        search="late",
        sentiment="negative",
        complaints_only=True,
        statuses=("open",),
        source="bluesky",
        tag="refund",
        period="custom",
        date_from="2026-11-01",
        date_to="2026-11-02",
    )
    with qtbot.assertNotEmitted(bar.filterChanged):
        bar.set_state(state, emit=False)
    assert bar.state() == state
    assert bar.search.text() == "late"
    assert bar.platform.currentData() == "bluesky"
    assert bar.tag.currentData() == "refund" and bar.tag.isVisibleTo(bar)
    assert bar.date_from.date() == QDate(2026, 11, 1)
    assert not bar.search_debounce.isActive()  # restoring is not typing


def test_filter_state_json_round_trip_and_garbage() -> None:
    state = FilterState(search="a", sentiment="positive", statuses=("new", "open"), period="24h")
    assert FilterState.from_json(state.to_json()) == state
    junks = ("", "{", "[]", '{"sentiment": "furious", "statuses": ["gone"], "period": 5}', "null")
    for junk in junks:
        restored = FilterState.from_json(junk)
        assert restored.sentiment is None and restored.statuses == () and restored.period == "any"
    odd = FilterState.from_json('{"statuses": ["new", "replied"], "date_from": "2026-13-40"}')
    assert odd.statuses == () and odd.date_from is None


def test_a_filter_remembered_by_an_older_version_restores() -> None:
    from crisisdesk.settings import DictStorage, Settings

    settings = Settings(DictStorage({"inbox/filter": '{"label": "positive", "period": "24h"}'}))
    settings.upgrade()
    state = FilterState.from_json(settings.get("inbox/filter"))
    assert state.sentiment == "positive" and state.period == "24h"


def test_keyboard_leaves_the_search_box(bar: FilterBar, qtbot) -> None:
    with qtbot.waitSignal(bar.leaveSearch, timeout=100):
        qtbot.keyClick(bar.search, Qt.Key.Key_Escape)
    with qtbot.waitSignal(bar.leaveSearch, timeout=100):
        qtbot.keyClick(bar.search, Qt.Key.Key_Down)


def test_controls_have_accessible_names(bar: FilterBar) -> None:
    for widget in (bar.search, bar.sentiment, bar.complaints, bar.status, bar.platform,
                   bar.period, bar.date_from, bar.date_to, bar.clear,
                   *bar.view_buttons.buttons()):  # fmt: skip
        assert widget.accessibleName(), widget.objectName()
    assert bar.search_error.accessibleDescription() and not bar.search_error.accessibleName()
