"""Bluesky / AT Protocol payloads shaped as the lexicons define them (profileViewBasic,
app.bsky.feed.post records, postView, notification views), and ``FakePDS``: XRPC routes on the
loopback server that behave like a PDS for what crisisdesk uses.

FakePDS routes: com.atproto.server.createSession / refreshSession / getSession,
app.bsky.notification.listNotifications (reasons, limit, cursor), app.bsky.feed.searchPosts
(q, sort=latest, since, limit, cursor), app.bsky.feed.getPosts, com.atproto.identity.
resolveHandle, com.atproto.repo.createRecord (TID rkeys; a repeated rkey gets
``duplicate_status``/``duplicate_error``), com.atproto.repo.getRecord.
Authenticated routes answer 400 ``ExpiredToken`` for tokens in ``expired`` and 401 for unknown
ones, as the PDS does.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from typing import Any

from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply

_n = itertools.count(1)
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def did_for(handle: str) -> str:
    return "did:plc:" + hashlib.sha256(handle.encode()).hexdigest()[:24]


def cid_for(text: str) -> str:
    return "bafyrei" + hashlib.sha256(text.encode()).hexdigest()[:52]


def profile(handle: str = "alice.bsky.social", **kw: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "did": did_for(handle),
        "handle": handle,
        "displayName": handle.split(".")[0].title(),
        "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did_for(handle)}/x@jpeg",
        "viewer": {"muted": False, "blockedBy": False},
        "labels": [],
        "createdAt": "2024-02-01T10:00:00.000Z",
    }
    data.update(kw)
    return data


def ref(post: dict[str, Any]) -> dict[str, str]:
    """A com.atproto.repo.strongRef to *post*."""
    return {"uri": post["uri"], "cid": post["cid"]}


def post_view(
    text: str = "Hello",
    *,
    author: dict[str, Any] | None = None,
    created_at: str = "2026-11-20T10:00:00.000Z",
    indexed_at: str | None = None,
    reply_to: dict[str, Any] | None = None,
    **kw: Any,
) -> dict[str, Any]:
    """A postView; *reply_to* is the parent postView (root taken from it, as clients do)."""
    author = author or profile()
    rkey = "3l" + format(next(_n), "011d").translate(str.maketrans("0189", "abcd"))
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": created_at,
        "langs": ["en"],
    }
    if reply_to is not None:
        parent_reply = reply_to["record"].get("reply")
        root = parent_reply["root"] if parent_reply else ref(reply_to)
        record["reply"] = {"root": root, "parent": ref(reply_to)}
    uri = f"at://{author['did']}/app.bsky.feed.post/{rkey}"
    data: dict[str, Any] = {
        "uri": uri,
        "cid": cid_for(uri),
        "author": author,
        "record": record,
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "quoteCount": 0,
        "indexedAt": indexed_at or created_at,
        "viewer": {"threadMuted": False, "embeddingDisabled": False},
        "labels": [],
    }
    data.update(kw)
    return data


def notification(post: dict[str, Any], reason: str = "mention", **kw: Any) -> dict[str, Any]:
    data = {
        "uri": post["uri"],
        "cid": post["cid"],
        "author": post["author"],
        "reason": reason,
        "record": post["record"],
        "isRead": False,
        "indexedAt": post["indexedAt"],
        "labels": [],
    }
    data.update(kw)
    return data


def _error(status: int, error: str, message: str) -> Reply:
    return Reply.json({"error": error, "message": message}, status)


class FakePDS:
    def __init__(
        self, server: PlatformServer, handle: str = "bakery.bsky.social", password: str = "app-pw"
    ) -> None:
        self.server = server
        self.handle = handle
        self.did = did_for(handle)
        self.password = password
        self.notifications: list[dict[str, Any]] = []  # newest first
        self.posts: dict[str, dict[str, Any]] = {}  # uri → postView (getPosts, search)
        self.handles: dict[str, str] = {handle: self.did}
        self.records: dict[str, dict[str, Any]] = {}  # rkey → created record
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.expired: set[str] = set()
        self.duplicate_status = 500  # what a PDS without RecordAlreadyExists answers
        self.duplicate_error = "InternalServerError"
        self.create_delays: list[float] = []
        routes = {
            ("POST", "com.atproto.server.createSession"): self._create_session,
            ("POST", "com.atproto.server.refreshSession"): self._refresh_session,
            ("GET", "com.atproto.server.getSession"): self._get_session,
            ("GET", "app.bsky.notification.listNotifications"): self._list_notifications,
            ("GET", "app.bsky.feed.searchPosts"): self._search,
            ("GET", "app.bsky.feed.getPosts"): self._get_posts,
            ("GET", "com.atproto.identity.resolveHandle"): self._resolve,
            ("POST", "com.atproto.repo.createRecord"): self._create_record,
            ("GET", "com.atproto.repo.getRecord"): self._get_record,
            ("GET", "app.bsky.actor.getProfiles"): self._get_profiles,
        }
        #: followersCount per DID, as app.bsky.actor.getProfiles answers it
        self.followers: dict[str, int] = {}
        for (method, nsid), handler in routes.items():
            server.handle(method, f"/xrpc/{nsid}", handler)

    # -- helpers for tests --------------------------------------------------------------------

    def add(self, *posts: dict[str, Any], reason: str = "mention") -> list[dict[str, Any]]:
        """Make *posts* known and notify about them (newest first)."""
        notes = []
        for post in posts:
            self.posts[post["uri"]] = post
            self.handles.setdefault(post["author"]["handle"], post["author"]["did"])
            notes.append(notification(post, reason))
        self.notifications = sorted(
            [*self.notifications, *notes], key=lambda n: n["indexedAt"], reverse=True
        )
        return notes

    def expire_all(self) -> None:
        self.expired |= self.access
        self.access.clear()

    def calls(self, nsid: str) -> list[RecordedRequest]:
        return [r for r in self.server.requests if r.path == f"/xrpc/{nsid}"]

    # -- routes -------------------------------------------------------------------------------

    def _tokens(self) -> Reply:
        n = next(_n)
        access, refresh = f"eyJhY2Nlc3M.{n}.access-sig", f"eyJyZWZyZXNo.{n}.refresh-sig"
        self.access.add(access)
        self.refresh.add(refresh)
        return Reply.json({
            "accessJwt": access, "refreshJwt": refresh, "handle": self.handle, "did": self.did,
            "email": "owner@bakery.example", "emailConfirmed": True, "active": True,
        })  # fmt: skip

    def _create_session(self, request: RecordedRequest) -> Reply:
        body = request.json()
        if (
            body.get("identifier") not in (self.handle, self.did)
            or body.get("password") != self.password
        ):
            return _error(401, "AuthenticationRequired", "Invalid identifier or password")
        return self._tokens()

    def _bearer(self, request: RecordedRequest) -> str:
        return request.headers.get("authorization", "").removeprefix("Bearer ")

    def _refresh_session(self, request: RecordedRequest) -> Reply:
        token = self._bearer(request)
        if token not in self.refresh:
            return _error(400, "ExpiredToken", "Token has expired")
        self.refresh.discard(token)
        return self._tokens()

    def _auth_problem(self, request: RecordedRequest) -> Reply | None:
        token = self._bearer(request)
        if token in self.access:
            return None
        if token in self.expired:
            return _error(400, "ExpiredToken", "Token has expired")
        return _error(401, "AuthenticationRequired", "Authentication Required")

    def _get_session(self, request: RecordedRequest) -> Reply:
        return self._auth_problem(request) or Reply.json(
            {"handle": self.handle, "did": self.did, "active": True}
        )

    def _list_notifications(self, request: RecordedRequest) -> Reply:
        if problem := self._auth_problem(request):
            return problem
        reasons = request.query.get("reasons")
        items = [n for n in self.notifications if not reasons or n["reason"] in reasons]
        cursor = request.arg("cursor")
        if cursor:
            items = [n for n in items if n["indexedAt"] < cursor]
        page = items[: int(request.arg("limit") or 50)]
        data: dict[str, Any] = {"notifications": page, "priority": False}
        if page and len(items) > len(page):
            data["cursor"] = page[-1]["indexedAt"]
        return Reply.json(data)

    def _search(self, request: RecordedRequest) -> Reply:
        if problem := self._auth_problem(request):
            return problem
        q = (request.arg("q") or "").lower()
        found = sorted(
            (p for p in self.posts.values() if q in p["record"]["text"].lower()),
            key=lambda p: p["indexedAt"], reverse=True,
        )  # fmt: skip
        since = request.arg("since")
        if since:  # inclusive, on sortAt (here: indexedAt without milliseconds)
            found = [p for p in found if p["indexedAt"][:19] >= since[:19]]
        offset = int(request.arg("cursor") or 0)
        limit = int(request.arg("limit") or 25)
        page = found[offset : offset + limit]
        data: dict[str, Any] = {"posts": page, "hitsTotal": len(found)}
        if offset + limit < len(found):
            data["cursor"] = str(offset + limit)
        return Reply.json(data)

    def _get_posts(self, request: RecordedRequest) -> Reply:
        if problem := self._auth_problem(request):
            return problem
        uris = request.query.get("uris", [])
        return Reply.json({"posts": [self.posts[u] for u in uris if u in self.posts]})

    def _get_profiles(self, request: RecordedRequest) -> Reply:
        """profileViewDetailed for each actor (at most 25, as the AppView enforces), in the
        shape of the AppView's own snapshots (bluesky-social/atproto profile.test.ts.snap)."""
        if problem := self._auth_problem(request):
            return problem
        actors = request.query.get("actors", [])
        if len(actors) > 25:
            return _error(
                400, "InvalidRequest", "Error: actors must not have more than 25 elements"
            )
        by_did = {p["author"]["did"]: p["author"] for p in self.posts.values()}
        profiles = []
        for did in actors:
            basic = by_did.get(did)
            if basic is None or did not in self.followers:
                continue  # unknown or deleted accounts are left out, as Bluesky does
            profiles.append({
                **basic, "associated": {"lists": 0, "feedgens": 0, "labeler": False},
                "description": "bread lover", "indexedAt": "2026-11-01T00:00:00.000Z",
                "followersCount": self.followers[did], "followsCount": 12, "postsCount": 40,
            })  # fmt: skip
        return Reply.json({"profiles": profiles})

    def _resolve(self, request: RecordedRequest) -> Reply:
        did = self.handles.get(request.arg("handle") or "")
        if did is None:
            return _error(400, "InvalidRequest", "Unable to resolve handle")
        return Reply.json({"did": did})

    def _create_record(self, request: RecordedRequest) -> Reply:
        if problem := self._auth_problem(request):
            return problem
        body = request.json()
        rkey = body.get("rkey")
        if body.get("repo") != self.did or body.get("collection") != "app.bsky.feed.post":
            return _error(400, "InvalidRequest", "bad repo or collection")
        if not isinstance(rkey, str) or not TID_RE.match(rkey):
            return _error(400, "InvalidRequest", "Invalid rkey for app.bsky.feed.post")
        delay = self.create_delays.pop(0) if self.create_delays else 0.0
        if rkey in self.records:
            return Reply.json(
                {"error": self.duplicate_error, "message": "Record already exists"},
                self.duplicate_status, delay=delay,
            )  # fmt: skip
        uri = f"at://{self.did}/app.bsky.feed.post/{rkey}"
        self.records[rkey] = {"uri": uri, "cid": cid_for(uri), "value": body["record"]}
        return Reply.json(
            {"uri": uri, "cid": cid_for(uri), "commit": {"cid": cid_for("c" + uri), "rev": rkey},
             "validationStatus": "valid"},
            delay=delay,
        )  # fmt: skip

    def _get_record(self, request: RecordedRequest) -> Reply:
        record = self.records.get(request.arg("rkey") or "")
        if record is None or request.arg("repo") not in (self.did, self.handle):
            return _error(400, "RecordNotFound", "Could not locate record")
        return Reply.json(record)


def posts_at(times: Sequence[str], text: str = "post", **kw: Any) -> list[dict[str, Any]]:
    return [post_view(f"{text} {i}", created_at=t, **kw) for i, t in enumerate(times)]
