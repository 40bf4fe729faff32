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


def linked(text: str, expanded: str, short: str = "https://t.co/Xk3bQ9LmZ1") -> dict[str, Any]:
    """Post fields for *text* holding one t.co link, with ``entities.urls`` as X sends them
    (tweepy's recordings): start/end, the t.co ``url``, ``expanded_url``, ``display_url``."""
    body = f"{text} {short}"
    display = expanded.split("://", 1)[-1]
    return {
        "text": body,
        "entities": {
            "urls": [{
                "start": len(text) + 1, "end": len(body), "url": short,
                "expanded_url": expanded,
                "display_url": display[:24] + ("…" if len(display) > 24 else ""),
            }],
        },
    }  # fmt: skip


def retweet(original: dict[str, Any], *, by: dict[str, Any], of: str) -> dict[str, Any]:
    """A retweet as v2 returns it: its own id and author, text cut to "RT @of: ..." with an
    ellipsis, and ``referenced_tweets: [{"type": "retweeted", "id": ORIGINAL}]``; the original
    comes in ``includes.tweets`` when the request expands ``referenced_tweets.id``."""
    cut = f"RT @{of}: {original['text']}"
    if len(cut) > 60:
        cut = cut[:57] + "…"
    return tweet(
        cut, author=by, likes=0, retweets=original["public_metrics"]["retweet_count"],
        referenced_tweets=[{"type": "retweeted", "id": original["id"]}],
    )  # fmt: skip


def stale_since_id(since_id: str, oldest: str) -> dict[str, Any]:
    """X's 400 for a since_id older than recent search reaches (7 days)."""
    return {
        "errors": [{
            "parameters": {"since_id": [since_id]},
            "message": "Invalid 'since_id':'" + since_id + "'. 'since_id' must be a tweet id "
            "created after 2026-11-21T09:00Z. Please use a 'since_id' that is larger than "
            + oldest,
        }],
        "title": "Invalid Request",
        "detail": "One or more parameters to your request was invalid.",
        "type": "https://api.twitter.com/2/problems/invalid-request",
    }  # fmt: skip


def response(
    tweets: Sequence[dict[str, Any]],
    users: Sequence[dict[str, Any]],
    next_token: str | None = None,
    referenced: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    if not tweets:
        return {"meta": {"result_count": 0}}
    by_id = {u["id"]: u for u in users}
    ref_ids = {
        r["id"]
        for t in tweets
        for r in t.get("referenced_tweets") or ()
        if r["type"] != "replied_to"
    }
    included = [t for t in referenced if t["id"] in ref_ids]
    authors = [by_id[t["author_id"]] for t in [*tweets, *included] if t["author_id"] in by_id]
    meta: dict[str, Any] = {
        "newest_id": tweets[0]["id"],
        "oldest_id": tweets[-1]["id"],
        "result_count": len(tweets),
    }
    if next_token:
        meta["next_token"] = next_token
    unique = list({u["id"]: u for u in authors}.values())
    includes: dict[str, Any] = {"users": unique}
    if included:
        includes["tweets"] = included
    return {"data": list(tweets), "includes": includes, "meta": meta}


def page(
    tweets: Sequence[dict[str, Any]],
    users: Sequence[dict[str, Any]],
    request: RecordedRequest,
    *,
    page_param: str,
    referenced: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """*tweets* (newest first) filtered by since_id (and ``-is:retweet``) and paged the way X
    pages."""
    since = request.arg("since_id")
    items = [t for t in tweets if since is None or int(t["id"]) > int(since)]
    if "-is:retweet" in (request.arg("query") or ""):
        items = [t for t in items if not any(
            r["type"] == "retweeted" for r in t.get("referenced_tweets") or ())]  # fmt: skip
    size = int(request.arg("max_results") or 10)
    start = int(request.arg(page_param) or 0)
    chunk = items[start : start + size]
    more = start + size < len(items)
    return response(
        chunk, users, next_token=str(start + size) if more else None, referenced=referenced
    )


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
        #: posts retweets refer to (sent in includes.tweets when expanded)
        self.originals: list[dict[str, Any]] = []
        #: recent search refuses a since_id below this id (older than 7 days)
        self.oldest_id: str | None = None
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
        body = page(self.mentions, self.users, request, page_param="pagination_token",
                    referenced=self.originals)  # fmt: skip
        return Reply.json(body, headers=rate_headers())

    def _search(self, request: RecordedRequest) -> Reply:
        since = request.arg("since_id")
        if since and self.oldest_id and int(since) < int(self.oldest_id):
            return Reply.json(stale_since_id(since, self.oldest_id), status=400,
                              headers=rate_headers())  # fmt: skip
        body = page(self.search, self.users, request, page_param="next_token",
                    referenced=self.originals)  # fmt: skip
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
