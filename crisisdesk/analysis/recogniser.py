"""The complaint recogniser: a small linear model over :mod:`complaint_features`, with the
owner's corrections on top (the reasons of a flag: :mod:`crisisdesk.analysis.reasons`).

:func:`decide` takes, in order: the owner's answer for these exact words; a complaint cue rule
(:func:`cues.is_complaint`: precise on small-business wording, and it names its reason); the
model's score against its threshold.

The shipped weights (``resources/complaint_model.json``) are learned by
``training/complaints.py`` from the complaints data set of Preoţiuc-Pietro, Găman and Aletras,
"Automatically Identifying Complaints in Social Media" (ACL 2019). The word clusters
(``resources/word_clusters.json``: 42,700 common English words in 1,000 groups of like meaning)
are made by ``training/word_clusters.py`` from a general-purpose sentence-embedding model
(all-MiniLM-L6-v2) and wordfreq's list of common words, not from the complaints data. Scoring is
plain Python: a sum of the weights of a text's features, with each cluster's weight folded into
its words' (:class:`_Tables`); no learning library is imported by the app.

The owner's corrections adapt it on this machine (:func:`adapt`): a few passes of logistic
regression learn *adjustments* to the shipped weights (pulled back towards them, so a handful of
corrections cannot overturn everything; recent uncorrected mentions act as anchors that keep
their judgement), any word the business uses included; and a text with
exactly the words of a corrected one (a pile-on's copies) takes the owner's answer. The
adapted model is installed process-wide with :func:`use`; scoring workers get it through
:func:`adjustment` / :func:`use_adjustment`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise, repeat
from typing import Any, NamedTuple

from crisisdesk.analysis.complaint_features import (
    FAMILY_NAMES,
    FLAGS,
    Parts,
    features,
    parts,
    parts_of_words,
    simplified_words,
    tokens,
)
from crisisdesk.analysis.cues import is_complaint

__all__ = [
    "Adjustment",
    "Decision",
    "Model",
    "active",
    "adapt",
    "adjustment",
    "base_model",
    "decide",
    "decide_many",
    "logit",
    "text_key",
    "use",
    "use_adjustment",
    "word_clusters",
]

MODEL_RESOURCE = "complaint_model.json"
CLUSTERS_RESOURCE = "word_clusters.json"


@dataclass(frozen=True)
class Model:
    """Weights per feature name, a bias, and the logit at which a text is a complaint."""

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.0
    #: what the owner's corrections added on top of a base model (empty for the shipped one)
    learned: Mapping[str, float] = field(default_factory=dict)
    #: text key (see :func:`text_key`) -> the owner's answer for that exact text
    answers: Mapping[str, bool] = field(default_factory=dict)
    #: the weights split by kind, for :func:`fast_logit`: words, negated words, pairs, others
    tables: _Tables = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", _Tables.of(self.weights, word_clusters()))


#: most combinations of word families and other features a model remembers the weight of
_FIXED_LIMIT = 65_536


@dataclass(frozen=True)
class _Tables:
    """A model's weights arranged for :func:`fast_logit`."""

    plain: dict[str, float]  # word -> weight (its cluster's folded in)
    negated: dict[str, float]  # negated word -> weight (its cluster's folded in)
    pairs: dict[tuple[str, str], float]
    cues: dict[str, float]  # cue id -> weight of c:cue
    compound: float  # weights of v:c, v:nw and v:pw (their values are numbers)
    negative_words: float
    positive_words: float
    #: per bit of Parts.families / negated_families / flags: the weight it adds
    bit_weights: tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...]]
    #: the summed weight of a combination of families (negated ones shifted above), and of
    #: flags, as texts need them
    by_families: dict[int, float] = field(default_factory=dict)
    by_flags: dict[int, float] = field(default_factory=dict)

    @classmethod
    def of(cls, weights: Mapping[str, float], clusters: Mapping[str, int]) -> _Tables:
        """The weights by kind, each word's cluster weight (``k:N``/``kn:N``, a count of the
        cluster's distinct words) added to the word's own: the same sum, one lookup a word."""
        plain: dict[str, float] = {}
        negated: dict[str, float] = {}
        pairs: dict[tuple[str, str], float] = {}
        cues: dict[str, float] = {}
        plain_by_cluster: dict[int, float] = {}
        negated_by_cluster: dict[int, float] = {}
        for name, weight in weights.items():
            kind = name[:2]
            if kind == "w:":
                plain[name[2:]] = weight
            elif kind == "n:":
                negated[name[2:]] = weight
            elif kind == "b:" and " " in name:
                first, second = name[2:].split(" ", 1)
                pairs[(first, second)] = weight
            elif kind == "k:":
                plain_by_cluster[int(name[2:])] = weight
            elif kind == "kn" and name[2:3] == ":":
                negated_by_cluster[int(name[3:])] = weight
            elif kind == "c:" and name != "c:any":
                cues[name[2:]] = weight
        for by_cluster, table in ((plain_by_cluster, plain), (negated_by_cluster, negated)):
            if by_cluster:
                for word, cluster in clusters.items():
                    extra = by_cluster.get(cluster)
                    if extra:
                        table[word] = table.get(word, 0.0) + extra
        get = weights.get
        bits = (
            tuple(get("L:" + name, 0.0) for name in FAMILY_NAMES),
            tuple(get("Ln:" + name, 0.0) for name in FAMILY_NAMES),
            tuple(get(name, 0.0) for name in FLAGS),
        )
        return cls(
            plain, negated, pairs, cues, get("v:c", 0.0), get("v:nw", 0.0), get("v:pw", 0.0), bits
        )

    def fixed_weight(self, families: int, negated_families: int, flags: int) -> float:
        """The summed weight of these bits. Remembered: texts share a few thousand
        combinations of families, and of flags."""
        key = negated_families << _SHIFT | families
        by_families = self.by_families.get(key)
        if by_families is None:
            by_families = self._bits(families, 0) + self._bits(negated_families, 1)
            _remember(self.by_families, key, by_families)
        by_flags = self.by_flags.get(flags)
        if by_flags is None:
            by_flags = self._bits(flags, 2)
            _remember(self.by_flags, flags, by_flags)
        return by_families + by_flags

    def _bits(self, bits: int, table: int) -> float:
        return sum(w for n, w in enumerate(self.bit_weights[table]) if bits >> n & 1)


