"""markdown_to_text: Markdown (Reddit) to the plain text every other platform's text is."""

from __future__ import annotations

import pytest

from crisisdesk.sources.text import markdown_to_text


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("", ""),
        ("   \n", ""),
        ("plain words", "plain words"),
        ("# solved", "solved"),
        ("see [the thread](https://redd.it/abc) **now**", "see the thread now"),
        ("line one\nline two\n\nnew paragraph", "line one\nline two\n\nnew paragraph"),
        ("1. first\n2. second", "first\nsecond"),
        ("<script>alert(1)</script> typed by hand", "<script>alert(1)</script> typed by hand"),
        ("AT&amp;T &lt;3", "AT&T <3"),
        ("|a|b|\n|-|-|\n|1|2|", "a b\n1 2"),
    ],
)
def test_markdown_to_text(markdown: str, text: str) -> None:
    assert markdown_to_text(markdown) == text
