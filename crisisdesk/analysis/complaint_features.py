"""What the complaint recogniser looks at in a text: named features, the same in training
(``training/complaints.py``) and in the app (:mod:`crisisdesk.analysis.recogniser`).

Words are kept general on purpose, so a model learned on some kinds of business carries over
to others: links, hashtags and numbers become placeholders (``_url``, ``_tag``, ``_num``),
handles go (every mention crisisdesk sees addresses the business, whether or not its text
names a handle; in the training data, texts to a business started with one and random tweets
mostly did not, which taught "no handle, no complaint"), and small word families (something
failed, waiting, money, asking, thanking...) pool rare words into signals every business
shares. A feature name says what it is:

* ``w:word`` a word, ``n:word`` a word after a negation in its sentence ("not working" gives
  ``n:working``), ``b:first second`` two neighbouring words, ``b:^ word`` the first word,
  ``b:word $`` the last; ``.``, ``!`` and ``?`` count as words;
* ``k:N`` / ``kn:N`` how many distinct words (negated words) of word cluster N the text has: a
  cluster is a group of words of like meaning ("crash", "failed", "error", "unable"...), so a
  weight learned for some words carries over to the others, and to words of a business the
  training data never saw (:mod:`crisisdesk.analysis.recogniser` loads the clusters; the
  scorer folds their weights into each word's, so they cost nothing when scoring);
* ``L:family`` a word of a family, ``Ln:family`` one negated;
* ``t:dur`` a length of time ("19 days", "an hour"); ``q`` a question mark, ``q:start`` a
  question word first, ``q:end`` a question at the end, ``greet``, ``excl``, ``excl2``, ``caps``;
  ``len:short`` / ``len:long`` under 6 / over 20 words;
* ``v:c`` VADER's compound, ``v:neg``/``v:vneg``/``v:pos``/``v:vpos`` its bands, ``v:nw`` and
  ``v:pw`` how many distinct negative / positive VADER words (up to 3, as a share; negated
  words count the other way);
* ``c:cue`` a complaint cue rule fired (:mod:`crisisdesk.analysis.cues`), ``c:any`` any did;
* ``x:...`` combinations: a problem told in the first person, praise or thanks next to a
  problem (sarcasm), a question with no problem in it, kind words with no problem in it.

Every binary feature has the value 1.0; ``v:*`` carry numbers in [-1, 1], ``k:*`` counts.

Speed: the import runs this on every mention. The work is done on sets of words with
C-level operations (regular expressions, set algebra), not word by word in Python:
:func:`parts` splits a text into its word sets and the few other features once, and
:func:`features` (training, explanations) or the recogniser's weight sums (scoring) read them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

__all__ = [
    "DURATION",
    "FAMILIES",
    "FAMILY_NAMES",
    "FLAGS",
    "Parts",
    "features",
    "parts",
    "parts_of_words",
    "simplified_words",
    "tokens",
]

_TOKEN = re.compile(r"_(?:tag|num|url)\b|[a-z]+|[.!?]")
_NUMBER_WORDS = (
    "_num|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few|couple of|many"
)
_TIME_UNIT = (
    r"\s*(?:\+\s*)?(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?)\b"
)
#: a length of time: "19 days", "an hour", "3+ weeks" (on the lower-cased text)
DURATION = re.compile(rf"\b(?:\d+|{_NUMBER_WORDS}){_TIME_UNIT}")
_NEGATIONS = (
    "not no never cant dont didnt doesnt isnt wasnt wont havent hasnt cannot couldnt wouldnt"
    " arent werent nothing nobody none aint shouldnt"
)
# a negation word (group 1) and the rest of its sentence (group 2)
_NEGATED = re.compile(rf"\b({_NEGATIONS.replace(' ', '|')})\b([^.!?]*)")
# kind idioms built from negations and problem words: blanked before anything is read, so
# "can't wait", "can't go wrong" and "no complaints" read as nothing rather than as a failure
_KIND_PHRASES = (
    r"cant wait|cannot wait|can not wait|cant go wrong|cannot go wrong|no complaint"
    r"|no complaints|no problem|not a problem|no problems|not bad|never disappoint"
    r"|never disappoints|no worries|cant complain|cant beat|cant fault|couldnt be happier"
    r"|cant recommend \w+ enough|never fail to|never fails to"
    r"|no reply needed|no need to reply|not rude"
    # praise built from negations, waiting and problem words ("run don't walk", "if you
    # haven't tried...", "still talking about it", "remembered my order again")
    r"|not gonna lie|not going to lie|run dont walk|if you havent tried|if you have not tried"
    r"|if you havent been|youre missing out|you are missing out|still talking about"
    r"|still thinking about|got me through|remembered my order|remembered our order"
    r"|remembered my name|small things matter|worth every penny|hands down|nothing beats"
    r"|cant get enough|cant stop eating|cant stop thinking about|no regrets|not to be missed"
    r"|dont miss|get out of bed for|queue out the door|queues out the door"
    r"|queue round the corner|queue is round the corner|never had a bad|report back"
    r"|the smell of"
)


def _whole_words(alternatives: str, tail: str = r"\b") -> re.Pattern[str]:
    r"""``\b(?:alternatives)tail``, written so that the regex engine skips ahead to the letters
    they start with (a leading ``\b`` makes it try every position: 3 µs a text). Each
    alternative starts with a letter or "_"; grouped by it, in their order: the same matches."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives.split("|"):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return re.compile(
        "|".join(rf"{c}(?<=\b{c})(?:{'|'.join(rest)}){tail}" for c, rest in groups.items())
    )