_SHIFT = len(FAMILY_NAMES)


def _remember(table: dict[int, float], key: int, value: float) -> None:
    if len(table) >= _FIXED_LIMIT:
        table.clear()
    table[key] = value


#: the owner's part of a model, small and picklable: (learned weights, bias shift, answers)
Adjustment = tuple[dict[str, float], float, dict[str, bool]]


@cache
def base_model() -> Model:
    """The shipped model (read once per process)."""
    data = json.loads(
        resources.files("crisisdesk.resources").joinpath(MODEL_RESOURCE).read_text("utf-8")
    )
    return Model(dict(data["weights"]), float(data["bias"]), float(data.get("threshold", 0.0)))


@cache
def word_clusters() -> Mapping[str, int]:
    """Word -> cluster number, from the shipped clusters (read once per process)."""
    data = json.loads(
        resources.files("crisisdesk.resources").joinpath(CLUSTERS_RESOURCE).read_text("utf-8")
    )
    return {word: number for number, words in enumerate(data["clusters"]) for word in words.split()}


_active: Model | None = None


def active() -> Model:
    """The model scoring uses in this process: the shipped one unless :func:`use` said else."""
    return _active if _active is not None else base_model()


def use(model: Model | None) -> None:
    """Score with *model* in this process from now on (``None``: the shipped model)."""
    global _active
    _active = model


def adjustment() -> Adjustment | None:
    """The active model's learned part, to hand to a worker process (None: nothing learned)."""
    model = active()
    if not model.learned and not model.answers:
        return None
    base = base_model()
    return dict(model.learned), model.bias - base.bias, dict(model.answers)


