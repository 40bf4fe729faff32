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

__all__ = ["DURATION", "FAMILIES", "Parts", "features", "parts", "tokens"]

_TOKEN = re.compile(r"_(?:tag|num|url)\b|[a-z]+|[.!?]")
_NUMBER_WORD = (
    r"(?:\d+|_num|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few"
    r"|couple of|many)"
)
#: a length of time: "19 days", "an hour", "3+ weeks" (on the lower-cased text)
DURATION = re.compile(
    rf"\b{_NUMBER_WORD}\s*(?:\+\s*)?(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|wks?"
    r"|months?|years?|yrs?)\b"
)
_NEGATIONS = (
    "not no never cant dont didnt doesnt isnt wasnt wont havent hasnt cannot couldnt wouldnt"
    " arent werent nothing nobody none aint shouldnt"
)
# a negation word (group 1) and the rest of its sentence (group 2)
_NEGATED = re.compile(rf"\b({_NEGATIONS.replace(' ', '|')})\b([^.!?]*)")
# kind idioms built from negations and problem words: blanked before anything is read, so
# "can't wait", "can't go wrong" and "no complaints" read as nothing rather than as a failure
_KIND_PHRASES = (
    r"cant wait|cannot wait|can not wait|cant go wrong|cannot go wrong|no complaints?"
    r"|no problem|not a problem|no problems|not bad|never disappoints?|no worries|cant complain"
    r"|cant beat|cant fault|couldnt be happier|cant recommend \w+ enough|never fails? to"
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


def _whole_words(alternatives: str) -> re.Pattern[str]:
    r"""``\b(?:alternatives)\b``, written so that the regex engine skips ahead to the letters
    they start with (a leading ``\b`` makes it try every position: 3 µs a text). Each
    alternative starts with a letter; grouped by it, in their order: the same matches."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives.split("|"):
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return re.compile(
        "|".join(rf"{c}(?<=\b{c})(?:{'|'.join(rest)})\b" for c, rest in groups.items())
    )


_KIND_IDIOMS = _whole_words(_KIND_PHRASES)
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


def _simplified(text: str) -> str:
    """Lower case, apostrophes dropped, placeholders in, ";" and ":" as "."."""
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
    if "n" in lowered:
        lowered = _KIND_IDIOMS.sub(" ", lowered)
    if ";" in lowered:
        lowered = lowered.replace(";", ".")
    if ":" in lowered:
        lowered = lowered.replace(":", ".")
    return lowered


def tokens(text: str) -> list[str]:
    """The words of *text* as the features see them: lower case, no apostrophes,
    placeholders for links, handles, hashtags and numbers, ``.``/``!``/``?`` as words."""
    return _TOKEN.findall(_simplified(text))


class Parts(NamedTuple):
    """A text split for the features: word sets, pairs and the other named features."""

    plain: frozenset[str]  # words outside a negated stretch (w:)
    negated: frozenset[str]  # words inside one (n:)
    pairs: frozenset[tuple[str, str]]  # neighbouring words, ^ before the first, $ after the last
    other: dict[str, float]  # every other feature, by name


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
    simple = _simplified(text)
    other: dict[str, float] = {}
    body = _TOKEN.findall(simple)
    plain = frozenset(body)
    negated: frozenset[str] = frozenset()
    if not plain.isdisjoint(_NEGATION_WORDS):
        negated = frozenset(_TOKEN.findall(" ".join(m[1] for m in _NEGATED.findall(simple))))
        if negated:
            plain = frozenset(_TOKEN.findall(_NEGATED.sub(r"\1 ", simple)))
    pairs: frozenset[tuple[str, str]] = (
        frozenset(zip(["^", *body], [*body, "$"], strict=True)) if body else frozenset()
    )
    families: set[str] = set()
    for word in plain & _FAMILY_WORDS:
        families.update(_FAMILY_OF[word])
    if negated:  # "not rude" is not a word of failure: negated words count apart
        negated_families: set[str] = set()
        for word in negated & _FAMILY_WORDS:
            negated_families.update(_FAMILY_OF[word])
        for name in negated_families:
            other["Ln:" + name] = 1.0
    for name in families:
        other["L:" + name] = 1.0
    negative, positive = _valences(lexicon)
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
    if not plain.isdisjoint(_TIME_WORDS) and DURATION.search(simple) is not None:
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
    if not has.isdisjoint(_PROBLEM_FAMILIES) or cues or negated:
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
        if body[0] in _QUESTION_WORDS:
            other["q:start"] = 1.0
        elif body[0] in _GREETINGS:
            other["greet"] = 1.0
        if body[-1] == "?":
            other["q:end"] = 1.0
    if "!" in body:
        other["excl"] = 1.0
        if body.count("!") >= 2:
            other["excl2"] = 1.0
    if len(_SHOUTED.findall(text)) >= 2 and not text.isupper():
        other["caps"] = 1.0
    return Parts(plain, negated, pairs, other)


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