_COMMON = frozenset(
    ["no", "not", "never", "nothing", "cant", "cannot", "can", "for", "get", "got", "going",
     "gonna", "out", "of", "the", "you", "if", "to", "dont"]
)  # fmt: skip


def _keys(alternatives: str) -> frozenset[str]:
    """For each alternative, one word every match of it has as a word of its own (its
    longest literal word, not a common one where it has another): a text without any of them
    has no match."""
    keys = set()
    for alternative in alternatives.split("|"):
        literal = [w for w in alternative.split(" ") if w.isalpha() and w.isascii()]
        rare = [w for w in literal if w not in _COMMON] or literal
        keys.add(max(reversed(rare), key=len))
    return frozenset(keys)


_KIND_IDIOMS = _whole_words(_KIND_PHRASES)
_KIND_KEYS = _keys(_KIND_PHRASES)
#: :data:`DURATION` on a simplified text (no digits: numbers are ``_num`` there)
_DURATION_SIMPLE = _whole_words(_NUMBER_WORDS, _TIME_UNIT)
_QUESTION_WORDS = frozenset(
    [
        "how",
        "can",
        "could",
        "is",
        "are",
        "do",
        "does",
        "will",
        "would",
        "where",
        "when",
        "what",
        "which",
        "who",
        "why",
        "any",
        "has",
        "have",
        "should",
    ]
)
_GREETINGS = frozenset({"hi", "hello", "hey"})
# a word of three capitals or more: r"\b[A-Z]{3,}\b", starting with the capital so the regex
# engine skips ahead to one (a leading \b makes it try every position)
_SHOUTED = re.compile(r"[A-Z](?<!\w[A-Z])[A-Z]{2,}(?!\w)")