def use_adjustment(adj: Adjustment | None) -> None:
    """Install what :func:`adjustment` returned in another process."""
    if adj is None:
        use(None)
        return
    use(_combine(base_model(), *adj))


def _combine(
    base: Model, learned: Mapping[str, float], shift: float, answers: Mapping[str, bool]
) -> Model:
    weights = dict(base.weights)
    for name, value in learned.items():
        weights[name] = weights.get(name, 0.0) + value
    return Model(weights, base.bias + shift, base.threshold, dict(learned), dict(answers))


@cache
def _lexicon() -> Mapping[str, float]:
    """VADER's lexicon, from the process's one analyzer (sentiment imports this module)."""
    from crisisdesk.analysis.sentiment import _analyzer

    lexicon: Mapping[str, float] = _analyzer().lexicon
    return lexicon


def text_key(text: str) -> str:
    """The words of a text without handles, links and punctuation: copies share a key."""
    return " ".join(t for t in tokens(text) if t[0] not in "_!?.")


def featurise(text: str, compound: float, cues: Sequence[str]) -> dict[str, float]:
    """:func:`complaint_features.features` with VADER's lexicon and the word clusters."""
    return features(text, compound, cues, _lexicon(), word_clusters())


def split(text: str, compound: float, cues: Sequence[str]) -> Parts:
    """:func:`complaint_features.parts` with VADER's lexicon."""
    return parts(text, compound, cues, _lexicon())


def fast_logit(split: Parts, model: Model | None = None) -> float:
    """:func:`logit` of a text's features, from its :class:`Parts` without naming each
    feature (the import scores every mention: set algebra in C instead of a loop per word,
    the other features' weights summed once per combination)."""
    model = model or active()
    tables = model.tables
    total = model.bias + tables.fixed_weight(split.families, split.negated_families, split.flags)
    total += sum(map(tables.plain.get, split.plain, repeat(0.0)))
    if split.negated:
        total += sum(map(tables.negated.get, split.negated, repeat(0.0)))
    body = split.body
    if body:
        pair = tables.pairs.get
        # the pairs inside the text, each once (a set), then the two at its ends
        total += sum(map(pair, frozenset(pairwise(body)), repeat(0.0)))
        total += pair(("^", body[0]), 0.0) + pair((body[-1], "$"), 0.0)
    total += (
        tables.compound * split.compound
        + tables.negative_words * split.negative_words
        + tables.positive_words * split.positive_words
    )
    if split.cues:
        cues = tables.cues
        for cue in split.cues:
            total += cues.get(cue, 0.0)
    return total


def logit(found: Mapping[str, float], model: Model | None = None) -> float:
    """The model's score for features *found*: above ``model.threshold`` is a complaint."""
    model = model or active()
    weights = model.weights
    total = model.bias
    for name, value in found.items():
        weight = weights.get(name)
        if weight is not None:
            total += weight * value
    return total


class Decision(NamedTuple):
    complaint: bool
    split: Parts | None  # the text's features, for the reasons (None: a cue rule decided)
    answered: bool  # the owner's answer for this exact text decided it


_BY_CUE_RULE = Decision(True, None, False)


def decide(text: str, compound: float, cues: Sequence[str], model: Model | None = None) -> Decision:
    """Whether *text* is a complaint: the owner's answer for these exact words if there is one,
    else the model's, or a cue rule's (:func:`cues.is_complaint`)."""
    return decide_many([text], [compound], [cues], model)[0]


