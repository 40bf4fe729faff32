"""How long a reply is, counted the way each platform counts it: the one definition.

The connectors (``sources/platforms``) refuse a reply over the limit with these functions, and
the tone check (``analysis/tone.py``) shows the same count in the composer, so the counter the
owner sees and the check before sending can never disagree.

* ``reply_length(platform, text)``: the length in the platform's own unit —
  X: weighted characters (twitter-text v3: NFC first; every link 23; code points below U+1100
  and a few punctuation ranges 1; everything else, CJK included, 2; an emoji sequence — skin
  tones, ZWJ families, flags, keycaps — 2 as a whole); Bluesky: graphemes; Mastodon:
  graphemes with every link 23 and ``@user@server`` counted as ``@user``; Reddit, Facebook and
  anything else: characters (code points).
* ``reply_limit(platform, instance_limit=None)``: X 280, Bluesky 300, Mastodon 500 or the
  instance's own limit, Reddit 10,000, Facebook 8,000; ``None`` where nothing limits a reply.
* ``overflow_start(platform, text, limit)``: where the text passes the limit (for highlighting).
* ``grapheme_count(text)``: user-perceived characters (an emoji with skin tone counts once).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

import regex

from crisisdesk.domain import Platform

__all__ = [
    "LINK_WEIGHT", "REPLY_LIMITS", "grapheme_count", "mastodon_length", "overflow_start",
    "reply_length", "reply_limit", "x_weighted_length",
]  # fmt: skip

#: X and Mastodon count every link as this many characters, whatever its length
LINK_WEIGHT = 23

REPLY_LIMITS: dict[str, int] = {
    Platform.X: 280,
    Platform.BLUESKY: 300,  # graphemes
    Platform.MASTODON: 500,  # the default; instances may allow more
    Platform.REDDIT: 10_000,
    Platform.FACEBOOK: 8_000,
}

_GRAPHEME = regex.compile(r"\X")
# the links X recognises: with a scheme, with www., or a bare domain with a common TLD;
# trailing punctuation is not part of the link ("see x.com/a." ends the sentence)
_X_LINK = regex.compile(
    r"(?<![\w@.])(?:https?://[^\s<>\"']+|www\.[^\s<>\"']+"
    r"|(?:[a-z0-9-]+\.)+(?:com|org|net|io|co|uk|de|fr|es|it|nl|ca|au|us|info|biz|app|dev|shop"
    r"|store|me|ly|gl|be|ie|eu|nz|ch|at|se|no|dk|fi|pl|jp|in|br)(?:/[^\s<>\"']*)?)"
    r"(?<![.,;:!?'\")\]])",
    regex.IGNORECASE,
)
_MASTODON_LINK = regex.compile(r"https?://[^\s<>\"']+")
_MASTODON_MENTION = regex.compile(r"(?<![\w@])@(\w+)@[\w.-]+\w")
# what X counts as 2 as a whole: an emoji with its modifiers, ZWJ sequences, flags, keycaps
_X_EMOJI = regex.compile(
    r"\p{Regional_Indicator}{1,2}|[0-9#*]\ufe0f?\u20e3"
    r"|(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})[\p{Emoji_Modifier}\ufe0f\u20e3]*"
    r"(?:\u200d(?:\p{Extended_Pictographic}|\p{Emoji_Presentation})[\p{Emoji_Modifier}\ufe0f]*)*"
)
# code points X counts twice (the complement of twitter-text v3's light ranges)
_X_HEAVY = regex.compile(r"[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_MAYBE_LINK = regex.compile(r"[./]")


def grapheme_count(text: str) -> int:
    """How many user-perceived characters *text* has (Unicode extended grapheme clusters)."""
    if text.isascii():
        return len(text) - text.count("\r\n")  # in ASCII only CR LF is one cluster of two
    return len(_GRAPHEME.findall(text))


def _x_plain(text: str) -> int:
    """X's weight of text without links: emoji 2 each, heavy code points 2, the rest 1."""
    if text.isascii():
        return len(text)
    total = 0
    last = 0
    for emoji in _X_EMOJI.finditer(text):
        piece = text[last : emoji.start()]
        total += len(piece) + len(_X_HEAVY.findall(piece))
        # a lone text-style symbol ("©", "™") weighs what its code point weighs
        lone = emoji.group()
        total += 2 if len(lone) > 1 or (not lone.isascii() and _X_HEAVY.match(lone)) else 1
        last = emoji.end()
    piece = text[last:]
    return total + len(piece) + len(_X_HEAVY.findall(piece))


