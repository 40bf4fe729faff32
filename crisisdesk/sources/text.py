"""Plain text from what platforms and files send: HTML → text, redirect links unwrapped,
graphemes counted. The one HTML converter of crisisdesk (connectors and file import use it).

* ``html_to_text(html)``: paragraphs become blank lines, ``<br>`` a line break, list items and
  other blocks their own lines; entities are unescaped; a link becomes its visible text (Mastodon
  hides parts of long URLs in ``<span class="invisible">`` — those parts are kept so the URL is
  whole); ``<script>``/``<style>`` are dropped. The result is meant to be shown as plain text.
* ``markdown_to_text(markdown)``: plain text from Markdown (Reddit): rendered by markdown-it-py
  (CommonMark with tables and strikethrough; raw HTML in it stays text), then ``html_to_text``.
* ``is_markup(text)``: whether a text from a file *is* HTML (every ``<`` opens a known,
  well-formed tag and the tags balance), so plain text with angle brackets keeps every character.
* ``unwrap_link(url)``: the real address behind Google (Alerts/Search) and Facebook redirects.
* ``grapheme_count(text)``: user-perceived characters (an emoji with skin tone counts once).
"""

from __future__ import annotations

import functools
import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from markdown_it import MarkdownIt

from crisisdesk.analysis.lengths import grapheme_count as grapheme_count  # one definition

_BLOCKS = {
    "p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
    "section", "article", "header", "footer", "figure", "dl",
}  # fmt: skip
_LINES = {"li", "tr", "dt", "dd", "figcaption", "hr"}
_SKIP = {"script", "style", "head", "template", "noscript"}
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_BREAK = "\x00"  # a hard line break marker; survives whitespace collapsing
_PARA = "\x01"  # a paragraph marker


class _TextExtractor(HTMLParser):
    def __init__(self, *, images: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.images = images
        self.parts: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append(_BREAK)
        elif tag in _BLOCKS:
            self.parts.append(_PARA)
            if tag == "pre":
                self._pre_depth += 1
        elif tag in _LINES:
            self.parts.append(_BREAK)
        elif tag == "img" and self.images:
            alt = dict(attrs).get("alt")
            if alt:  # custom emoji and images keep their text
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self._skip_depth -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip_depth = max(self._skip_depth - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append(_PARA)
            if tag == "pre":
                self._pre_depth = max(self._pre_depth - 1, 0)
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        if self._pre_depth:
            self.parts.append(data.replace("\n", _BREAK))
        else:
            self.parts.append(data)


def html_to_text(markup: str | None, *, images: bool = True) -> str:
    """Readable plain text from an HTML fragment (or plain text, returned tidied).

    *images* False leaves images out (feeds: their alt text is a file name like
    "screen_500 (1)", not words anyone wrote to the owner)."""
    if not markup:
        return ""
    if _BREAK in markup or _PARA in markup:  # control characters, never text: not our markers
        markup = markup.replace(_BREAK, "").replace(_PARA, "")
    if "<" not in markup and "&" not in markup:
        return _tidy(markup.replace("\n", _BREAK))
    parser = _TextExtractor(images=images)
    parser.feed(markup)
    parser.close()
    return _tidy("".join(parser.parts))


@functools.cache
def _markdown() -> MarkdownIt:
    # html False: "<b>" typed in a comment is text the person wrote, not markup; breaks True:
    # a line break the person typed stays one (CommonMark would join the lines)
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )


def markdown_to_text(markdown: str | None) -> str:
    """Readable plain text from Markdown: headings, emphasis and list markers go, a link
    becomes its text, paragraphs stay apart (through the one HTML converter above)."""
    if not markdown or not markdown.strip():
        return ""
    return html_to_text(_markdown().render(markdown))


#: tags a post's markup uses; a text with any other "<word" is not markup
_KNOWN_TAGS = frozenset({
    "p", "br", "a", "span", "div", "b", "i", "em", "strong", "u", "s", "img", "ul", "ol", "li",
    "blockquote", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "small",
    "sup", "sub", "hr", "table", "thead", "tbody", "tr", "td", "th", "font", "mark", "del",
    "ins", "html", "body", "head", "meta", "link", "title", "iframe", "video", "figure",
    "figcaption", "section", "article", "header", "footer", "dl", "dt", "dd", "wbr", "abbr",
    "cite", "q", "time",
})  # fmt: skip
_VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "wbr"})
#: a tag with its attributes: every attribute has a value (name="x", name='x' or name=x)
_TAG = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\s*=\s*"""
    r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))*)\s*(/?)>"""
)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def is_markup(text: str) -> bool:
    """Whether *text* is HTML rather than plain text that happens to hold angle brackets.

    Markup from a platform or an export escapes a literal ``<`` as ``&lt;``, names only HTML
    tags, gives each attribute a value and closes what it opens. ``Ok <b>so</b>: <style>
    matters``, ``I <3 it``, ``<a zero>``, ``<i think>`` and ``<cheesecake>`` are plain text.
    """
    if "<" not in text:
        return False
    if "<!--" in text:
        text = _COMMENT.sub("", text)
    open_tags: list[str] = []
    position = 0
    found = False
    while (start := text.find("<", position)) != -1:
        match = _TAG.match(text, start)
        if match is None:
            return False
        closing, name, _attrs, self_closing = match.groups()
        name = name.lower()
        if name not in _KNOWN_TAGS:
            return False
        found = True
        if closing:
            if not open_tags or open_tags[-1] != name:
                return False
            open_tags.pop()
        elif name not in _VOID_TAGS and not self_closing:
            open_tags.append(name)
        position = match.end()
    return found and not open_tags


def _tidy(text: str) -> str:
    text = _SPACES.sub(" ", text).replace(_PARA, "\n\n").replace(_BREAK, "\n")
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def plain(text: str | None) -> str:
    """Unescape entities in a plain-text field and tidy its whitespace (keeps line breaks)."""
    if not text:
        return ""
    return "\n".join(
        _SPACES.sub(" ", line).strip() for line in html.unescape(text).splitlines()
    ).strip()


_REDIRECT_HOSTS = {
    # host suffix → query parameters that hold the real address, in order of preference
    "google.com": ("url", "q"),
    "facebook.com": ("u",),
}


def unwrap_link(url: str | None) -> str | None:
    """The real address behind a known redirect link; any other URL unchanged.

    Google Alerts feeds link every entry as ``https://www.google.com/url?rct=j&sa=t&url=REAL``;
    Facebook wraps outgoing links as ``https://l.facebook.com/l.php?u=REAL``.
    """
    if not url:
        return url
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    for suffix, params in _REDIRECT_HOSTS.items():
        google_like = suffix == "google.com" and re.fullmatch(r"(www\.)?google\.[a-z.]+", host)
        if (host == suffix or host.endswith("." + suffix) or google_like) and parts.path in (
            "/url", "/l.php",
        ):  # fmt: skip
            query = parse_qs(parts.query)
            for name in params:
                target = (query.get(name) or [""])[0]
                if target.startswith(("http://", "https://")):
                    return target
    return url.strip()
