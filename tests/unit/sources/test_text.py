"""HTML → plain text, redirect unwrapping and grapheme counting."""

from __future__ import annotations

import pytest

from crisisdesk.sources.text import grapheme_count, html_to_text, plain, unwrap_link


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("<p>line one<br>line two<br/>line three</p>", "line one\nline two\nline three"),
        ("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x1F600;", "a & b <c> \"d\" 'e' 😀"),
        ('<a href="https://x.example/long">the link text</a>', "the link text"),
        # Mastodon hides parts of long links; the whole address is the visible text
        ('<a href="https://example.com/a/b"><span class="invisible">https://</span>'
         '<span class="ellipsis">example.com/a</span><span class="invisible">/b</span></a>',
         "https://example.com/a/b"),
        ('<span class="h-card"><a class="u-url mention" href="https://m.example/@bob">'
         "@<span>bob</span></a></span> hi", "@bob hi"),
        ("<ul><li>first</li><li>second</li></ul><p>after</p>", "first\nsecond\n\nafter"),
        ("<p>x</p><script>alert(1)</script><style>p {}</style><p>y</p>", "x\n\ny"),
        ("<p>  lots   of\n\n  space  </p>", "lots of space"),
        ('<img alt=":blobcat:" src="x.png"> custom emoji', ":blobcat: custom emoji"),
        ("<p>a</p><p></p><p></p><p>b</p>", "a\n\nb"),
        ("plain text\nwith a break", "plain text\nwith a break"),
        ("", ""),
        (None, ""),
        ("<p>unclosed <b>bold", "unclosed bold"),
    ],
)  # fmt: skip
def test_html_to_text(markup: str | None, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_html_to_text_never_returns_markup() -> None:
    text = html_to_text('<div onclick="x()"><iframe src="evil"></iframe><b>bold</b></div>')
    assert "<" not in text and text == "bold"


def test_plain_unescapes_and_tidies_but_keeps_lines() -> None:
    assert plain("  Tom &amp; Jerry  \n  second   line ") == "Tom & Jerry\nsecond line"
    assert plain(None) == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.google.com/url?rct=j&sa=t&url=https://news.example/a%3Fb%3D1&ct=ga&cd=x",
         "https://news.example/a?b=1"),
        ("https://www.google.co.uk/url?q=https://shop.example/&sa=U", "https://shop.example/"),
        ("https://l.facebook.com/l.php?u=https%3A%2F%2Fsite.example%2Fp&h=AT0",
         "https://site.example/p"),
        ("https://news.example/story", "https://news.example/story"),
        ("https://www.google.com/search?q=bakery", "https://www.google.com/search?q=bakery"),
        ("https://www.google.com/url?url=javascript:alert(1)",
         "https://www.google.com/url?url=javascript:alert(1)"),
        ("https://evil.example/url?url=https://x.example", "https://evil.example/url?url=https://x.example"),
        ("", ""),
        (None, None),
    ],
)  # fmt: skip
def test_unwrap_link(url: str | None, expected: str | None) -> None:
    assert unwrap_link(url) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("hello", 5),
        ("👍🏽", 1),  # emoji + skin tone modifier
        ("e\u0301", 1),  # e + combining accent
        ("🇫🇷🇩🇪", 2),  # flags are pairs of regional indicators
        ("👨‍👩‍👧‍👦", 1),  # a ZWJ family
        ("", 0),
    ],
)
def test_grapheme_count(text: str, count: int) -> None:
    assert grapheme_count(text) == count


def test_html_to_text_drops_control_characters_it_uses_as_markers() -> None:
    assert html_to_text("<p>a\x00b</p><p>c\x01d</p>") == "ab\n\ncd"


def test_file_import_converts_only_what_looks_like_html_with_the_same_converter() -> None:
    from crisisdesk.sources.files.rows import post_text

    markup = "<p>Cake was <b>stale</b> &amp; late<br>again</p><ul><li>one</li><li>two</li></ul>"
    assert post_text(markup) == html_to_text(markup) == "Cake was stale & late\nagain\n\none\ntwo"
    assert post_text("I <3 your   bread\n& cakes ") == "I <3 your   bread\n& cakes"
    assert post_text("Fish &amp; chips") == "Fish & chips"
    assert post_text("nul\x00 byte") == "nul byte"
