"""What a person typed into a one-line field (a label, a template's name, a plan's name), as
the store keeps it: one definition of "trimmed, whitespace collapsed" and of "holds characters
no one can see"."""

from __future__ import annotations

import unicodedata

#: control, format (zero-width, bidi overrides) and lone surrogate characters
_INVISIBLE = ("Cc", "Cf", "Cs")


def one_line(value: str) -> str:
    """*value* trimmed, its inner whitespace (line breaks too) collapsed to single spaces."""
    return " ".join(str(value).split())


def has_invisible_characters(text: str) -> bool:
    """Whether *text* holds characters that show as nothing (controls, zero-width, bidi)."""
    return any(unicodedata.category(ch) in _INVISIBLE for ch in text)
