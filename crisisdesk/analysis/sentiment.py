"""Sentiment (VADER, stored unmodified) plus the customer-service layer VADER lacks.

VADER reads "Ordered a cake ... it never showed up. Nobody answers the phone." as neutral (0.0)
and "Great, another order lost. Thanks a lot" as positive (+0.69). The complaint cues in
:mod:`crisisdesk.analysis.cues` catch both, and a complaint is always labelled negative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from crisisdesk.analysis import recogniser
from crisisdesk.analysis.cues import detect
from crisisdesk.analysis.reasons import REASON_DESCRIPTIONS, explain, reason_ids
from crisisdesk.analysis.vader_fast import FastCompound
from crisisdesk.domain import Sentiment

__all__ = [
    "LABELS",
    "MAX_ANALYSED_CHARS",
    "REASON_DESCRIPTIONS",
    "Analysis",
    "Scored",
    "analyze",
    "analyze_many",
    "explain",
    "label_for",
    "score_text",
    "score_texts",
]

LABELS: tuple[str, ...] = tuple(s.value for s in Sentiment)
#: VADER's own thresholds for its compound score
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
#: VADER's run time grows with the square of the length (100k characters take seconds), and no
#: social post is this long; only the start of an oversized text is analysed.
MAX_ANALYSED_CHARS = 10_000


@dataclass(frozen=True, slots=True)
class Analysis:
    sentiment: float  # VADER compound score, stored unmodified
    label: Sentiment  # a complaint is always negative
    complaint: bool
    #: for a complaint, why: reason ids, most important first (see REASON_DESCRIPTIONS);
    #: otherwise the cue rules that fired, if any
    cues: tuple[str, ...]


@cache
def _analyzer() -> Any:
    """One VADER analyzer per process, built on first use (import workers are processes)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


# texts on which the quick path must agree with the library before it is used
_PROBES = (
    "",
    "   padded   ",
    "Great service :) but the cake was kind of dry",
    "NOT bad at all!!! Really, REALLY good.",
    "never arrived 😡😡 nobody answers",
    "I ❤️ this bakery🥐so much",
    "😀 starts and ends 😀",
    "tab\tand\nnewline 🎂",
    "No good, no. Not the least bit helpful, at least not really. Least happy ever",
    "never so good, without a doubt the bomb ... sort of nice, kind of awful??? ok???? yes",
    "It was GREAT but EXTREMELY late, but fine, good good but bad bad",
    "no problem or worry, no help nor thanks; I don't hate it, it isn't bad",
)


@cache
def _compound() -> Callable[[str], float]:
    """VADER's compound score, identical to ``polarity_scores(text)["compound"]``.

    ``polarity_scores`` first swaps emoji for words with a Python loop over every character,
    a fifth of its time. This does the same swap looking only at non-ASCII characters (found
    by a regex, in C), then scores the words with :class:`~crisisdesk.analysis.vader_fast.
    FastCompound` (VADER 3.3.2's rules with each word lower-cased once, about three times
    faster). It checks itself against the library on probe texts and falls back to the
    library if they differ.
    """
    from vaderSentiment import vaderSentiment as vader

    analyzer = _analyzer()
    emojis: dict[str, str] = analyzer.emojis
    # VADER looks emoji up one character at a time, so only single-character keys ever match;
    # all of them are non-ASCII, so only non-ASCII characters need looking at
    ascii_emoji = any(k.isascii() for k in emojis if len(k) == 1)  # none in VADER 3.3.2
    candidates = re.compile(r"(?s:.)" if ascii_emoji else r"[^\x00-\x7f]")

    def without_emoji(text: str) -> str:
        if not ascii_emoji and text.isascii():
            return text.strip()
        pieces: list[str] = []
        last = 0
        for found in candidates.finditer(text):
            description = emojis.get(found.group())
            if description is None:
                continue
            start = found.start()
            pieces.append(text[last:start])
            if start > 0 and text[start - 1] != " ":  # VADER's "prev_space" rule
                pieces.append(" ")
            pieces.append(description)
            last = start + 1
        pieces.append(text[last:])
        return "".join(pieces).strip()

    fast = FastCompound(vader, analyzer.lexicon)

    def quick(text: str) -> float:
        return fast(without_emoji(text))

    def library(text: str) -> float:
        return float(analyzer.polarity_scores(text)["compound"])

    try:
        if all(quick(p) == library(p) for p in _PROBES):
            return quick
    except Exception:  # a VADER release that works differently inside: use it as it is
        pass
    return library


def label_for(compound: float, complaint: bool) -> Sentiment:
    """The final label: complaints are negative, the rest follow VADER's thresholds."""
    if complaint or compound <= NEGATIVE_THRESHOLD:
        return Sentiment.NEGATIVE
    if compound >= POSITIVE_THRESHOLD:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL


#: an analysis as a plain tuple: sentiment, label, complaint, cues (``Analysis``'s fields)
Scored = tuple[float, Sentiment, bool, tuple[str, ...]]


def score_text(text: str) -> Scored:
    """:func:`analyze` without an object per text. Never raises."""
    return score_texts([text])[0]


def score_texts(texts: Sequence[str]) -> list[Scored]:
    """:func:`score_text` of each text, for bulk scoring. Each step runs over all the texts
    before the next (VADER, then the cue rules, then the recogniser, then the reasons): the
    processor's caches then hold one step's code and tables at a time, which makes a batch a
    third faster than scoring text by text (bench/README.md). Never raises."""
    texts = [t if len(t) <= MAX_ANALYSED_CHARS else t[:MAX_ANALYSED_CHARS] for t in texts]
    compounds = list(map(_compound(), texts))
    found = list(map(detect, texts))
    model = recogniser.active()
    decisions = recogniser.decide_many(texts, compounds, found, model)
    weights, learned, words = model.weights, model.learned, model.tables.plain
    out: list[Scored] = []
    for compound, cues, (complaint, split, answered) in zip(
        compounds, found, decisions, strict=True
    ):
        if complaint:
            cues = reason_ids(cues, split, weights, learned, answered, words)
        out.append((compound, label_for(compound, complaint), complaint, cues))
    return out


def analyze(text: str) -> Analysis:
    """Score one mention text. Never raises on any string."""
    return Analysis(*score_text(text))


def analyze_many(texts: Iterable[str]) -> list[Analysis]:
    """Score many texts in this process."""
    return [Analysis(*scored) for scored in score_texts(list(texts))]
