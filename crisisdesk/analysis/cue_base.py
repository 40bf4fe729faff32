"""What a complaint cue rule is: cue ids and descriptions, patterns with their keys, guards,
and the regex fragments the rules share. The rules themselves are in ``cue_rules_problems``
(what went wrong) and ``cue_rules_reactions`` (how the customer reacts or was treated);
:mod:`crisisdesk.analysis.cues` matches them.

Patterns are written against the canonical form of a text (see ``cues.canonical``): words
separated by one space, "." as a sentence-end word. ``~`` stands for any one word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: cue id -> short phrase used in priority reasons and the UI ("Complaint (order never arrived)")
CUE_DESCRIPTIONS: dict[str, str] = {
    "health_safety": "health or safety problem",
    "escalation": "threatens a bad review or to report the business",
    "privacy": "personal data or privacy concern",
    "non_delivery": "order never arrived",
    "billing_error": "charged wrongly",
    "wrong_order": "wrong or incomplete order",
    "refund": "wants their money back",
    "rude_staff": "rude staff",
    "no_response": "no answer from the business",
    "apology": "expects an apology",
    "never_again": "says they will not come back",
    "quality": "poor quality",
    "sarcasm": "sarcastic about a failure",
    "contempt": "says it is unacceptable",
    "repeat_contact": "has had to chase more than once",
    "waiting": "kept waiting or late",
    "dissatisfied": "says they are unhappy",
}

#: cues that only make a complaint when VADER does not read the text as positive
#: ("third time this month, still the best cake in town!", "late but worth it, thank you")
WEAK_CUES = frozenset({"waiting", "repeat_contact", "dissatisfied"})

#: order of importance; ``Analysis.cues`` is sorted this way
CUE_ORDER: tuple[str, ...] = tuple(CUE_DESCRIPTIONS)

_LITERAL_WORD = re.compile(r"[a-z0-9'&/]+")


def _compile(pattern: str) -> re.Pattern[bytes]:
    body = pattern.replace("~", r"[^ .]+")
    return re.compile(f" (?:{body})(?= )".encode("ascii"))


def _split_top(inner: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


def head_keys(pattern: str) -> frozenset[str] | None:
    """The literal words a pattern must start with, or None when it starts otherwise."""
    if not pattern.startswith("(?:"):
        first = pattern.split(" ", 1)[0]
        return frozenset({first}) if _LITERAL_WORD.fullmatch(first) else None
    depth, end = 0, 0
    while True:
        depth += (pattern[end] == "(") - (pattern[end] == ")")
        if depth == 0:
            break
        end += 1
    rest = pattern[end + 1 :]
    if rest and not rest.startswith(" "):  # "(?:a|b)?" is optional: no head
        return None
    keys: set[str] = set()
    for alt in _split_top(pattern[3:end]):
        found = head_keys(alt)
        if found is None:
            return None
        keys |= found
    return frozenset(keys)


Spec = str | tuple[str, str]  # a pattern, or (pattern, its keys separated by spaces)


@dataclass(frozen=True, slots=True)
class CuePattern:
    source: str
    keys: frozenset[bytes]
    regex: re.Pattern[bytes]


@dataclass(frozen=True, slots=True)
class CueRule:
    cue: str
    patterns: tuple[CuePattern, ...]
    guard: CuePattern | None = None  # all guard phrases in one pattern, with all their keys
    requires: re.Pattern[bytes] | None = None


def _pattern(spec: Spec) -> CuePattern:
    if isinstance(spec, tuple):
        source, explicit = spec
        keys = frozenset(explicit.split())
    else:
        source = spec
        found = head_keys(source)
        if found is None:
            raise ValueError(f"pattern needs explicit keys: {source!r}")
        keys = found
    return CuePattern(source, frozenset(k.encode("ascii") for k in keys), _compile(source))


def rule(
    cue: str,
    patterns: Sequence[Spec],
    guard: Sequence[Spec] = (),
    requires: str | None = None,
) -> CueRule:
    if cue not in CUE_DESCRIPTIONS:
        raise ValueError(f"cue {cue!r} has no description")
    guards = [_pattern(g) for g in guard]
    return CueRule(
        cue=cue,
        patterns=tuple(_pattern(p) for p in patterns),
        guard=CuePattern(
            "|".join(f"(?:{g.source})" for g in guards),
            frozenset().union(*(g.keys for g in guards)),
            _compile("|".join(f"(?:{g.source})" for g in guards)),
        )
        if guards
        else None,
        requires=_compile(requires) if requires else None,
    )


# --- shared fragments ---------------------------------------------------------------------

_ORDER = (
    "(?:order|orders|parcel|package|delivery|cake|cakes|food|shipment|item|items|box|meal"
    "|pizza|goods|purchase|flowers|bread|groceries|takeaway|stuff)"
)
_NUM = "(?:[0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|few)"
_TIMES = (
    "(?:[0-9]+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|many|countless"
    "|numerous|dozens of|so many)"
)
_ORDINAL_KEYS = (
    "second 2nd third 3rd fourth 4th fifth 5th sixth 6th tenth 10th nth umpteenth hundredth "
    "millionth"
)
_ORDINAL = "(?:" + _ORDINAL_KEYS.replace(" ", "|") + ")"
_SPAN = "(?:hour|hours|hr|hrs|day|days|week|weeks|month|months|min|mins|minute|minutes)"
_POS = (
    "(?:great|brilliant|fantastic|perfect|awesome|wonderful|lovely|amazing|excellent|superb"
    "|terrific|nice|cool|marvellous|marvelous|super|stellar|outstanding|wow)"
)
_NEG_PAST = (
    "(?:didn't|didnt|did not|hasn't|hasnt|has not|haven't|havent|have not|never|yet to|not yet"
    "|still not|still hasn't|still hasnt|still haven't|still havent)"
)
_NOT = "(?:not|never|wasn't|wasnt|weren't|werent|isn't|isnt|aren't|arent)"
_FAIL = (
    "(?:lost|late|missing|wrong|nobody|no one|ignored|ignoring|cancelled|canceled|broken|burnt"
    "|stale|cold|delayed|overcharged|refund|rude|sick|again|still|no reply|no answer"
    "|no response|no show|never arrived|never came|never showed|never turned|never answered"
    "|never replied|never called|never got|waited|waiting|hours|forgot|forgotten|mess"
    "|disaster|ruined|not here|days|week|weeks|not our problem|not my problem"
    "|not their problem|your problem|is the problem|are the problem|wrong reasons|excuses)"
)
