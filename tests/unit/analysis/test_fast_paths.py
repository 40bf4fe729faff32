"""The import's fast paths give exactly what the plain, readable version of each rule gives.

Each fast path (written for the import, which scores every mention) is checked against a
plain reference kept here: the code as it was before it was made fast. Texts: the demo's
mentions, the benchmark generator's, hand-written edge cases and variants of them.
"""

from __future__ import annotations

import importlib.util
import random
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from crisisdesk.analysis import recogniser, sentiment
from crisisdesk.analysis.complaint_features import Parts
from crisisdesk.analysis.cues import detect, is_complaint
from crisisdesk.analysis.reasons import (
    _FAMILY_REASON,
    _FEATURE_REASON,
    _WORD_FAMILY,
    MAX_SIGNALS,
    REASON_DESCRIPTIONS,
    reason_ids,
)
from crisisdesk.demo import generate

EDGE_CASES = [
    "",
    "!!!",
    "Not bad, not rude, no complaints at all",
    "I can't wait! Never disappoints",
    "Still nothing. 19 days and counting. Not delivered, not refunded, not answered",
    "Great, another order lost. Thanks a lot",
    "Charged twice??? Sort it out @shop #fail http://x.example/a",
    "the app keeps crashing and I can't log in, no one replies to my emails",
    "Why is my parcel not here yet? It was due Monday",
    "LOVE the croissants but the staff were RUDE and the coffee was COLD",
    "Thank you so much, everything arrived on time and perfect",
    "booked and paid in full but my room was given away",
]


def _bench_generator() -> ModuleType:
    path = Path(__file__).resolve().parents[3] / "bench" / "gen_mentions.py"
    spec = importlib.util.spec_from_file_location("gen_mentions", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _variants(text: str) -> Iterator[str]:
    yield text
    yield text.upper()
    yield text.lower() + " 😡"
    yield "Not " + text
    yield text.replace(". ", " but ", 1)


@cache
def sample_texts() -> tuple[str, ...]:
    """Varied texts: the demo's, generated ones, edge cases, and variants of some of them."""
    rng = random.Random(4)
    gen = _bench_generator()
    texts = [m.text for m in generate(1500, seed=11).mentions]
    texts += [gen.mention_text(rng) for _ in range(1500)]
    texts += EDGE_CASES
    out = list(texts)
    for text in texts[::9] + EDGE_CASES:
        out.extend(_variants(text))
    return tuple(dict.fromkeys(out))


# --- reasons -------------------------------------------------------------------------------


def reference_reason_ids(
    cues: Sequence[str],
    split: Parts,
    weights: Mapping[str, float] | None,
    learned: Mapping[str, float] | None = None,
    owner_answer: bool = False,
) -> tuple[str, ...]:
    """``reasons.reason_ids`` as first written (before the import needed it fast)."""
    support: dict[str, float] = {}

    def add(reason: str, amount: float) -> None:
        if amount > 0:
            support[reason] = support.get(reason, 0.0) + amount

    weights = weights or {}
    for word in split.plain:
        weight = weights.get("w:" + word, 0.0)
        family = _WORD_FAMILY.get(word)
        if family is not None:
            add(_FAMILY_REASON[family], weight + weights.get("L:" + family, 0.0))
    for word in split.negated:
        add("not_done", weights.get("n:" + word, 0.0))
    for name, value in split.other.items():
        weight = weights.get(name, 0.0) * value
        if name in _FEATURE_REASON:
            add(_FEATURE_REASON[name], weight)
        elif name.startswith("Ln:"):
            add("not_done", weight)
    if learned:
        names = [f"w:{w}" for w in split.plain] + [f"n:{w}" for w in split.negated]
        add("owner_taught", sum(learned.get(n, 0.0) for n in names))
    if not split.negated:
        support.pop("not_done", None)
    found = [c for c in cues if c in REASON_DESCRIPTIONS]
    ranked = sorted(support, key=lambda r: -support[r])
    if owner_answer:
        ranked.insert(0, "owner_taught")
    signals = [r for r in ranked if r not in found][:MAX_SIGNALS]
    if not found and not signals:
        signals = ["complaint_words"]
    return (*found, *signals)


@cache
def _learned_model() -> recogniser.Model:
    """A model adapted to a few corrections, so learned weights take part in the reasons."""
    texts = sample_texts()
    examples = [
        (t, sentiment._compound()(t), detect(t), n % 3 == 0) for n, t in enumerate(texts[:40])
    ]
    return recogniser.adapt(examples)


@pytest.mark.parametrize("learned", [False, True], ids=["shipped", "adapted"])
def test_reasons_equal_the_reference(learned: bool) -> None:
    model = _learned_model() if learned else recogniser.base_model()
    nothing = Parts(frozenset(), frozenset(), frozenset(), {})
    compound = sentiment._compound()
    checked = 0
    for n, text in enumerate(sample_texts()):
        value = compound(text)
        cues = detect(text)
        split = recogniser.split(text, value, cues)
        for parts in (split, nothing):
            for answered in (False, n % 5 == 0):
                want = reference_reason_ids(cues, parts, model.weights, model.learned, answered)
                got = reason_ids(cues, parts, model.weights, model.learned, answered)
                assert got == want, text
                checked += 1
    assert checked > 6000


# --- the whole text analysis ----------------------------------------------------------------


@cache
def _library() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _library_compound(text: str) -> float:
    return float(_library().polarity_scores(text)["compound"])


def reference_score_text(text: str) -> sentiment.Scored:
    """``sentiment.score_text`` the plain way: VADER's own library, every cue pattern run,
    the named features summed one by one, the reasons as first written."""
    text = text[: sentiment.MAX_ANALYSED_CHARS]
    compound = _library_compound(text)
    cues = detect(text, prefilter=False)
    model = recogniser.base_model()
    if is_complaint(cues, compound):
        complaint, split = True, Parts(frozenset(), frozenset(), frozenset(), {})
    else:
        found = recogniser.featurise(text, compound, cues)
        complaint = recogniser.logit(found, model) > model.threshold
        split = recogniser.split(text, compound, cues)
    if complaint:
        cues = reference_reason_ids(cues, split, model.weights, model.learned)
    return compound, sentiment.label_for(compound, complaint), complaint, cues


def test_score_text_equals_the_plain_way() -> None:
    texts = sample_texts()
    got = [sentiment.score_text(t) for t in texts]
    want = [reference_score_text(t) for t in texts]
    assert [t for t, a, b in zip(texts, got, want, strict=True) if a != b] == []
    # the sample exercises every path: cue rules' complaints, the model's, and neither
    assert sum(1 for s in got if s[2]) > len(texts) // 5
    assert sum(1 for s in got if not s[2]) > len(texts) // 5
