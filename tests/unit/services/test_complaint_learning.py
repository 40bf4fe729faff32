"""The owner's complaint answers: saved with the mention, undone, kept across a restart, in
the audit log, and learned from (on this machine) by later scoring."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.analysis import recogniser
from crisisdesk.analysis.sentiment import analyze, score_text
from crisisdesk.services import complaint_learning
from crisisdesk.store import events, mentions, open_database
from tests.helpers.builders import insert_mentions, mention_row

TRICKY = "Never again will I doubt their sourdough"  # kind, but the recogniser flags it
CLEAR = "Ordered a birthday cake for Saturday and it never arrived, nobody answers the phone"


@pytest.fixture(autouse=True)
def _shipped_model_after() -> Iterator[None]:
    yield
    recogniser.use(None)  # what a test taught must not leak into the next one


def _stored(db: Any, text: str) -> int:
    (
        value,
        label,
        complaint,
        cues,
    ) = score_text(text)
    (mention_id,) = insert_mentions(
        db,
        [mention_row(text=text, sentiment=value, label=label, complaint=complaint,
                     cues=list(cues), priority=50)],
    )  # fmt: skip
    return mention_id


def test_an_answer_fixes_the_mention_at_once_and_is_logged(db: Any) -> None:
    tricky = _stored(db, TRICKY)
    assert mentions.get(db, tricky).complaint  # type: ignore[union-attr]

    previous = complaint_learning.mark(db, {tricky: False})

    assert previous == {tricky: None}
    after = mentions.get(db, tricky)
    assert after is not None and not after.complaint
    assert after.label != "negative" or after.sentiment <= -0.05
    assert after.priority < 50  # re-prioritised as what it now is
    (event,) = [e for e in events.for_entity(db, "mention", tricky) if e.action == "complaint"]
    assert (event.old, event.new, event.actor) == ("recogniser", "not a complaint", "me")
    assert complaint_learning.owner_flags(db, [tricky]) == {tricky: False}


def test_marking_a_complaint_gives_the_owners_reason_first(db: Any) -> None:
    quiet = _stored(db, "Is the shop open on Sunday?")
    complaint_learning.mark(db, {quiet: True})
    after = mentions.get(db, quiet)
    assert after is not None and after.complaint and after.label == "negative"
    assert after.cues[0] == complaint_learning.OWNER_REASON


def test_undo_puts_back_what_the_recogniser_said(db: Any) -> None:
    tricky = _stored(db, TRICKY)
    before = mentions.get(db, tricky)
    previous = complaint_learning.mark(db, {tricky: False})
    undone = complaint_learning.mark(db, previous)
    assert undone == {tricky: False}
    after = mentions.get(db, tricky)
    assert after is not None
    assert (after.complaint, after.label, after.cues) == (True, before.label, before.cues)  # type: ignore[union-attr]
    assert complaint_learning.owner_flags(db, [tricky]) == {}
    assert [e.new for e in events.for_entity(db, "mention", tricky)] == [
        "not a complaint",
        "recogniser",
    ]
    assert complaint_learning.mark(db, {tricky: None}) == {}  # nothing to change


def test_answers_survive_a_restart_and_change_later_scoring(db_path: Path) -> None:
    db = open_database(db_path)
    tricky = _stored(db, TRICKY)
    complaint_learning.mark(db, {tricky: False})
    db.close()

    reopened = open_database(db_path)
    assert complaint_learning.owner_flags(reopened, [tricky]) == {tricky: False}
    assert analyze("@bakery " + TRICKY + "!").complaint  # the shipped model, as before
    complaint_learning.install(reopened)
    # a copy of the same words (a pile-on, a repost) now follows the owner's answer
    assert not analyze("@bakery " + TRICKY + "!").complaint
    assert analyze(CLEAR).complaint  # one answer does not unflag everything
    reopened.close()


def test_rescoring_follows_the_answers_and_never_moves_an_owners_flag(db: Any) -> None:
    tricky = _stored(db, TRICKY)
    copy = _stored(db, TRICKY + " !!")
    marked = _stored(db, "What time do you open?")
    complaint_learning.mark(db, {tricky: False, marked: True})
    seen: list[tuple[int, int]] = []

    changed = complaint_learning.rescore_all(db, progress=lambda d, t: seen.append((d, t)))

    assert changed == 1  # the copy
    assert not mentions.get(db, copy).complaint  # type: ignore[union-attr]
    assert mentions.get(db, marked).complaint  # type: ignore[union-attr]  # the owner's
    assert not mentions.get(db, tricky).complaint  # type: ignore[union-attr]
    assert seen and seen[-1] == (1, 3)  # the two answered ones are not walked


def test_rescoring_stops_when_cancelled(db: Any) -> None:
    _stored(db, TRICKY)
    assert complaint_learning.rescore_all(db, cancelled=lambda: True) == 0


def test_an_unknown_mention_is_ignored(db: Any) -> None:
    assert complaint_learning.mark(db, {987_654: True}) == {}
