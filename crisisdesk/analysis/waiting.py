"""How long a mention has waited for an answer: the one definition.

Its own small module (it needs nothing but the clock and the statuses) so the GUI can show
waiting times without loading the scoring rules; :mod:`crisisdesk.analysis.scoring` offers it
as part of the scoring entry point.
"""

from __future__ import annotations

from datetime import UTC, datetime

from crisisdesk.domain import UNANSWERED


def hours_since(created: datetime, now: datetime) -> float:
    """Hours from *created* to *now* (both aware), never negative: clocks disagree a little."""
    return max(0.0, (now - created).total_seconds() / 3600.0)


def age_hours(created_at: str, now: datetime) -> float:
    """Hours since a mention was posted, at *now*, whatever its status (never negative; a
    *created_at* that is not a stored timestamp counts as just posted)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    try:
        # the stored form ("2026-11-23T15:04:05Z"); fromisoformat is ~30x faster than strptime
        created = datetime.fromisoformat(created_at)
    except (TypeError, ValueError):
        return 0.0
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return hours_since(created, now)


def waiting_hours(created_at: str, status: str, now: datetime) -> float | None:
    """Hours a mention has waited for an answer at *now*; ``None`` once answered or closed.

    Never negative. A naive *now* is UTC, like every stored time; a *created_at* that is not
    a stored timestamp counts as just arrived.
    """
    if status not in UNANSWERED:
        return None
    return age_hours(created_at, now)
