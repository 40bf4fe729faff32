"""The one scoring path: a new mention in, its scores out, at a given time.

Import, sync and the demo all score through here (the import's worker processes run
:func:`score_inputs` on plain :class:`ScoreInput` tuples); stored mentions are re-prioritised
with :func:`priority_of` / :func:`priority_points`. How long a mention has waited has one
definition, :func:`waiting_hours`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from crisisdesk.analysis import priority, sentiment
from crisisdesk.analysis.waiting import waiting_hours
from crisisdesk.domain import NewMention, Scores, Sentiment, Status

__all__ = ["ScoreInput", "score", "score_input", "score_inputs", "score_many", "waiting_hours"]


class ScoreInput(NamedTuple):
    """What scoring needs of one mention: small and picklable, for worker processes."""

    text: str
    followers: int
    likes: int
    reposts: int
    replies: int
    waiting_hours: float | None


def score_input(mention: NewMention, now: datetime, status: str = Status.NEW) -> ScoreInput:
    return ScoreInput(
        mention.text,
        mention.author_followers,
        mention.likes,
        mention.reposts,
        mention.replies,
        waiting_hours(mention.created_at, status, now),
    )


def score_inputs(items: Sequence[ScoreInput]) -> list[Scores]:
    """Scores for many inputs in this process (the import's workers call this)."""
    out: list[Scores] = []
    for text, followers, likes, reposts, replies, waiting in items:
        value, label, complaint, cues = sentiment.score_text(text)
        prio = priority.points(
            sentiment=value,
            complaint=complaint,
            cues=cues,
            followers=followers,
            likes=likes,
            reposts=reposts,
            replies=replies,
            waiting_hours=waiting,
        )
        out.append(Scores(value, Sentiment(label), complaint, cues, prio))
    return out


def score(mention: NewMention, now: datetime, status: str = Status.NEW) -> Scores:
    """Sentiment, label, complaint with its cues, and priority points of *mention* at *now*."""
    return score_inputs([score_input(mention, now, status)])[0]


def score_many(mentions: Sequence[NewMention], now: datetime) -> list[Scores]:
    """:func:`score` for many new mentions (status new)."""
    return score_inputs([score_input(m, now) for m in mentions])