#: word families: general words of complaints (and of what is not one), for any business
FAMILIES: dict[str, str] = {
    "fail": "broken broke break breaks crash crashed crashes crashing error errors glitch"
    " glitches bug bugs buggy issue issues problem problems fail failed fails failing failure"
    " down outage outages lost missing stuck unable freeze freezes froze frozen disconnected dead"
    " wrong"
    " faulty damaged defective ripped torn cancelled canceled declined denied locked blocked"
    " blackout off rubbish suck sucks sucked lies lying lie scam scammed ruined ruin ruining"
    " ignoring ignored ignore hole holes smashed cracked leaking leak leaks spoiled expired"
    " mouldy moldy burnt cold rude useless wasted waste unusable lag lagging slow",
    "wait": "still yet waiting waited wait since again delay delayed delays late overdue hours"
    " days weeks months ages forever anymore",
    "money": "charged charge charging refund refunded refunds bill billed billing fee fees money"
    " paid pay payment overcharged credit debit card cost price",
    "service": "service customer support rep representative agent agents staff manager phone"
    " call called calling email emailed emails dm dms response respond responded reply replied"
    " answer answered contact contacted helpline chat hold",
    "expect": "supposed promised promise told said expected expect should guaranteed",
    "anger": "ridiculous terrible worst awful unacceptable disappointed disappointing"
    " disgusting joke seriously wtf horrible pathetic useless rubbish shocking appalling"
    " frustrating frustrated annoyed angry fed shame poor dumb stupid sick tired hate hated wow"
    " yikes really smh ugh",
    "thanks": "thank thanks thx ty appreciate appreciated grateful",
    "praise": "love loved loving great awesome amazing best excellent brilliant fantastic"
    " wonderful perfect happy glad beautiful cute fun favorite favourite lol lmao haha",
    "ask": "how what when where which who can could would do does is are any",
    "quality": "slow slower worse bad badly poor unreliable smells smell dirty cheap broken"
    " flimsy stale rude",
    "account": "report reported banned ban removed deleted hacked hack impersonate"
    " impersonating bullying spam scam fraud fake suspended stolen",
    "self": "i my me mine im ive id myself",
    "you": "you your yours ur u youre",
    "past": "tried trying got bought ordered received paid called sent went came booked",
    "request": "help please fix sort look need asap urgent",
    "neg": "not no never cant dont didnt doesnt isnt wasnt wont havent hasnt cannot couldnt"
    " nothing nobody",
    "status": "update status tracking track arrived arrive delivered delivery order ordered"
    " shipping shipped package parcel",
}
_FAMILY_OF: dict[str, tuple[str, ...]] = {}
for _name, _words in FAMILIES.items():
    for _word in _words.split():
        if _name not in _FAMILY_OF.get(_word, ()):
            _FAMILY_OF[_word] = (*_FAMILY_OF.get(_word, ()), _name)
_FAMILY_WORDS = frozenset(_FAMILY_OF)
_NEGATION_WORDS = frozenset(_NEGATIONS.split())
_TIME_WORDS = frozenset(
    [
        "min",
        "mins",
        "minute",
        "minutes",
        "hour",
        "hours",
        "hr",
        "hrs",
        "day",
        "days",
        "week",
        "weeks",
        "wk",
        "wks",
        "month",
        "months",
        "year",
        "years",
        "yr",
        "yrs",
    ]
)
_PROBLEM_FAMILIES = frozenset({"fail", "wait", "anger", "quality"})


_URL = re.compile(r"https?://\S+|www\.\S+")
_HANDLE = re.compile(r"@\w+")
_HASHTAG = re.compile(r"#\w+")
_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")


def simplified_words(text: str) -> tuple[str, list[str]]:
    """The simplified text (lower case, apostrophes dropped, placeholders in, ";" and ":" as
    ".", kind idioms blanked) and its words."""
    lowered = text.lower()
    if "'" in lowered:
        lowered = lowered.replace("'", "")
    if "\u2019" in lowered:
        lowered = lowered.replace("\u2019", "")
    if "http" in lowered or "www." in lowered:
        lowered = _URL.sub(" _url ", lowered)
    if "@" in lowered:
        lowered = _HANDLE.sub(" ", lowered)
    if "#" in lowered:
        lowered = _HASHTAG.sub(" _tag ", lowered)
    lowered = _NUMBER.sub(" _num ", lowered)
    if ";" in lowered:
        lowered = lowered.replace(";", ".")
    if ":" in lowered:
        lowered = lowered.replace(":", ".")
    body = _TOKEN.findall(lowered)
    if not _KIND_KEYS.isdisjoint(body):  # the idioms' search only where one may be (7 %)
        lowered = _KIND_IDIOMS.sub(" ", lowered)
        body = _TOKEN.findall(lowered)
    return lowered, body


def tokens(text: str) -> list[str]:
    """The words of *text* as the features see them: lower case, no apostrophes,
    placeholders for links, handles, hashtags and numbers, ``.``/``!``/``?`` as words."""
    return simplified_words(text)[1]


