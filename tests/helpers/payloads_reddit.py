"""Reddit payloads shaped as reddit.com/dev/api documents them, and a small Reddit on the
loopback server.

Things are ``{"kind": "t3"|"t1", "data": {...}}``; listings are ``{"kind": "Listing", "data":
{"after", "before", "dist", "children"}}`` newest first, paged with ``after`` (a fullname) and
``limit``. ``RedditSite`` serves the OAuth token endpoint, ``/api/v1/me``, ``/search``,
``/r/SUB/search``, ``/message/mentions``, ``/user/NAME/comments``, ``/message/sent``,
``/api/comment`` and ``/api/compose`` — posted comments show up in the user's comment listing,
as on Reddit, so a retry can find them.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qs

from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply

_ids = itertools.count(1_000_000)
BASE_UTC = 1_795_000_000.0  # 2026-11-18


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = digits[r] + out
    return out or "0"


def link(
    title: str = "Anyone tried the bakery?",
    selftext: str = "",
    *,
    author: str = "crumbfan",
    subreddit: str = "smallbusiness",
    created_utc: float | None = None,
    score: int = 5,
    num_comments: int = 2,
    **kw: Any,
) -> dict[str, Any]:
    """A t3 thing (a post)."""
    n = next(_ids)
    tid = _b36(n)
    slug = "_".join(title.lower().split())[:40]
    data = {
        "id": tid,
        "name": f"t3_{tid}",
        "title": title,
        "selftext": selftext,
        "selftext_html": None,
        "author": author,
        "author_fullname": f"t2_{_b36(n + 7)}",
        "subreddit": subreddit,
        "subreddit_name_prefixed": f"r/{subreddit}",
        "created_utc": created_utc if created_utc is not None else BASE_UTC + n % 10_000,
        "permalink": f"/r/{subreddit}/comments/{tid}/{slug}/",
        "url": f"https://www.reddit.com/r/{subreddit}/comments/{tid}/{slug}/",
        "score": score,
        "ups": score,
        "num_comments": num_comments,
        "num_crossposts": 0,
        "over_18": False,
        "is_self": bool(selftext),
    }
    data.update(kw)
    return {"kind": "t3", "data": data}


def inbox_mention(
    body: str = "u/bakery my order never came",
    *,
    author: str = "angrycustomer",
    link_id: str = "t3_abc123",
    subreddit: str = "smallbusiness",
    created_utc: float | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """A t1 thing as /message/mentions lists it (no permalink/link_id; ``context`` instead)."""
    n = next(_ids)
    cid = _b36(n)
    data = {
        "id": cid,
        "name": f"t1_{cid}",
        "author": author,
        "body": body,
        # raw_json=1 (which crisisdesk sends): HTML not entity-escaped, as praw records it
        "body_html": f'<div class="md"><p>{body}</p>\n</div>',
        "context": f"/r/{subreddit}/comments/{link_id[3:]}/thread/{cid}/?context=3",
        "created_utc": created_utc if created_utc is not None else BASE_UTC + n % 10_000,
        "dest": "bakery",
        "link_title": "Bakery thread",
        "parent_id": link_id,
        "subreddit": subreddit,
        "subject": "username mention",
        "type": "username_mention",
        "was_comment": True,
        "new": True,
        "score": 3,
    }
    data.update(kw)
    return {"kind": "t1", "data": data}


def comment(
    body: str,
    *,
    author: str,
    parent_id: str,
    link_id: str,
    subreddit: str = "smallbusiness",
    created_utc: float | None = None,
) -> dict[str, Any]:
    """A t1 thing as comment listings show it."""
    n = next(_ids)
    cid = _b36(n)
    return {
        "kind": "t1",
        "data": {
            "id": cid,
            "name": f"t1_{cid}",
            "author": author,
            "body": body,
            "created_utc": created_utc if created_utc is not None else BASE_UTC + n % 10_000,
            "link_id": link_id,
            "parent_id": parent_id,
            "permalink": f"/r/{subreddit}/comments/{link_id[3:]}/thread/{cid}/",
            "subreddit": subreddit,
            "score": 1,
        },
    }


def listing(children: Sequence[dict[str, Any]], after: str | None = None) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": after,
            "before": None,
            "dist": len(children),
            "modhash": None,
            "geo_filter": "",
            "children": list(children),
        },
    }


def page(items: Sequence[dict[str, Any]], request: RecordedRequest) -> dict[str, Any]:
    """One page of *items* (newest first) the way Reddit pages: ``after`` + ``limit``."""
    limit = int(request.arg("limit") or 25)
    after = request.arg("after")
    start = 0
    if after:
        names = [t["data"]["name"] for t in items]
        start = names.index(after) + 1 if after in names else len(items)
    chunk = list(items[start : start + limit])
    more = start + limit < len(items)
    return listing(chunk, after=chunk[-1]["data"]["name"] if chunk and more else None)


class RedditSite:
    """A small Reddit: token endpoint, listings with paging, comment posting."""

    def __init__(
        self,
        server: PlatformServer,
        *,
        username: str = "bakery",
        client_id: str = "cid-123",
        client_secret: str = "csecret-456",
        password: str = "hunter2-pw",
        token: str = "reddit-access-token-789",
    ) -> None:
        self.server = server
        self.username = username
        self.client_id = client_id
        self.client_secret = client_secret
        self.password = password
        self.token = token
        self.mentions: list[dict[str, Any]] = []  # newest first
        self.search_results: list[dict[str, Any]] = []
        self.user_comments: list[dict[str, Any]] = []
        self.sent_messages: list[dict[str, Any]] = []
        self.comment_delay = 0.0  # seconds the first /api/comment answer is held back
        server.handle("POST", "/api/v1/access_token", self._token)
        server.handle("GET", "/api/v1/me", self._authed(lambda r: Reply.json(self._me())))
        server.handle(
            "GET", "/message/mentions", self._authed(lambda r: self._page(self.mentions, r))
        )
        server.handle("GET", "/search", self._authed(lambda r: self._page(self.search_results, r)))
        server.handle("GET", "/r/*", self._authed(lambda r: self._page(self.search_results, r)))
        server.handle(
            "GET",
            f"/user/{username}/comments",
            self._authed(lambda r: self._page(self.user_comments, r)),
        )
        server.handle(
            "GET", "/message/sent", self._authed(lambda r: self._page(self.sent_messages, r))
        )
        server.handle("POST", "/api/comment", self._authed(self._comment))
        server.handle("POST", "/api/compose", self._authed(self._compose))

    @property
    def url(self) -> str:
        return self.server.url

    def secret_lines(self) -> str:
        """What a user types at the three hidden prompts (stdin form)."""
        return f"{self.client_id}\n{self.client_secret}\n{self.password}\n"

    def _me(self) -> dict[str, Any]:
        return {"name": self.username, "id": "abc12", "total_karma": 10}

    def _page(self, items: list[dict[str, Any]], request: RecordedRequest) -> Reply:
        return Reply.json(page(items, request), headers=_ratelimit_headers())

    def _token(self, request: RecordedRequest) -> Reply:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return Reply.json({"message": "Unauthorized", "error": 401}, status=401)
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if (
            form.get("grant_type") != "password"
            or form.get("username") != self.username
            or form.get("password") != self.password
        ):
            return Reply.json({"error": "invalid_grant"})  # Reddit answers 200 here
        return Reply.json(
            {"access_token": self.token, "token_type": "bearer", "expires_in": 86400, "scope": "*"}
        )

    def _authed(self, handler: Any) -> Any:
        def wrapped(request: RecordedRequest) -> Reply:
            if request.headers.get("authorization") != f"bearer {self.token}":
                return Reply.json({"message": "Unauthorized", "error": 401}, status=401)
            return handler(request)

        return wrapped

    def _comment(self, request: RecordedRequest) -> Reply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        parent = form["thing_id"]
        link_id = parent if parent.startswith("t3_") else "t3_linkxyz"
        posted = comment(form["text"], author=self.username, parent_id=parent, link_id=link_id)
        self.user_comments.insert(0, posted)
        delay, self.comment_delay = self.comment_delay, 0.0
        # the answer to /api/comment carries no permalink (praw's TestComment.test_reply
        # recording): link_id, id, name and subreddit are there
        answer = {"kind": "t1", "data": {
            k: v for k, v in posted["data"].items() if k != "permalink"}}  # fmt: skip
        return Reply.json({"json": {"errors": [], "data": {"things": [answer]}}}, delay=delay)

    def _compose(self, request: RecordedRequest) -> Reply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        n = _b36(next(_ids))
        self.sent_messages.insert(
            0,
            {
                "kind": "t4",
                "data": {
                    "id": n, "name": f"t4_{n}", "dest": form["to"], "body": form["text"],
                    "subject": form["subject"], "author": self.username,
                },
            },
        )  # fmt: skip
        return Reply.json({"json": {"errors": []}})


def _ratelimit_headers() -> dict[str, str]:
    return {"X-Ratelimit-Used": "3", "X-Ratelimit-Remaining": "597.0", "X-Ratelimit-Reset": "412"}


#: a comment body as Reddit sends it (Markdown), in the shapes praw's recordings hold: a heading,
#: a link, bold, a list, a quote, a bot footer in superscript and a spoiler
MARKDOWN_BODY = (
    "# solved\n\n"
    "u/bakery **still** no refund for the [order](https://redd.it/1abc2de) I *cancelled*.\n\n"
    "* called twice\n* emailed on Monday\n\n"
    "> We will get back to you within 24 hours\n\n"
    "Spoiler: >!they never did!<\n\n"
    "^^If ^^you ^^have ^(questions, ask the mods)"
)
MARKDOWN_TEXT = (
    "solved\n\n"
    "u/bakery still no refund for the order I cancelled.\n\n"
    "called twice\nemailed on Monday\n\n"
    "We will get back to you within 24 hours\n\n"
    "Spoiler: they never did\n\n"
    "If you have questions, ask the mods"
)
