"""RSS 2.0 and Atom documents as sites and Google Alerts publish them, and a feed endpoint that
answers conditional GETs (ETag / Last-Modified → 304) like a web server does."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from tests.helpers.platform_server import RecordedRequest, Reply

_n = itertools.count(1)


@dataclass
class Entry:
    title: str
    content_html: str = ""
    link: str = ""
    id: str = field(default_factory=lambda: f"tag:example.org,2026:entry-{next(_n)}")
    published: str = "2026-11-20T09:00:00Z"  # RFC 3339 (Atom); RSS gets RFC 822
    author: str = ""


def google_link(real: str) -> str:
    """How Google Alerts wraps every link."""
    return (
        f"https://www.google.com/url?rct=j&sa=t&url={quote(real, safe=':/')}"
        "&ct=ga&cd=CAIyGjk0YzM5ZDM5ZTk1YjI4ZGQ6Y29tOmVuOlVT&usg=AOvVaw0example"
    )


def atom(
    entries: Sequence[Entry], *, title: str = "Google Alert - bakery", next_href: str = ""
) -> str:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">',
        "<id>tag:google.com,2005:reader/user/01234567890/state/com.google/alerts/987</id>",
        f"<title>{escape(title)}</title>",
        '<link href="https://www.google.com/alerts/feeds/01234567890/987" rel="self"></link>',
    ]
    if next_href:
        parts.append(f'<link href="{escape(next_href)}" rel="next"></link>')
    parts.append("<updated>2026-11-20T10:00:00Z</updated>")
    for e in entries:
        parts += [
            "<entry>",
            f"<id>{escape(e.id)}</id>",
            f'<title type="html">{escape(e.title)}</title>',
            f'<link href="{escape(e.link)}"></link>',
            f"<published>{e.published}</published>",
            f"<updated>{e.published}</updated>",
            f'<content type="html">{escape(e.content_html)}</content>',
            f"<author><name>{escape(e.author)}</name></author>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts)


def rss(entries: Sequence[Entry], *, title: str = "Reviews of Main St Bakery") -> str:
    from email.utils import format_datetime

    from crisisdesk.timeutil import parse_timestamp

    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{escape(title)}</title>",
        "<link>https://reviews.example/main-st-bakery</link>",
        "<description>Latest reviews</description>",
    ]
    for e in entries:
        date = format_datetime(parse_timestamp(e.published))
        parts += [
            "<item>",
            f"<title>{escape(e.title)}</title>",
            f"<link>{escape(e.link)}</link>",
            f'<guid isPermaLink="false">{escape(e.id)}</guid>',
            f"<pubDate>{date}</pubDate>",
            f"<description>{escape(e.content_html)}</description>",
        ]
        if e.author:
            parts.append(f"<dc:creator>{escape(e.author)}</dc:creator>")
        parts.append("</item>")
    parts += ["</channel>", "</rss>"]
    return "\n".join(parts)


class FeedEndpoint:
    """Serves *document* with an ETag and Last-Modified; 304 when the client has that one."""

    def __init__(self, document: str, *, content_type: str = "application/atom+xml") -> None:
        self.content_type = content_type
        self.version = 0
        self.publish(document)

    def publish(self, document: str) -> None:
        self.document = document
        self.version += 1
        self.etag = f'W/"v{self.version}"'
        self.modified = f"Fri, 20 Nov 2026 10:{self.version:02d}:00 GMT"

    def __call__(self, request: RecordedRequest) -> Reply:
        if request.headers.get("if-none-match") == self.etag or (
            "if-none-match" not in request.headers
            and request.headers.get("if-modified-since") == self.modified
        ):
            return Reply(status=304, headers={"ETag": self.etag})
        return Reply(
            body=self.document,
            headers={"Content-Type": f"{self.content_type}; charset=utf-8", "ETag": self.etag,
                     "Last-Modified": self.modified},
        )  # fmt: skip


# --- shapes real feeds have (learned from feedjira's sample feeds) -----------------------------


def typepad_atom(
    entries: Sequence[Entry], *, site: str = "http://blog.example", xml_base: str = ""
) -> str:
    """An Atom feed as Typepad writes it (feedjira's AmazonWebServicesBlog.xml): alternate and
    replies links with ``thr:count``, HTML content carrying its own ``xml:base``, entry links
    that may be relative, and Typepad's comments AFTER the closing ``</feed>``."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:thr="http://purl.org/syndication/thread/1.0"'
        + (f' xml:base="{xml_base}"' if xml_base else "")
        + ">",
        "    <title>Main Street Bakery Blog</title>",
        f'    <link rel="self" type="application/atom+xml" href="{site}/blog/atom.xml" />',
        f'    <link rel="alternate" type="text/html" href="{site}/blog/" />',
        "    <id>tag:typepad.com,2003:weblog-73998</id>",
        "    <updated>2026-11-20T10:00:00Z</updated>",
        '    <generator uri="http://www.typepad.com/">TypePad</generator>',
    ]
    for e in entries:
        parts += [
            "    <entry>",
            f"        <title>{escape(e.title)}</title>",
            f'        <link rel="alternate" type="text/html" href="{escape(e.link)}" />',
            f'        <link rel="replies" type="text/html" href="{escape(e.link)}" thr:count="2"/>',
            f"        <id>{escape(e.id)}</id>",
            f"        <published>{e.published}</published>",
            f"        <updated>{e.published}</updated>",
            f"        <author><name>{escape(e.author or 'Bakery Editor')}</name></author>",
            f'<content type="html" xml:lang="en-US" xml:base="{site}/blog/">',
            escape(e.content_html),
            "</content>",
            "    </entry>",
        ]
    parts += [" ", "</feed>", "<!-- ph=1 -->", "<!-- nhm:from_kauri -->", ""]
    return "\n".join(parts)


