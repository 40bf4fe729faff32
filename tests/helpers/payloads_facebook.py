"""Facebook Graph API payloads shaped as developers.facebook.com documents them, and a small
Graph API for one Page on the loopback server.

Edges answer ``{"data": [...], "paging": {"cursors": {"before", "after"}, "next": URL}}``
(``next`` only when there is a next page; Graph puts the access token in it). Errors are HTTP 400
``{"error": {"message", "type": "OAuthException", "code", "error_subcode", "fbtrace_id"}}``.
``FacebookSite`` serves ``GET /{page}``, ``/{page}/feed`` (``since`` filter),
``/{post}/comments`` (``order=reverse_chronological``), ``POST /{id}/comments`` and
``POST /{page}/messages`` (private replies: one per comment, as on Facebook).
"""

from __future__ import annotations

import base64
import itertools
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply

_ids = itertools.count(500_000)


def fb_time(dt: datetime) -> str:
    """Graph's timestamp format: 2026-11-20T10:00:00+0000."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def person(name: str = "Jamie Doe") -> dict[str, str]:
    return {"id": str(next(_ids)), "name": name}


def error(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    err: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "AbCdEf123",
    }
    if subcode is not None:
        err["error_subcode"] = subcode
    return {"error": err}


def usage_headers(percent: int = 12) -> dict[str, str]:
    return {"X-App-Usage": f'{{"call_count":{percent},"total_cputime":3,"total_time":4}}'}


class FacebookSite:
    def __init__(
        self,
        server: PlatformServer,
        *,
        page_id: str = "1122334455",
        page_name: str = "Crumbs Bakery",
        token: str = "EAAB-page-token-xyz",
    ) -> None:
        self.server = server
        self.page = {"id": page_id, "name": page_name}
        self.token = token
        self.posts: list[dict[str, Any]] = []  # newest first
        self.comments: dict[str, list[dict[str, Any]]] = {}  # object id -> newest first
        self.messages: list[dict[str, Any]] = []
        self.comment_delay = 0.0
        server.handle("GET", "/*", self._authed(self._get))
        server.handle("POST", "/*", self._authed(self._post))

    @property
    def url(self) -> str:
        return self.server.url

    # --- data builders -----------------------------------------------------------------------

    def post(
        self, message: str, *, author: dict[str, str] | None = None, when: datetime | None = None
    ) -> dict[str, Any]:
        """A post on the Page (by the Page, or a visitor post when *author* is given)."""
        pid = f"{self.page['id']}_{next(_ids)}"
        data = {
            "id": pid,
            "message": message,
            "created_time": fb_time(when or ago(hours=5)),
            "from": author or self.page,
            "permalink_url": f"https://www.facebook.com/{self.page['id']}/posts/{pid}",
            "shares": {"count": 2},
        }
        self.posts.insert(0, data)
        self.comments.setdefault(pid, [])
        return data

    def comment(
        self,
        on: str,
        message: str,
        *,
        author: dict[str, str] | None = None,
        when: datetime | None = None,
        parent: str | None = None,
    ) -> dict[str, Any]:
        cid = f"{on.split('_')[-1]}_{next(_ids)}"
        data: dict[str, Any] = {
            "id": cid,
            "message": message,
            "created_time": fb_time(when or ago(hours=1)),
            "from": author if author is not None else person(),
            "like_count": 4,
            "comment_count": 0,
            "permalink_url": f"https://www.facebook.com/{on}?comment_id={cid}",
        }
        if parent:
            data["parent"] = {"id": parent}
        self.comments.setdefault(on, []).insert(0, data)
        self.comments.setdefault(cid, [])
        return data

    # --- the API -----------------------------------------------------------------------------

    def _authed(self, handler: Any) -> Any:
        def wrapped(request: RecordedRequest) -> Reply:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return Reply.json(error(190, "Invalid OAuth access token."), status=400)
            return handler(request)

        return wrapped

    def _edge(self, items: list[dict[str, Any]], request: RecordedRequest) -> Reply:
        limit = int(request.arg("limit") or 25)
        start = int(base64.b64decode(request.arg("after") or "MA==").decode())
        chunk = items[start : start + limit]
        body: dict[str, Any] = {"data": chunk}
        if chunk:
            cursors = {
                "before": base64.b64encode(str(start).encode()).decode(),
                "after": base64.b64encode(str(start + len(chunk)).encode()).decode(),
            }
            body["paging"] = {"cursors": cursors}
            if start + limit < len(items):
                body["paging"]["next"] = (
                    f"{self.url}{request.path}?access_token={self.token}&after={cursors['after']}"
                )
        return Reply.json(body, headers=usage_headers())

    def _get(self, request: RecordedRequest) -> Reply:
        parts = [p for p in request.path.split("/") if p]
        if parts == [self.page["id"]]:
            return Reply.json(self.page)
        if parts == [self.page["id"], "feed"]:
            since = int(request.arg("since") or 0)
            posts = [
                self._with_summaries(p)
                for p in self.posts
                if datetime.strptime(p["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp() >= since
            ]
            return self._edge(posts, request)
        if len(parts) == 2 and parts[1] == "comments" and parts[0] in self.comments:
            items = self.comments[parts[0]]
            if request.arg("filter") == "stream":  # replies to comments too, flat
                items = sorted(
                    self._descendants(parts[0]), key=lambda c: c["created_time"], reverse=True
                )
            if request.arg("order") == "chronological":
                items = items[::-1]
            return self._edge(items, request)
        return Reply.json(
            error(100, "Unsupported get request. Object does not exist.", 33), status=400
        )

    def _with_summaries(self, post: dict[str, Any]) -> dict[str, Any]:
        total = self._count(post["id"])
        return {
            **post,
            "comments": {"data": [], "summary": {"order": "ranked", "total_count": total,
                                                 "can_comment": True}},
            "reactions": {"data": [], "summary": {"total_count": 17}},
        }  # fmt: skip

    def _descendants(self, object_id: str) -> list[dict[str, Any]]:
        direct = self.comments.get(object_id, [])
        return direct + [d for c in direct for d in self._descendants(c["id"])]

    def _count(self, object_id: str) -> int:
        return len(self._descendants(object_id))

    def _post(self, request: RecordedRequest) -> Reply:
        parts = [p for p in request.path.split("/") if p]
        if parts == [self.page["id"], "messages"]:
            data = request.json()
            target = data["recipient"].get("comment_id") or data["recipient"].get("post_id")
            if any(m["target"] == target for m in self.messages):
                return Reply.json(error(10900, "Activity already replied to"), status=400)
            mid = f"m_{next(_ids)}"
            self.messages.append({"target": target, "text": data["message"]["text"], "id": mid})
            return Reply.json({"recipient_id": "7788", "message_id": mid})
        if len(parts) == 2 and parts[1] == "comments" and parts[0] in self.comments:
            form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
            made = self.comment(parts[0], form["message"], author=self.page, when=ago(seconds=1))
            delay, self.comment_delay = self.comment_delay, 0.0
            return Reply.json({"id": made["id"]}, delay=delay)
        return Reply.json(error(100, "Unsupported post request."), status=400)
