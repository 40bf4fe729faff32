"""The inbox's "complaint" / "not a complaint" action: a key and a context-menu entry, undone
with the inbox's undo stack, in the audit history, and followed by background re-judging."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from crisisdesk.analysis import recogniser
from crisisdesk.analysis.sentiment import score_text
from crisisdesk.services import complaint_learning
from crisisdesk.store import events, mentions
from crisisdesk.ui.complaint_learning import ComplaintRelearning
from crisisdesk.ui.inbox.triage import COMPLAINT_ACTIONS, TriageController
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import insert_mentions, mention_row

TRICKY = "Never again will I doubt their sourdough"


@pytest.fixture(autouse=True)
def _shipped_model_after():
    yield
    recogniser.use(None)


def _stored(db, text):
    value, label, complaint, cues = score_text(text)
    (mention_id,) = insert_mentions(
        db, [mention_row(text=text, sentiment=value, label=label, complaint=complaint,
                         cues=list(cues))]
    )  # fmt: skip
    return mention_id


@pytest.fixture
def controller(qtbot, db_path):
    window = QWidget()
    qtbot.addWidget(window)
    runner = SyncTaskRunner(db_path)
    runner.set_error_parent(lambda: window)
    selection: list[int] = []
    triage = TriageController(runner, QUndoStack(window), lambda: selection, window)
    triage.selection = selection  # type: ignore[attr-defined]
    return triage


def test_the_actions_have_their_own_keys_and_are_in_the_context_menu_list(controller):
    keys = {a.shortcut().toString() for a in controller.complaint_actions.values()}
    assert keys == {key for _text, key, _short in COMPLAINT_ACTIONS.values()} == {"C", "N"}
    listed = controller.actions()
    assert all(a in listed for a in controller.complaint_actions.values())
    others = {
        a.shortcut().toString() for a in listed if a not in controller.complaint_actions.values()
    }
    assert not keys & others


def test_not_a_complaint_then_undo_then_redo(controller, db, qtbot):
    tricky = _stored(db, TRICKY)
    assert mentions.get(db, tricky).complaint
    controller.selection[:] = [tricky]
    controller.update_enabled()
    corrected = []
    controller.complaintsCorrected.connect(lambda: corrected.append(1))

    with qtbot.waitSignal(controller.mentionsChanged):
        controller.complaint_actions[False].trigger()
    assert not mentions.get(db, tricky).complaint
    assert complaint_learning.owner_flags(db, [tricky]) == {tricky: False}
    assert controller.undo_stack.undoText() == "Mark 1 mention as not a complaint"

    with qtbot.waitSignal(controller.mentionsChanged):
        controller.undo_stack.undo()
    assert mentions.get(db, tricky).complaint
    assert complaint_learning.owner_flags(db, [tricky]) == {}

    with qtbot.waitSignal(controller.mentionsChanged):
        controller.undo_stack.redo()
    assert not mentions.get(db, tricky).complaint
    history = [(e.old, e.new) for e in events.for_entity(db, "mention", tricky)]
    assert history == [
        ("recogniser", "not a complaint"),
        ("not a complaint", "recogniser"),
        ("recogniser", "not a complaint"),
    ]
    assert len(corrected) == 3  # each one gives the recogniser something to learn


def test_marking_again_changes_nothing_and_leaves_no_undo_step(controller, db, qtbot):
    quiet = _stored(db, "What time do you open?")
    controller.selection[:] = [quiet]
    controller.update_enabled()
    controller.set_complaint(True)
    assert controller.undo_stack.count() == 1
    controller.set_complaint(True)
    assert controller.undo_stack.count() == 1


def test_corrections_are_followed_by_background_rejudging(controller, db, db_path, qtbot):
    tricky = _stored(db, TRICKY)
    copy = _stored(db, TRICKY + "!")
    runner = SyncTaskRunner(db_path)
    relearning = ComplaintRelearning(runner)
    controller.complaintsCorrected.connect(relearning.corrected)
    controller.selection[:] = [tricky]
    controller.update_enabled()

    controller.set_complaint(False)
    assert relearning.timer.isActive()  # waits for the owner to pause
    with qtbot.waitSignal(relearning.finished, timeout=10_000) as sig:
        relearning.timer.timeout.emit()
    assert sig.args == [1]
    assert not mentions.get(db, copy).complaint
