"""The owner corrects the complaint flag; crisisdesk learns from it, on this machine.

:func:`mark` saves the owner's answer ("complaint", "not a complaint", or ``None``: take my
answer back), fixes the mention at once (flag, label, reasons, priority) and logs it in the
audit history, all in one transaction; undo is :func:`mark` with the previous answers.
:func:`install` adapts the recogniser to every answer so far (:func:`recogniser.adapt`: the
answers plus recent mentions as anchors; nothing leaves the machine) and makes it the one
this process scores with; imports hand it to their worker processes. :func:`rescore_all`
re-judges the stored mentions with it, batch by batch with progress, and never touches a
mention the owner answered.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

import sqlite_utils

from crisisdesk.analysis import recogniser, sentiment
from crisisdesk.analysis.cues import detect
from crisisdesk.analysis.reasons import reason_ids
from crisisdesk.store import complaint_corrections as store
from crisisdesk.store import events
from crisisdesk.store import mentions as mention_store

__all__ = ["OWNER_REASON", "install", "local_model", "mark", "owner_flags", "rescore_all"]

#: the reason a complaint the owner marked shows first
OWNER_REASON = "owner_marked"
#: mentions the learning keeps judging as before while it follows the answers
ANCHORS = 300
#: mentions re-judged per transaction
BATCH = 2_000

_cache: dict[str, tuple[tuple[int, str, int], recogniser.Model]] = {}


def _key(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row else ""


def local_model(db: sqlite_utils.Database) -> recogniser.Model:
    """The recogniser adapted to the owner's answers in *db* (the shipped one without any)."""
    mark_ = store.fingerprint(db)
    key = _key(db)
    known = _cache.get(key)
    if known is not None and known[0] == mark_:
        return known[1]
    if mark_[0] == 0:
        model = recogniser.base_model()
    else:
        answers = store.examples(db)
        anchors = store.unanswered_sample(db, ANCHORS)
        model = recogniser.adapt(
            ((e.text, e.sentiment, detect(e.text), e.complaint) for e in answers),
            anchors=((text, value, detect(text)) for text, value in anchors),
        )
    _cache[key] = (mark_, model)
    return model


def install(db: sqlite_utils.Database) -> recogniser.Model:
    """Score with the model adapted to *db*'s answers in this process from now on."""
    model = local_model(db)
    recogniser.use(model)
    return model


def owner_flags(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, bool]:
    """{mention id: the owner's answer} for those the owner answered."""
    return {k: v.complaint for k, v in store.for_mentions(db, ids).items()}


def _judged(text: str, value: float) -> tuple[bool, str, tuple[str, ...]]:
    """(complaint, label, reasons) by the active recogniser, the stored sentiment kept."""
    cues = detect(text)
    model = recogniser.active()
    complaint, split, answered = recogniser.decide(text, value, cues, model)
    if complaint:
        cues = reason_ids(cues, split, model.weights, model.learned, answered, model.tables.plain)
    return complaint, sentiment.label_for(value, complaint), cues


def mark(
    db: sqlite_utils.Database,
    values: Mapping[int, bool | None],
    *,
    actor: str = "me",
) -> dict[int, bool | None]:
    """Set the owner's answer per mention (``None`` takes it back: the recogniser decides
    again). Returns {id: previous answer} for the mentions whose answer changed."""
    from crisisdesk.services.priorities import rescore

    previous: dict[int, bool | None] = {}
    with db.atomic():
        known = store.for_mentions(db, values)
        for mention_id, answer in values.items():
            mention = mention_store.get(db, mention_id)
            if mention is None:
                continue
            before = known.get(mention_id)
            old = None if before is None else before.complaint
            if old == answer:
                continue
            if answer is None:
                store.delete(db, mention_id)
                complaint, label, cues = _judged(mention.text, mention.sentiment)
            else:
                recognised = before.recognised if before is not None else mention.complaint
                store.put(db, mention_id, answer, recognised)
                complaint = answer
                label = sentiment.label_for(mention.sentiment, answer)
                found = detect(mention.text)
                if answer:
                    kept = (
                        [c for c in mention.cues if c != OWNER_REASON] if mention.complaint else []
                    )
                    cues = (OWNER_REASON, *dict.fromkeys([*found, *kept]))
                else:
                    cues = found
            store.set_flag(db, mention_id, complaint, label, json.dumps(list(cues)))
            events.record(
                db,
                "mention",
                mention_id,
                "complaint",
                old=_word(old),
                new=_word(answer),
                actor=actor,
            )
            previous[mention_id] = old
        rescore(db, previous)
    return previous


def _word(answer: bool | None) -> str:
    return "recogniser" if answer is None else "complaint" if answer else "not a complaint"


def rescore_all(
    db: sqlite_utils.Database,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Re-judge every stored mention the owner did not answer with the adapted recogniser;
    returns how many flags changed. Each batch is its own transaction; *progress* gets
    (done, total), *cancelled* stops between batches."""
    from crisisdesk.services.priorities import rescore

    install(db)
    total = store.count_mentions(db)
    done = changed = 0
    after = 0
    while True:
        if cancelled is not None and cancelled():
            break
        batch = store.uncorrected_batch(db, after, BATCH)
        if not batch:
            break
        moved: list[int] = []
        with db.atomic():
            for mention_id, text, value, complaint, cues_json in batch:
                now_complaint, label, cues = _judged(text, value)
                if now_complaint != complaint or json.dumps(list(cues)) != cues_json:
                    store.set_flag(db, mention_id, now_complaint, label, json.dumps(list(cues)))
                    moved.append(mention_id)
                    changed += now_complaint != complaint
            rescore(db, moved)
        after = batch[-1][0]
        done += len(batch)
        if progress is not None:
            progress(min(done, total), total)
    return changed
