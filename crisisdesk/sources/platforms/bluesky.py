"""Bluesky (AT Protocol): mentions, replies and quotes from notifications, posts from search;
public replies with correct thread refs and mention/link facets.

Credential: the account handle plus an *app password* (Settings → Privacy and security → App
passwords), never the main password. ``base_url`` is the PDS (default https://bsky.social).
Options: ``queries`` (search terms for ``app.bsky.feed.searchPosts``).

Sessions: ``createSession`` is tightly rate limited, so a session is created once and reused;
on ``ExpiredToken`` the refresh JWT renews it (``refreshSession``) and only when that fails is a
new session created. JWTs stay in memory, or in the optional ``session_store`` (an object with
``get() -> str | None`` and ``set(str | None)``, e.g. the keyring); never in the database.

Incremental state: ``{"notifications": newest indexedAt seen, "search": {query: newest
sortAt}}``; notifications are read newest first until an already-seen one (or ``max_pages``),
searches use ``since=`` with ``sort=latest``, both following ``cursor`` across pages.

Replies: ``com.atproto.repo.createRecord`` with ``reply.root``/``reply.parent`` strong refs (the
root comes from the parent's own ``reply.root`` when the parent is itself a reply) and facets
with UTF-8 byte offsets. The record key is a TID derived from the idempotency key, so a retry
cannot create a second post: a failed or ambiguous create is resolved with ``getRecord``.
Bluesky has no private replies through this API: ``private=True`` is refused before sending.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

import httpx

from crisisdesk.errors import AuthError, PlatformError, SourceError
from crisisdesk.sources.platforms.base import AccountConfig, FetchResult, ReplyResult, ReplyTarget
from crisisdesk.sources.platforms.http import (
    add_secret,
    backoff_delay,
    error_code,
    json_body,
    redact,
    send,
)
from crisisdesk.sources.text import grapheme_count
from crisisdesk.timeutil import normalise, now_iso

DEFAULT_PDS = "https://bsky.social"
POST = "app.bsky.feed.post"
_REASONS = ("mention", "reply", "quote")
_EXPIRED = {"ExpiredToken", "InvalidToken"}
_DUPLICATE = {"RecordAlreadyExists", "InvalidSwap", "DuplicateCreate"}
_HANDLE = re.compile(
    r"(?<![\w@.])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
_LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_EPOCH_US = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
_YEAR_US = 365 * 24 * 3600 * 1_000_000


class SessionStore(Protocol):
    def get(self) -> str | None: ...
    def set(self, value: str | None) -> None: ...


def tid_from_key(key: str) -> str:
    """A valid, deterministic TID record key for *key* (13 chars, base32-sortable).

    The timestamp part is drawn from the key's hash within 2023, so the same idempotency key
    always names the same record and can never be posted twice.
    """
    h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    value = ((_TID_EPOCH_US + h % _YEAR_US) << 10) | ((h >> 53) & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def _rkey(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


class BlueskyConnector:
    platform: ClassVar[str] = "bluesky"
    reply_limit: ClassVar[int | None] = 300  # graphemes
    page_limit: ClassVar[int] = 50
    max_pages: ClassVar[int] = 10

    def __init__(
        self,
        account: AccountConfig,
        secret: str | None,
        client: httpx.Client,
        *,
        session_store: SessionStore | None = None,
    ) -> None:
        if not account.handle:
            raise SourceError(
                f"The Bluesky account '{account.name}' has no handle.",
                "Add it again with --handle yourname.bsky.social",
            )
        if not secret:
            raise SourceError(
                f"No app password is stored for the Bluesky account '{account.name}'.",
                "Remove the account and add it again with an app password.",
            )
        self.account = account
        self.client = client
        self.base = (account.base_url or DEFAULT_PDS).rstrip("/")
        self._password = secret
        self._store = session_store
        self._session: dict[str, str] | None = None
        add_secret(client, secret)

    @staticmethod
    def reply_length(body: str) -> int:
        """Graphemes, as Bluesky counts its 300 limit."""
        return grapheme_count(body)

    # -- session ------------------------------------------------------------------------------

    def _url(self, nsid: str) -> str:
        return f"{self.base}/xrpc/{nsid}"

    def _remember(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict) or not all(
            isinstance(data.get(k), str) for k in ("accessJwt", "refreshJwt", "did")
        ):
            raise PlatformError(f"{self._host()} sent an unusable login answer.")
        session = {
            k: str(data[k]) for k in ("accessJwt", "refreshJwt", "did", "handle") if k in data
        }
        add_secret(self.client, session["accessJwt"])
        add_secret(self.client, session["refreshJwt"])
        self._session = session
        if self._store is not None:
            self._store.set(json.dumps(session))
        return session

    def _host(self) -> str:
        return httpx.URL(self.base).host or self.base

    def _ensure_session(self) -> dict[str, str]:
        if self._session is not None:
            return self._session
        if self._store is not None:
            stored = self._store.get()
            try:
                data = json.loads(stored) if stored else None
            except ValueError:
                data = None
            if isinstance(data, dict) and isinstance(data.get("accessJwt"), str):
                add_secret(self.client, data.get("accessJwt"))
                add_secret(self.client, data.get("refreshJwt"))
                self._session = {k: str(v) for k, v in data.items()}
                return self._session
        return self._create_session()

    def _create_session(self) -> dict[str, str]:
        response = send(
            self.client, "POST", self._url("com.atproto.server.createSession"),
            idempotent=True, accept={400},
            json={"identifier": self.account.handle, "password": self._password},
        )  # fmt: skip
        if response.status_code == 400:
            code = error_code(response)
            if code in ("AuthFactorTokenRequired", "AccountTakedown", "AuthenticationRequired"):
                raise AuthError(
                    f"Bluesky refused to log in as {self.account.handle} ({code}).",
                    "Use an app password (Settings → Privacy and security → App passwords).",
                )
            raise PlatformError(f"Bluesky refused to log in ({code or 'HTTP 400'}).", status=400)
        return self._remember(json_body(response))

    def _refresh(self) -> dict[str, str]:
        session = self._session or {}
        refresh = session.get("refreshJwt")
        if refresh:
            response = send(
                self.client, "POST", self._url("com.atproto.server.refreshSession"),
                idempotent=True, accept={400, 401},
                headers={"Authorization": f"Bearer {refresh}"},
            )  # fmt: skip
            if response.status_code == 200:
                return self._remember(json_body(response))
        self._session = None
        if self._store is not None:
            self._store.set(None)
        return self._create_session()

    def _call(
        self,
        method: str,
        nsid: str,
        *,
        params: list[tuple[str, Any]] | None = None,
        body: dict[str, Any] | None = None,
        accept: frozenset[int] = frozenset(),
        idempotent: bool = True,
    ) -> httpx.Response:
        """An authenticated XRPC call; renews an expired session once."""
        session = self._ensure_session()
        for attempt in range(2):
            response = send(
                self.client, method, self._url(nsid), idempotent=idempotent,
                accept={400, 401} | accept, params=params, json=body,
                headers={"Authorization": f"Bearer {session['accessJwt']}"},
            )  # fmt: skip
            status = response.status_code
            code = error_code(response)
            if status in (400, 401) and attempt == 0 and (code in _EXPIRED or status == 401):
                session = self._refresh()
                continue
            if status in accept or status < 300:
                return response
            if status == 401:
                raise AuthError(
                    f"Bluesky refused the app password of {self.account.handle}.",
                    "Check the handle and app password in Accounts.",
                )
            message = ""
            data = _json_or_none(response)
            if isinstance(data, dict) and isinstance(data.get("message"), str):
                message = ": " + redact(self.client, data["message"][:200])
            raise PlatformError(
                f"Bluesky refused {nsid} ({code or status}){message}", status=status
            )
        raise AuthError(  # the renewed session was refused as well
            f"Bluesky refused the session of {self.account.handle}.",
            "Check the handle and app password in Accounts.",
        )

    def check(self) -> str:
        data = json_body(self._call("GET", "com.atproto.server.getSession"))
        handle = data.get("handle") if isinstance(data, dict) else None
        return f"@{handle or self.account.handle}"

    # -- fetching -----------------------------------------------------------------------------

    def fetch(self, state: dict[str, Any]) -> FetchResult:
        rows: dict[str, dict[str, Any]] = {}
        newest_seen = state.get("notifications")
        newest = newest_seen
        found: list[dict[str, Any]] = []
        for page in self._pages("app.bsky.notification.listNotifications",
                                [("reasons", r) for r in _REASONS], "notifications"):  # fmt: skip
            caught_up = False
            for note in page:
                indexed = str(note.get("indexedAt") or "")
                if newest_seen and indexed and indexed <= newest_seen:
                    caught_up = True
                    continue
                if note.get("reason") in _REASONS and "uri" in note:
                    found.append(note)
                if indexed and (newest is None or indexed > newest):
                    newest = indexed
            if caught_up:
                break
        views = self._post_views([n["uri"] for n in found])
        for note in found:
            row = self._row(views.get(note["uri"]) or note)
            rows[row["external_id"]] = row

        searches: dict[str, str] = dict(state.get("search") or {})
        for query in _clean_list(self.account.options.get("queries")):
            params: list[tuple[str, Any]] = [("q", query), ("sort", "latest")]
            if searches.get(query):
                params.append(("since", searches[query]))
            for page in self._pages("app.bsky.feed.searchPosts", params, "posts"):
                for post in page:
                    if "uri" not in post:
                        continue
                    row = self._row(post)
                    rows.setdefault(row["external_id"], row)
                    sort_at = _sort_at(post)
                    if sort_at and sort_at > searches.get(query, ""):
                        searches[query] = sort_at
        own = self._session.get("did") if self._session else None
        mentions = [r for r in rows.values() if not own or json.loads(r["raw"]).get(
            "author", {}).get("did") != own]  # fmt: skip
        return FetchResult(mentions, {"notifications": newest, "search": searches})

    def _pages(
        self, nsid: str, params: list[tuple[str, Any]], key: str
    ) -> Iterator[list[dict[str, Any]]]:
        cursor: str | None = None
        for _ in range(self.max_pages):
            query = [*params, ("limit", self.page_limit)]
            if cursor:
                query.append(("cursor", cursor))
            data = json_body(self._call("GET", nsid, params=query))
            items = data.get(key) if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise PlatformError(f"Bluesky sent an unexpected answer to {nsid}.")
            yield [i for i in items if isinstance(i, dict)]
            cursor = data.get("cursor")
            if not items or not isinstance(cursor, str) or not cursor:
                return

    def _post_views(self, uris: list[str]) -> dict[str, dict[str, Any]]:
        """postViews (with like/repost/reply counts) for *uris*, 25 per request."""
        views: dict[str, dict[str, Any]] = {}
        for start in range(0, len(uris), 25):
            chunk = [("uris", u) for u in uris[start : start + 25]]
            data = json_body(self._call("GET", "app.bsky.feed.getPosts", params=chunk))
            for post in data.get("posts", []) if isinstance(data, dict) else []:
                if isinstance(post, dict) and "uri" in post:
                    views[post["uri"]] = post
        return views

    def _row(self, post: dict[str, Any]) -> dict[str, Any]:
        author = post.get("author") or {}
        record = post.get("record") or {}
        reply = record.get("reply") or {}
        handle = str(author.get("handle") or "")
        uri = str(post["uri"])
        created = record.get("createdAt") or post.get("indexedAt") or now_iso()
        return {
            "source": self.platform,
            "external_id": uri,
            "url": f"https://bsky.app/profile/{handle or author.get('did', '')}/post/{_rkey(uri)}",
            "author_handle": handle,
            "author_name": str(author.get("displayName") or handle),
            "author_followers": int(author.get("followersCount") or 0),
            "text": str(record.get("text") or "").strip(),
            "created_at": normalise(created),
            "fetched_at": now_iso(),
            "in_reply_to": (reply.get("parent") or {}).get("uri"),
            "thread_root": (reply.get("root") or {}).get("uri"),
            "likes": int(post.get("likeCount") or 0),
            "reposts": int(post.get("repostCount") or 0) + int(post.get("quoteCount") or 0),
            "replies": int(post.get("replyCount") or 0),
            "raw": json.dumps(post, ensure_ascii=False),
            "account_id": self.account.id,
        }

    # -- replying -----------------------------------------------------------------------------

    def check_reply(self, target: ReplyTarget, body: str, *, private: bool) -> None:
        """Checks that need no network: no private channel, at most 300 graphemes."""
        text = body.strip()
        if private:
            raise SourceError(
                "Bluesky has no private replies crisisdesk can send.",
                "Answer publicly, or write to them in Bluesky's chat.",
            )
        length = grapheme_count(text)
        if self.reply_limit is not None and length > self.reply_limit:
            raise SourceError(
                f"The reply is {length} characters long; Bluesky accepts at most "
                f"{self.reply_limit}.",
                f"Shorten it by {length - self.reply_limit} characters.",
            )

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        self.check_reply(target, body, private=private)
        text = body.strip()
        parent = _load(target.raw)
        if not parent.get("cid") or not isinstance(parent.get("record"), dict):
            views = self._post_views([target.external_id])
            if target.external_id not in views:
                raise SourceError(
                    "Bluesky cannot find the post to answer; it may have been deleted.",
                    "Open it on bsky.app to check.",
                )
            parent = views[target.external_id]
        parent_ref = {"uri": parent["uri"], "cid": parent["cid"]}
        root = (parent["record"].get("reply") or {}).get("root")
        root_ref = root if isinstance(root, dict) and root.get("cid") else parent_ref
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "reply": {"root": root_ref, "parent": parent_ref},
        }
        facets = self._facets(text, parent.get("author") or {})
        if facets:
            record["facets"] = facets
        session = self._ensure_session()
        rkey = tid_from_key(idempotency_key)
        return self._create_once(session["did"], rkey, record)

    def _create_once(self, did: str, rkey: str, record: dict[str, Any]) -> ReplyResult:
        """createRecord with a fixed rkey; repeated on failure, never posting twice."""
        payload = {"repo": did, "collection": POST, "rkey": rkey, "record": record}
        sleep = getattr(self.client, "sleep", time.sleep)
        problem: PlatformError | None = None
        for attempt in range(3):
            if attempt:
                sleep(backoff_delay(attempt - 1))
            try:
                response = self._call(
                    "POST", "com.atproto.repo.createRecord", body=payload,
                    accept=frozenset({400, 409, 500, 502, 503, 504}), idempotent=True,
                )  # fmt: skip
            except PlatformError as exc:  # timed out or cut off: it may have been created
                problem = exc
            else:
                if response.status_code < 300:
                    data = json_body(response)
                    return self._result(str(data.get("uri", "")) if isinstance(data, dict) else "")
                code = error_code(response)
                problem = PlatformError(
                    f"Bluesky did not accept the reply ({code or response.status_code}).",
                    "Try again later; crisisdesk will not post it twice.",
                    status=response.status_code,
                )
                if response.status_code in (400, 409) and code not in _DUPLICATE:
                    raise problem  # refused for a reason a retry will not change
            # a repeated create of a record that did land is refused (RecordAlreadyExists, or a
            # 500 on PDS versions without that error): look it up instead of posting again
            existing = self._existing(did, rkey)
            if existing is not None:
                return existing
        assert problem is not None
        raise problem

    def _existing(self, did: str, rkey: str) -> ReplyResult | None:
        response = self._call(
            "GET", "com.atproto.repo.getRecord",
            params=[("repo", did), ("collection", POST), ("rkey", rkey)],
            accept=frozenset({400, 404}),
        )  # fmt: skip
        if response.status_code != 200:
            return None
        data = json_body(response)
        return self._result(str(data.get("uri", ""))) if isinstance(data, dict) else None

    def _result(self, uri: str) -> ReplyResult:
        handle = (self._session or {}).get("handle") or self.account.handle or ""
        url = f"https://bsky.app/profile/{handle}/post/{_rkey(uri)}" if uri else None
        return ReplyResult(external_id=uri, url=url)

    def _facets(self, text: str, parent_author: dict[str, Any]) -> list[dict[str, Any]]:
        """Mention and link facets with UTF-8 byte offsets, as the richtext lexicon wants."""
        facets: list[dict[str, Any]] = []

        def span(start: int, end: int) -> dict[str, int]:
            return {
                "byteStart": len(text[:start].encode("utf-8")),
                "byteEnd": len(text[:end].encode("utf-8")),
            }

        for match in _HANDLE.finditer(text):
            handle = match.group(1).lower()
            did = (
                parent_author.get("did")
                if handle == str(parent_author.get("handle", "")).lower()
                else None
            )
            did = did or self._resolve_handle(handle)
            if did:
                facets.append({
                    "index": span(match.start(), match.end()),
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                })  # fmt: skip
        for match in _LINK.finditer(text):
            facets.append({
                "index": span(match.start(), match.end()),
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}],
            })  # fmt: skip
        return sorted(facets, key=lambda f: f["index"]["byteStart"])

    def _resolve_handle(self, handle: str) -> str | None:
        response = self._call(
            "GET", "com.atproto.identity.resolveHandle", params=[("handle", handle)],
            accept=frozenset({400, 404}),
        )  # fmt: skip
        if response.status_code != 200:
            return None  # not a real handle: leave it as plain text
        data = _json_or_none(response)
        did = data.get("did") if isinstance(data, dict) else None
        return did if isinstance(did, str) else None


def _sort_at(post: dict[str, Any]) -> str:
    """Bluesky's sortAt: the earlier of the record's createdAt and indexedAt."""
    created = (post.get("record") or {}).get("createdAt")
    indexed = post.get("indexedAt")
    values = [normalise(v) for v in (created, indexed) if isinstance(v, str) and v]
    return min(values) if values else ""


def _clean_list(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value or [] if str(v).strip()]


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


def _load(raw: str | None) -> dict[str, Any]:
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}
