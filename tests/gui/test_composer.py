"""The reply composer in the main window, against a real SQLite file and a loopback Mastodon.

Choose a template, see findings come and go as the text changes, send (with the public-post
confirmation), a failed send keeping the draft and a retry that does not post twice, copy and
mark replied, drafts surviving a window that was never closed, follow-ups shown as due.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from crisisdesk import secrets
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, drafts, follow_ups, mentions, replies
from crisisdesk.timeutil import to_iso
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers import payloads_mastodon as pm
from tests.helpers.builders import insert_mentions, mention_row
from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply, Waits

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
COMPLAINT = "@bakery my birthday cake never arrived and nobody answers the phone"
BAD = "CALM DOWN!!! We did nothing wrong, you should have read the policy."
GOOD = (
    "Hi Carol, I'm so sorry your cake never arrived. That should never happen. "
    "Could you send us a direct message with your order number so we can refund it today?"
)


def open_window(qtbot: Any, db: Any, db_path: Path, *, add: bool = True) -> MainWindow:
    window = MainWindow(
        db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path), now=lambda: NOW
    )
    if add:
        qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.composer.pane.client_factory = functools.partial(make_client, sleep=Waits(), timeout=3)
    return window


@pytest.fixture
def statuses(platform_server: PlatformServer) -> pm.PostStatuses:
    posted = pm.PostStatuses()
    platform_server.handle("POST", "/api/v1/statuses", posted)
    return posted


@pytest.fixture
def mastodon_mention(db: Any, memory_keyring: Any, platform_server: PlatformServer) -> int:
    secrets.set_secret(secrets.account_key("m"), "masto-token")
    account = accounts.add(db, platform="mastodon", name="m", base_url=platform_server.url)
    st = pm.status(f"<p>{COMPLAINT}</p>", author=pm.account("carol"))
    (mid,) = insert_mentions(
        db,
        [mention_row(source="mastodon", external_id=f"127.0.0.1:{st['id']}", text=COMPLAINT,
                     author_handle=st["account"]["acct"], author_name="Carol Jones",
                     account_id=account.id, raw=st, complaint=True, label="negative",
                     created_at=to_iso(NOW - timedelta(hours=5)), priority=90)],
    )  # fmt: skip
    return mid


def select(window: MainWindow, mention_id: int) -> Any:
    window.inbox.select_ids([mention_id])
    pane = window.composer.pane
    assert pane.mention_id == mention_id
    return pane


def type_reply(qtbot: Any, pane: Any, text: str) -> None:
    pane.editor.clear()
    pane.editor.setFocus()
    qtbot.keyClicks(pane.editor, text)


def answer_box(button_text: str) -> None:
    """Press *button_text* in the next modal message box (the public-post confirmation)."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        (button,) = [b for b in box.findChildren(QPushButton) if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, press)


