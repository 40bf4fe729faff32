"""analysis.scoring: the one scoring path and the one waiting-time definition."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from crisisdesk.analysis import priority
from crisisdesk.analysis.scoring import (
    ScoreInput,
    TextCache,
    hours_since,
    priority_of,
    priority_points,
    score,
    score_inputs,
    score_many,
    waiting_hours,
)
from crisisdesk.domain import NewMention, Sentiment, Status
from crisisdesk.timeutil import to_iso

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _new(text: str, hours_ago: float, **kw: object) -> NewMention:
    created = to_iso(NOW - timedelta(hours=hours_ago))
    return NewMention("mastodon", f"id-{text}", text, created, to_iso(NOW), **kw)  # type: ignore[arg-type]


def test_hours_since_is_never_negative_and_agrees_with_waiting_hours() -> None:
    assert hours_since(NOW - timedelta(hours=3), NOW) == pytest.approx(3)
    assert hours_since(NOW + timedelta(hours=3), NOW) == 0.0  # clock skew
    created = NOW - timedelta(hours=7, minutes=30)
    assert waiting_hours(to_iso(created), Status.NEW, NOW) == hours_since(created, NOW)
    assert waiting_hours(to_iso(created), Status.RESOLVED, NOW) is None


def test_a_text_cache_gives_the_same_scores_and_stays_bounded() -> None:
    texts = ["Still waiting for my refund", "Lovely bread", "Still waiting for my refund"]
    items = [ScoreInput(t, 10 * n, n, 0, 1, float(n)) for n, t in enumerate(texts * 4)]
    cache = TextCache(limit=1)
    assert score_inputs(items, cache) == score_inputs(items)
    assert len(cache) <= 1
    assert score_inputs(items, cache) == score_inputs(items)  # after starting over, the same


def test_score_of_a_new_mention_uses_its_reach_and_waiting_time() -> None:
    mention = _new("My cake never arrived and nobody answers", 5, author_followers=12_000)
    got = score(mention, NOW)
    assert got.label is Sentiment.NEGATIVE and got.complaint
    assert got.priority == priority.points(
        sentiment=got.sentiment, complaint=True, cues=got.cues, followers=12_000, likes=0,
        reposts=0, replies=0, waiting_hours=5.0,
    )  # fmt: skip
    answered = score_many([mention], NOW, [Status.REPLIED])[0]
    assert answered.priority < got.priority  # no waiting points once answered
    assert score_many([mention], NOW) == [got]


def test_priority_of_a_stored_mention_and_its_points_agree() -> None:
    stored = SimpleNamespace(
        sentiment=-0.5, complaint=True, cues=("refund",), author_followers=300, likes=4,
        reposts=1, replies=2, created_at=to_iso(NOW - timedelta(hours=2)), status="open",
    )  # fmt: skip
    found = priority_of(stored, NOW)
    assert "posted 2 hours ago" in found.reason
    assert found.score == priority_points(
        sentiment=-0.5, complaint=True, cues=("refund",), followers=300, likes=4, reposts=1,
        replies=2, created_at=stored.created_at, status="open", now=NOW,
    )  # fmt: skip
