"""Turn what an owner types in the search box into a safe FTS5 query.

Plain words are matched as words (prefix-matched while typing), "quoted text" as a phrase,
``OR`` between words as either, and ``-word`` excludes. Anything FTS5 would choke on is either
quoted away or reported as a :class:`SearchSyntaxError` with a message a person understands.
"""

from __future__ import annotations

import re

from crisisdesk.errors import SearchSyntaxError

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
# characters FTS5 treats as syntax in a bare term; we strip them from words
_WORD_CHARS = re.compile(r"[^\w@#'’.-]+", re.UNICODE)


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def build_fts_query(text: str, *, prefix_last: bool = True) -> str | None:
    """Return an FTS5 MATCH expression for *text*, or ``None`` when there is nothing to search.

    Raises :class:`SearchSyntaxError` for input that has no sensible meaning (an unclosed
    quote, a dangling OR, only exclusions).
    """
    if text.count('"') % 2:
        raise SearchSyntaxError(
            "The search has a quote mark that is not closed.",
            hint='Close the quote ("late delivery") or remove it.',
        )
    parts: list[str] = []
    positives = 0
    pending_or = False
    tokens = list(_TOKEN.finditer(text))
    for index, match in enumerate(tokens):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            if not parts or pending_or:
                raise SearchSyntaxError(
                    "OR needs a word on each side.", hint="For example: refund OR money"
                )
            pending_or = True
            continue
        negate = False
        if phrase is not None:
            term = phrase.strip()
            if not term:
                continue
            expr = _quote(term)
        else:
            negate = word.startswith("-") and len(word) > 1
            clean = _WORD_CHARS.sub(" ", word.lstrip("-") if negate else word)
            pieces = [p.strip(".-'’") for p in clean.split()]
            pieces = [p for p in pieces if p]
            if not pieces:
                continue
            expr = " ".join(_quote(p) for p in pieces)
            is_last = index == len(tokens) - 1
            if prefix_last and is_last and not negate and len(pieces) == 1:
                expr += "*"
        if negate:
            if pending_or:
                raise SearchSyntaxError("OR cannot be followed by an excluded word.")
            parts.append(f"NOT {expr}")
            continue
        positives += 1
        if pending_or:
            parts[-1] = f"({parts[-1]} OR {expr})"
            pending_or = False
        else:
            parts.append(expr)
    if pending_or:
        raise SearchSyntaxError(
            "OR needs a word on each side.", hint="For example: refund OR money"
        )
    if not parts:
        return None
    if positives == 0:
        raise SearchSyntaxError(
            "A search needs at least one word to look for, not only excluded words.",
            hint="For example: delivery -pizza",
        )
    # FTS5 wants positive terms first: "a NOT b"
    ordered = [p for p in parts if not p.startswith("NOT ")] + [
        p for p in parts if p.startswith("NOT ")
    ]
    return " ".join(ordered)
