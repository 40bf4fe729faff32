"""The detail pane: plain text only, thread, history, link safety, empty state, narrow layout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QTextCursor

from crisisdesk.store import follow_ups, labels, mentions
from crisisdesk.timeutil import to_iso
from crisisdesk.ui.format import count_text, relative_text
from crisisdesk.ui.inbox.detail import MentionDetail, describe_event, is_web_link
from crisisdesk.ui.tasks import SyncTaskRunner, TaskRunner
from tests.helpers.builders import insert_mentions, mention_row

HTML_POST = (
    '<b>worst</b> bakery <a href="https://evil.example/x">click here</a> '
    "<img src=x onerror=alert(1)> &amp; <script>alert('hi')</script>\n"
    "second line https://example.com/" + "a" * 300
)


@pytest.fixture
def detail(qtbot, db, db_path):
    widget = MentionDetail(SyncTaskRunner(db_path))
    qtbot.addWidget(widget)
    widget.resize(360, 600)
    widget.show()
    return widget


def _fragments(document):
    """(text, char format) of every fragment in *document*."""
    out = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            out.append((frag.text(), frag.charFormat()))
            it += 1
        block = block.next()
    return out


def test_html_in_a_post_is_shown_literally_and_never_rendered(detail, db):
    (mid,) = insert_mentions(
        db, [mention_row(text=HTML_POST, author_name="<i>Eve</i>", author_handle="<u>eve</u>")]
    )

    detail.show_mention(mid)

    view = detail.text_view
    assert view.toPlainText() == HTML_POST
    assert view.document().toPlainText() == HTML_POST
    # nothing became formatting or a link: every fragment has the default, non-anchor format
    frags = _fragments(view.document())
    assert "".join(t for t, _ in frags) == HTML_POST.replace("\n", "")
    for _text, fmt in frags:
        assert not fmt.isAnchor()
        assert fmt.fontWeight() <= 400  # not bold
        assert not fmt.fontItalic() and not fmt.fontUnderline()
    assert view.document().allFormats()[0] is not None
    assert "&lt;b&gt;worst&lt;/b&gt;" in view.document().toHtml()  # escaped, i.e. text
    assert not view.openLinks() and not view.openExternalLinks()
    # names are internet text too
    assert detail.author_label.textFormat() == Qt.TextFormat.PlainText
    assert "<i>Eve</i>" in detail.author_label.text()
    assert "@<u>eve</u>" in detail.author_label.text()


def test_empty_state_then_mention_then_missing_id(detail, db):
    (mid,) = insert_mentions(db, [mention_row(text="hello")])
    assert detail.mention_id is None
    assert detail.empty_label.isVisible()
    assert not detail.scroll_area.isVisible()

    detail.show_mention(mid)
    assert detail.scroll_area.isVisible() and not detail.empty_label.isVisible()
    assert detail.mention_id == mid

    detail.show_mention(987654)
    assert detail.mention_id is None
    assert detail.empty_label.isVisible()
    assert "no longer" in detail.empty_label.text()

    detail.show_mention(None)
    assert "Select a mention" in detail.empty_label.text()


def test_facts_author_engagement_priority_cues_triage_state(detail, db):
    from crisisdesk.analysis.sentiment import REASON_DESCRIPTIONS
    from crisisdesk.services.priorities import priority_for

    cues = sorted(REASON_DESCRIPTIONS)[:2]
    (mid,) = insert_mentions(
        db,
        [
            mention_row(
                text="Cake never arrived and nobody answers",
                author_name="Dana",
                author_handle="dana",
                author_followers=12_345,
                likes=7,
                reposts=1,
                replies=2,
                label="negative",
                sentiment=-0.6,
                complaint=True,
                cues=cues,
                priority=81,
                created_at=to_iso(datetime.now(UTC) - timedelta(hours=5)),
            )
        ],
    )
    mentions.set_assignee(db, [mid], "Sam")
    labels.add(db, [mid], "wedding")
    labels.add(db, [mid], "refund")
    follow_ups.schedule(db, [mid], datetime.now(UTC) + timedelta(days=2), "call her")

    detail.show_mention(mid)

    assert detail.author_label.text() == "Dana  @dana · 12k followers"
    assert "Mastodon" in detail.meta_label.text()
    assert "5 h ago" in detail.meta_label.text()
    assert detail.engagement_label.text() == "7 likes · 1 repost · 2 replies"
    mention = mentions.get(db, mid)
    assert mention is not None
    assert priority_for(mention).reason in detail.priority_label.text()
    assert detail.priority_label.text().startswith("81 of 100.")
    for cue in cues:
        assert REASON_DESCRIPTIONS[cue] in detail.cues_label.text()
    assert detail.cues_label.text().startswith("Complaint")
    assert detail.status_label.text() == "New"
    assert detail.assignee_label.text() == "Sam"
    assert detail.labels_label.text() == "refund, wedding"
    assert (
        "in 2 days" in detail.follow_up_label.text() or "in 1 day" in detail.follow_up_label.text()
    )
    assert detail.follow_up_label.text().endswith("— call her")


def test_thread_and_our_replies_oldest_first_and_status_history(detail, db):
    root, _later, current = insert_mentions(
        db,
        [
            mention_row(
                external_id="root",
                text="Where is my order?",
                author_name="Ann",
                created_at="2026-11-20T09:00:00Z",
            ),
            mention_row(
                external_id="r2",
                in_reply_to="root",
                thread_root="root",
                text="Same here, still waiting",
                author_name="Bob",
                created_at="2026-11-20T11:00:00Z",
            ),
            mention_row(
                external_id="r3",
                in_reply_to="root",
                thread_root="root",
                text="<b>third</b>",
                author_name="Cy",
                created_at="2026-11-20T12:00:00Z",
            ),
        ],
    )
    insert_mentions(db, [mention_row(external_id="other", text="unrelated post")])
    db["replies"].insert(
        {
            "mention_id": root,
            "body": "So sorry Ann, we're on it <3",
            "channel": "public",
            "state": "sent",
            "created_at": "2026-11-20T10:00:00Z",
            "sent_at": "2026-11-20T10:00:05Z",
        }
    )
    mentions.set_status(db, [current], "open")
    mentions.set_status(db, [current], "replied")
    mentions.set_assignee(db, [current], "Sam")

    detail.show_mention(current)

    thread = detail.thread_view.toPlainText()
    order = [
        thread.index(s)
        for s in (
            "Where is my order?",
            "You replied",
            "So sorry Ann, we're on it <3",
            "Same here, still waiting",
            "This mention",
            "<b>third</b>",
        )
    ]
    assert order == sorted(order)
    assert "unrelated post" not in thread
    history = detail.history_view.toPlainText().splitlines()
    assert [line.split("  ", 1)[1] for line in history] == [
        "New → Open",
        "Open → Replied",
        "Assigned to Sam",
    ]


def test_a_lone_mention_says_it_has_no_conversation_and_no_history(detail, db):
    (mid,) = insert_mentions(db, [mention_row()])
    detail.show_mention(mid)
    assert detail.thread_view.toPlainText() == "No earlier messages or replies."
    assert detail.history_view.toPlainText() == "No changes yet."


def test_refresh_rereads_only_when_the_shown_mention_changed(detail, db):
    a, b = insert_mentions(db, [mention_row(), mention_row()])
    detail.show_mention(a)
    mentions.set_status(db, [a, b], "resolved")
    detail.refresh([b])
    assert detail.status_label.text() == "New"
    detail.refresh([a, b])
    assert detail.status_label.text() == "Resolved"
    assert detail.history_view.toPlainText().endswith("New → Resolved")


def test_link_button_opens_only_web_links(detail, db, qtbot, url_catcher):
    good, bad, none = insert_mentions(
        db,
        [
            mention_row(url="https://social.example/@a/1"),
            mention_row(url="javascript:alert(1)"),
            mention_row(url=None),
        ],
    )
    detail.show_mention(good)
    assert detail.link_button.isEnabled()
    assert detail.link_button.text() == "Open on Mastodon"
    with qtbot.waitSignal(detail.linkOpened):
        qtbot.mouseClick(detail.link_button, Qt.MouseButton.LeftButton)
    assert url_catcher.urls == ["https://social.example/@a/1"]

    for mid in (bad, none):
        detail.show_mention(mid)
        assert not detail.link_button.isEnabled()
        assert detail.open_link() is False
    assert url_catcher.urls == ["https://social.example/@a/1"]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://x.example/a", True),
        ("http://x.example", True),
        ("file:///etc/passwd", False),
        ("javascript:alert(1)", False),
        ("ftp://x.example/", False),
        ("https://", False),
        ("", False),
        (None, False),
    ],
)
def test_is_web_link(url, ok):
    assert is_web_link(url) is ok


def test_narrow_pane_wraps_long_words_instead_of_scrolling_sideways(detail, db, qtbot):
    (mid,) = insert_mentions(
        db, [mention_row(text="x" * 2000, author_name="N" * 300, author_handle="h" * 200)]
    )
    detail.resize(300, 640)
    detail.show_mention(mid)
    qtbot.waitUntil(lambda: detail.text_view.height() > 100)
    content = detail.scroll_area.widget()
    assert content.width() <= detail.scroll_area.viewport().width()
    assert detail.minimumSizeHint().width() < 300
    # the whole text is reachable: the view is as tall as its document
    assert detail.text_view.height() >= detail.text_view.document().size().height()


def test_pane_is_keyboard_reachable(detail, db, qtbot):
    (mid,) = insert_mentions(db, [mention_row()])
    detail.show_mention(mid)
    detail.activateWindow()
    detail.focus_content()
    qtbot.waitUntil(detail.text_view.hasFocus)
    cursor = detail.text_view.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    assert detail.text_view.accessibleName() == "Mention text"


def test_relative_and_count_texts():
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    assert relative_text("2026-11-20T11:59:30Z", now) == "just now"
    assert relative_text("2026-11-20T11:55:00Z", now) == "5 min ago"
    assert relative_text("2026-11-20T10:00:00Z", now) == "2 h ago"
    assert relative_text("2026-11-19T12:00:00Z", now) == "1 day ago"
    assert relative_text("2026-11-17T12:00:00Z", now) == "3 days ago"
    assert relative_text("2026-11-22T12:00:00Z", now) == "in 2 days"
    assert [count_text(n) for n in (0, 999, 1000, 1250, 12_345, 2_000_000, 2_400_000)] == [
        "0",
        "999",
        "1k",
        "1.2k",
        "12k",
        "2M",
        "2.4M",
    ]


def test_describe_event_reads_like_a_sentence(db):
    from crisisdesk.store.events import Event

    def ev(action, old, new, entity="mention", detail=None):
        return Event(1, "2026-11-20T10:00:00Z", entity, 1, action, old, new, "me", detail)

    assert describe_event(ev("status", "new", "offline")) == "New → Taken offline"
    assert describe_event(ev("assign", None, "Sam")) == "Assigned to Sam"
    assert describe_event(ev("assign", "Sam", None)) == "No longer assigned to Sam"
    assert describe_event(ev("label", None, "refund")) == 'Label "refund" added'
    assert describe_event(ev("label", "refund", None)) == 'Label "refund" removed'
    assert describe_event(ev("follow_up", "2026-11-21T09:00:00Z", None)) == "Follow-up cleared"
    assert describe_event(ev("follow_up", None, "2026-11-21T09:00:00Z", detail={"note": "n"}))
    assert describe_event(ev("sent", "queued", "sent", entity="reply")) == "Reply sent"


def test_follows_a_selection_of_one_many_or_none(detail, db):
    a, b = insert_mentions(db, [mention_row(text="first"), mention_row(text="second")])
    detail.show_selection([b])
    assert detail.mention_id == b and detail.text_view.toPlainText() == "second"
    detail.show_selection([a, b])
    assert detail.mention_id is None
    assert detail.empty_label.text().startswith("2 mentions selected.")
    detail.show_selection([])
    assert "Select a mention" in detail.empty_label.text()


def test_a_huge_thread_shows_the_messages_around_this_mention(detail, db):
    from crisisdesk.ui.inbox.detail import THREAD_AFTER, THREAD_BEFORE

    rows = [
        mention_row(
            external_id="root" if i == 0 else f"t{i}",
            thread_root=None if i == 0 else "root",
            in_reply_to=None if i == 0 else "root",
            text=f"message {i:03d}",
            created_at=f"2026-11-20T{10 + i // 60:02d}:{i % 60:02d}:00Z",
        )
        for i in range(80)
    ]
    ids = insert_mentions(db, rows)
    detail.show_mention(ids[50])
    text = detail.thread_view.toPlainText()
    first_shown = 50 - THREAD_BEFORE
    last_shown = 50 + THREAD_AFTER
    assert text.startswith(f"… {first_shown} earlier messages not shown")
    assert text.endswith(f"… {80 - last_shown - 1} later messages not shown")
    assert f"message {first_shown:03d}" in text and f"message {first_shown - 1:03d}" not in text
    assert f"message {last_shown:03d}" in text and f"message {last_shown + 1:03d}" not in text
    assert "▶ This mention: " in text
    # issue 9.21: the current mention is highlighted, and the rest can be shown
    doc = detail.thread_view.document()
    marked = [
        doc.findBlockByNumber(n).text()
        for n in range(doc.blockCount())
        if doc.findBlockByNumber(n).blockFormat().background().style() != Qt.BrushStyle.NoBrush
    ]
    assert marked == [marked[0], "message 050"] and marked[0].startswith("▶ This mention: ")
    assert (
        detail.thread_all.isVisibleTo(detail) and detail.thread_all.text() == "Show all 80 messages"
    )
    detail.thread_all.click()
    text = detail.thread_view.toPlainText()
    assert "not shown" not in text and "message 000" in text and "message 079" in text
    assert not detail.thread_all.isVisibleTo(detail)
    detail.show_mention(ids[10])  # another mention: around it again
    assert (
        not detail.thread_all.isVisibleTo(detail) or "not shown" in detail.thread_view.toPlainText()
    )


def test_details_snapshot_has_everything_the_pane_shows(db):
    from crisisdesk.store import conversation

    root, reply = insert_mentions(
        db,
        [
            mention_row(external_id="root", text="first"),
            mention_row(external_id="r", in_reply_to="root", thread_root="root", text="second"),
        ],
    )
    labels.add(db, [reply], "vip")
    follow_ups.schedule(db, [reply], "2026-12-01T09:00:00Z", "call")
    mentions.set_status(db, [reply], "open")

    found = conversation.details(db, reply)

    assert found is not None and found.mention.id == reply
    assert found.labels == ("vip",)
    assert found.follow_up is not None and found.follow_up.note == "call"
    assert [(e.mention_id, e.is_current) for e in found.thread] == [(root, False), (reply, True)]
    assert [(e.old, e.new) for e in found.history if e.action == "status"] == [("new", "open")]
    assert conversation.details(db, 987654) is None
    assert not db.conn.in_transaction  # the read transaction is closed again


def test_a_selection_that_moved_on_drops_the_older_result(db, db_path, qtbot):
    a, b = insert_mentions(db, [mention_row(text="first"), mention_row(text="second")])
    pool = QThreadPool()
    runner = TaskRunner(db_path, pool=pool)
    pane = MentionDetail(runner)
    qtbot.addWidget(pane)
    painted: list[str] = []
    pane.text_view.textChanged.connect(lambda: painted.append(pane.text_view.toPlainText()))
    try:
        pane.show_mention(a)
        pool.waitForDone(5000)  # a is read; its delivery waits in the GUI thread's queue
        pane.show_mention(b)
        qtbot.waitUntil(lambda: pane.mention_id == b, timeout=5000)
        qtbot.waitUntil(lambda: runner.active_count == 0, timeout=5000)
    finally:
        pool.waitForDone(5000)
    assert pane.text_view.toPlainText() == "second"
    assert "first" not in painted  # a landed after the list moved on: never painted


def test_the_pane_keeps_what_it_shows_until_the_next_mention_is_read(db, db_path, qtbot):
    a, b = insert_mentions(db, [mention_row(text="first"), mention_row(text="second")])
    pool = QThreadPool()
    runner = TaskRunner(db_path, pool=pool)
    pane = MentionDetail(runner)
    qtbot.addWidget(pane)
    try:
        pane.show_mention(a)
        qtbot.waitUntil(lambda: pane.mention_id == a, timeout=5000)
        pane.show_mention(b)
        assert pane.text_view.toPlainText() == "first"  # no flash of an empty pane
        assert pane.open_link() is False  # but no action on the mention the list left
        qtbot.waitUntil(lambda: pane.mention_id == b, timeout=5000)
    finally:
        pool.waitForDone(5000)
    assert pane.text_view.toPlainText() == "second"


def test_an_unknown_follower_count_shows_as_unknown(detail, db):
    """Issue 9.14: feeds, imports and some platforms give no count: not "0 followers"."""
    (mid,) = insert_mentions(
        db, [mention_row(author_name="Feed", author_handle="", author_followers=0)]
    )
    detail.show_mention(mid)
    assert detail.author_label.text() == "Feed · follower count unknown"
