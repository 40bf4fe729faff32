"""The one scoring path: a new mention in, its scores out, at a given time.

Import, sync and the demo all score through here (the import's worker processes run
:func:`score_inputs` on plain :class:`ScoreInput` tuples); stored mentions are re-prioritised
with :func:`priority_of` / :func:`priority_points`. How long a mention has waited has one
definition, :func:`waiting_hours` (:func:`hours_since` when the creation time is already a
datetime).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import NamedTuple, Protocol

from crisisdesk.analysis import priority, sentiment
from crisisdesk.analysis.priority import Priority
from crisisdesk.analysis.waiting import age_hours, hours_since, waiting_hours
from crisisdesk.domain import NewMention, Scores, Status

__all__ = [
    "ScoreInput", "TextCache", "age_hours", "hours_since", "priority_of", "priority_points",
    "score", "score_input", "score_inputs", "score_many", "waiting_hours",
]  # fmt: skip


class ScoreInput(NamedTuple):
    """What scoring needs of one mention: small and picklable, for worker processes."""

    text: str
    followers: int
    likes: int
    reposts: int
    replies: int
    waiting_hours: float | None
    #: hours since posting (velocity, freshness); None: the waiting time stands in for it
    age_hours: float | None = None


def score_input(mention: NewMention, now: datetime, status: str = Status.NEW) -> ScoreInput:
    waited = waiting_hours(mention.created_at, status, now)
    return ScoreInput(
        mention.text,
        mention.author_followers,
        mention.likes,
        mention.reposts,
        mention.replies,
        waited,
        waited if waited is not None else age_hours(mention.created_at, now),
    )


class TextCache:
    """Analyses of the texts seen lately, at most *limit* of them.

    Copy-pasted posts (pile-ons, reposts quoting the same words) are common in a backlash;
    with a cache each distinct text is analysed once. When full, it starts over.
    """

    def __init__(self, limit: int = 50_000) -> None:
        self.limit = limit
        self._seen: dict[str, sentiment.Scored] = {}

    def __len__(self) -> int:
        return len(self._seen)

    def analyses(self, texts: Iterable[str]) -> dict[str, sentiment.Scored]:
        """Sentiment, label, complaint and cues of each distinct text."""
        seen = self._seen
        found: dict[str, sentiment.Scored] = {}
        missing: list[str] = []
        for text in dict.fromkeys(texts):
            known = seen.get(text)
            if known is None:
                missing.append(text)
            else:
                found[text] = known
        fresh = dict(zip(missing, sentiment.score_texts(missing), strict=True))
        if len(seen) + len(fresh) > self.limit:
            seen.clear()
        seen.update(itertools.islice(fresh.items(), self.limit))
        found.update(fresh)
        return found


def score_inputs(items: Sequence[ScoreInput], cache: TextCache | None = None) -> list[Scores]:
    """Scores for many inputs in this process (the import's workers call this with a cache)."""
    if cache is not None:
        analysed = cache.analyses(item.text for item in items)
        analyses = [analysed[item.text] for item in items]
    else:
        analyses = sentiment.score_texts([item.text for item in items])
    out: list[Scores] = []
    for (_, followers, likes, reposts, replies, waiting, age), (
        value,
        label,
        complaint,
        cues,
    ) in zip(items, analyses, strict=True):
        prio = priority.points(
            sentiment=value,
            complaint=complaint,
            cues=cues,
            followers=followers,
            likes=likes,
            reposts=reposts,
            replies=replies,
            waiting_hours=waiting,
            age_hours=age,
        )
        out.append(_scores((value, label, complaint, cues, prio)))
    return out


#: ``Scores(...)`` built by the C tuple constructor (its ``__new__`` is Python code, and the
#: import's workers build one per mention)
_scores = functools.partial(tuple.__new__, Scores)


def score(mention: NewMention, now: datetime, status: str = Status.NEW) -> Scores:
    """Sentiment, label, complaint with its cues, and priority points of *mention* at *now*."""
    return score_inputs([score_input(mention, now, status)])[0]


def score_many(
    mentions: Sequence[NewMention], now: datetime, statuses: Sequence[str] | None = None
) -> list[Scores]:
    """:func:`score` for many new mentions (status new unless *statuses* says otherwise)."""
    if statuses is None:
        return score_inputs([score_input(m, now) for m in mentions])
    return score_inputs([score_input(m, now, s) for m, s in zip(mentions, statuses, strict=True)])


# --- stored mentions: the priority moves with time and triage ---------------------------------


class Prioritised(Protocol):
    """What a stored mention has that its priority depends on (``store.mentions.Mention``)."""

    @property
    def sentiment(self) -> float: ...
    @property
    def complaint(self) -> bool: ...
    @property
    def cues(self) -> tuple[str, ...]: ...
    @property
    def author_followers(self) -> int: ...
    @property
    def likes(self) -> int: ...
    @property
    def reposts(self) -> int: ...
    @property
    def replies(self) -> int: ...
    @property
    def created_at(self) -> str: ...
    @property
    def status(self) -> str: ...


def priority_of(mention: Prioritised, now: datetime) -> Priority:
    """The priority of a stored mention at *now*, with its reason (for the detail pane).

    Waiting counts only while the status is new or open.
    """
    return priority.score(
        sentiment=mention.sentiment,
        complaint=mention.complaint,
        cues=mention.cues,
        followers=mention.author_followers,
        likes=mention.likes,
        reposts=mention.reposts,
        replies=mention.replies,
        waiting_hours=waiting_hours(mention.created_at, mention.status, now),
        age_hours=age_hours(mention.created_at, now),
    )


def priority_points(
    *,
    sentiment: float,
    complaint: bool,
    cues: Sequence[str],
    followers: int,
    likes: int,
    reposts: int,
    replies: int,
    created_at: str,
    status: str,
    now: datetime,
) -> int:
    """Just the points of :func:`priority_of`, from stored column values (bulk refreshes)."""
    return priority.points(
        sentiment=sentiment,
        complaint=complaint,
        cues=cues,
        followers=followers,
        likes=likes,
        reposts=reposts,
        replies=replies,
        waiting_hours=waiting_hours(created_at, status, now),
        age_hours=age_hours(created_at, now),
    )
