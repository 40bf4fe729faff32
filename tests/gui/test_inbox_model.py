"""The inbox table model: paging, sorting, plain text, in-place refresh, stale results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import QStyledItemDelegate, QTableView

from crisisdesk.errors import SearchSyntaxError
from crisisdesk.store import mentions
from crisisdesk.store.mentions import MentionFilter
from crisisdesk.timeutil import to_iso
from crisisdesk.ui.format import duration_text, relative_text
from crisisdesk.ui.inbox.delegates import SentimentDelegate
from crisisdesk.ui.inbox.model import (
    COLUMN_INDEX,
    COLUMNS,
    PAGE_SIZE,
    InboxModel,
    MentionIdRole,
    SentimentRole,
)
from crisisdesk.ui.tasks import SyncTaskRunner, TaskRunner
from tests.helpers.builders import insert_mentions, mention_row

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
Order = Qt.SortOrder


def ago(**delta: float) -> str:
    return to_iso(NOW - timedelta(**delta))


def make_model(db, db_path: Path, runner=None) -> InboxModel:
    model = InboxModel(db, runner or SyncTaskRunner(db_path), now=lambda: NOW)
    model.reload()
    return model


def col(key: str) -> int:
    return COLUMN_INDEX[key]


def texts(model: InboxModel) -> list[str]:
    return [model.mention_at(r).text for r in range(model.rowCount())]


def test_model_passes_qtmodeltester(db, db_path: Path, qtmodeltester) -> None:
    insert_mentions(
        db,
        [
            mention_row(text="plain", created_at=ago(minutes=5)),
            mention_row(text="<b>html</b>", label="negative", complaint=True, cues=["refund"]),
            mention_row(text="", author_name="", author_handle="", status="replied"),
            mention_row(source="something-new", label="positive", status="new"),
        ],
    )
    model = make_model(db, db_path)
    assert model.rowCount() == 4
    qtmodeltester.check(model, force_py=True)


def test_empty_model_passes_qtmodeltester(db, db_path: Path, qtmodeltester) -> None:
    model = make_model(db, db_path)
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model, force_py=True)


def test_pages_of_200_are_fetched_on_demand(db, db_path: Path, qtbot) -> None:
    insert_mentions(db, [mention_row(priority=i % 100) for i in range(PAGE_SIZE * 2 + 50)])
    model = make_model(db, db_path)
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.fetchMore(QModelIndex())
    assert inserted.args[1:] == [PAGE_SIZE, 2 * PAGE_SIZE - 1]
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE + 50
    assert not model.canFetchMore(QModelIndex())
    assert model.exhausted
    ids = model.ids()
    assert len(set(ids)) == len(ids)
    # the pages are the store's own order, without gaps or repeats
    assert ids == [m.id for m in mentions.query(db, limit=10_000)]


def test_a_view_scrolled_to_the_bottom_fetches_the_next_page(db, db_path: Path, qtbot) -> None:
    insert_mentions(db, [mention_row() for _ in range(PAGE_SIZE + 20)])
    model = make_model(db, db_path)
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(600, 300)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE + 20)


def test_columns_show_local_relative_times_and_waiting(db, db_path: Path) -> None:
    insert_mentions(
        db,
        [
            mention_row(text="fresh", created_at=ago(hours=2), priority=90),
            mention_row(text="answered", created_at=ago(days=3), status="replied", priority=50),
            mention_row(text="ancient", created_at=ago(days=400), priority=10),
        ],
    )
    model = make_model(db, db_path)
    assert texts(model) == ["fresh", "answered", "ancient"]
    fresh = [model.index(0, c).data() for c in range(len(COLUMNS))]
    assert fresh[col("time")] == "2 h ago"
    assert fresh[col("platform")] == "Mastodon"
    assert fresh[col("priority")] == "90"
    assert fresh[col("status")] == "New"
    assert fresh[col("waiting")] == "2 h"
    assert model.index(1, col("time")).data() == "3 d ago"
    assert model.index(1, col("waiting")).data() == "—"  # answered: not waiting
    assert model.index(1, col("status")).data() == "Replied"
    old_local = (NOW - timedelta(days=400)).astimezone()
    assert model.index(2, col("time")).data() == old_local.strftime("%d %b %Y")
    tooltip = model.index(0, col("time")).data(Qt.ItemDataRole.ToolTipRole)
    assert (NOW - timedelta(hours=2)).astimezone().strftime("%H:%M") in tooltip
    assert model.index(0, 0).data(MentionIdRole) == model.mention_at(0).id


def test_duration_and_relative_text() -> None:
    assert duration_text(30) == "< 1 min"
    assert duration_text(45 * 60) == "45 min"
    assert duration_text(3 * 3600 + 59) == "3 h"
    assert duration_text(47 * 3600) == "47 h"
    assert duration_text(5 * 86400) == "5 d"
    assert relative_text(NOW - timedelta(seconds=20), NOW, short=True) == "just now"
    assert relative_text(NOW - timedelta(minutes=5), NOW, short=True) == "5 min ago"


def test_badge_says_sentiment_and_complaint_in_words_and_icon(db, db_path: Path) -> None:
    insert_mentions(
        db,
        [
            mention_row(label="negative", complaint=True, priority=3),
            mention_row(label="negative", priority=2),
            mention_row(label="positive", priority=1),
        ],
    )
    model = make_model(db, db_path)
    badge = col("sentiment")
    assert [model.index(r, badge).data() for r in range(3)] == [
        "Complaint",
        "Negative",
        "Positive",
    ]
    assert model.index(0, badge).data(SentimentRole) == ("negative", True)
    # the sentiment of a complaint is still said, for the tooltip and screen readers
    assert model.index(0, badge).data(Qt.ItemDataRole.AccessibleTextRole) == (
        "Complaint, negative sentiment"
    )
    assert "Complaint, negative sentiment" in model.index(0, badge).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert model.index(2, badge).data(Qt.ItemDataRole.AccessibleTextRole) == "Positive sentiment"
    icon = model.index(0, badge).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull()


def test_html_in_a_mention_is_plain_text_everywhere(db, db_path: Path, qtbot) -> None:
    payload = '<b>bold</b> <img src="x" onerror="alert(1)"> <a href="http://evil">link</a>'
    insert_mentions(db, [mention_row(text=payload, author_name="<i>Eve</i>", author_handle="eve")])
    model = make_model(db, db_path)
    assert model.index(0, col("text")).data() == payload
    assert model.index(0, col("author")).data() == "<i>Eve</i> (@eve)"
    tooltip = model.index(0, col("text")).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;bold&lt;/b&gt;" in tooltip and "<b>" not in tooltip
    author_tip = model.index(0, col("author")).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;i&gt;Eve&lt;/i&gt;" in author_tip


def test_sorting_by_header_maps_to_store_sorts(db, db_path: Path, qtbot) -> None:
    insert_mentions(
        db,
        [
            mention_row(text="middle", created_at=ago(hours=2), sentiment=0.0, priority=50),
            mention_row(text="newest", created_at=ago(hours=1), sentiment=0.8, priority=10),
            mention_row(text="oldest", created_at=ago(hours=3), sentiment=-0.9, priority=90),
        ],
    )
    model = make_model(db, db_path)
    assert texts(model) == ["oldest", "middle", "newest"]  # priority, highest first
    with qtbot.waitSignal(model.sortApplied) as applied:
        model.sort(col("time"), Order.DescendingOrder)
    assert applied.args == [col("time"), Order.DescendingOrder]
    assert model.sort_key == "newest"
    assert texts(model) == ["newest", "middle", "oldest"]
    model.sort(col("time"), Order.AscendingOrder)
    assert texts(model) == ["oldest", "middle", "newest"]
    model.sort(col("sentiment"), Order.AscendingOrder)
    assert texts(model) == ["oldest", "middle", "newest"]  # most negative first
    model.sort(col("sentiment"), Order.DescendingOrder)
    assert texts(model) == ["newest", "middle", "oldest"]
    # priority only sorts highest first: ascending is answered with descending
    with qtbot.waitSignal(model.sortApplied) as applied:
        model.sort(col("priority"), Order.AscendingOrder)
    assert applied.args == [col("priority"), Order.DescendingOrder]
    assert texts(model) == ["oldest", "middle", "newest"]


def test_every_column_sorts_and_an_unknown_one_keeps_the_sort(db, db_path: Path, qtbot) -> None:
    from crisisdesk.ui.inbox.model import COLUMNS, SORTABLE

    assert set(range(len(COLUMNS))) == SORTABLE
    insert_mentions(db, [mention_row(text="a", priority=1), mention_row(text="b", priority=2)])
    model = make_model(db, db_path)
    model.sort(col("time"), Order.AscendingOrder)
    before = texts(model)
    with qtbot.waitSignal(model.sortApplied) as applied, qtbot.assertNotEmitted(model.modelReset):
        model.sort(len(COLUMNS), Order.AscendingOrder)
    assert applied.args == [col("time"), Order.AscendingOrder]  # the header snaps back
    assert model.sort_key == "oldest" and texts(model) == before


def test_filter_changes_the_rows_and_a_bad_search_keeps_them(db, db_path: Path, qtbot) -> None:
    insert_mentions(
        db,
        [
            mention_row(text="my refund never came", label="negative", complaint=True),
            mention_row(text="lovely cake", label="positive"),
        ],
    )
    model = make_model(db, db_path)
    model.set_filter(MentionFilter(search="refund"))
    assert texts(model) == ["my refund never came"]
    with qtbot.waitSignal(model.loadFailed) as failed, qtbot.assertNotEmitted(model.modelReset):
        model.set_filter(MentionFilter(search='"unclosed'))
    assert isinstance(failed.args[0], SearchSyntaxError)
    assert texts(model) == ["my refund never came"]  # previous results stay


def test_refresh_rows_rereads_in_place(db, db_path: Path, qtbot) -> None:
    ids = insert_mentions(db, [mention_row(priority=9), mention_row(priority=5)])
    model = make_model(db, db_path)
    mentions.set_status(db, [ids[1]], "resolved")
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_rows([ids[1], 999_999])
    assert changed.args[0].row() == 1 and changed.args[1].row() == 1
    assert model.index(1, col("status")).data() == "Resolved"
    assert model.rowCount() == 2  # it stays where it was until the next reload
    with qtbot.assertNotEmitted(model.dataChanged):
        model.refresh_rows([ids[0]])  # unchanged: no repaint


def test_refresh_times_repaints_time_columns(db, db_path: Path, qtbot) -> None:
    insert_mentions(db, [mention_row(created_at=ago(minutes=10))])
    model = make_model(db, db_path)
    with qtbot.waitSignals([model.dataChanged, model.dataChanged]):
        model.refresh_times()


def test_a_newer_filter_wins_over_a_slower_older_one(db, db_path: Path, qtbot) -> None:
    insert_mentions(
        db,
        [mention_row(text=f"refund {i}", complaint=i % 2 == 0) for i in range(300)]
        + [mention_row(text="cake", label="positive")],
    )
    pool = QThreadPool()
    runner = TaskRunner(db_path, pool=pool)
    model = InboxModel(db, runner, now=lambda: NOW)
    loads: list[list[str]] = []
    model.loaded.connect(lambda: loads.append(texts(model)))
    model.set_filter(MentionFilter(complaints_only=True))
    with qtbot.waitSignal(model.loaded, timeout=5000):
        model.set_filter(MentionFilter(label="positive"))
    qtbot.waitUntil(lambda: runner.active_count == 0)
    pool.waitForDone(5000)
    assert loads[-1] == ["cake"]
    assert texts(model) == ["cake"]


def test_table_delegates_draw_plain_text_only(db, db_path: Path, qtbot) -> None:
    from crisisdesk.settings import DictStorage, Settings
    from crisisdesk.ui.inbox.page import InboxPage

    insert_mentions(db, [mention_row(text="<h1>Big</h1>")])
    page = InboxPage(db, SyncTaskRunner(db_path), Settings(DictStorage()), now=lambda: NOW)
    qtbot.addWidget(page)
    table = page.table
    for column in range(len(COLUMNS)):
        delegate = table.itemDelegateForColumn(column) or table.itemDelegate()
        # QStyledItemDelegate draws DisplayRole as plain text; the badge draws its own words
        assert type(delegate) in (QStyledItemDelegate, SentimentDelegate)
    assert isinstance(table.itemDelegateForColumn(col("sentiment")), SentimentDelegate)
    assert page.model.index(0, col("text")).data() == "<h1>Big</h1>"


@pytest.mark.parametrize("bad", ["Ω" * 5000, "line\nbreaks\r\nand\ttabs", "\u202eRTL override"])
def test_odd_text_is_one_line_and_bounded(db, db_path: Path, bad: str) -> None:
    insert_mentions(db, [mention_row(text=bad)])
    model = make_model(db, db_path)
    shown = model.index(0, col("text")).data()
    assert "\n" not in shown and "\t" not in shown
    assert len(shown) <= 240


def test_a_wide_search_pages_in_the_same_order_as_a_plain_sort(db, db_path: Path) -> None:
    # enough matches that the store walks the priority index instead of sorting the matches
    rows = [
        mention_row(
            text=f"{'refund please' if i % 2 else 'lovely cake'} {i}",
            priority=(i * 37) % 101,
            created_at=ago(minutes=i % 977),
        )
        for i in range(3000)
    ]
    insert_mentions(db, rows)
    assert mentions._walk_sort_index(db, "refund", PAGE_SIZE)  # the fast path is taken
    model = InboxModel(db, SyncTaskRunner(db_path), now=lambda: NOW)
    model.set_filter(MentionFilter(search="refund"))
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    expected = [
        r[0]
        for r in db.execute(
            "SELECT id FROM mentions WHERE text LIKE 'refund%'"
            " ORDER BY priority DESC, created_at DESC, id DESC"
        )
    ]
    assert model.ids() == expected and len(expected) == 1500