#: the binary features besides words, word families and cues, in the order they are named
FLAGS = (
    "len:short", "len:long", "q", "t:dur", "v:neg", "v:vneg", "v:pos", "v:vpos", "c:any",
    "x:self_prob", "x:praise_prob", "x:thanks_prob", "x:noprob", "x:ask_only", "x:nice_only",
    "x:neg_past", "x:status_wait", "q:start", "greet", "q:end", "excl", "excl2", "caps",
)  # fmt: skip
(_SHORT, _LONG, _Q, _DUR, _NEG, _VNEG, _POS, _VPOS, _CUE, _SELF_PROB, _PRAISE_PROB,
 _THANKS_PROB, _NOPROB, _ASK_ONLY, _NICE_ONLY, _NEG_PAST, _STATUS_WAIT, _Q_START, _GREET,
 _Q_END, _EXCL, _EXCL2, _CAPS) = (1 << n for n in range(len(FLAGS)))  # fmt: skip
#: each family's bit in :attr:`Parts.families`
FAMILY_NAMES = tuple(FAMILIES)
_FAMILY_BIT = {name: 1 << n for n, name in enumerate(FAMILY_NAMES)}
_FAMILY_MASK = {word: sum(_FAMILY_BIT[f] for f in names) for word, names in _FAMILY_OF.items()}
_PROBLEM_MASK = sum(_FAMILY_BIT[f] for f in _PROBLEM_FAMILIES)
_SELF, _PRAISE, _THANKS, _NEG_FAMILY, _PAST, _STATUS, _WAIT = (
    _FAMILY_BIT[f] for f in ("self", "praise", "thanks", "neg", "past", "status", "wait")
)
_NICE = _PRAISE | _THANKS
_STOPS = frozenset(".!?")
_NO_WORDS: frozenset[str] = frozenset()


class Parts(NamedTuple):
    """A text split for the features: its word sets, and its other features as bits (the
    recogniser sums their weights without naming them; :attr:`other` names them)."""

    plain: frozenset[str]  # words outside a negated stretch (w:)
    negated: frozenset[str]  # words inside one (n:)
    body: Sequence[str]  # the words in order (for the pairs)
    families: int  # bits of FAMILY_NAMES with a word among the plain words (L:)
    negated_families: int  # ... among the negated words (Ln:)
    flags: int  # bits of FLAGS
    negative_words: float  # v:nw
    positive_words: float  # v:pw
    compound: float  # v:c
    cues: Sequence[str]  # c:cue

    @property
    def pairs(self) -> frozenset[tuple[str, str]]:
        """Neighbouring words, ``^`` before the first, ``$`` after the last."""
        body = self.body
        return frozenset(zip(["^", *body], [*body, "$"], strict=True)) if body else frozenset()

    @property
    def other(self) -> dict[str, float]:
        """Every feature besides words and pairs, by name."""
        found: dict[str, float] = {}
        for prefix, bits in (("Ln:", self.negated_families), ("L:", self.families)):
            if bits:
                for n, name in enumerate(FAMILY_NAMES):
                    if bits >> n & 1:
                        found[prefix + name] = 1.0
        found["v:nw"] = self.negative_words
        found["v:pw"] = self.positive_words
        found["v:c"] = self.compound
        for cue in self.cues:
            found["c:" + cue] = 1.0
        for n, name in enumerate(FLAGS):
            if self.flags >> n & 1:
                found[name] = 1.0
        return found


_valence_sets: dict[int, tuple[frozenset[str], frozenset[str]]] = {}


def _valences(lexicon: Mapping[str, float]) -> tuple[frozenset[str], frozenset[str]]:
    """VADER's negative and positive words (apostrophes dropped, as in our words)."""
    found = _valence_sets.get(id(lexicon))
    if found is None:
        negative = frozenset(k.replace("'", "") for k, v in lexicon.items() if v < 0)
        positive = frozenset(k.replace("'", "") for k, v in lexicon.items() if v > 0)
        found = _valence_sets[id(lexicon)] = (negative, positive)
    return found


def parts(text: str, compound: float, cues: Sequence[str], lexicon: Mapping[str, float]) -> Parts:
    """Split *text* for the features. *lexicon* is VADER's word -> valence table; *compound*
    and *cues* are what sentiment and the cue rules found."""
    return parts_of_words(text, simplified_words(text), compound, cues, lexicon)


