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
What a reply needs of its parent is a typed ``ReplyParent`` (strong ref, thread root, author
DID), read from the postView the mention was stored with, else from ``getPosts``.

The account's own posts are never mentions: they are left out while fetching, by author DID.

Reach: post views carry only a basic profile (no ``followersCount``), so the authors' profiles
are asked with ``app.bsky.actor.getProfiles``, 25 actors per call (its limit), each author once
per connector (one sync). Without an answer the counts stay unknown (0) and the sync says so.
The notifications and each search are parts of a fetch: one that fails keeps what the others
found, and its cursor stays where it was.

Record shapes that need no network (TIDs, refs, facets) are in ``bluesky_records.py``.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import httpx

from crisisdesk.domain import NewMention, Platform
from crisisdesk.errors import AuthError, PlatformError, SourceError
from crisisdesk.sources.platforms.base import (
    Connector,
    FetchResult,
    Parts,
    ReplyResult,
    ReplyTarget,
)
from crisisdesk.sources.platforms.bluesky_records import ReplyParent, rkey, sort_at, tid_from_key
from crisisdesk.sources.platforms.bluesky_records import facets as post_facets
from crisisdesk.sources.platforms.common import (
    check_reply_length,
    clean_list,
    json_or_none,
    payload_json,
    stored_payload,
)
from crisisdesk.sources.platforms.http import (
    SourceClient,
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
PROFILES_PER_CALL = 25  # app.bsky.actor.getProfiles takes at most 25 actors


class BlueskyConnector(Connector):
    platform: ClassVar[str] = Platform.BLUESKY
    reply_limit: ClassVar[int | None] = 300  # graphemes
    page_limit: ClassVar[int] = 50
    max_pages: ClassVar[int] = 10

    def setup(self, secret: str | None) -> None:
        if not self.account.handle:
            raise SourceError(
                f"The Bluesky account '{self.account.name}' has no handle.",
                "Add it again with --handle yourname.bsky.social",
            )
        if not secret:
            raise SourceError(
                f"No app password is stored for the Bluesky account '{self.account.name}'.",
                "Remove the account and add it again with an app password.",
            )
        self.base = (self.account.base_url or DEFAULT_PDS).rstrip("/")
        self._password = secret
        self._session: dict[str, str] | None = None
        #: follower counts by DID, asked once per connector (one sync)
        self._followers: dict[str, int] = {}
        add_secret(self.client, secret)

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
        if self.session_store is not None:
            self.session_store.set(json.dumps(session))
        return session

    def _host(self) -> str:
        return httpx.URL(self.base).host or self.base

    def _ensure_session(self) -> dict[str, str]:
        if self._session is not None:
            return self._session
        if self.session_store is not None:
            stored = self.session_store.get()
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
        if self.session_store is not None:
            self.session_store.set(None)
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
            data = json_or_none(response)
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
        fetched_at = now_iso()
        found: dict[str, NewMention] = {}
        authors: dict[str, str] = {}  # post uri → author DID
        parts = Parts()
        newest = state.get("notifications")
        with parts.attempt("the notifications"):
            newest = self._read_notifications(newest, found, authors, fetched_at)

        searches: dict[str, str] = dict(state.get("search") or {})
        for query in clean_list(self.account.options.get("queries")):
            with parts.attempt(f"the search for {query}"):
                since = searches.get(query)
                searches[query] = self._read_search(query, since, found, authors, fetched_at)
        mentions = self._with_followers(found, authors, parts)
        return parts.result(mentions, {"notifications": newest, "search": searches})

    def _read_notifications(
        self,
        newest_seen: str | None,
        found: dict[str, NewMention],
        authors: dict[str, str],
        fetched_at: str,
    ) -> str | None:
        """Mentions, replies and quotes since *newest_seen*; the newest ``indexedAt`` read."""
        newest = newest_seen
        notes: list[dict[str, Any]] = []
        for page in self._pages("app.bsky.notification.listNotifications",
                                [("reasons", r) for r in _REASONS], "notifications"):  # fmt: skip
            caught_up = False
            for note in page:
                indexed = str(note.get("indexedAt") or "")
                if newest_seen and indexed and indexed <= newest_seen:
                    caught_up = True
                    continue
                if note.get("reason") in _REASONS and "uri" in note:
                    notes.append(note)
                if indexed and (newest is None or indexed > newest):
                    newest = indexed
            if caught_up:
                break
        views = self._post_views([n["uri"] for n in notes])
        for note in notes:
            post = views.get(note["uri"]) or note
            if not self._is_own(post):
                found[post["uri"]] = self._mention(post, fetched_at)
                authors[post["uri"]] = str((post.get("author") or {}).get("did") or "")
        return newest

    def _read_search(
        self,
        query: str,
        since: str | None,
        found: dict[str, NewMention],
        authors: dict[str, str],
        fetched_at: str,
    ) -> str:
        """Posts matching *query* since *since*; the newest ``sortAt`` read."""
        newest = since or ""
        params: list[tuple[str, Any]] = [("q", query), ("sort", "latest")]
        if since:
            params.append(("since", since))
        for page in self._pages("app.bsky.feed.searchPosts", params, "posts"):
            for post in page:
                if "uri" not in post:
                    continue
                if not self._is_own(post) and post["uri"] not in found:
                    found[post["uri"]] = self._mention(post, fetched_at)
                    authors[post["uri"]] = str((post.get("author") or {}).get("did") or "")
                at = sort_at(post)
                if at and at > newest:
                    newest = at
        return newest

    def _with_followers(
        self, found: dict[str, NewMention], authors: dict[str, str], parts: Parts
    ) -> list[NewMention]:
        """*found* with the authors' follower counts (post views do not carry them)."""
        wanted = sorted({d for d in authors.values() if d and d not in self._followers})
        try:
            for start in range(0, len(wanted), PROFILES_PER_CALL):
                chunk = [("actors", d) for d in wanted[start : start + PROFILES_PER_CALL]]
                data = json_body(self._call("GET", "app.bsky.actor.getProfiles", params=chunk))
                for profile in data.get("profiles", []) if isinstance(data, dict) else []:
                    if isinstance(profile, dict) and isinstance(profile.get("did"), str):
                        self._followers[profile["did"]] = int(profile.get("followersCount") or 0)
        except AuthError:
            raise
        except SourceError as exc:
            parts.notes.append(
                f"Bluesky did not give the authors' follower counts ({exc}); their reach "
                "counts as unknown until a later sync."
            )
        return [
            dataclasses.replace(m, author_followers=self._followers[authors[uri]])
            if authors.get(uri) in self._followers
            else m
            for uri, m in found.items()
        ]

    def _is_own(self, post: dict[str, Any]) -> bool:
        """Whether the account itself wrote *post* (its own posts are not mentions)."""
        own = self._session.get("did") if self._session else None
        return bool(own) and (post.get("author") or {}).get("did") == own

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

    def _mention(self, post: dict[str, Any], fetched_at: str) -> NewMention:
        author = post.get("author") or {}
        record = post.get("record") or {}
        reply = record.get("reply") or {}
        handle = str(author.get("handle") or "")
        uri = str(post["uri"])
        created = record.get("createdAt") or post.get("indexedAt") or now_iso()
        return NewMention(
            source=self.platform,
            external_id=uri,
            url=f"https://bsky.app/profile/{handle or author.get('did', '')}/post/{rkey(uri)}",
            author_handle=handle,
            author_name=str(author.get("displayName") or handle),
            author_followers=int(author.get("followersCount") or 0),
            text=str(record.get("text") or "").strip(),
            created_at=normalise(created),
            fetched_at=fetched_at,
            in_reply_to=(reply.get("parent") or {}).get("uri"),
            thread_root=(reply.get("root") or {}).get("uri"),
            likes=int(post.get("likeCount") or 0),
            reposts=int(post.get("repostCount") or 0) + int(post.get("quoteCount") or 0),
            replies=int(post.get("replyCount") or 0),
            raw=payload_json(post),
            account_id=self.account.id,
        )

    # -- replying -----------------------------------------------------------------------------

    def check_reply(self, target: ReplyTarget, body: str, *, private: bool) -> None:
        """Checks that need no network: no private channel, at most 300 graphemes."""
        text = body.strip()
        if private:
            raise SourceError(
                "Bluesky has no private replies crisisdesk can send.",
                "Answer publicly, or write to them in Bluesky's chat.",
            )
        check_reply_length(grapheme_count(text), self.reply_limit, "Bluesky")

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        self.check_reply(target, body, private=private)
        text = body.strip()
        parent = self._reply_parent(target)
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "reply": {"root": parent.root._asdict(), "parent": parent.ref._asdict()},
        }
        facets = post_facets(text, parent, self._resolve_handle)
        if facets:
            record["facets"] = facets
        session = self._ensure_session()
        rkey = tid_from_key(idempotency_key)
        return self._create_once(session["did"], rkey, record)

    def _reply_parent(self, target: ReplyTarget) -> ReplyParent:
        """The post *target* names: from the view stored with the mention, else from getPosts."""
        parent = ReplyParent.of(stored_payload(target.raw))
        if parent is None:
            view = self._post_views([target.external_id]).get(target.external_id)
            parent = ReplyParent.of(view) if view is not None else None
        if parent is None:
            raise SourceError(
                "Bluesky cannot find the post to answer; it may have been deleted.",
                "Open it on bsky.app to check.",
            )
        return parent

    def _create_once(self, did: str, rkey: str, record: dict[str, Any]) -> ReplyResult:
        """createRecord with a fixed rkey; repeated on failure, never posting twice."""
        payload = {"repo": did, "collection": POST, "rkey": rkey, "record": record}
        sleep = self.client.sleep if isinstance(self.client, SourceClient) else time.sleep
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
        url = f"https://bsky.app/profile/{handle}/post/{rkey(uri)}" if uri else None
        return ReplyResult(external_id=uri, url=url)

    def _resolve_handle(self, handle: str) -> str | None:
        response = self._call(
            "GET", "com.atproto.identity.resolveHandle", params=[("handle", handle)],
            accept=frozenset({400, 404}),
        )  # fmt: skip
        if response.status_code != 200:
            return None  # not a real handle: leave it as plain text
        data = json_or_none(response)
        did = data.get("did") if isinstance(data, dict) else None
        return did if isinstance(did, str) else None
