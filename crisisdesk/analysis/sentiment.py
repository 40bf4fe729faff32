"""Sentiment (VADER, stored unmodified) plus the customer-service layer VADER lacks.

VADER reads "Ordered a cake ... it never showed up. Nobody answers the phone." as neutral (0.0)
and "Great, another order lost. Thanks a lot" as positive (+0.69). The complaint cues in
:mod:`crisisdesk.analysis.cues` catch both, and a complaint is always labelled negative.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    compound = float(_analyzer().polarity_scores(text)["compound"])
    cues = detect(text)
    complaint = is_complaint(cues, compound) if cues else False
    return Analysis(compound, label_for(compound, complaint), complaint, cues)


def analyze_many(texts: Iterable[str]) -> list[Analysis]:
    """Score many texts in this process (import workers call this on their chunk)."""
    return [analyze(t) for t in texts]
