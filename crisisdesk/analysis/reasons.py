"""Why a mention is a complaint, in words an owner reads.

A complaint's stored ``cues`` are reason ids: the cue rules that fired
(:mod:`crisisdesk.analysis.cues`) and then the recogniser's strongest signals, grouped: words of
failure, waiting, money, something that did not happen... Each id has a short description
(:data:`REASON_DESCRIPTIONS`, for "Complaint (order never arrived)") and an owner sentence
(:func:`explain`: "says the order never arrived", "has been waiting 19 days"). A complaint
always has at least one reason.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from crisisdesk.analysis.complaint_features import DURATION, FAMILIES, Parts
from crisisdesk.analysis.cues import CUE_DESCRIPTIONS, CUE_ORDER

__all__ = ["REASON_DESCRIPTIONS", "REASON_ORDER", "explain", "reason_ids"]

#: the recogniser's signals, after the cue rules' ids
SIGNAL_DESCRIPTIONS: dict[str, str] = {
    "owner_marked": "you marked it a complaint",
    "owner_taught": "like mentions you marked as complaints",
    "problem": "something broken or not working",
    "not_done": "something expected did not happen",
    "money": "a charge, a payment or a refund",
    "account_problem": "a problem with their account",
    "order_status": "about an order or a delivery",
    "broken_promise": "not what they were promised",
    "support": "trying to get help",
    "upset": "sounds upset",
    "complaint_words": "words complaints use",
}
REASON_DESCRIPTIONS: dict[str, str] = {**CUE_DESCRIPTIONS, **SIGNAL_DESCRIPTIONS}
#: the owner's own mark first, then the cue rules (the most specific), then the signals
REASON_ORDER: tuple[str, ...] = (
    "owner_marked",
    *CUE_ORDER,
    *(k for k in SIGNAL_DESCRIPTIONS if k != "owner_marked"),
)

# feature -> the reason it supports
_FAMILY_REASON = {
    "fail": "problem",
    "quality": "quality",
    "wait": "waiting",
    "money": "money",
    "account": "account_problem",
    "status": "order_status",
    "expect": "broken_promise",
    "service": "support",
    "anger": "upset",
    "request": "support",
}
_FEATURE_REASON = {
    "t:dur": "waiting",
    "x:status_wait": "order_status",
    "x:neg_past": "not_done",
    "x:praise_prob": "sarcasm",
    "x:thanks_prob": "sarcasm",
    "x:self_prob": "problem",
    "v:neg": "upset",
    "v:vneg": "upset",
    "v:nw": "upset",
    "caps": "upset",
    "excl2": "upset",
}
_WORD_FAMILY: dict[str, str] = {}
for _family, _words in FAMILIES.items():
    if _family in _FAMILY_REASON:
        for _word in _words.split():
            _WORD_FAMILY.setdefault(_word, _family)
_NO_WORDS: frozenset[str] = frozenset()
#: at most this many reasons after the cue rules' own
MAX_SIGNALS = 2


def reason_ids(
    cues: Sequence[str],
    split: Parts | None,
    weights: Mapping[str, float] | None,
    learned: Mapping[str, float] | None = None,
    owner_answer: bool = False,
    word_weights: Mapping[str, float] | None = None,
) -> tuple[str, ...]:
    """The reasons of a complaint: its *cues*, then its strongest signals under *weights*
    (feature name -> weight). *word_weights* is a word's whole weight where the model has one
    (its own and its word cluster's: ``Model.tables.plain``). Never empty."""
    found = [c for c in cues if c in REASON_DESCRIPTIONS]
    if split is None:
        if not (learned or owner_answer):
            # a cue rule decided it: no features were read, so there are no signals to rank
            return tuple(found) if found else ("complaint_words",)
        plain, negated, other = _NO_WORDS, _NO_WORDS, {}
    else:
        plain, negated, other = split.plain, split.negated, split.other
    # reason -> how much the text's features support it (only positive amounts count);
    # the features are read in the same order as always, so equal supports rank the same
    support: dict[str, float] = {}
    weights = weights or {}
    get = weights.get
    for word in filter(_WORD_FAMILY.__contains__, plain):
        family = _WORD_FAMILY[word]
        own = word_weights.get(word, 0.0) if word_weights is not None else get("w:" + word, 0.0)
        amount = own + get("L:" + family, 0.0)
        if amount > 0:
            by_family = _FAMILY_REASON[family]
            support[by_family] = support.get(by_family, 0.0) + amount
    if negated:
        for word in negated:
            amount = get("n:" + word, 0.0)
            if amount > 0:
                support["not_done"] = support.get("not_done", 0.0) + amount
    for name, value in other.items():
        found_reason = _FEATURE_REASON.get(name)
        if found_reason is None:
            if not name.startswith("Ln:"):
                continue
            found_reason = "not_done"
        amount = get(name, 0.0) * value
        if amount > 0:
            support[found_reason] = support.get(found_reason, 0.0) + amount
    if learned:
        names = [f"w:{w}" for w in plain] + [f"n:{w}" for w in negated]
        amount = sum(learned.get(n, 0.0) for n in names)
        if amount > 0:
            support["owner_taught"] = support.get("owner_taught", 0.0) + amount
    if not negated:
        support.pop("not_done", None)  # only where something is said not to have happened
    ranked = sorted(support, key=lambda r: -support[r])
    if owner_answer:
        ranked.insert(0, "owner_taught")
    signals = [r for r in ranked if r not in found][:MAX_SIGNALS]
    if not found and not signals:  # the last resort: the words themselves
        signals = ["complaint_words"]
    return (*found, *signals)


# --- owner sentences --------------------------------------------------------------------

_SAYS: dict[str, str] = {
    "owner_marked": "you marked it as a complaint",
    "health_safety": "says it made someone ill or was unsafe",
    "escalation": "threatens a bad review or to report you",
    "privacy": "is worried about their personal data",
    "non_delivery": "says the order never arrived",
    "billing_error": "says they were charged wrongly",
    "wrong_order": "says the order was wrong or incomplete",
    "refund": "wants their money back",
    "rude_staff": "says the staff were rude",
    "no_response": "says nobody answered them",
    "apology": "expects an apology",
    "never_again": "says they won't come back",
    "quality": "says the quality is poor",
    "sarcasm": "is sarcastic about something that went wrong",
    "contempt": "says it is unacceptable",
    "repeat_contact": "has had to chase more than once",
    "waiting": "says they are still waiting",
    "dissatisfied": "says they are unhappy",
    "owner_taught": "is like mentions you marked as complaints",
    "problem": "says something is broken or not working",
    "not_done": "says something they expected did not happen",
    "money": "mentions a charge, a payment or a refund",
    "account_problem": "reports a problem with their account",
    "order_status": "is about their order or delivery",
    "broken_promise": "says it is not what they were promised",
    "support": "is trying to get help",
    "upset": "sounds upset",
    "complaint_words": "reads like other complaints",
}
_NEGATED_PHRASE = re.compile(
    r"\b(?:not|no|never|can'?t|don'?t|didn'?t|doesn'?t|isn'?t|wasn'?t|won'?t|haven'?t"
    r"|hasn'?t|cannot|couldn'?t|nothing|nobody)\b(?:\s+\w+){1,2}",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z']+")


def _quote(words: Sequence[str]) -> str:
    return ", ".join(f"“{w}”" for w in words)


def explain(text: str, ids: Sequence[str]) -> list[str]:
    """An owner sentence per reason id, with the customer's own words where they help:
    "has been waiting 19 days", "says something is broken or not working (“crashing”)"."""
    out: list[str] = []
    for reason in ids:
        sentence = _SAYS.get(reason, REASON_DESCRIPTIONS.get(reason, reason.replace("_", " ")))
        if reason == "waiting":
            found = DURATION.search(text.lower())
            if found is not None:
                sentence = f"has been waiting {found.group().strip()}"
        elif reason in ("problem", "quality", "upset", "money", "account_problem"):
            family = {"problem": "fail", "upset": "anger", "account_problem": "account"}.get(
                reason, reason
            )
            members = set(FAMILIES.get(family, "").split())
            words = list(dict.fromkeys(w for w in _WORD.findall(text) if w.lower() in members))
            if words:
                sentence += f" ({_quote(words[:2])})"
        elif reason == "complaint_words":
            sentence += f" ({_quote(_WORD.findall(text)[:6])}…)" if _WORD.search(text) else ""
        elif reason == "not_done":
            found = _NEGATED_PHRASE.search(text)
            if found is not None:
                sentence += f" ({_quote([found.group()])})"
        out.append(sentence)
    return out
