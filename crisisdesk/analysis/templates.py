"""Filling a reply template's ``{variables}``: pure text work, no I/O.

API::

    filled = fill("Hi {name}, sorry! — {signature}", {"name": "Sam"})
    filled.text       # "Hi Sam, sorry! — {signature}"   (unfilled variables stay as they are)
    filled.unfilled   # ("signature",)                   (in order of first appearance)
    variables_in(body)          # every variable a body uses, in order
    VARIABLES                   # the variables crisisdesk fills, with what each means

A variable without a value (missing or blank) stays in the text, so the tone check's
``placeholder`` finding flags it and nothing half-filled is posted. ``{{`` and ``}}`` are
literal braces. Values come from the mention and the owner's settings
(``services.compose.template_values``); the templates themselves from ``store.templates``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["VARIABLES", "Filled", "fill", "variables_in"]

#: the variables crisisdesk fills, and what each is (shown in the template editor)
VARIABLES: dict[str, str] = {
    "name": "the customer's first name",
    "handle": "the customer's @handle",
    "business": "your business's name (Settings)",
    "contact": "your own e-mail or phone (Settings)",
    "signature": "how you sign your replies (Settings)",
    "platform": "where the mention was posted",
    "order": "the order number the customer gave (for private messages only)",
}

_VARIABLE = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


class Filled(NamedTuple):
    text: str
    unfilled: tuple[str, ...]  # variable names left in the text, in order of first appearance


def variables_in(body: str) -> tuple[str, ...]:
    """The ``{variables}`` *body* uses, each once, in order of first appearance."""
    names = (m.group(1) for m in _VARIABLE.finditer(body) if m.group(1))
    return tuple(dict.fromkeys(names))


def fill(body: str, values: Mapping[str, str]) -> Filled:
    """*body* with every variable that has a non-blank value replaced (values are inserted as
    they are: a value is never itself filled). Never raises."""
    unfilled: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group()[0]  # "{{" → "{", "}}" → "}"
        value = values.get(name, "")
        if not value or not value.strip():
            unfilled[name] = None
            return match.group()
        return value.strip()

    return Filled(_VARIABLE.sub(replace, body), tuple(unfilled))
