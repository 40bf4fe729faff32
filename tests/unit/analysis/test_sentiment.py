"""analyze(): VADER's score stored as it is, plus complaint, cues and the final label."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from crisisdesk.analysis import sentiment
from crisisdesk.analysis.sentiment import (
    MAX_ANALYSED_CHARS,
    REASON_DESCRIPTIONS,
    Analysis,
    analyze,
    analyze_many,
    label_for,
)

_VADER = SentimentIntensityAnalyzer()

SAMPLES = [
    "Ordered a cake ... it never showed up. Nobody answers the phone.",
    "Great, another order lost. Thanks a lot",
    "Best croissants in town, the staff are lovely! 🥐",
    "Do you deliver on Sundays?",
    "The WORST service I have ever had!!!",
    "meh",
    "",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_sentiment_is_vaders_compound_unmodified(text: str) -> None:
    assert analyze(text).sentiment == _VADER.polarity_scores(text)["compound"]


# fmt: off
_VOCABULARY = [
    "good", "bad", "not", "never", "kind", "of", "but", "very", "GREAT", "terrible", "love",
    "hate", "cake", "late",
]
# fmt: on
_EMOJI = sorted(k for k in _VADER.emojis if len(k) == 1)
_MIXED_TEXT = st.lists(
    st.one_of(
        st.sampled_from(_EMOJI),
        st.sampled_from([" ", "  ", "\t", "\n", "!", "?", ".", ",", ":)", ":(", "\u2764\ufe0f"]),
        st.sampled_from(_VOCABULARY),
        st.text(max_size=3),
    ),
    max_size=40,
).map("".join)


def test_the_quick_path_is_in_use() -> None:
    """It agreed with the library on its probes, so the equality tests below exercise it."""
    assert sentiment._compound().__name__ == "quick"


@settings(max_examples=400, deadline=None)
@given(_MIXED_TEXT)
def test_quick_compound_equals_vader_with_emoji(text: str) -> None:
    assert analyze(text).sentiment == _VADER.polarity_scores(text)["compound"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_quick_compound_equals_vader_on_any_text(text: str) -> None:
    assert analyze(text).sentiment == _VADER.polarity_scores(text)["compound"]


def test_the_issue_examples() -> None:
    """VADER alone reads both as not negative; the customer-service layer flags them."""
    cake = analyze("Ordered a cake ... it never showed up. Nobody answers the phone.")
    assert (cake.sentiment, cake.label, cake.complaint) == (0.0, "negative", True)
    assert cake.cues[:2] == ("non_delivery", "no_response")  # the cue rules' reasons first

    lost = analyze("Great, another order lost. Thanks a lot")
    assert lost.sentiment == pytest.approx(0.6908)
    assert (lost.label, lost.complaint, lost.cues[:1]) == ("negative", True, ("sarcasm",))


@pytest.mark.parametrize(
    ("compound", "complaint", "label"),
    [
        (0.05, False, "positive"),
        (0.0499, False, "neutral"),
        (0.0, False, "neutral"),
        (-0.0499, False, "neutral"),
        (-0.05, False, "negative"),
        (0.9, True, "negative"),
        (0.0, True, "negative"),
    ],
)
def test_label_thresholds(compound: float, complaint: bool, label: str) -> None:
    assert label_for(compound, complaint) == label


def test_plain_texts_follow_vader() -> None:
    assert analyze("What a lovely day, thank you!").label == "positive"
    assert analyze("Picked up a loaf on the way home").label == "neutral"
    assert analyze("I feel sad today").label == "negative"
    assert not analyze("I feel sad today").complaint


def test_oversized_text_is_analysed_from_its_start_only() -> None:
    head = "Lovely cake, thank you so much! " * (MAX_ANALYSED_CHARS // 31 + 1)
    text = head + "Never again, you lost my order and charged me twice."
    assert len(head) > MAX_ANALYSED_CHARS
    result = analyze(text)
    assert result == analyze(text[:MAX_ANALYSED_CHARS])
    assert result.cues == ()  # the complaint is beyond what is analysed
    assert result.label == "positive"


def test_analyze_many_matches_analyze() -> None:
    assert analyze_many(SAMPLES) == [analyze(t) for t in SAMPLES]
    assert analyze_many(iter(SAMPLES)) == [analyze(t) for t in SAMPLES]
    assert analyze_many([]) == []


def test_analysis_is_immutable() -> None:
    result = analyze("hello")
    with pytest.raises(AttributeError):
        result.label = "positive"  # type: ignore[misc]


def test_analyze_many_in_worker_processes() -> None:
    """Import workers are separate processes: each builds its own analyzer and agrees."""
    chunks = [SAMPLES[:3], SAMPLES[3:]]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(analyze_many, chunks))
    assert results[0] + results[1] == analyze_many(SAMPLES)


def test_vader_is_built_lazily_once_per_process() -> None:
    code = (
        "import sys\n"
        "import crisisdesk.analysis.sentiment as s\n"
        "assert 'vaderSentiment.vaderSentiment' not in sys.modules\n"
        "s.analyze('x'); s.analyze('y')\n"
        "assert 'vaderSentiment.vaderSentiment' in sys.modules\n"
        "assert s._analyzer() is s._analyzer()\n"
        "assert s._analyzer.cache_info().misses == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_analyzer_is_shared_in_this_process() -> None:
    assert sentiment._analyzer() is sentiment._analyzer()


def _check(result: Analysis) -> None:
    assert -1.0 <= result.sentiment <= 1.0
    assert result.label in ("negative", "neutral", "positive")
    assert set(result.cues) <= set(REASON_DESCRIPTIONS)
    if result.complaint:
        assert result.cues
        assert result.label == "negative"
    else:
        assert result.label == label_for(result.sentiment, False)
    if not result.cues:
        assert not result.complaint


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_analyze_never_raises_and_is_consistent(text: str) -> None:
    _check(analyze(text))


# fmt: off
_WORDS = st.sampled_from([
    "never", "arrived", "great", "another", "lost", "thanks", "nothing", "refund", "waiting",
    "hours", "rude", "staff", "not", "happy", "love", "the", "my", "order", "was", "cake",
    "again", "😡", "!", "?", ".", ",", "1", "star", "wrong", "late", "cold",
])
# fmt: on


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join))
def test_label_and_complaint_agree_on_complaint_like_text(text: str) -> None:
    _check(analyze(text))


def test_surrogates_and_control_characters() -> None:
    for text in ["\ud800 never arrived", "\x00\x1b[31mrefund\x00", "\u200bnever\u200b again"]:
        _check(analyze(text))
