"""The owner's complaint answers: which mentions they marked "complaint" or "not a complaint".

Saves and reads only; what follows from an answer (the mention's flag, its reasons, its
priority, what the recogniser learns) is :mod:`crisisdesk.services.complaint_learning`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from crisisdesk.timeutil import now_iso

__all__ = [
    "Correction",
    "Example",
    "delete",
    "examples",
    "fingerprint",
    "for_mentions",
    "put",
    "set_flag",
    "unanswered_sample",
    "uncorrected_batch",
]


@dataclass(frozen=True)
class Correction:
    mention_id: int
    complaint: bool  # the owner's answer
    recognised: bool  # what the recogniser had said
    at: str


@dataclass(frozen=True)
class Example:
    """A corrected mention as the recogniser learns from it."""

    text: str
    sentiment: float
    complaint: bool


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def for_mentions(db: sqlite_utils.Database, ids: Iterable[int]) -> dict[int, Correction]:
    """The owner's answers for these mentions (those without one are absent)."""
    found: dict[int, Correction] = {}
    for chunk in _chunks(list(dict.fromkeys(ids))):
        marks = ", ".join("?" for _ in chunk)
        for row in db.execute(
            "SELECT mention_id, complaint, recognised, at FROM complaint_corrections"
            f" WHERE mention_id IN ({marks})",
            list(chunk),
        ):
            found[row[0]] = Correction(row[0], bool(row[1]), bool(row[2]), row[3])
    return found


def put(db: sqlite_utils.Database, mention_id: int, complaint: bool, recognised: bool) -> None:
    db.execute(
        "INSERT INTO complaint_corrections (mention_id, complaint, recognised, at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (mention_id) DO UPDATE SET"
        " complaint = excluded.complaint, at = excluded.at",
        [mention_id, int(complaint), int(recognised), now_iso()],
    )


def delete(db: sqlite_utils.Database, mention_id: int) -> None:
    db.execute("DELETE FROM complaint_corrections WHERE mention_id = ?", [mention_id])


def set_flag(
    db: sqlite_utils.Database, mention_id: int, complaint: bool, label: str, cues_json: str
) -> None:
    """The mention's complaint flag, label and reasons (its priority is the caller's)."""
    db.execute(
        "UPDATE mentions SET complaint = ?, label = ?, cues = ? WHERE id = ?",
        [int(complaint), label, cues_json, mention_id],
    )


def examples(db: sqlite_utils.Database, limit: int = 5_000) -> list[Example]:
    """The newest corrections with their mentions' text and stored sentiment."""
    rows = db.execute(
        "SELECT m.text, m.sentiment, c.complaint FROM complaint_corrections c"
        " JOIN mentions m ON m.id = c.mention_id ORDER BY c.at DESC, c.mention_id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [Example(r[0], float(r[1]), bool(r[2])) for r in rows]


def fingerprint(db: sqlite_utils.Database) -> tuple[int, str, int]:
    """Changes whenever the set of answers does (a learned model is cached under it)."""
    row = db.execute(
        "SELECT count(*), coalesce(max(at), ''), coalesce(sum(mention_id * (complaint + 1)), 0)"
        " FROM complaint_corrections"
    ).fetchone()
    return int(row[0]), str(row[1]), int(row[2])


def unanswered_sample(db: sqlite_utils.Database, limit: int) -> list[tuple[str, float]]:
    """Texts and sentiments of the newest mentions without an owner's answer: what the
    recogniser should keep judging as it did while it learns from the answers."""
    rows = db.execute(
        "SELECT text, sentiment FROM mentions WHERE id NOT IN"
        " (SELECT mention_id FROM complaint_corrections) ORDER BY id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [(r[0], float(r[1])) for r in rows]


def uncorrected_batch(
    db: sqlite_utils.Database, after_id: int, size: int
) -> list[tuple[int, str, float, bool, str]]:
    """(id, text, sentiment, complaint, cues JSON) of mentions after *after_id* that have no
    owner's answer, in id order: re-scoring walks them batch by batch."""
    return [
        (r[0], r[1], float(r[2]), bool(r[3]), r[4])
        for r in db.execute(
            "SELECT id, text, sentiment, complaint, cues FROM mentions WHERE id > ? AND id NOT IN"
            " (SELECT mention_id FROM complaint_corrections) ORDER BY id LIMIT ?",
            [after_id, size],
        )
    ]


def count_mentions(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM mentions").fetchone()[0])
