"""X API v2 payloads shaped as docs.x.com documents them, and a small X on the loopback server.

Responses are ``{"data": [Tweet], "includes": {"users": [User]}, "meta": {"result_count",
"newest_id", "oldest_id", "next_token"}}``; an empty result is just ``{"meta":
{"result_count": 0}}``. Tweet ids are increasing numeric strings (snowflakes); ``since_id``
returns only newer posts, paging goes through ``next_token`` (search) or ``pagination_token``
(user timelines). ``XSite`` also serves ``/2/users/by/username/:u``, ``/2/users/me``,
``/2/users/:id/tweets`` and ``POST /2/tweets`` (posted replies appear in the user's timeline, as
on X, so a retry can find them).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply

_ids = itertools.count(1_860_000_000_000_000_000, 1_000)
_user_ids = itertools.count(40_000_000)


def user(username: str = "croissant_critic", *, followers: int = 1200, **kw: Any) -> dict[str, Any]:
    data = {
        "id": str(next(_user_ids)),
        "name": username.replace("_", " ").title(),
        "username": username,
        "public_metrics": {
            "followers_count": followers,
            "following_count": 300,
            "tweet_count": 5000,
            "listed_count": 4,
            "like_count": 900,
        },
    }
    data.update(kw)
    return data


def tweet(
    text: str,
    *,
    author: dict[str, Any],
    created_at: str = "2026-11-20T10:00:00.000Z",
    replied_to: str | None = None,
    likes: int = 3,
    retweets: int = 1,
    quotes: int = 0,
    replies: int = 0,
    **kw: Any,
) -> dict[str, Any]:
    tid = str(next(_ids))
    data: dict[str, Any] = {
        "id": tid,
        "text": text,
        "author_id": author["id"],
        "created_at": created_at,
        "conversation_id": kw.pop("conversation_id", None) or replied_to or tid,
        "edit_history_tweet_ids": [tid],
        "public_metrics": {
            "retweet_count": retweets,
            "reply_count": replies,
            "like_count": likes,
            "quote_count": quotes,
            "bookmark_count": 0,
            "impression_count": 100,
        },
    }
    if replied_to:
        data["referenced_tweets"] = [{"type": "replied_to", "id": replied_to}]
        data["in_reply_to_user_id"] = kw.pop("in_reply_to_user_id", "1")
    data.update(kw)
    return data


def response(
    tweets: Sequence[dict[str, Any]], users: Sequence[dict[str, Any]], next_token: str | None = None
) -> dict[str, Any]:
    if not tweets:
        return {"meta": {"result_count": 0}}
    by_id = {u["id"]: u for u in users}
    authors = [by_id[t["author_id"]] for t in tweets if t["author_id"] in by_id]
    meta: dict[str, Any] = {
        "newest_id": tweets[0]["id"],
        "oldest_id": tweets[-1]["id"],
        "result_count": len(tweets),
    }
    if next_token:
        meta["next_token"] = next_token
    unique = list({u["id"]: u for u in authors}.values())
    return {"data": list(tweets), "includes": {"users": unique}, "meta": meta}


def page(
    tweets: Sequence[dict[str, Any]],
    users: Sequence[dict[str, Any]],
    request: RecordedRequest,
    *,
    page_param: str,
) -> dict[str, Any]:
    """*tweets* (newest first) filtered by since_id and paged the way X pages."""
    since = request.arg("since_id")
    items = [t for t in tweets if since is None or int(t["id"]) > int(since)]
    size = int(request.arg("max_results") or 10)
    start = int(request.arg(page_param) or 0)
    chunk = items[start : start + size]
    more = start + size < len(items)
    return response(chunk, users, next_token=str(start + size) if more else None)


def rate_headers() -> dict[str, str]:
    return {
        "x-rate-limit-limit": "450",
        "x-rate-limit-remaining": "449",
        "x-rate-limit-reset": "1795000900",
    }


class XSite:
    def __init__(
        self, server: PlatformServer, *, token: str = "x-user-token-abc", handle: str = "bakery"
    ) -> None:
        self.server = server
        self.token = token
        self.me = user(handle, followers=800)
        self.users: list[dict[str, Any]] = [self.me]
        self.mentions: list[dict[str, Any]] = []  # newest first
        self.search: list[dict[str, Any]] = []
        self.timeline: list[dict[str, Any]] = []  # the account's own posts
        self.post_delay = 0.0
        self.not_mentioned: set[str] = set()  # posts X will not let us reply to
        server.handle("GET", f"/2/users/by/username/{handle}", self._authed(self._user))
        server.handle("GET", "/2/users/me", self._authed(self._user))
        server.handle("GET", f"/2/users/{self.me['id']}/mentions", self._authed(self._mentions))
        server.handle("GET", f"/2/users/{self.me['id']}/tweets", self._authed(self._timeline))
        server.handle("GET", "/2/tweets/search/recent", self._authed(self._search))
        server.handle("POST", "/2/tweets", self._authed(self._post))

    @property
    def url(self) -> str:
        return self.server.url

    def author(self, username: str, followers: int = 100) -> dict[str, Any]:
        u = user(username, followers=followers)
        self.users.append(u)
        return u

    def _authed(self, handler: Any) -> Any:
        def wrapped(request: RecordedRequest) -> Reply:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return Reply.json(
                    {"title": "Unauthorized", "type": "about:blank", "status": 401,
                     "detail": "Unauthorized"},
                    status=401,
                )  # fmt: skip
            return handler(request)

        return wrapped

    def _user(self, request: RecordedRequest) -> Reply:
        return Reply.json({"data": self.me})

    def _mentions(self, request: RecordedRequest) -> Reply:
        body = page(self.mentions, self.users, request, page_param="pagination_token")
        return Reply.json(body, headers=rate_headers())

    def _search(self, request: RecordedRequest) -> Reply:
        body = page(self.search, self.users, request, page_param="next_token")
        return Reply.json(body, headers=rate_headers())

    def _timeline(self, request: RecordedRequest) -> Reply:
        return Reply.json(page(self.timeline, self.users, request, page_param="pagination_token"))

    def _post(self, request: RecordedRequest) -> Reply:
        data = request.json()
        parent = data["reply"]["in_reply_to_tweet_id"]
        if parent in self.not_mentioned:
            return Reply.json(
                {
                    "title": "Forbidden",
                    "type": "about:blank",
                    "status": 403,
                    "detail": "Reply to this conversation is not allowed because you have not"
                    " been mentioned or otherwise engaged by the author of the post you are"
                    " replying to.",
                },
                status=403,
            )
        posted = tweet(data["text"], author=self.me, replied_to=parent)
        self.timeline.insert(0, posted)
        delay, self.post_delay = self.post_delay, 0.0
        return Reply.json(
            {"data": {"id": posted["id"], "text": posted["text"],
                      "edit_history_tweet_ids": [posted["id"]]}},
            status=201, delay=delay,
        )  # fmt: skip
