"""Sentiment (VADER, stored unmodified) plus the customer-service layer VADER lacks.

VADER reads "Ordered a cake ... it never showed up. Nobody answers the phone." as neutral (0.0)
and "Great, another order lost. Thanks a lot" as positive (+0.69). The complaint cues in
:mod:`crisisdesk.analysis.cues` catch both, and a complaint is always labelled negative.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from crisisdesk.analysis.cues import CUE_DESCRIPTIONS, detect, is_complaint

__all__ = [
    "CUE_DESCRIPTIONS",
    "LABELS",
    "MAX_ANALYSED_CHARS",
    "Analysis",
    "analyze",
    "analyze_many",
    "label_for",
]

LABELS = ("negative", "neutral", "positive")
#: VADER's own thresholds for its compound score
POSITIVE_THRESHOLD = 0.05
NEGATIVE_THRESHOLD = -0.05
#: VADER's run time grows with the square of the length (100k characters take seconds), and no
#: social post is this long; only the start of an oversized text is analysed.
MAX_ANALYSED_CHARS = 10_000


@dataclass(frozen=True, slots=True)
class Analysis:
    sentiment: float  # VADER compound score, stored unmodified
    label: str  # "negative" | "neutral" | "positive"; a complaint is always "negative"
    complaint: bool
    cues: tuple[str, ...]  # cue ids that fired, most important first (see CUE_DESCRIPTIONS)


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
)


@cache
def _compound() -> Callable[[str], float]:
    """VADER's compound score, identical to ``polarity_scores(text)["compound"]``.

    ``polarity_scores`` first swaps emoji for words with a Python loop over every character,
    a fifth of its time. This does the same swap looking only at non-ASCII characters (found
    by a regex, in C), then runs the rest of ``polarity_scores`` as VADER 3.3.2 has it, on
    VADER's own objects. It checks itself against the library on probe texts and falls back to
    the library if they differ.
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

    def quick(text: str) -> float:
        text = without_emoji(text)
        sentitext = vader.SentiText(text)
        sentiments: list[Any] = []
        words = sentitext.words_and_emoticons
        for i, item in enumerate(words):
            lowered = item.lower()
            if lowered in vader.BOOSTER_DICT or (
                lowered == "kind" and i < len(words) - 1 and words[i + 1].lower() == "of"
            ):
                sentiments.append(0)
                continue
            sentiments = analyzer.sentiment_valence(0, sentitext, item, i, sentiments)
        sentiments = analyzer._but_check(words, sentiments)
        return float(analyzer.score_valence(sentiments, text)["compound"])

    def library(text: str) -> float:
        return float(analyzer.polarity_scores(text)["compound"])

    try:
        if all(quick(p) == library(p) for p in _PROBES):
            return quick
    except Exception:  # a VADER release that works differently inside: use it as it is
        pass
    return library


def label_for(compound: float, complaint: bool) -> str:
    """The final label: complaints are negative, the rest follow VADER's thresholds."""
    if complaint or compound <= NEGATIVE_THRESHOLD:
        return "negative"
    if compound >= POSITIVE_THRESHOLD:
        return "positive"
    return "neutral"


def analyze(text: str) -> Analysis:
    """Score one mention text. Never raises on any string."""
    if len(text) > MAX_ANALYSED_CHARS:
        text = text[:MAX_ANALYSED_CHARS]
    compound = _compound()(text)
    cues = detect(text)
    complaint = is_complaint(cues, compound) if cues else False
    return Analysis(compound, label_for(compound, complaint), complaint, cues)


def analyze_many(texts: Iterable[str]) -> list[Analysis]:
    """Score many texts in this process (import workers call this on their chunk)."""
    return [analyze(t) for t in texts]
