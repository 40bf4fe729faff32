"""Priority: bounded, monotonic in what should only push a mention up, in the intended order
for a live backlash (a table of scenarios), explained in one plain sentence."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.analysis.priority import (
    FRESH_HOURS,
    WAITING_CAP_HOURS,
    WAITING_POINTS,
    Priority,
    points,
    score,
)
from crisisdesk.analysis.reasons import REASON_DESCRIPTIONS


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
        "age_hours": None,
    }
    args.update(overrides)
    return args


_counts = st.integers(min_value=0, max_value=10**9)
_cues = st.lists(st.sampled_from([*REASON_DESCRIPTIONS, "unknown_cue"]), max_size=4).map(tuple)
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
def test_unanswered_never_ranks_below_answered(args: dict[str, Any], age: float) -> None:
    answered = {**args, "waiting_hours": None, "age_hours": age}
    assert _points({**args, "waiting_hours": age, "age_hours": age}) >= _points(answered)


@settings(max_examples=300, deadline=None)
@given(_mention(), st.floats(min_value=0, max_value=5000), st.floats(min_value=0, max_value=1))
def test_at_the_same_age_longer_waiting_never_lowers(
    args: dict[str, Any], age: float, share: float
) -> None:
    """Waiting is a tie-break: a mention reopened later waits less than its age."""
    base = {**args, "age_hours": age}
    assert _points({**base, "waiting_hours": age}) >= _points(
        {**base, "waiting_hours": age * share}
    )


@settings(max_examples=300, deadline=None)
@given(_mention(), st.floats(min_value=0, max_value=FRESH_HOURS), st.floats(0, 1))
def test_while_new_an_older_post_never_ranks_higher(
    args: dict[str, Any], older: float, share: float
) -> None:
    """Within the first days, what is fresher (with the same counts) comes first."""
    newer = older * share
    old = _points({**args, "waiting_hours": older, "age_hours": older})
    assert old <= _points({**args, "waiting_hours": newer, "age_hours": newer})


@settings(max_examples=300, deadline=None)
@given(_mention(), st.floats(min_value=FRESH_HOURS, max_value=10_000), st.floats(0, 10_000))
def test_after_that_waiting_rises_slowly_as_a_tie_break(
    args: dict[str, Any], age: float, more: float
) -> None:
    """Past the fresh window an old unanswered post gains at most the waiting points."""
    before = _points({**args, "waiting_hours": age, "age_hours": age})
    after = _points({**args, "waiting_hours": age + more, "age_hours": age + more})
    assert after <= before + WAITING_POINTS + 1  # +1: rounding


def test_waiting_stops_growing_at_the_cap() -> None:
    at_cap = _points(_args(waiting_hours=WAITING_CAP_HOURS))
    assert _points(_args(waiting_hours=WAITING_CAP_HOURS * 10)) == at_cap
    assert _points(_args(waiting_hours=WAITING_CAP_HOURS / 2)) <= at_cap
    assert _points(_args(waiting_hours=1)) <= _points(_args(waiting_hours=0))  # fresh first


def test_the_mildest_complaint_outranks_any_quiet_mention_that_is_not_negative() -> None:
    mild_complaint = _points(_args(complaint=True, sentiment=0.9, waiting_hours=None))
    loudest_quiet = _points(_args(sentiment=0.0, followers=10**9, waiting_hours=0.0))
    longest_waiting = _points(_args(sentiment=0.0, followers=10**9, waiting_hours=1e6))
    assert mild_complaint > max(loudest_quiet, longest_waiting)


def test_health_and_safety_complaints_rank_above_other_complaints() -> None:
    base = _args(complaint=True, sentiment=-0.5, waiting_hours=2)
    food = _points({**base, "cues": ("health_safety",)})
    late = _points({**base, "cues": ("waiting",)})
    assert food > late


def test_extremes_are_clamped() -> None:
    assert score(**_args(waiting_hours=None)).score == 0
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
            age_hours=0.0,
        )
    )
    assert top.score == 100


# --- the intended order in a live backlash -------------------------------------------------

HOUR = 1.0
DAY = 24.0

#: (name, mention): each ranks strictly above the next
SCENARIOS: list[tuple[str, dict[str, Any]]] = [
    (
        "a fresh viral complaint",
        _args(complaint=True, sentiment=-0.5, cues=("refund",), followers=300, likes=800,
              reposts=250, replies=40, waiting_hours=2 * HOUR),
    ),
    (
        "a trading-standards threat with 310 likes, half a day old",
        _args(complaint=True, sentiment=-0.4, cues=("escalation",), followers=150, likes=310,
              reposts=12, replies=9, waiting_hours=12 * HOUR),
    ),
    (
        "a fresh refund complaint from a 12k-follower account",
        _args(complaint=True, sentiment=-0.3, cues=("refund",), followers=12_000,
              waiting_hours=1 * HOUR),
    ),
    (
        "an old unanswered complaint (18 days), with a threat and some reach",
        _args(complaint=True, sentiment=-0.8, cues=("escalation", "non_delivery"),
              followers=4_000, likes=25, reposts=3, replies=4, waiting_hours=18 * DAY),
    ),
    (
        "an old unanswered complaint (20 days)",
        _args(complaint=True, sentiment=-0.4, cues=("non_delivery",), followers=200, likes=2,
              waiting_hours=20 * DAY),
    ),
    (
        "a fresh question",
        _args(sentiment=0.0, followers=200, waiting_hours=1 * HOUR),
    ),
    (
        "old praise",
        _args(sentiment=0.8, followers=200, likes=3, waiting_hours=None, age_hours=10 * DAY),
    ),
]  # fmt: skip


def test_scenarios_rank_in_the_intended_order() -> None:
    ranked = [(name, _points(args)) for name, args in SCENARIOS]
    for (upper, high), (lower, low) in itertools.pairwise(ranked):
        assert high > low, f"{upper} ({high}) should rank above {lower} ({low})"


def test_a_fresh_big_account_complaint_beats_every_old_demo_style_complaint() -> None:
    """The issue's case: a 1-hour-old refund complaint from a 12k account sank below 131
    complaints 16-20 days old. Now it beats any complaint of that age short of a viral one."""
    fresh = _points(SCENARIOS[2][1])
    for cues in [("health_safety",), ("escalation", "refund"), ("never_again", "rude_staff")]:
        for followers in (50, 2_000, 8_000):
            for days in (16, 18, 20):
                old = _args(complaint=True, sentiment=-0.9, cues=cues, followers=followers,
                            likes=20, reposts=2, replies=3, waiting_hours=days * DAY)  # fmt: skip
                assert fresh > _points(old), (cues, followers, days)


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
            "Complaint (order never arrived) from an account with 12k followers, posted 5 hours"
            " ago, not answered yet.",
        ),
        (
            # most important cues first, at most two
            {
                "complaint": True,
                "cues": ("waiting", "no_response", "health_safety"),
                "waiting_hours": 1.5,
            },
            "Complaint (health or safety problem; no answer from the business), posted 1 hour ago,"
            " not answered yet.",
        ),
        (
            {"sentiment": 0.8, "waiting_hours": None},
            "Positive mention, already answered.",
        ),
        (
            {"sentiment": -0.3, "likes": 40, "reposts": 12, "replies": 3, "waiting_hours": 0.2},
            "Negative mention with 40 likes, 12 reposts and 3 replies (about 140 an hour), posted"
            " 12 minutes ago, not answered yet.",
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
            "with 1 like and 10 reposts, posted 2 days ago, not answered yet.",
        ),
        (
            {"followers": 3_400_000, "waiting_hours": 0},
            "Neutral mention from an account with 3.4M followers, posted 1 minute ago, not"
            " answered yet.",
        ),
        (
            {"complaint": True, "cues": ("made_up",), "followers": 999, "waiting_hours": 0.001},
            "Complaint, posted 1 minute ago, not answered yet.",
        ),
        (
            # likes + 2 x (reposts + replies) = 9: below the 10 worth mentioning
            {"replies": 1, "likes": 7, "waiting_hours": 24},
            "Neutral mention, posted 24 hours ago, not answered yet.",
        ),
        (
            {"replies": 1, "likes": 8, "waiting_hours": 24},
            "Neutral mention with 8 likes and 1 reply, posted 24 hours ago, not answered yet.",
        ),
        (
            {"replies": 5, "waiting_hours": 24},
            "Neutral mention with 5 replies, posted 24 hours ago, not answered yet.",
        ),
    ],
)
def test_reason_names_the_main_drivers(overrides: dict[str, Any], reason: str) -> None:
    """Fresh posts say how new they are (freshness and velocity drive the score); old ones
    how long they have waited (the tie-break)."""
    assert score(**_args(**overrides)).reason == reason


def test_old_unanswered_mentions_say_how_long_they_waited() -> None:
    reason = score(**_args(complaint=True, cues=("refund",), waiting_hours=19 * 24)).reason
    assert reason == "Complaint (wants their money back), waiting 19 days."


def test_priority_is_a_small_immutable_value() -> None:
    result = score(**_args())
    assert isinstance(result, Priority)
    with pytest.raises(AttributeError):
        result.score = 5  # type: ignore[misc]
