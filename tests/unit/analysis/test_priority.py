"""Priority: bounded, monotonic in every driver, explained in one plain sentence."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.analysis.cues import CUE_DESCRIPTIONS
from crisisdesk.analysis.priority import WAITING_CAP_HOURS, Priority, points, score


def _args(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "sentiment": 0.0,
        "complaint": False,
        "cues": (),
        "followers": 0,
        "likes": 0,
        "reposts": 0,
        "replies": 0,
        "waiting_hours": 0.0,
    }
    args.update(overrides)
    return args


_counts = st.integers(min_value=0, max_value=10**9)
_cues = st.lists(st.sampled_from([*CUE_DESCRIPTIONS, "unknown_cue"]), max_size=4).map(tuple)
_waiting = st.one_of(st.none(), st.floats(min_value=0, max_value=10_000))


@st.composite
def _mention(draw: st.DrawFn) -> dict[str, Any]:
    complaint = draw(st.booleans())
    return _args(
        sentiment=draw(st.floats(min_value=-1, max_value=1)),
        complaint=complaint,
        cues=draw(_cues) if complaint else (),
        followers=draw(_counts),
        likes=draw(_counts),
        reposts=draw(_counts),
        replies=draw(_counts),
        waiting_hours=draw(_waiting),
    )


def _points(args: dict[str, Any]) -> int:
    result = score(**args)
    assert result.score == points(**args)
    return result.score


@settings(max_examples=300, deadline=None)
@given(_mention())
def test_score_is_within_bounds_and_reason_is_one_sentence(args: dict[str, Any]) -> None:
    result = score(**args)
    assert 0 <= result.score <= 100
    assert result.reason[0].isupper()
    assert result.reason.endswith(".")
    assert ". " not in result.reason  # one sentence
    assert result.score == points(**args)


@settings(max_examples=300, deadline=None)
@given(_mention(), st.floats(min_value=0, max_value=2))
def test_more_negative_never_lowers(args: dict[str, Any], drop: float) -> None:
    worse = {**args, "sentiment": max(-1.0, args["sentiment"] - drop)}
    assert _points(worse) >= _points(args)


@settings(max_examples=300, deadline=None)
@given(_mention())
def test_being_a_complaint_never_lowers(args: dict[str, Any]) -> None:
    assert _points({**args, "complaint": True}) >= _points({**args, "complaint": False})


@settings(max_examples=200, deadline=None)
@given(_mention(), _cues)
def test_more_cues_on_a_complaint_never_lower(args: dict[str, Any], extra: tuple[str, ...]) -> None:
    complaint = {**args, "complaint": True}
    assert _points({**complaint, "cues": (*args["cues"], *extra)}) >= _points(complaint)


@settings(max_examples=300, deadline=None)
@given(
    _mention(),
    st.sampled_from(["followers", "likes", "reposts", "replies"]),
    st.integers(min_value=0, max_value=10**9),
)
def test_more_reach_never_lowers(args: dict[str, Any], field: str, more: int) -> None:
    assert _points({**args, field: args[field] + more}) >= _points(args)


@settings(max_examples=300, deadline=None)
@given(_mention(), st.floats(min_value=0, max_value=1000))
def test_longer_waiting_never_lowers(args: dict[str, Any], more: float) -> None:
    waited = args["waiting_hours"] or 0.0
    assert _points({**args, "waiting_hours": waited + more}) >= _points(
        {**args, "waiting_hours": waited}
    )
    # answered (None) counts like no waiting at all
    assert _points({**args, "waiting_hours": None}) == _points({**args, "waiting_hours": 0.0})


def test_waiting_stops_growing_at_the_cap() -> None:
    at_cap = _points(_args(waiting_hours=WAITING_CAP_HOURS))
    assert _points(_args(waiting_hours=WAITING_CAP_HOURS * 10)) == at_cap
    assert _points(_args(waiting_hours=WAITING_CAP_HOURS / 2)) < at_cap
    assert _points(_args(waiting_hours=1)) > _points(_args(waiting_hours=0))


def test_the_mildest_complaint_outranks_any_mention_that_is_not_negative() -> None:
    mild_complaint = _points(_args(complaint=True, sentiment=0.9, waiting_hours=None))
    loudest_praise = _points(
        _args(
            sentiment=0.0,
            followers=10**9,
            likes=10**9,
            reposts=10**9,
            replies=10**9,
            waiting_hours=1e6,
        )
    )
    assert mild_complaint > loudest_praise


def test_health_and_safety_complaints_rank_above_other_complaints() -> None:
    base = _args(complaint=True, sentiment=-0.5, waiting_hours=2)
    food = _points({**base, "cues": ("health_safety",)})
    late = _points({**base, "cues": ("waiting",)})
    assert food > late


def test_extremes_are_clamped() -> None:
    assert score(**_args()).score == 0
    top = score(
        **_args(
            sentiment=-1.0,
            complaint=True,
            cues=("health_safety",),
            followers=10**12,
            likes=10**12,
            reposts=10**12,
            replies=10**12,
            waiting_hours=math.inf,
        )
    )
    assert top.score == 100


@pytest.mark.parametrize(
    "weird",
    [
        {"sentiment": math.nan},
        {"sentiment": -math.inf},
        {"sentiment": 5.0},
        {"followers": -50, "likes": -1, "reposts": -3, "replies": -9},
        {"waiting_hours": -3.0},
        {"waiting_hours": math.nan},
        {"waiting_hours": math.inf},
        {"complaint": True, "cues": ("not_a_cue", "")},
    ],
)
def test_odd_inputs_still_give_a_bounded_score_and_a_sentence(weird: dict[str, Any]) -> None:
    result = score(**_args(**weird))
    assert 0 <= result.score <= 100
    assert result.reason.endswith(".")


# --- reasons ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        (
            {"complaint": True, "cues": ("non_delivery",), "followers": 12_000, "waiting_hours": 5},
            "Complaint (order never arrived) from an account with 12k followers, waiting 5 hours.",
        ),
        (
            # most important cues first, at most two
            {
                "complaint": True,
                "cues": ("waiting", "no_response", "health_safety"),
                "waiting_hours": 1.5,
            },
            "Complaint (health or safety problem; no answer from the business), waiting 1 hour.",
        ),
        (
            {"sentiment": 0.8, "waiting_hours": None},
            "Positive mention, already answered.",
        ),
        (
            {"sentiment": -0.3, "likes": 40, "reposts": 12, "replies": 3, "waiting_hours": 0.2},
            "Negative mention with 40 likes, 12 reposts and 3 replies, waiting 12 minutes.",
        ),
        (
            {
                "sentiment": -0.9,
                "followers": 1_234,
                "likes": 1,
                "reposts": 10,
                "waiting_hours": 50,
            },
            "Very negative mention from an account with 1.2k followers, "
            "with 1 like and 10 reposts, waiting 2 days.",
        ),
        (
            {"followers": 3_400_000, "waiting_hours": 0},
            "Neutral mention from an account with 3.4M followers.",
        ),
        (
            {"complaint": True, "cues": ("made_up",), "followers": 999, "waiting_hours": 0.001},
            "Complaint, waiting 1 minute.",
        ),
        (
            # likes + 2 x (reposts + replies) = 9: below the 10 worth mentioning
            {"replies": 1, "likes": 7, "waiting_hours": 24},
            "Neutral mention, waiting 24 hours.",
        ),
        (
            {"replies": 1, "likes": 8, "waiting_hours": 24},
            "Neutral mention with 8 likes and 1 reply, waiting 24 hours.",
        ),
        (
            {"replies": 5, "waiting_hours": 24},
            "Neutral mention with 5 replies, waiting 24 hours.",
        ),
    ],
)
def test_reason_names_the_main_drivers(overrides: dict[str, Any], reason: str) -> None:
    assert score(**_args(**overrides)).reason == reason


def test_priority_is_a_small_immutable_value() -> None:
    result = score(**_args())
    assert isinstance(result, Priority)
    with pytest.raises(AttributeError):
        result.score = 5  # type: ignore[misc]