def _x_links(text: str) -> list[tuple[int, int]]:
    if not _MAYBE_LINK.search(text):
        return []
    return [m.span() for m in _X_LINK.finditer(text)]


def x_weighted_length(text: str) -> int:
    """The length X counts against its 280: links 23, Latin text 1, CJK and emoji 2."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    last = 0
    for start, end in _x_links(text):
        total += _x_plain(text[last:start]) + LINK_WEIGHT
        last = end
    return total + _x_plain(text[last:])


def mastodon_length(text: str) -> int:
    """Graphemes as Mastodon counts them: links weigh 23, ``@user@server`` counts ``@user``."""
    counted = _MASTODON_LINK.sub("x" * LINK_WEIGHT, text)
    counted = _MASTODON_MENTION.sub(lambda m: "@" + m.group(1), counted)
    return grapheme_count(counted)


def reply_length(platform: str | None, text: str) -> int:
    """The length of *text* in *platform*'s own unit (see the module text)."""
    if platform == Platform.X:
        return x_weighted_length(text)
    if platform == Platform.BLUESKY:
        return grapheme_count(text)
    if platform == Platform.MASTODON:
        return mastodon_length(text)
    return len(text)


def reply_limit(platform: str | None, instance_limit: int | None = None) -> int | None:
    """The longest reply *platform* takes; *instance_limit* overrides Mastodon's default."""
    if platform == Platform.MASTODON and instance_limit:
        return instance_limit
    return REPLY_LIMITS.get(platform or "")


def _grapheme_start(text: str, limit: int) -> int:
    """Where grapheme number *limit* + 1 starts."""
    for number, cluster in enumerate(_GRAPHEME.finditer(text)):
        if number == limit:
            return int(cluster.start())
    return len(text)


def _x_pieces(text: str) -> Iterator[tuple[int, int]]:
    """(start, weight) of each piece X counts, in order: characters, emoji sequences, links."""
    last = 0
    for start, end in [*_x_links(text), (len(text), len(text))]:
        for emoji in _X_EMOJI.finditer(text, last, start):
            for i in range(last, emoji.start()):
                yield i, 1 if _light(ord(text[i])) else 2
            yield emoji.start(), _x_plain(emoji.group())
            last = emoji.end()
        for i in range(last, start):
            yield i, 1 if _light(ord(text[i])) else 2
        if end > start:
            yield start, LINK_WEIGHT
        last = end


def _light(cp: int) -> bool:
    """Code points X counts once (twitter-text v3's ranges)."""
    return cp <= 4351 or 8192 <= cp <= 8205 or 8208 <= cp <= 8223 or 8242 <= cp <= 8247


def _x_overflow(text: str, limit: int) -> int:
    """Where NFC *text* passes *limit* as X counts, in one pass that stops there: a link or
    an emoji sequence that does not fit whole starts the overflow."""
    used = 0
    for start, weight in _x_pieces(text):
        used += weight
        if used > limit:
            return start
    return len(text)


def overflow_start(platform: str | None, text: str, limit: int) -> int | None:
    """The index in *text* from which it no longer fits in *limit*; None when it fits."""
    if reply_length(platform, text) <= limit:
        return None
    if platform == Platform.BLUESKY:
        return _grapheme_start(text, limit)
    if platform not in (Platform.X, Platform.MASTODON):
        return limit  # one character, one unit
    if platform == Platform.X and unicodedata.is_normalized("NFC", text):
        return _x_overflow(text, limit)
    # other weighted counts: the longest prefix that fits, by bisection (about 11 counts for 2,000)
    low, high = 0, len(text)  # the longest prefix that fits is text[:low]
    while low < high:
        middle = (low + high + 1) // 2
        if reply_length(platform, text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low