def feedburner_rss(entries: Sequence[Entry], *, feed: str = "MainStBakery") -> str:
    """An RSS feed republished by FeedBurner (as Blogger feeds were): each ``<link>`` goes
    through feedproxy.google.com, the real address is in ``<feedburner:origLink>``, and the
    description ends with FeedBurner's 1x1 tracking image."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0">',
        "<channel>",
        "<title>Main Street Bakery</title>",
        "<link>http://mainstbakery.blogspot.com/</link>",
        "<description>News from the bakery</description>",
    ]
    for n, e in enumerate(entries):
        slug = f"{n:02d}{e.id[-6:]}"
        parts += [
            "<item>",
            f'<guid isPermaLink="false">{escape(e.id)}</guid>',
            "<pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate>",
            f"<title>{escape(e.title)}</title>",
            "<description>"
            + escape(
                e.content_html + f'<img src="http://feeds.feedburner.com/~r/{feed}/~4/{slug}"'
                ' height="1" width="1" alt=""/>'
            )
            + "</description>",
            f"<link>http://feedproxy.google.com/~r/{feed}/~3/{slug}/post.html</link>",
            f"<feedburner:origLink>{escape(e.link)}</feedburner:origLink>",
            "</item>",
        ]
    parts += ["</channel>", "</rss>"]
    return "\n".join(parts)


def comments_rss(entries: Sequence[Entry]) -> str:
    """An RSS feed whose item descriptions are only a link to the discussion, as link
    aggregators (Hacker News) publish: ``<description><![CDATA[<a href=...>Comments</a>]]>``."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<rss version="2.0"><channel>',
             "<title>Front page</title>", "<link>https://news.example/</link>",
             "<description>Links</description>"]  # fmt: skip
    for e in entries:
        parts += [
            "<item>",
            f"<title>{escape(e.title)}</title>",
            f"<link>{escape(e.link)}</link>",
            "<pubDate>Fri, 20 Nov 2026 09:00:00 +0000</pubDate>",
            f"<comments>https://news.example/item?id={e.id[-4:]}</comments>",
            f'<description><![CDATA[<a href="https://news.example/item?id={e.id[-4:]}">'
            "Comments</a>]]></description>",
            "</item>",
        ]
    parts += ["</channel></rss>"]
    return "\n".join(parts)
