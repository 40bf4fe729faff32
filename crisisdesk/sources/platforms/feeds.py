"""RSS 2.0 / Atom feeds (platform "feeds"): Google Alerts, review sites, Mastodon or Reddit
feeds — any feed address as the account's ``base_url``. Read only; no credential.

Conditional GET: the ``ETag`` and ``Last-Modified`` of the last answer are sent back as
``If-None-Match`` / ``If-Modified-Since``; a 304 means nothing new. Entries already seen (their
ids are kept in the state, newest first, bounded) are not returned again. Paged feeds
(RFC 5005 ``<link rel="next">``) are followed while a page holds only unseen entries, up to
``max_pages``; a next page that fails keeps the entries read before it (the state stays as it
was, so the next sync tries again) and is reported as a part that failed.

Links: relative links are resolved against the feed's own address and ``xml:base``; Google
Alerts / Search links (``https://www.google.com/url?...&url=REAL`` or ``?q=REAL``) are unwrapped,
and FeedBurner entries (``feedproxy.google.com/~r/...``) use their ``feedburner:origLink``.
Text: images are left out (their alt text is a file name), and a body that only says
"Comments" (a link to the discussion) is dropped.

Complete or cut off: feedparser flags ("bozo") harmless things too (a charset the server did
not declare), so a flagged feed is refused as cut off only when it does not end with its
closing tag; comments after that tag (Typepad's ``<!-- ph=1 -->``) do not count.

State: ``{"etag": str, "modified": str, "seen": [entry ids]}``.
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from crisisdesk.domain import NewMention, Platform
from crisisdesk.errors import PlatformError, SourceError
from crisisdesk.sources.platforms.base import (
    Connector,
    FetchResult,
    Parts,
    ReplyResult,
    ReplyTarget,
)
from crisisdesk.sources.platforms.common import payload_json
from crisisdesk.sources.platforms.http import send
from crisisdesk.sources.text import html_to_text, unwrap_link
from crisisdesk.timeutil import now_iso, to_iso

_ENDINGS = (b"</feed>", b"</rss>", b"</rdf:RDF>", b"</rdf:rdf>")
#: a body that is only a link to the discussion (Hacker News, Typepad, WordPress)
_LONE_COMMENTS = {"comments", "comment", "comments »", "view comments"}


class FeedConnector(Connector):
    platform: ClassVar[str] = Platform.FEEDS
    reply_limit: ClassVar[int | None] = None
    max_pages: ClassVar[int] = 5
    max_seen: ClassVar[int] = 2000

    def setup(self, secret: str | None) -> None:
        if not self.account.base_url:
            raise SourceError(
                f"The feed '{self.account.name}' has no address.",
                "Add it again with --base-url and the feed's address.",
            )
        self.url = self.account.base_url.strip()

    def check(self) -> str:
        parsed, _ = self._get(self.url, {})
        return str(parsed.feed.get("title") or self.url)

    def fetch(self, state: dict[str, Any]) -> FetchResult:
        seen: list[str] = [str(s) for s in state.get("seen") or []]
        known = set(seen)
        conditional: dict[str, str] = {}
        if state.get("etag"):
            conditional["If-None-Match"] = str(state["etag"])
        if state.get("modified"):
            conditional["If-Modified-Since"] = str(state["modified"])
        new_state = dict(state)
        parsed, response = self._get(self.url, conditional)
        if response.status_code == 304 or parsed is None:
            return FetchResult([], new_state)
        for header, key in (("etag", "etag"), ("last-modified", "modified")):
            if response.headers.get(header):
                new_state[key] = response.headers[header]
            else:
                new_state.pop(key, None)

        fetched_at = now_iso()
        found: list[NewMention] = []
        page_url = str(response.url)
        parts = Parts()
        parts.done += 1  # the first page answered: the feed itself is there
        for page in range(self.max_pages):
            if page:
                next_url = _next_link(parsed, page_url)
                if next_url is None:
                    break
                # a feed has no credential: a refusal there is that page's problem too
                with parts.attempt(f"the next page of the feed ({next_url})", auth=False):
                    parsed, response = self._get(next_url, {})
                if parts.failed:
                    # keep what the pages before found; the cursor stays where it was, so the
                    # next sync reads those pages again and tries this one once more
                    return parts.result(found, dict(state))
                page_url = str(response.url)
                if parsed is None:
                    break
            fresh = 0
            for entry in parsed.entries:
                mention = self._mention(entry, parsed.feed, fetched_at)
                if mention.external_id in known:
                    continue
                known.add(mention.external_id)
                seen.insert(0, mention.external_id)
                found.append(mention)
                fresh += 1
            if fresh < len(parsed.entries) or not parsed.entries:
                break  # reached what an earlier sync saw
        new_state["seen"] = seen[: self.max_seen]
        return parts.result(found, new_state)

    def _get(self, url: str, headers: dict[str, str]) -> tuple[Any, httpx.Response]:
        response = send(
            self.client, "GET", url, idempotent=True,
            headers={"Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9,"
                               " text/xml;q=0.8, */*;q=0.5", **headers},
        )  # fmt: skip
        if response.status_code == 304:
            return None, response
        host = response.url.host or url
        body = response.content
        content_type = response.headers.get("content-type", "").lower()
        # content-location: the base that relative links (and xml:base) resolve against
        parsed = feedparser.parse(
            body,
            response_headers={"content-type": content_type, "content-location": str(response.url)},
        )
        if not parsed.get("version"):
            if "html" in content_type or b"<html" in body[:2000].lower():
                raise PlatformError(
                    f"{host} sent a web page, not a feed.",
                    "Use the feed's own address (it often ends in /feed, .rss or .xml).",
                )
            raise PlatformError(
                f"{host} sent something that is not an RSS or Atom feed.",
                "Check the feed address; open it in a browser to see what it shows.",
            )
        if parsed.get("bozo") and not _complete(body):
            raise PlatformError(
                f"The feed from {host} ended early (incomplete answer).",
                "Try again later; if it keeps happening, the site's feed is broken.",
            )
        return parsed, response

    def _mention(self, entry: Any, feed: Any, fetched_at: str) -> NewMention:
        # FeedBurner links every entry through feedproxy and keeps the real one in origLink
        link = unwrap_link(entry.get("feedburner_origlink") or entry.get("link")) or None
        title = html_to_text(entry.get("title"), images=False)
        content = entry.get("content") or []
        body_html = content[0].get("value") if content else entry.get("summary")
        body = html_to_text(body_html, images=False)
        if body.lower() in _LONE_COMMENTS:
            body = ""  # only a link to the discussion: nothing anyone wrote
        text = title if not body or body == title else f"{title}\n\n{body}" if title else body
        external_id = str(entry.get("id") or link or "") or _digest(title, body)
        site = (urlsplit(link).hostname or "") if link else ""
        site = site.removeprefix("www.")
        author = str(entry.get("author") or "").strip()
        feed_title = html_to_text(feed.get("title")) or urlsplit(self.url).hostname or self.url
        return NewMention(
            source=self.platform,
            external_id=external_id,
            url=link,
            author_handle=author or site or feed_title,
            author_name=author or site or feed_title,
            text=text,
            created_at=_entry_time(entry),
            fetched_at=fetched_at,
            raw=payload_json(_jsonable(entry)),
            account_id=self.account.id,
        )

    def check_reply(self, target: ReplyTarget, body: str, *, private: bool) -> None:
        self.reply(target, body, private=private, idempotency_key="")

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        raise SourceError(
            "Feeds are read-only; answer on the site itself.",
            "Open the link of the mention, answer there, then mark it as replied.",
        )


def _complete(body: bytes) -> bool:
    """Whether *body* ends with a feed's closing tag. Comments and processing instructions
    after it are allowed (Typepad ends its feeds with "<!-- ph=1 -->")."""
    tail = body.rstrip()
    while tail.endswith((b"-->", b"?>")):
        start = tail.rfind(b"<!--" if tail.endswith(b"-->") else b"<?")
        if start < 0:
            break
        tail = tail[:start].rstrip()
    return tail.endswith(_ENDINGS)


def _next_link(parsed: Any, base: str) -> str | None:
    for link in parsed.feed.get("links") or []:
        if link.get("rel") == "next" and link.get("href"):
            return urljoin(base, str(link["href"]))
    return None


def _entry_time(entry: Any) -> str:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return to_iso(datetime.fromtimestamp(calendar.timegm(value), UTC))
    return now_iso()


def _digest(*parts: str) -> str:
    return "sha1:" + hashlib.sha1("\x00".join(parts).encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    """The entry as plain JSON: parsed time tuples dropped (their text forms stay)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items() if not str(k).endswith("_parsed")}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
