"""Loading the demo dataset: scored through ``analysis.scoring`` like any new mention, stored
with its replies and audit events in one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlite_utils

from crisisdesk.analysis.scoring import score_many
from crisisdesk.demo.data import DemoData, DemoReport
from crisisdesk.demo.generate import generate
from crisisdesk.domain import Scores
from crisisdesk.errors import ImportCancelled
from crisisdesk.store import bulk, events
from crisisdesk.timeutil import parse_iso


def load_demo(
    db: sqlite_utils.Database,
    count: int = 3000,
    *,
    seed: int = 7,
    now: datetime | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> DemoReport:
    """Score and store the demo dataset with its replies and audit events, in one transaction.

    Mentions already stored (same seed) are skipped with everything attached to them, so a
    second run adds nothing. ``progress(done, total)`` returning ``False`` cancels: nothing is
    written and :class:`ImportCancelled` is raised.
    """
    data = generate(count, seed=seed, now=now)
    moment = parse_iso(data.now)
    report = DemoReport(data.business, count, incident_start=data.incident_start)
    prefix = f"demo-{seed}-"
    existing = _stored_ids(db, prefix)
    fresh = [m for m in data.mentions if m.external_id not in existing]
    statuses = [data.statuses[m.external_id] for m in fresh]
    report.duplicates = len(data.mentions) - len(fresh)

    def tick(done: int) -> None:
        if progress is not None and progress(done, len(fresh)) is False:
            raise ImportCancelled("Adding the demo data was cancelled; nothing was added.")

    tick(0)
    scores: list[Scores] = []
    for start in range(0, len(fresh), 500):  # the status decides whether it is still waiting
        end = start + 500
        scores += score_many(fresh[start:end], moment, statuses[start:end])
        tick(len(scores))
    if not fresh:
        return report
    wanted = {m.external_id for m in fresh}
    with db.atomic():
        report.added = bulk.insert_new(db, fresh, scores, statuses).inserted
        ids = {ext: mid for ext, mid in _stored_ids(db, prefix).items() if ext in wanted}
        report.replies, report.events = _store_history(db, data, ids)
    report.complaints = sum(1 for s in scores if s.complaint)
    report.by_source = dict(Counter(m.source for m in fresh))
    return report


def _stored_ids(db: sqlite_utils.Database, prefix: str) -> dict[str, int]:
    """External id -> id of the stored demo mentions of one seed."""
    sql = "SELECT external_id, id FROM mentions WHERE substr(external_id, 1, ?) = ?"
    return {ext: mention_id for ext, mention_id in db.execute(sql, [len(prefix), prefix])}


def _store_history(
    db: sqlite_utils.Database, data: DemoData, ids: dict[str, int]
) -> tuple[int, int]:
    """Replies and status events of the newly stored mentions; the log is in time order."""
    # (at, order within the same second, entity, id, action, old, new, detail)
    log: list[tuple[str, int, str, int, str, str | None, str, dict[str, Any] | None]] = []
    n_replies = 0
    for r in data.replies:
        if (mention_id := ids.get(r.mention_external_id)) is None:
            continue
        cursor = db.execute(
            "INSERT INTO replies (mention_id, body, channel, state, idempotency_key, external_id,"
            " url, created_at, sent_at) VALUES (?, ?, ?, 'sent', ?, ?, ?, ?, ?)",
            [mention_id, r.body, r.channel, r.idempotency_key, r.external_id, r.url,
             r.created_at, r.sent_at],
        )  # fmt: skip
        reply_id, n_replies = int(cursor.lastrowid or 0), n_replies + 1
        sent = {"external_id": r.external_id, "url": r.url}
        log.append(
            (r.created_at, 0, "reply", reply_id, "queue", None, "queued", {"channel": r.channel})
        )
        log.append((r.sent_at, 1, "reply", reply_id, "sent", "queued", "sent", sent))
    for c in data.status_changes:
        if (mention_id := ids.get(c.mention_external_id)) is not None:
            log.append((c.at, 2, "mention", mention_id, "status", c.old, c.new, None))
    log.sort(key=lambda e: e[:4])
    for at, _, entity, entity_id, action, old, new, detail in log:
        events.record(db, entity, entity_id, action, old=old, new=new, detail=detail, at=at)
    return n_replies, len(log)
