"""The import's fast paths give exactly what the plain, readable version of each rule gives.

Each fast path (written for the import, which scores every mention) is checked against a
plain reference kept here: the code as it was before it was made fast. Texts: the demo's
mentions, the benchmark generator's, hand-written edge cases and variants of them.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import NamedTuple

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from crisisdesk.analysis import complaint_features as cf
from crisisdesk.analysis import recogniser, sentiment
from crisisdesk.analysis.complaint_features import _KIND_PHRASES
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
from tests.helpers.bench import bench_generator

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
    gen = bench_generator()
    texts = [m.text for m in generate(1500, seed=11).mentions]
    texts += [gen.mention_text(rng) for _ in range(1500)]
    texts += EDGE_CASES
    out = list(texts)
    for text in texts[::9] + EDGE_CASES:
        out.extend(_variants(text))
    return tuple(dict.fromkeys(out))


# --- reasons -------------------------------------------------------------------------------


class RefParts(NamedTuple):
    """A text's features as the recogniser's author first split them (ab16131)."""

    plain: frozenset[str]
    negated: frozenset[str]
    pairs: frozenset[tuple[str, str]]
    other: dict[str, float]


#: what a cue rule's decision leaves to the reasons: no features read
NOTHING = RefParts(frozenset(), frozenset(), frozenset(), {})


def reference_reason_ids(
    cues: Sequence[str],
    split: RefParts | cf.Parts,
    weights: Mapping[str, float] | None,
    learned: Mapping[str, float] | None = None,
    owner_answer: bool = False,
    word_weights: Mapping[str, float] | None = None,
) -> tuple[str, ...]:
    """``reasons.reason_ids`` as first written (before the import needed it fast), with a
    word's whole weight (its own and its cluster's) where *word_weights* gives it."""
    support: dict[str, float] = {}

    def add(reason: str, amount: float) -> None:
        if amount > 0:
            support[reason] = support.get(reason, 0.0) + amount

    weights = weights or {}
    for word in split.plain:
        if word_weights is not None:
            weight = word_weights.get(word, 0.0)
        else:
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
    compound = sentiment._compound()
    checked = 0
    for n, text in enumerate(sample_texts()):
        value = compound(text)
        cues = detect(text)
        split = recogniser.split(text, value, cues)
        for parts, reference in ((split, split), (None, NOTHING)):
            for answered in (False, n % 5 == 0):
                for words in (None, model.tables.plain):
                    want = reference_reason_ids(
                        cues, reference, model.weights, model.learned, answered, words
                    )
                    got = reason_ids(cues, parts, model.weights, model.learned, answered, words)
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
        complaint, split = True, NOTHING
    else:
        found = recogniser.featurise(text, compound, cues)
        complaint = recogniser.logit(found, model) > model.threshold
        split = reference_parts(text, compound, cues, recogniser._lexicon())
    if complaint:
        cues = reference_reason_ids(
            cues, split, model.weights, model.learned, False, model.tables.plain
        )
    return compound, sentiment.label_for(compound, complaint), complaint, cues


def test_score_text_equals_the_plain_way() -> None:
    texts = sample_texts()
    got = [sentiment.score_text(t) for t in texts]
    want = [reference_score_text(t) for t in texts]
    assert [t for t, a, b in zip(texts, got, want, strict=True) if a != b] == []
    # the sample exercises every path: cue rules' complaints, the model's, and neither
    assert sum(1 for s in got if s[2]) > len(texts) // 5
    assert sum(1 for s in got if not s[2]) > len(texts) // 5


def test_a_batch_scores_as_its_texts_do_one_by_one() -> None:
    """``score_texts`` runs each step over the whole batch: the same results as text by text,
    with the owner's answers for exact texts (an adapted model) taking part too."""
    texts = list(sample_texts()[:600])
    texts += [texts[3], texts[3][:2], "", " ", "x" * (sentiment.MAX_ANALYSED_CHARS + 5)]
    for model in (None, _learned_model()):
        recogniser.use(model)
        try:
            one_by_one = [sentiment.score_text(t) for t in texts]
            assert sentiment.score_texts(texts) == one_by_one
            analyses = sentiment.analyze_many(texts)
            assert [(a.sentiment, a.label, a.complaint, a.cues) for a in analyses] == one_by_one
        finally:
            recogniser.use(None)
    adapted = _learned_model()
    answered = [t for t in texts if recogniser.text_key(t) in adapted.answers]
    assert answered  # the owner's answers were exercised


