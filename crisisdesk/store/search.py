"""Turn what an owner types in the search box into a safe FTS5 query.

Plain words are matched as words (prefix-matched while typing), "quoted text" as a phrase,
``OR`` between words as either, and ``-word`` excludes. Anything FTS5 would choke on is either
quoted away or reported as a :class:`SearchSyntaxError` with a message a person understands.

The FTS tokenizer drops emoji and other symbols, so a term made only of them (🎂, -😡) is
matched as a substring of the text instead (:func:`plan_search`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from crisisdesk.errors import SearchSyntaxError

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
# characters FTS5 treats as syntax in a bare term; we strip them from words
_WORD_CHARS = re.compile(r"[^\w@#'’.-]+", re.UNICODE)


#: the most terms one search may hold: each is a condition of one SQL statement, and SQLite
#: refuses statements nested deeper than 1,000 (a search of 1,000 emoji did)
MAX_TERMS = 200


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _symbols(word: str) -> str:
    """The emoji/symbol characters of *word* (ZWJ sequences and skin tones kept, variation
    selectors dropped so ❤️ also finds ❤). ASCII ones (+ ^ ~) are search syntax, not text."""
    return "".join(
        c for c in word if (c > "\x7f" and unicodedata.category(c)[0] == "S") or c == "\u200d"
    )


@dataclass(frozen=True)
class SearchPlan:
    """A parsed search: what FTS5 must (not) match and which symbols the text must (not) hold."""

    match: str | None = None  # FTS5 expression rows must match (may include NOT terms)
    exclude: str | None = None  # FTS5 expression rows must not match (when there is no match)
    contains: tuple[str, ...] = ()  # substrings (emoji, symbols) the text must contain
    lacks: tuple[str, ...] = ()  # substrings the text must not contain


def build_fts_query(text: str, *, prefix_last: bool = True) -> str | None:
    """Return an FTS5 MATCH expression for *text*, or ``None`` when there is nothing to search.

    Raises :class:`SearchSyntaxError` for input that has no sensible meaning (an unclosed
    quote, a dangling OR, only exclusions). Emoji-only terms are not part of the FTS
    expression; :func:`plan_search` returns them too.
    """
    plan = plan_search(text, prefix_last=prefix_last)
    return plan.match if plan else None


def plan_search(text: str, *, prefix_last: bool = True) -> SearchPlan | None:
    """Parse *text* into a :class:`SearchPlan`, or ``None`` when there is nothing to search."""
    text = text.replace("\x00", " ")  # FTS5 reads a NUL as the end of a quoted string
    if text.count('"') % 2:
        raise SearchSyntaxError(
            "The search has a quote mark that is not closed.",
            hint='Close the quote ("late delivery") or remove it.',
        )
    parts: list[list[str]] = []  # each: alternatives joined by OR ("NOT x" for exclusions)
    contains: list[str] = []
    lacks: list[str] = []
    positives = 0
    pending_or = False
    last_was_symbol = False
    tokens = list(_TOKEN.finditer(text))
    if sum(match.group(2) != "OR" for match in tokens) > MAX_TERMS:
        raise SearchSyntaxError(
            f"The search has more than {MAX_TERMS} words; a search can hold at most {MAX_TERMS}.",
            hint="Search for the few words that matter most.",
        )
    for index, match in enumerate(tokens):
        phrase, word = match.group(1), match.group(2)
        if word == "OR":
            if last_was_symbol:
                raise SearchSyntaxError(
                    "OR works between words, not emoji or symbols.",
                    hint="Search for the emoji on its own, or use words: refund OR money",
                )
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
            bare = word[1:] if negate else word
            clean = _WORD_CHARS.sub(" ", bare)
            pieces = [p.strip(".-'’") for p in clean.split()]
            # a piece with no letter or digit (a lone @ or #) has no token for FTS5
            pieces = [p for p in pieces if any(c.isalnum() for c in p)]
            if not pieces:
                symbols = _symbols(bare)
                if not symbols:
                    continue
                if pending_or:
                    raise SearchSyntaxError(
                        "OR works between words, not emoji or symbols.",
                        hint="Search for the emoji on its own, or use words: refund OR money",
                    )
                (lacks if negate else contains).append(symbols)
                positives += 0 if negate else 1
                last_was_symbol = True
                continue
            last_was_symbol = False
            expr = " AND ".join(_quote(p) for p in pieces)
            if len(pieces) > 1:
                expr = f"({expr})"
            is_last = index == len(tokens) - 1
            if prefix_last and is_last and not negate and len(pieces) == 1:
                expr += "*"
        if negate:
            if pending_or:
                raise SearchSyntaxError("OR cannot be followed by an excluded word.")
            parts.append([f"NOT {expr}"])
            continue
        positives += 1
        if pending_or:
            if parts[-1][0].startswith("NOT "):
                raise SearchSyntaxError("OR cannot follow an excluded word.")
            parts[-1].append(expr)  # one flat group: (a OR b OR c), however many
            pending_or = False
        else:
            parts.append([expr])
    if pending_or:
        raise SearchSyntaxError(
            "OR needs a word on each side.", hint="For example: refund OR money"
        )
    if not parts and not contains and not lacks:
        return None
    if positives == 0:
        raise SearchSyntaxError(
            "A search needs at least one word to look for, not only excluded words.",
            hint="For example: delivery -pizza",
        )
    # explicit AND: FTS5 refuses an implicit AND before a parenthesis ("never (came OR refund)")
    wanted = [p[0] if len(p) == 1 else "(" + " OR ".join(p) + ")" for p in parts
              if not p[0].startswith("NOT ")]  # fmt: skip
    unwanted = [p[0] for p in parts if p[0].startswith("NOT ")]
    if wanted:
        # FTS5 wants positive terms first: "a AND b NOT c"
        expression = " AND ".join(wanted) + "".join(" " + p for p in unwanted)
        return SearchPlan(expression, None, tuple(contains), tuple(lacks))
    exclude = " OR ".join(p.removeprefix("NOT ") for p in unwanted) or None
    return SearchPlan(None, exclude, tuple(contains), tuple(lacks))
