"""Complaint cues: explainable rules for what VADER misses in customer-service text.

A rule is a handful of regular expressions over a canonical form of the text, an optional
*guard* (phrases blanked out before the rule looks, e.g. "can't wait", "no complaints") and an
optional *requires* (a second pattern that must also appear, e.g. a failure word next to
"thanks a lot").

Canonical form: lower case, ASCII words separated by single spaces, with a space at both ends;
``!?.;:`` and line breaks become a "." word so patterns do not run across sentences; other
punctuation and non-ASCII characters become spaces; apostrophes inside words stay ("didn't").
In patterns, words are separated by one space and ``~`` stands for any one word.

Speed: the import runs this on every mention next to VADER, so it must add little. Each pattern
has *keys*, words at least one of which every match contains; a pattern only runs when one of
its keys is among the text's words. By default the keys are the literal words a pattern starts
with; patterns starting with a common word name rarer keys explicitly. ``detect(text,
prefilter=False)`` runs every pattern, so tests can check that the keys never hide a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from crisisdesk.analysis.cue_base import (
    CUE_DESCRIPTIONS,
    CUE_ORDER,
    WEAK_CUES,
    CuePattern,
    CueRule,
    head_keys,
)
from crisisdesk.analysis.cue_rules_problems import PROBLEM_RULES
from crisisdesk.analysis.cue_rules_reactions import REACTION_RULES

__all__ = [
    "CUE_DESCRIPTIONS",
    "CUE_ORDER",
    "RULES",
    "WEAK_CUES",
    "CuePattern",
    "CueRule",
    "canonical",
    "detect",
    "head_keys",
    "is_complaint",
    "words",
]

_RANK = {cue: i for i, cue in enumerate(CUE_ORDER)}

_WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789'&/"


def _canon_table() -> bytes:
    table = bytearray(b" " * 256)  # everything else, non-ASCII bytes included, separates words
    for ch in _WORD_CHARS:
        table[ord(ch)] = ord(ch)
        table[ord(ch.upper())] = ord(ch)  # lower-cases ASCII; non-ASCII letters go anyway
    table[ord("`")] = ord("'")
    for ch in ".!?;:\n\r":
        table[ord(ch)] = ord(".")
    return bytes(table)


_TABLE = _canon_table()
# curly apostrophes (U+2018, U+2019, U+02BC) in UTF-8
_CURLY = ((b"\xe2\x80\x99", b"'"), (b"\xe2\x80\x98", b"'"), (b"\xca\xbc", b"'"))


def words(text: str) -> list[bytes]:
    """The canonical words of *text* ("." marks a sentence end)."""
    raw = f" {text} ".encode("utf-8", "ignore")
    if not raw.isascii():
        for curly, straight in _CURLY:
            raw = raw.replace(curly, straight)
    # "." becomes a word of its own; quote marks at word edges go ("'never again'")
    raw = raw.translate(_TABLE).replace(b".", b" . ")
    if b"'" in raw:
        raw = raw.replace(b" '", b" ").replace(b"' ", b" ")
    return raw.split()


def canonical(text: str) -> bytes:
    """The form every pattern is matched against: b" word word . word "."""
    return b" " + b" ".join(words(text)) + b" "


RULES: tuple[CueRule, ...] = (*PROBLEM_RULES, *REACTION_RULES)


# every pattern with what its rule needs, in rule order (so sorting groups a rule's patterns)
_FLAT: tuple[tuple[str, re.Pattern[bytes], CuePattern | None, re.Pattern[bytes] | None], ...] = (
    tuple((rule.cue, p.regex, rule.guard, rule.requires) for rule in RULES for p in rule.patterns)
)
_PATTERN_KEYS = tuple(p.keys for rule in RULES for p in rule.patterns)
# key word -> indexes into _FLAT
_KEY_INDEX: dict[bytes, frozenset[int]] = {}
for _n, _keys in enumerate(_PATTERN_KEYS):
    for _k in _keys:
        _KEY_INDEX[_k] = _KEY_INDEX.get(_k, frozenset()) | {_n}
_ALL_KEYS = frozenset(_KEY_INDEX)


_CANDIDATES: dict[frozenset[bytes], tuple[int, ...]] = {}
_CANDIDATES_MAX = 4096


def _candidates(present: frozenset[bytes]) -> tuple[int, ...]:
    """Patterns to run for these key words, in rule order. Word combinations repeat a lot."""
    found = _CANDIDATES.get(present)
    if found is None:
        found = tuple(sorted(frozenset().union(*map(_KEY_INDEX.__getitem__, present))))
        if len(_CANDIDATES) >= _CANDIDATES_MAX:
            _CANDIDATES.clear()
        _CANDIDATES[present] = found
    return found


def detect(text: str, *, prefilter: bool = True) -> tuple[str, ...]:
    """Cue ids that fire on *text*, most important first, each once.

    A pattern fires when it matches the text both before and after its rule's guard phrases
    are blanked out (the cheap unguarded search first, so guards rarely run).
    """
    tokens = words(text)
    candidates: Iterable[int]
    if prefilter:
        present = _ALL_KEYS.intersection(tokens)
        if not present:
            return ()
        candidates = _candidates(present)
    else:
        candidates = range(len(_FLAT))
    canon = b" " + b" ".join(tokens) + b" "
    fired: list[str] = []
    for n in candidates:
        cue, regex, guard, requires = _FLAT[n]
        if cue in fired or regex.search(canon) is None:
            continue
        target = canon
        if guard is not None and (not prefilter or not guard.keys.isdisjoint(tokens)):
            target = guard.regex.sub(b" ", canon)
            if regex.search(target) is None:
                continue
        if requires is None or requires.search(target) is not None:
            fired.append(cue)
    if len(fired) > 1:
        fired.sort(key=_RANK.__getitem__)
    return tuple(fired)


def is_complaint(cues: Sequence[str], compound: float) -> bool:
    """A strong cue makes a complaint; weak cues only when VADER does not read it as positive."""
    return bool(cues) and (compound < 0.05 or not WEAK_CUES.issuperset(cues))