# --- the recogniser's features ---------------------------------------------------------------

_REF_KIND_IDIOMS = re.compile(rf"\b(?:{_KIND_PHRASES})\b")
_REF_SHOUTED = re.compile(r"\b[A-Z]{3,}\b")


def _reference_simplified(text: str) -> str:
    lowered = text.lower()
    if "'" in lowered:
        lowered = lowered.replace("'", "")
    if "\u2019" in lowered:
        lowered = lowered.replace("\u2019", "")
    if "http" in lowered or "www." in lowered:
        lowered = cf._URL.sub(" _url ", lowered)
    if "@" in lowered:
        lowered = cf._HANDLE.sub(" ", lowered)
    if "#" in lowered:
        lowered = cf._HASHTAG.sub(" _tag ", lowered)
    lowered = cf._NUMBER.sub(" _num ", lowered)
    lowered = _REF_KIND_IDIOMS.sub(" ", lowered)
    if ";" in lowered:
        lowered = lowered.replace(";", ".")
    if ":" in lowered:
        lowered = lowered.replace(":", ".")
    return lowered


def reference_parts(
    text: str, compound: float, cues: Sequence[str], lexicon: Mapping[str, float]
) -> RefParts:
    """``complaint_features.parts`` as the recogniser's author wrote it (ab16131)."""
    simple = _reference_simplified(text)
    other: dict[str, float] = {}
    body = cf._TOKEN.findall(simple)
    plain = frozenset(body)
    negated: frozenset[str] = frozenset()
    if not plain.isdisjoint(cf._NEGATION_WORDS):
        negated = frozenset(cf._TOKEN.findall(" ".join(m[1] for m in cf._NEGATED.findall(simple))))
        if negated:
            plain = frozenset(cf._TOKEN.findall(cf._NEGATED.sub(r"\1 ", simple)))
    pairs: frozenset[tuple[str, str]] = (
        frozenset(zip(["^", *body], [*body, "$"], strict=True)) if body else frozenset()
    )
    families: set[str] = set()
    for word in plain & cf._FAMILY_WORDS:
        families.update(cf._FAMILY_OF[word])
    if negated:
        negated_families: set[str] = set()
        for word in negated & cf._FAMILY_WORDS:
            negated_families.update(cf._FAMILY_OF[word])
        for name in negated_families:
            other["Ln:" + name] = 1.0
    for name in families:
        other["L:" + name] = 1.0
    negative, positive = cf._valences(lexicon)
    other["v:nw"] = min(len(plain & negative) + len(negated & positive), 3) / 3
    other["v:pw"] = min(len(plain & positive) + len(negated & negative), 3) / 3
    content = len(body) - body.count(".") - body.count("!") - body.count("?")
    if content < 6:
        other["len:short"] = 1.0
    elif content > 20:
        other["len:long"] = 1.0
    question = "?" in body
    if question:
        other["q"] = 1.0
    if not plain.isdisjoint(cf._TIME_WORDS) and cf.DURATION.search(simple) is not None:
        other["t:dur"] = 1.0
    if compound <= -0.05:
        other["v:neg"] = 1.0
        if compound <= -0.5:
            other["v:vneg"] = 1.0
    elif compound >= 0.05:
        other["v:pos"] = 1.0
        if compound >= 0.5:
            other["v:vpos"] = 1.0
    other["v:c"] = compound
    for cue in cues:
        other["c:" + cue] = 1.0
    if cues:
        other["c:any"] = 1.0
    has = families
    if not has.isdisjoint(cf._PROBLEM_FAMILIES) or cues or negated:
        if "self" in has:
            other["x:self_prob"] = 1.0
        if "praise" in has:
            other["x:praise_prob"] = 1.0
        if "thanks" in has:
            other["x:thanks_prob"] = 1.0
    else:
        other["x:noprob"] = 1.0
        if question:
            other["x:ask_only"] = 1.0
        if "praise" in has or "thanks" in has:
            other["x:nice_only"] = 1.0
    if "neg" in has and "past" in has:
        other["x:neg_past"] = 1.0
    if "status" in has and ("wait" in has or "neg" in has):
        other["x:status_wait"] = 1.0
    if body:
        if body[0] in cf._QUESTION_WORDS:
            other["q:start"] = 1.0
        elif body[0] in cf._GREETINGS:
            other["greet"] = 1.0
        if body[-1] == "?":
            other["q:end"] = 1.0
    if "!" in body:
        other["excl"] = 1.0
        if body.count("!") >= 2:
            other["excl2"] = 1.0
    if len(_REF_SHOUTED.findall(text)) >= 2 and not text.isupper():
        other["caps"] = 1.0
    return RefParts(plain, negated, pairs, other)


