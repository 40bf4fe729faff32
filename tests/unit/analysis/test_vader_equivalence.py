"""The fast VADER scorer gives exactly the library's compound score (vaderSentiment 3.3.2).

Exact float equality, not approximate: the stored ``sentiment`` is VADER's score unmodified.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment import vaderSentiment as vader

from crisisdesk.analysis import sentiment, vader_fast
from crisisdesk.analysis.vader_fast import FastCompound
from crisisdesk.demo import generate
from tests.helpers.bench import bench_generator

_LIBRARY = vader.SentimentIntensityAnalyzer()
_FAST = FastCompound(vader, _LIBRARY.lexicon)

# words that drive VADER's rules: lexicon words, boosters, negations, "no", "least", "but",
# "kind of", "never so", "without doubt", idioms and their parts, emoticons, emoji, marks
_RULE_WORDS = [
    "good", "great", "bad", "awful", "love", "hate", "happy", "sad", "kind", "of", "sort",
    "kinda", "very", "extremely", "barely", "hardly", "slightly", "really", "so", "this",
    "never", "not", "no", "nor", "or", "isn't", "don't", "without", "doubt", "least", "at",
    "but", "BUT", "the", "bomb", "shit", "bad", "ass", "badass", "cut", "mustard", "yeah",
    "right", "lol", "GREAT", "AWFUL", "VERY", "Not", "No", "I", "uh-uh", "nope", "despite",
    "help", "problem", "thanks", "fine", "ok", ":)", ":(", ":D", "<3", "😀", "😡", "❤️", "🎂",
    "!", "!!!", "?", "???", "????", ".", ",", "...", "—", "good!", "bad?", "'never'", "(love)",
    "isnt", "wont", "ain't", "n't", "İstanbul", "ǅemal", "ß", "ﬁne",
]  # fmt: skip
_RULE_TEXT = st.lists(
    st.tuples(st.sampled_from(_RULE_WORDS), st.sampled_from([" ", " ", " ", "", "  ", "\n"])),
    max_size=25,
).map(lambda parts: "".join(w + sep for w, sep in parts))


def _library(text: str) -> float:
    return float(_LIBRARY.polarity_scores(text)["compound"])


def test_the_fast_scorer_is_in_use() -> None:
    """It agreed with the library on its start-up probes, so the analysis uses it."""
    assert sentiment._compound().__name__ == "quick"


@settings(max_examples=400, deadline=None)
@given(_RULE_TEXT)
def test_equal_to_vader_on_rule_heavy_text(text: str) -> None:
    assert sentiment._compound()(text) == _library(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_equal_to_vader_on_any_text(text: str) -> None:
    assert sentiment._compound()(text) == _library(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_RULE_WORDS) | st.text(max_size=6), max_size=30).map(" ".join))
def test_equal_to_vader_on_mixed_words_and_noise(text: str) -> None:
    assert sentiment._compound()(text) == _library(text)


def test_equal_to_vader_on_generated_bench_texts() -> None:
    gen = bench_generator()
    rng = random.Random(11)
    texts = [gen.mention_text(rng) for _ in range(3000)]
    fast = sentiment._compound()
    differing = [t for t in texts if fast(t) != _library(t)]
    assert differing == []
    # the texts exercise the rules: some score negative, some positive, some zero
    scores = {(_library(t) > 0) - (_library(t) < 0) for t in texts[:300]}
    assert scores == {-1, 0, 1}


def test_equal_to_vader_on_the_demo_corpus() -> None:
    texts = [m.text for m in generate(2000, seed=3).mentions]
    fast = sentiment._compound()
    assert [t for t in texts if fast(t) != _library(t)] == []


@pytest.mark.parametrize(
    "text",
    [
        "No good",
        "no no no",
        "not the least bit good",
        "at least it is good",
        "the very least good",
        "never so good",
        "never this bad",
        "without a doubt good",
        "without doubt, good",
        "it was the bomb",
        "bad ass cake",
        "kind of good",
        "sort of bad but good",
        "good good but bad bad good",
        "GOOD but AWFUL, VERY AWFUL",
        "I am VERY happy",
        "no problem or worry",
        "good???",
        "good????",
        "bad!!!!!!",
    ],
)
def test_equal_to_vader_on_each_rule(text: str) -> None:
    assert _FAST(text) == _library(text)


def test_equal_to_vader_when_the_token_cache_starts_over(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-token cache (word, lower-cased) forgets everything when full: the same scores."""
    monkeypatch.setattr(vader_fast, "TOKEN_CACHE_LIMIT", 7)
    fast = FastCompound(vader, _LIBRARY.lexicon)
    # FastCompound takes text with its emoji already swapped for words: ASCII texts only
    texts = [m.text.strip() for m in generate(600, seed=5).mentions if m.text.isascii()]
    assert len(texts) > 200
    assert [fast(t) for t in texts] == [_library(t) for t in texts]
    assert [fast(t) for t in reversed(texts)] == [_library(t) for t in reversed(texts)]
    assert len(fast._lowered) <= 7 + 1


@pytest.mark.parametrize(
    "text",
    [
        "the bomb",  # an idiom as the whole text: no lexicon word three words before
        "my my my the bomb great",
        "it was good, the bomb",
        "yeah right, this is good",
        "love it to die for",
        "it is kind of the best",
        "kind of good sort of great",
        "the shit",
        "Just enough good stuff here",
        "GREAT! :) ok!!! no?!",
    ],
)
def test_equal_to_vader_around_idioms(text: str) -> None:
    """Texts with (and next to) VADER's idioms and multi-word boosters: the idiom check
    is skipped only for texts with no neighbouring words of any such phrase."""
    assert _FAST(text) == _library(text)
    assert _FAST(text.upper()) == _library(text.upper())