def parts_of_words(
    text: str,
    words: tuple[str, list[str]],
    compound: float,
    cues: Sequence[str],
    lexicon: Mapping[str, float],
) -> Parts:
    """:func:`parts` of *text* whose :func:`simplified_words` are *words* (many texts are
    split in two steps, each over all of them: see ``recogniser.decide_many``)."""
    simple, body = words
    plain = frozenset(body)
    negated = _NO_WORDS
    if not plain.isdisjoint(_NEGATION_WORDS):
        negated = frozenset(_TOKEN.findall(" ".join(m[1] for m in _NEGATED.findall(simple))))
        if negated:
            plain = frozenset(_TOKEN.findall(_NEGATED.sub(r"\1 ", simple)))
    has = 0
    for word in plain & _FAMILY_WORDS:
        has |= _FAMILY_MASK[word]
    negative, positive = _valences(lexicon)
    negated_families = 0
    if negated:  # "not rude" is not a word of failure: negated words count apart
        for word in negated & _FAMILY_WORDS:
            negated_families |= _FAMILY_MASK[word]
        nw = min(len(plain & negative) + len(negated & positive), 3) / 3
        pw = min(len(plain & positive) + len(negated & negative), 3) / 3
    else:
        nw = min(len(plain & negative), 3) / 3
        pw = min(len(plain & positive), 3) / 3
    flags = 0
    content = len(body)
    if not plain.isdisjoint(_STOPS):
        content -= body.count(".") + body.count("!") + body.count("?")
    if content < 6:
        flags |= _SHORT
    elif content > 20:
        flags |= _LONG
    question = "?" in plain
    if question:
        flags |= _Q
    if not plain.isdisjoint(_TIME_WORDS) and _DURATION_SIMPLE.search(simple) is not None:
        flags |= _DUR
    if compound <= -0.05:
        flags |= _NEG | _VNEG if compound <= -0.5 else _NEG
    elif compound >= 0.05:
        flags |= _POS | _VPOS if compound >= 0.5 else _POS
    if cues:
        flags |= _CUE
    if has & _PROBLEM_MASK or cues or negated:
        if has & _SELF:
            flags |= _SELF_PROB
        if has & _PRAISE:
            flags |= _PRAISE_PROB
        if has & _THANKS:
            flags |= _THANKS_PROB
    else:
        flags |= _NOPROB
        if question:
            flags |= _ASK_ONLY
        if has & _NICE:
            flags |= _NICE_ONLY
    if has & _NEG_FAMILY and has & _PAST:
        flags |= _NEG_PAST
    if has & _STATUS and has & (_WAIT | _NEG_FAMILY):
        flags |= _STATUS_WAIT
    if body:
        if body[0] in _QUESTION_WORDS:
            flags |= _Q_START
        elif body[0] in _GREETINGS:
            flags |= _GREET
        if body[-1] == "?":
            flags |= _Q_END
    if "!" in plain:
        flags |= _EXCL | _EXCL2 if body.count("!") >= 2 else _EXCL
    if len(_SHOUTED.findall(text)) >= 2 and not text.isupper():
        flags |= _CAPS
    return Parts(plain, negated, body, has, negated_families, flags, nw, pw, compound, cues)


def features(
    text: str,
    compound: float,
    cues: Sequence[str],
    lexicon: Mapping[str, float],
    clusters: Mapping[str, int] | None = None,
) -> dict[str, float]:
    """The named features of *text* (see the module docstring); *clusters* maps a word to its
    word cluster."""
    split = parts(text, compound, cues, lexicon)
    found = dict.fromkeys(["w:" + w for w in split.plain], 1.0)
    found.update(dict.fromkeys(["n:" + w for w in split.negated], 1.0))
    if clusters:
        for prefix, words in (("k:", split.plain), ("kn:", split.negated)):
            for word in words:
                cluster = clusters.get(word)
                if cluster is not None:
                    name = f"{prefix}{cluster}"
                    found[name] = found.get(name, 0.0) + 1.0
    found.update(dict.fromkeys([f"b:{a} {b}" for a, b in split.pairs], 1.0))
    found.update(split.other)
    return found
