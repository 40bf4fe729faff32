"""Mastodon API payloads shaped as docs.joinmastodon.org documents them (Account, Status,
Notification entities), and a route handler that pages like a real instance.

``Timeline(items)`` answers ``GET`` with ``limit``, ``max_id``, ``since_id`` and ``min_id`` the
way Mastodon does (newest first; ``min_id`` gives the page just above it) and sets the ``Link``
header with ``rel="next"`` (older, ``max_id``) and ``rel="prev"`` (newer, ``min_id``).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from tests.helpers.platform_server import RecordedRequest, Reply

_ids = itertools.count(110_000_000_000_000_000)


def next_id() -> str:
    return str(next(_ids))


def account(username: str = "alice", *, domain: str | None = "other.example", **kw: Any) -> dict:
    acct = f"{username}@{domain}" if domain else username
    host = domain or "social.test"
    data = {
        "id": next_id(),
        "username": username,
        "acct": acct,
        "display_name": username.title(),
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": "2022-03-01T00:00:00.000Z",
        "note": "<p>Just a person</p>",
        "url": f"https://{host}/@{username}",
        "avatar": f"https://{host}/avatars/{username}.png",
        "avatar_static": f"https://{host}/avatars/{username}.png",
        "header": f"https://{host}/headers/{username}.png",
        "header_static": f"https://{host}/headers/{username}.png",
        "followers_count": 120,
        "following_count": 80,
        "statuses_count": 300,
        "last_status_at": "2026-11-20",
        "emojis": [],
        "fields": [],
    }
    data.update(kw)
    return data


def status(
    content: str = "<p>Hello</p>",
    *,
    author: dict | None = None,
    created_at: str = "2026-11-20T10:00:00.000Z",
    in_reply_to_id: str | None = None,
    visibility: str = "public",
    **kw: Any,
) -> dict:
    author = author or account()
    sid = kw.pop("id", None) or next_id()
    host = author["url"].split("/")[2]
    data = {
        "id": sid,
        "uri": f"https://{host}/users/{author['username']}/statuses/{sid}",
        "url": f"https://{host}/@{author['username']}/{sid}",
        "created_at": created_at,
        "account": author,
        "content": content,
        "visibility": visibility,
        "sensitive": False,
        "spoiler_text": "",
        "media_attachments": [],
        "application": None,
        "mentions": [],
        "tags": [],
        "emojis": [],
        "reblogs_count": 0,
        "favourites_count": 0,
        "replies_count": 0,
        "in_reply_to_id": in_reply_to_id,
        "in_reply_to_account_id": None,
        "reblog": None,
        "poll": None,
        "card": None,
        "language": "en",
        "text": None,
        "edited_at": None,
    }
    data.update(kw)
    return data


def notification(st: dict, *, type: str = "mention", **kw: Any) -> dict:
    data = {
        "id": kw.pop("id", None) or next_id(),
        "type": type,
        "group_key": f"ungrouped-{st['id']}",
        "created_at": st["created_at"],
        "account": st["account"],
        "status": st,
    }
    data.update(kw)
    return data


def _key(item_id: str) -> tuple[int, str]:
    return (len(item_id), item_id)  # Mastodon ids are numeric strings; compare by value


class Timeline:
    """A paging handler over *items* (any entities with an ``id``); see the module docstring."""

    def __init__(self, items: Sequence[dict], *, default_limit: int = 20) -> None:
        self.items = sorted(items, key=lambda i: _key(i["id"]), reverse=True)  # newest first
        self.default_limit = default_limit

    def add(self, *items: dict) -> None:
        self.items = sorted([*self.items, *items], key=lambda i: _key(i["id"]), reverse=True)

    def __call__(self, request: RecordedRequest) -> Reply:
        limit = int(request.arg("limit") or self.default_limit)
        max_id, since_id, min_id = (request.arg(n) for n in ("max_id", "since_id", "min_id"))
        items = self.items
        if max_id:
            items = [i for i in items if _key(i["id"]) < _key(max_id)]
        if since_id:
            items = [i for i in items if _key(i["id"]) > _key(since_id)]
        if min_id:  # the page immediately newer than min_id, still returned newest first
            newer = [i for i in items if _key(i["id"]) > _key(min_id)]
            page = newer[-limit:]
        else:
            page = items[:limit]
        headers: dict[str, str] = {}
        if page:
            base = f"http://{request.headers['host']}{request.path}"
            headers["Link"] = (
                f'<{base}?max_id={page[-1]["id"]}>; rel="next", '
                f'<{base}?min_id={page[0]["id"]}>; rel="prev"'
            )
        return Reply.json(page, headers=headers)


class Search:
    """``GET /api/v2/search`` over *statuses* (type=statuses, offset/limit, min_id)."""

    def __init__(self, statuses: Sequence[dict]) -> None:
        self.statuses = sorted(statuses, key=lambda i: _key(i["id"]), reverse=True)

    def __call__(self, request: RecordedRequest) -> Reply:
        limit = int(request.arg("limit") or 20)
        offset = int(request.arg("offset") or 0)
        query = (request.arg("q") or "").lower()
        found = [s for s in self.statuses if query in s["content"].lower()]
        if request.arg("min_id"):
            found = [s for s in found if _key(s["id"]) > _key(request.arg("min_id") or "")]
        return Reply.json(
            {"accounts": [], "statuses": found[offset : offset + limit], "hashtags": []}
        )


class PostStatuses:
    """``POST /api/v1/statuses`` that dedupes by ``Idempotency-Key`` as Mastodon does (the same
    key within an hour returns the status created first). ``delays`` delay the first replies."""

    def __init__(self, *, delays: Sequence[float] = (), author: dict | None = None) -> None:
        self.created: list[dict] = []
        self._by_key: dict[str, dict] = {}
        self._delays = list(delays)
        self.author = author or account("bakery", domain=None)

    def __call__(self, request: RecordedRequest) -> Reply:
        body = request.json()
        key = request.headers.get("idempotency-key")
        st = self._by_key.get(key) if key else None
        if st is None:
            st = status(
                f"<p>{body['status']}</p>", author=self.author,
                in_reply_to_id=body.get("in_reply_to_id"),
                visibility=body.get("visibility", "public"),
            )  # fmt: skip
            self.created.append(st)
            if key:
                self._by_key[key] = st
        delay = self._delays.pop(0) if self._delays else 0.0
        return Reply.json(st, delay=delay)


def instance_v2(domain: str, *, version: str = "4.5.2") -> dict:
    """``GET /api/v2/instance`` (Mastodon 4.0+), cut to what a client reads; ``domain`` is the
    instance's own domain (LOCAL_DOMAIN), which local accounts' handles end with. Mastodon.py's
    test_instance recording shows v1's ``uri`` carrying the port ("localhost:3000")."""
    return {
        "domain": domain,
        "title": "Bakery Town Social",
        "version": version,
        "source_url": "https://github.com/mastodon/mastodon",
        "description": "A small town's instance",
        "usage": {"users": {"active_month": 812}},
        "thumbnail": {"url": f"https://files.{domain}/site_uploads/thumbnail.png"},
        "languages": ["en"],
        "configuration": {
            "urls": {"streaming": f"wss://{domain}"},
            "statuses": {"max_characters": 500, "characters_reserved_per_url": 23},
        },
        "registrations": {"enabled": False, "approval_required": True},
        "contact": {"email": f"admin@{domain}"},
        "rules": [],
    }


def quote_post(text_html: str, quoted: dict, *, author: dict, **kw: Any) -> dict:
    """A Mastodon 4.5 quote post: the content starts with the fallback paragraph ``<p
    class="quote-inline">RE: <a ...>link to the quoted post</a></p>`` (long links split in
    invisible/ellipsis spans), and ``quote`` holds the quoted status with its state."""
    url = quoted["url"]
    scheme, rest = url.split("://", 1)
    fallback = (
        f'<p class="quote-inline">RE: <a href="{url}" target="_blank" rel="nofollow noopener"'
        f' translate="no"><span class="invisible">{scheme}://</span>'
        f'<span class="ellipsis">{rest[:30]}</span><span class="invisible">{rest[30:]}</span>'
        "</a></p>"
    )
    return status(
        fallback + text_html, author=author,
        quote={"state": "accepted", "quoted_status": quoted}, **kw,
    )  # fmt: skip