def decide_many(
    texts: Sequence[str],
    compounds: Sequence[float],
    cues: Sequence[Sequence[str]],
    model: Model | None = None,
) -> list[Decision]:
    """:func:`decide` for many texts, one step at a time over all of them: each step's code
    and tables stay in the processor's caches (a third faster than text by text, measured in
    bench/README.md)."""
    model = model or active()
    decisions: list[Decision | None] = [None] * len(texts)
    if model.answers:
        for n, text in enumerate(texts):
            answer = model.answers.get(text_key(text))
            if answer is not None:
                decisions[n] = Decision(answer, split(text, compounds[n], cues[n]), True)
    undecided = []
    for n, (decision, compound, found) in enumerate(zip(decisions, compounds, cues, strict=True)):
        if decision is not None:
            continue
        if is_complaint(found, compound):
            # the hand-written cue rules (precise on small-business wording) flag on their own,
            # and name the reasons: the model's features are not needed (a third of the
            # import's mentions in a backlash, at ~30 µs each)
            decisions[n] = _BY_CUE_RULE
        else:
            undecided.append(n)
    lexicon = _lexicon()
    words = [simplified_words(texts[n]) for n in undecided]
    splits = [
        parts_of_words(texts[n], found, compounds[n], cues[n], lexicon)
        for n, found in zip(undecided, words, strict=True)
    ]
    logits = [fast_logit(found, model) for found in splits]
    threshold = model.threshold
    for n, text_parts, value in zip(undecided, splits, logits, strict=True):
        decisions[n] = Decision(value > threshold, text_parts, False)
    return decisions  # type: ignore[return-value]  # every place is filled above


def probability(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, value))))


# --- learning from the owner's corrections ------------------------------------------------

#: what the owner's corrections adjust: words, negated words, word pairs and word clusters
#: (w:, n:, b:, k:/kn:) — the business's vocabulary, not style (length, punctuation, VADER's
#: bands), which twenty corrections would otherwise bend for every text (measured: the
#: learning curve rises at 20 and 50 corrections only so, bench/README.md)
_LEARNED_KINDS = "wnbk"
#: how strongly learned adjustments are pulled back to the shipped weights
PRIOR_STRENGTH = 0.3
EPOCHS = 60
STEP = 1.0
#: how much each anchor (a mention the owner did not correct) counts against a correction
ANCHOR_WEIGHT = 0.1


def adapt(
    examples: Iterable[tuple[str, float, Sequence[str], bool]],
    base: Model | None = None,
    anchors: Iterable[tuple[str, float, Sequence[str]]] = (),
) -> Model:
    """A model adapted to the owner's corrections: *examples* are (text, compound, cues,
    is a complaint). *anchors* are other mentions of the business (text, compound, cues) that
    keep what the base model says about them unless the corrections say otherwise: without
    them, twenty corrections that all say "not a complaint" would teach that nothing is.
    Deterministic: the same corrections give the same model."""
    base = base or base_model()
    rows: list[tuple[dict[str, float], float, float, float]] = []  # features, start, target, weight
    answers: dict[str, bool] = {}
    for text, compound, cues, label in examples:
        found = featurise(text, compound, cues)
        rows.append((found, logit(found, base), 1.0 if label else 0.0, 1.0))
        answers[text_key(text)] = bool(label)
    if not rows:
        return base
    for text, compound, cues in anchors:
        found = featurise(text, compound, cues)
        start = logit(found, base)
        rows.append((found, start, probability(start - base.threshold), ANCHOR_WEIGHT))
    learned: dict[str, float] = {}
    squares: dict[str, float] = {}
    for _ in range(EPOCHS):
        for found, start, target, weight in rows:
            value = start
            for name, x in found.items():
                value += learned.get(name, 0.0) * x
            error = weight * (probability(value) - target)  # gradient of the log loss
            for name, x in found.items():
                if name[0] not in _LEARNED_KINDS:
                    continue
                current = learned.get(name, 0.0)
                grad = error * x + PRIOR_STRENGTH * current
                if grad == 0.0:
                    continue
                total = squares.get(name, 1e-8) + grad * grad
                squares[name] = total
                learned[name] = current - STEP * grad / math.sqrt(total)
    learned = {k: round(v, 5) for k, v in learned.items() if abs(v) >= 1e-4}
    return _combine(base, learned, 0.0, {k: v for k, v in answers.items() if k})


def model_data(model: Model) -> dict[str, Any]:
    """A model as JSON-ready data (what ``training/complaints.py`` writes)."""
    return {"bias": model.bias, "threshold": model.threshold, "weights": dict(model.weights)}
