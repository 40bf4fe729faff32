"""Personal data in a public reply: a customer's e-mail, phone, card, order number or street
address (the ``private-data`` code of ``analysis/tone.py``).

The business's own contact details — passed in as *own_contacts*, from settings (one text may
hold several, separated by commas, semicolons, new lines or "or") — are not
flagged: "e-mail us at help@bakery.example" is exactly what a good public reply says. Numbers
are compared by their digits, e-mail addresses and street addresses without regard to case.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple


class Personal(NamedTuple):
    """One piece of personal data found: what kind, and where."""

    kind: str  # "email", "phone", "card", "order", "address"
    start: int
    end: int


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# 13-19 digits, in groups of up to 4 with spaces or dashes; checked with Luhn
_CARD = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{2,4}){2,4}(?![\d-])")
_CARD_END = re.compile(
    r"(?:card|visa|mastercard|amex|debit|credit)[\w ]{0,20}?\b(?:ending|ends)(?: in| with)? "
    r"[*xX•.\s-]*\d{4}\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d ().-]{5,}\d(?![\w])")
_ORDER = re.compile(
    r"\b(?:order|booking|reservation|invoice|account|ticket|case|reference|ref)"
    r"(?: (?:number|no\.?|id|ref))?\s*(?:#|:|is)?\s*#?([A-Z]{0,4}-?\d[\dA-Z-]{3,})\b"
    r"|(?<![\w&])#([A-Z]{0,3}\d{4,})\b",
    re.IGNORECASE,
)
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]? (?:[A-Z][a-z]+ ){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|"
    r"Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|Close|Crescent|Square|Sq|Gardens|Grove|Hill|"
    r"Parkway|Row|Mews|Walk)\b\.?"
)


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


class _Own(NamedTuple):
    texts: tuple[str, ...]  # lower-cased
    numbers: tuple[str, ...]  # digits only, at least 5 of them


# one contact setting may hold several: "hello@bakery.example or 0161 555 0100; 12 Mill Lane"
_SEPARATORS = re.compile(r"\s*(?:[,;\n|/]| or | and )\s*", re.IGNORECASE)


def _own(own_contacts: Sequence[str]) -> _Own:
    parts = (p for c in own_contacts for p in _SEPARATORS.split(c))
    texts = tuple(p.strip().lower() for p in parts if len(p.strip()) >= 3)
    numbers = tuple(d for d in (_digits(c) for c in texts) if len(d) >= 5)
    return _Own(texts, numbers)


def _is_own(found: str, kind: str, own: _Own) -> bool:
    lowered = found.lower()
    if any(lowered in text or text in lowered for text in own.texts):
        return True
    if kind == "phone":
        digits = _digits(found)
        return any(digits.endswith(n[-9:]) or n.endswith(digits[-9:]) for n in own.numbers)
    return False


def _candidates(text: str) -> Iterator[Personal]:
    for m in _EMAIL.finditer(text):
        yield Personal("email", m.start(), m.end())
    for m in _CARD_END.finditer(text):
        yield Personal("card", m.start(), m.end())
    for m in _CARD.finditer(text):
        digits = _digits(m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            yield Personal("card", m.start(), m.end())
    for m in _ORDER.finditer(text):
        yield Personal("order", m.start(), m.end())
    for m in _STREET.finditer(text):
        yield Personal("address", m.start(), m.end())
    for m in _PHONE.finditer(text):
        digits = _digits(m.group())
        # 7-15 digits (E.164 is at most 15); not a date, a time or a price
        if 7 <= len(digits) <= 15 and not re.fullmatch(r"[\d.:/-]{6,10}", m.group()):
            yield Personal("phone", m.start(), m.end())


def find(text: str, own_contacts: Sequence[str] = ()) -> list[Personal]:
    """Personal data in *text* that is not the business's own, in text order, not overlapping."""
    if not any(ch.isdigit() or ch == "@" for ch in text):
        return []  # nothing of it can be there: the common case, kept cheap
    own = _own(own_contacts)
    found: list[Personal] = []
    taken: list[tuple[int, int]] = []
    # the order of _candidates ranks kinds: an e-mail or a card wins over a phone-like number
    for item in _candidates(text):
        if any(item.start < end and start < item.end for start, end in taken):
            continue
        if _is_own(text[item.start : item.end], item.kind, own):
            taken.append((item.start, item.end))  # the business's own: fine, and not a phone
            continue
        taken.append((item.start, item.end))
        found.append(item)
    return sorted(found, key=lambda p: p.start)
