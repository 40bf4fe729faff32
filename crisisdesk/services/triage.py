"""Triage: status, assignee. The GUI and the CLI change a mention's triage state through here,
so that what follows from a change (an answered mention stops gaining waiting points, undo
brings them back) happens in the same transaction, whoever made it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sqlite_utils

from crisisdesk.store import mentions


def _rescore(db: sqlite_utils.Database, ids: Iterable[int]) -> None:
    """:func:`crisisdesk.services.priorities.rescore`, imported on first use: the window imports
    this module at start-up, and the scoring rules compile ~70 ms of regular expressions on
    import, which the first triage change (on a worker thread) pays instead of the first paint."""
    from crisisdesk.services.priorities import rescore as rescore_priorities

    rescore_priorities(db, ids)


def set_status(
    db: sqlite_utils.Database, ids: Iterable[int], status: str, *, actor: str = "me"
) -> dict[int, str]:
    """Set one status on many mentions and re-prioritise them. Returns {id: previous status}
    for those that changed."""
    with db.atomic():
        previous = mentions.set_status(db, ids, status, actor=actor)
        _rescore(db, previous)
    return previous


def restore_statuses(
    db: sqlite_utils.Database, previous: Mapping[int, str], *, actor: str = "me"
) -> dict[int, str]:
    """Put back per-mention statuses (undo) and re-prioritise them. Logged like any change."""
    with db.atomic():
        undone = mentions.restore_statuses(db, previous, actor=actor)
        _rescore(db, undone)
    return undone


def set_assignee(
    db: sqlite_utils.Database,
    ids_or_values: Iterable[int] | Mapping[int, str | None],
    assignee: str | None = None,
    *,
    actor: str = "me",
) -> dict[int, str | None]:
    """Assign mentions to a person (``None`` unassigns). A mapping sets per-id values (undo).
    Who answers does not change a priority."""
    return mentions.set_assignee(db, ids_or_values, assignee, actor=actor)
