"""Properties of the tone check on any text: spans inside the text, score in 0..100, never a
crash; and the speed the composer relies on."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.analysis.tone import check
from crisisdesk.domain import Platform

PIECES = st.sampled_from(
    [
        "CALM DOWN", "!!!", "sorry", "we did nothing wrong", "you should have", "{name}",
        "[NAME]", "sam@example.com", "07700 900123", "4111 1111 1111 1111", "order #12345",
        "🎂", "👨‍👩‍👧", "日本", "https://example.com/x", " ", "\n", "é", "DM us", "ridiculous",
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=400), st.lists(PIECES | st.text(max_size=8)).map("".join))


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([None, *Platform]), st.booleans())
def test_spans_are_inside_the_text_and_score_in_range(
    text: str, platform: Platform | None, public: bool
) -> None:
    report = check(text, platform=platform, public=public)
    assert 0 <= report.score <= 100
    for item in (*report.findings, *report.strengths):
        assert (item.start is None) == (item.end is None)
        if item.start is not None and item.end is not None:
            assert 0 <= item.start < item.end <= len(text)
    assert report.length.used >= 0


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_in_reply_to_never_breaks_the_check(complaint: str) -> None:
    report = check("I'm sorry, we'll fix it.", in_reply_to=complaint)
    assert 0 <= report.score <= 100


def test_a_2000_character_draft_is_checked_in_under_20_ms() -> None:
    sentence = (
        "Hi Sam, I'm so sorry about your order #4821, that's NOT ok!! We did nothing wrong, "
        "you should have read the policy; please DM us at hello@bakery.example. "
    )
    text = (sentence * 20)[:2000]
    check(text, platform=Platform.X)  # warm up: regexes compile on first use
    best = min(_timed(text) for _ in range(5))
    assert best < 0.020, f"{best * 1000:.1f} ms"


def _timed(text: str) -> float:
    started = time.perf_counter()
    check(text, platform=Platform.X, own_contacts=("hello@bakery.example",))
    return time.perf_counter() - started
