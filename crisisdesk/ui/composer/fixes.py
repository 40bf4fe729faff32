"""One-click fixes for tone findings whose fix is mechanical; the others select the words so
the owner rewrites them (only they know what to say instead).

A fix is the text of an edit: replace ``[start, end)`` (Python indices) with ``text``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from crisisdesk.analysis.tone import Finding


class Edit(NamedTuple):
    start: int
    end: int
    text: str
    label: str  # the button text: what the fix does


EMPATHY_OPENING = "I'm sorry about this, and thank you for telling us. "
NEXT_STEP = " Could you send us a direct message so we can put this right today?"
PRIVATE_INVITE = " Please send us a direct message and we'll sort out the details privately."

_BANGS = re.compile(r"[!?]*![!?]*")


def _sentence_case(words: str, at_sentence_start: bool) -> str:
    lowered = words.lower()
    # keep "I" a capital
    lowered = re.sub(r"\bi\b", "I", lowered)
    if at_sentence_start and lowered:
        lowered = lowered[0].upper() + lowered[1:]
    return lowered


def fix_for(text: str, finding: Finding) -> Edit | None:
    """The mechanical fix of *finding* in *text*, or ``None`` (the owner rewrites it)."""
    code, start, end = str(finding.code), finding.start, finding.end
    has_span = start is not None and end is not None and 0 <= start < end <= len(text)
    if code == "shouting" and has_span:
        assert start is not None and end is not None
        before = text[:start].rstrip()
        at_start = not before or before[-1] in ".!?\n"
        return Edit(start, end, _sentence_case(text[start:end], at_start), "Lower case")
    if code == "exclamation":
        lo, hi = (start, end) if has_span else (0, len(text))
        assert lo is not None and hi is not None
        part = text[lo:hi]
        calmer = _BANGS.sub(".", part)
        if calmer != part:
            return Edit(lo, hi, calmer, "Use full stops")
        return None
    if code == "private-data" and has_span:
        assert start is not None and end is not None
        return Edit(start, end, "", "Remove it")
    if code == "no-empathy":
        return Edit(0, 0, EMPATHY_OPENING, "Add an apology")
    if code == "no-next-step":
        return Edit(len(text.rstrip()), len(text), NEXT_STEP, "Offer a next step")
    if code == "take-offline":
        return Edit(len(text.rstrip()), len(text), PRIVATE_INVITE, "Invite to a private chat")
    return None
