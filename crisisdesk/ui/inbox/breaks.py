"""Where a long name or handle may wrap. A label wraps at spaces only, so
"@eastbrookeats.bsky.social" in the detail pane's heading (and the composer's "Reply to …")
was cut at the pane's edge at 14 pt and 200 % (issue 15.11). :func:`breakable` adds invisible
break opportunities (U+200B, zero width space) that a screen reader does not speak."""

from __future__ import annotations

import re

ZWSP = "\u200b"
#: a run of letters and digits longer than this may also break between any two of them
LONGEST_RUN = 20
_AFTER = re.compile(r"([._\-])(?=\S)")


def breakable(text: str) -> str:
    """*text* with a break opportunity after ., _ and - inside a word, and between the
    letters of a run longer than LONGEST_RUN (a long handle has no spaces)."""
    marked = _AFTER.sub(lambda m: m.group(1) + ZWSP, text)
    return re.sub(rf"\w{{{LONGEST_RUN + 1},}}", _split_run, marked)


def _split_run(match: re.Match[str]) -> str:
    return ZWSP.join(match.group(0))


def unbroken(text: str) -> str:
    """*text* without the break opportunities :func:`breakable` added (to copy, to compare)."""
    return text.replace(ZWSP, "")