def reference_fast_logit(split: RefParts, model: recogniser.Model) -> float:
    """``recogniser.fast_logit`` as its author wrote it (ab16131)."""
    tables = model.tables
    total = model.bias
    plain = tables.plain
    for word in split.plain & plain.keys():
        total += plain[word]
    if split.negated:
        negated = tables.negated
        for word in split.negated & negated.keys():
            total += negated[word]
    pairs = tables.pairs
    for pair in split.pairs & pairs.keys():
        total += pairs[pair]
    for name, value in split.other.items():
        weight = model.weights.get(name)  # the named weight (its kind has its own table now)
        if weight is not None:
            total += weight * value
    return total


_SHOUTING = [
    "WHERE is my ORDER", "ABC", "ABCDe FGH IJK", "x ABC DEF", "_ABC DEF_ GHI", "ÉTÉ ABC DEF",
    "AB CD EF", "WOW!!! NOT OK, NOT OK", "İSTANBUL ABC DEF", "123ABC DEF GHI",
]  # fmt: skip
_IDIOMS = [
    "can't wait, cannot wait, can not wait", "cant go wrong! no complaint no complaints",
    "not a problem. no problems. no problemo", "scant waiting", "i cant recommend them enough",
    "never fails to; never fail to; never disappoint", "nocant wait", "no need to reply thx",
    "couldn't be happier", "not rude at all but not bad either", "cant beat cant fault",
    # the idioms' search runs only where one of their rarer words is (complaint_features._keys)
    "écant wait", "no_complaints", "cant_wait", "worth every penny!", "the smell of bread",
    "you're missing out, hands down", "remembered my order. again", "cant recommend x enough",
    "19 days and still no reply needed", "a 3+ weeks wait", "an hour", "ahour", "twodays",
]  # fmt: skip


def test_feature_parts_equal_the_reference() -> None:
    """Every part equal: the word sets, the pairs and the named features; the recogniser's
    sum equal to the reference's but for the order of the additions (a few units in the last
    place: 1e-9 is a million times more than that, and a thousand times less than any
    weight)."""
    compound = sentiment._compound()
    lexicon = recogniser._lexicon()
    models = [recogniser.base_model(), _learned_model()]
    texts = [*sample_texts(), *_SHOUTING, *_IDIOMS, *(t.upper() for t in _IDIOMS)]
    for text in texts:
        value = compound(text)
        cues = detect(text)
        want = reference_parts(text, value, cues, lexicon)
        got = cf.parts(text, value, cues, lexicon)
        assert (got.plain, got.negated, got.pairs) == (want.plain, want.negated, want.pairs), text
        assert got.other == want.other, text
        for model in models:
            fast = recogniser.fast_logit(got, model)
            assert abs(fast - reference_fast_logit(want, model)) < 1e-9, text