def test_findings_appear_and_disappear_as_the_text_changes(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    # before anything is written the box says what the checks look for (nothing to click)
    assert pane.findings.count() == 1 and pane.findings.codes() == []
    hint = pane.findings.item(0)
    assert "say sorry" in hint.text() and "private message" in hint.text()
    assert not hint.flags() & Qt.ItemFlag.ItemIsSelectable
    assert "waiting 5 h" in pane.waiting_label.text()
    assert "on Mastodon" in pane.to_label.text()

    type_reply(qtbot, pane, BAD)
    assert pane.check_later.pending  # debounced: nothing checked per keystroke
    qtbot.waitUntil(lambda: "shouting" in pane.findings.codes())
    codes = pane.findings.codes()
    assert {"shouting", "exclamation", "defensive", "no-empathy"} <= set(codes)
    highlighted = {(s.cursor.selectionStart(), s.cursor.selectedText())
                   for s in pane.editor.extraSelections()}  # fmt: skip
    assert (0, "CALM DOWN") in highlighted or (0, "CALM DOWN!!!") in highlighted
    assert pane.counter.text() == f"{len(BAD)} / 500"

    pane.editor.selectAll()
    qtbot.keyClicks(pane.editor, GOOD)
    qtbot.waitUntil(lambda: "shouting" not in pane.findings.codes())
    assert not {"shouting", "exclamation", "defensive", "blame", "no-empathy"} & set(
        pane.findings.codes()
    )
    assert all(str(f.severity) != "block" for f in pane.report.findings)
    if not pane.report.findings:
        assert pane.findings.item(0).text().startswith("The tone check found nothing")
    assert pane.state()["send"] is True


def test_a_one_click_fix_changes_the_text_and_undo_takes_it_back(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    type_reply(qtbot, pane, "We are SO SORRY about that.")
    pane.run_check()
    item = pane.findings.finding_item("shouting")
    assert item is not None and "lower case" in item.text()
    rect = pane.findings.visualItemRect(item)
    qtbot.mouseClick(pane.findings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.editor.toPlainText() == "We are so sorry about that."
    assert "shouting" not in pane.findings.codes()
    pane.editor.undo()
    assert pane.editor.toPlainText() == "We are SO SORRY about that."


def test_send_asks_first_posts_once_and_moves_the_mention_to_replied(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int, statuses: pm.PostStatuses
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    type_reply(qtbot, pane, GOOD)

    answer_box("Cancel")
    qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert statuses.created == [] and mentions.get(db, mastodon_mention).status == "new"

    answer_box("&Post")
    with qtbot.waitSignal(pane.sent) as sent:
        qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    reply = sent.args[0]
    assert len(statuses.created) == 1
    assert statuses.created[0]["in_reply_to_id"] is not None
    assert mentions.get(db, mastodon_mention).status == "replied"
    (stored,) = replies.for_mention(db, mastodon_mention)
    assert stored.id == reply.id and stored.state == "sent" and stored.sent_at
    assert stored.tone_report is not None and stored.tone_report["score"] == pane_score(stored)
    assert drafts.get(db, mastodon_mention) is None
    assert pane.editor.toPlainText() == ""
    assert pane.follow_up_button.isVisible() and pane.done_label.text().startswith("Sent: ")
    assert pane.waiting_label.text().startswith("Answered ")


def pane_score(stored: Any) -> int:
    return int(stored.tone_report["score"])


def test_a_failed_send_keeps_the_draft_and_the_retry_does_not_post_twice(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int, platform_server: PlatformServer
) -> None:
    posted = pm.PostStatuses()
    broken = {"on": True}

    def gateway(request: RecordedRequest) -> Reply:
        answer = posted(request)  # Mastodon created the status...
        if broken["on"]:  # ...but the answer never made it back
            return Reply.json({"error": "Bad gateway"}, status=502)
        return answer

    platform_server.handle("POST", "/api/v1/statuses", gateway)
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    type_reply(qtbot, pane, GOOD)
    pane.channel_combo.setCurrentIndex(pane.channel_combo.findData("private"))

    with qtbot.waitSignal(pane.sendFailed) as failed:
        pane.send_button.click()
    assert "having trouble" in failed.args[0]
    assert pane.error_label.isVisible() and "kept as a draft" in pane.error_label.text()
    assert pane.editor.toPlainText() == GOOD
    draft = drafts.get(db, mastodon_mention)
    assert draft is not None and draft.body == GOOD and draft.private
    assert mentions.get(db, mastodon_mention).status == "new"

    broken["on"] = False
    with qtbot.waitSignal(pane.sent):
        pane.send_button.click()  # private: no confirmation
    assert len(posted.created) == 1  # the retry reused the idempotency key
    keys = {r.headers["idempotency-key"]
            for r in platform_server.requests_to("POST", "/api/v1/statuses")}  # fmt: skip
    assert len(keys) == 1
    assert posted.created[0]["visibility"] == "direct"
    assert mentions.get(db, mastodon_mention).status == "offline"
    assert drafts.get(db, mastodon_mention) is None


def test_copy_and_mark_replied_for_a_mention_without_a_write_api(
    qtbot: Any, db: Any, db_path: Path
) -> None:
    (mid,) = insert_mentions(
        db, [mention_row(source="x", text="@bakery where is my order #A1234?", priority=95)]
    )
    window = open_window(qtbot, db, db_path)
    pane = select(window, mid)
    assert not pane.send_button.isVisible()
    assert "imported" in pane.route_note.text()
    type_reply(qtbot, pane, GOOD)
    pane.run_check()
    with qtbot.waitSignal(pane.sent):
        pane.copy_button.click()
    assert QGuiApplication.clipboard().text() == GOOD
    assert mentions.get(db, mid).status == "replied"
    (stored,) = replies.for_mention(db, mid)
    assert stored.state == "sent" and stored.external_id is None and stored.tone_report


def test_a_draft_survives_a_window_that_was_never_closed(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    first = open_window(qtbot, db, db_path, add=False)
    pane = select(first, mastodon_mention)
    type_reply(qtbot, pane, "Hi Carol, so sorry")
    qtbot.waitUntil(lambda: drafts.get(db, mastodon_mention) is not None)
    shiboken6.delete(first)  # a crash: no close event, nothing flushed on the way out

    second = open_window(qtbot, db, db_path)
    pane = select(second, mastodon_mention)
    assert pane.editor.toPlainText() == "Hi Carol, so sorry"


def test_a_follow_up_set_after_a_reply_shows_as_due(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int, statuses: pm.PostStatuses
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    type_reply(qtbot, pane, GOOD)
    answer_box("&Post")
    with qtbot.waitSignal(pane.sent):
        pane.send_button.click()
    assert pane.follow_up_button.isVisible()

    def set_in_the_past() -> None:
        dialog = QApplication.activeModalWidget() or _dialog(window)
        dialog.when_edit.setDateTime(dialog.when_edit.dateTime().addDays(-10))
        dialog.accept()

    QTimer.singleShot(0, set_in_the_past)
    pane.follow_up_button.click()
    qtbot.waitUntil(lambda: follow_ups.pending(db, mastodon_mention) is not None)
    window.composer.refresh_due()
    due = window.composer.due_button
    assert due.isVisible() and due.text() == "⏰ 1 follow-up due"
    due.click()
    assert window.inbox.filter_bar.current_view() == "follow_ups"
    assert [window.inbox.model.mention_at(r).id for r in range(window.inbox.model.rowCount())] == [
        mastodon_mention
    ]


def _dialog(window: MainWindow) -> Any:
    from crisisdesk.ui.dialogs.follow_up_dialog import FollowUpDialog

    (dialog,) = [d for d in window.findChildren(FollowUpDialog) if d.isVisible()]
    return dialog


def test_escape_goes_back_to_the_list_and_the_shortcut_comes_back(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    window.composer.reply_action.trigger()
    qtbot.waitUntil(pane.editor.hasFocus)
    qtbot.keyClick(pane.editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(window.inbox.table.hasFocus)
    assert window.composer.reply_action.shortcut().toString() == "Ctrl+Shift+R"


def test_every_composer_widget_has_an_accessible_name(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    for widget in (pane.editor, pane.template_combo, pane.channel_combo, pane.findings,
                   ):  # fmt: skip
        assert widget.accessibleName(), widget
    for label in (pane.counter, pane.score_label, pane.waiting_label):
        assert label.accessibleDescription() and not label.accessibleName(), label


Check = Callable[[], None]


def test_choosing_a_template_fills_it_from_the_mention_and_flags_what_is_left(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    window = open_window(qtbot, db, db_path)
    window._settings.set("business/name", "Maple & Rye")
    pane = select(window, mastodon_mention)
    combo = pane.template_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert "Apology and make-good: Late or missing order" in labels
    index = labels.index("Apology and make-good: A bad experience with our staff")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    text = pane.editor.toPlainText()
    assert text.startswith("Hi Carol, I'm really sorry") and "Maple & Rye" in text
    assert "{name}" not in text and "{business}" not in text
    pane.run_check()
    assert "placeholder" not in pane.findings.codes() or "{" in text

    index = labels.index("Correct misinformation: Politely set the record straight")
    combo.activated.emit(index)
    assert "{facts}" in pane.editor.toPlainText()  # the owner writes the facts
    pane.run_check()
    assert "placeholder" in pane.findings.codes()
    assert not pane.state()["send"] or pane.blocking()
    pane.editor.undo()  # one Ctrl+Z takes the whole template back out
    assert pane.editor.toPlainText() == text


def test_templates_dialog_business_details_and_use_template(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    type_reply(qtbot, pane, "So sorry Carol, please write to hello@maple.example and we'll fix it.")
    pane.run_check()
    assert "private-data" in pane.findings.codes()  # not known as ours yet
    dialog = pane.open_templates()
    dialog.business.fields["business/contact"].setText("hello@maple.example")
    dialog.business.fields["business/name"].setText("Maple & Rye")
    dialog.business.store()
    dialog.templateChosen.emit(
        next(t for t in pane._templates if t.name == "A bad experience with our staff")
    )
    dialog.reject()
    assert window._settings.get("business/contact") == "hello@maple.example"
    text = pane.editor.toPlainText()
    assert text.startswith("Hi Carol,") and "Maple & Rye" in text
    type_reply(qtbot, pane, "So sorry Carol, please write to hello@maple.example and we'll fix it.")
    pane.run_check()
    assert "private-data" not in pane.findings.codes()  # the business's own contact is fine


def test_a_triage_change_while_typing_keeps_the_words(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    type_reply(qtbot, pane, "Hi Carol, I'm so sorry")
    window.triage.status_actions["open"].trigger()  # the mention is reloaded under the pane
    assert mentions.get(db, mastodon_mention).status == "open"
    assert pane.editor.toPlainText() == "Hi Carol, I'm so sorry"
    qtbot.keyClicks(pane.editor, " about the cake.")
    pane.save_draft_now()
    draft = drafts.get(db, mastodon_mention)
    assert draft is not None and draft.body == "Hi Carol, I'm so sorry about the cake."


def test_the_crisis_plans_holding_statements_are_templates_in_the_composer(
    qtbot: Any, db: Any, db_path: Path, mastodon_mention: int
) -> None:
    from tests.helpers.plans import store_doc

    store_doc(db)  # "Looking into it": "We have seen the posts and are looking into it."
    window = open_window(qtbot, db, db_path)
    pane = select(window, mastodon_mention)
    pane.load_templates()
    combo = pane.template_combo
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert labels[1] == "From your crisis plan: Looking into it"  # first, after the prompt
    assert "Apology and make-good: Late or missing order" in labels  # the library stays
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    assert pane.editor.toPlainText() == "We have seen the posts and are looking into it."
