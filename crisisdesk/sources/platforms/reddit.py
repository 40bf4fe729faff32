"""Reddit: a "script" app's OAuth password grant, search and inbox username mentions, replies.

Credential (in the keyring, JSON): the app's client id and secret and the account password; the
username is the account's handle. Token: POST https://www.reddit.com/api/v1/access_token
(grant_type=password, HTTP Basic client id:secret); API calls go to https://oauth.reddit.com with
``Authorization: bearer TOKEN`` and a unique User-Agent naming the app and the Reddit user, as
Reddit's API rules require. ``base_url`` replaces both hosts (tests).

Sources: ``/message/mentions`` (u/username mentions in the inbox) and ``/search`` (or
``/r/SUB/search`` with ``restrict_sr``) with ``sort=new`` for each query. Listings are paged
with ``after``; a sync stops paging when it reaches what the last sync already saw (the newest
``created_utc`` per source is kept in the state). ``raw_json=1`` makes Reddit send text without
HTML entity escaping. A source that fails (one search, a second page) keeps what the others
fetched and its own cursor; the sync reports it.

Text: ``body`` / ``selftext`` are Reddit Markdown; they are stored as plain text like every
other platform's (``text.markdown_to_text``), with Reddit's own additions undone first:
superscript ``^word`` / ``^(some words)`` and spoilers ``>!text!<``.

Replies: POST /api/comment (``thing_id`` = the fullname). Reddit has no idempotency key, so
before posting, the account's latest comments are checked for the same reply to the same thing
(a retry after a timeout finds it and does not post twice). Private replies are private
messages (POST /api/compose), checked the same way against /message/sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import httpx

from crisisdesk import __version__
from crisisdesk.domain import NewMention, Platform
from crisisdesk.errors import AuthError, PlatformError, RateLimitedError, SourceError
from crisisdesk.sources.platforms.base import (
    Connector,
    FetchResult,
    Parts,
    ReplyResult,
    ReplyTarget,
)
from crisisdesk.sources.platforms.common import credential, payload_json, same_words, search_terms
from crisisdesk.sources.platforms.http import add_secret, json_body, send
from crisisdesk.sources.text import markdown_to_text
from crisisdesk.timeutil import normalise, now_iso

AUTH_URL = "https://www.reddit.com"
API_URL = "https://oauth.reddit.com"
WEB_URL = "https://www.reddit.com"
PAGE_SIZE = 100
MAX_PAGES = 5  # per source and sync: 500 items; older ones are picked up by nothing (bounded)
_SUPERSCRIPT_GROUP = re.compile(r"(?<!\\)\^\(([^)\n]*)\)")  # ^(a few words)
_SUPERSCRIPT = re.compile(r"(?<![\\\w])\^+(?=\S)")  # ^word, ^^word
_SPOILER = re.compile(r">!(.+?)!<", re.DOTALL)


class RedditConnector(Connector):
    platform: ClassVar[str] = Platform.REDDIT
    reply_limit: ClassVar[int | None] = 10000  # Reddit's comment body limit (characters)

    def setup(self, secret: str | None) -> None:
        self._cred = credential(self.platform, secret)
        self.username = (self.account.handle or "").strip()
        if not self.username:
            raise SourceError(
                "This Reddit account has no username.",
                hint="Remove it and add it again with --handle YOUR_REDDIT_NAME.",
            )
        base = (self.account.base_url or "").rstrip("/")
        self.auth_url = base or AUTH_URL
        self.api_url = base or API_URL
        self._token: str | None = None
        self.page_size = PAGE_SIZE
        # Reddit asks every client for a unique, descriptive User-Agent
        self.user_agent = f"desktop:crisisdesk:v{__version__} (by /u/{self.username})"

    # --- auth --------------------------------------------------------------------------------

    def _login(self) -> str:
        response = send(
            self.client,
            "POST",
            f"{self.auth_url}/api/v1/access_token",
            idempotent=True,  # asking for a token twice is harmless
            auth=(self._cred["client_id"], self._cred["client_secret"]),
            data={
                "grant_type": "password",
                "username": self.username,
                "password": self._cred["password"],
            },
            headers={"User-Agent": self.user_agent},
        )
        data = json_body(response)
        token = data.get("access_token") if isinstance(data, dict) else None
        if not isinstance(token, str) or not token:
            # Reddit answers a wrong username/password with 200 {"error": "invalid_grant"}
            raise AuthError(
                "Reddit refused the username or password of this account.",
                hint="Check the password (accounts with two-factor login need "
                "PASSWORD:CODE), then add the account again.",
            )
        add_secret(self.client, token)
        self._token = token
        return token

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return json_body(self._request("GET", path, params=params))

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        fresh = self._token is None
        token = self._token or self._login()
        headers = {"Authorization": f"bearer {token}", "User-Agent": self.user_agent}
        try:
            return send(
                self.client, method, f"{self.api_url}{path}", headers=headers,
                idempotent=method == "GET", **kwargs,
            )  # fmt: skip
        except AuthError:
            if fresh:
                raise
            # the hour-long token expired during a long session: log in once more
            self._token = None
            headers["Authorization"] = f"bearer {self._login()}"
            return send(
                self.client, method, f"{self.api_url}{path}", headers=headers,
                idempotent=method == "GET", **kwargs,
            )  # fmt: skip

    def check(self) -> str:
        data = self._get("/api/v1/me")
        name = data.get("name") if isinstance(data, dict) else None
        return f"u/{name or self.username}"

    # --- fetch -------------------------------------------------------------------------------

    def _sources(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        yield "mentions", "/message/mentions", {}
        options = self.account.options
        subreddit = str(options.get("subreddit") or "").strip().removeprefix("/")
        subreddit = subreddit.removeprefix("r/")
        for term in search_terms(options):
            if subreddit:
                yield (
                    f"search:r/{subreddit}:{term}",
                    f"/r/{subreddit}/search",
                    {"q": term, "sort": "new", "restrict_sr": "1", "type": "link"},
                )
            else:
                yield f"search:{term}", "/search", {"q": term, "sort": "new", "type": "link"}

    def fetch(self, state: dict[str, Any]) -> FetchResult:
        found: dict[str, NewMention] = {}
        new_state: dict[str, Any] = {}
        fetched_at = now_iso()
        parts = Parts()
        for key, path, params in self._sources():
            seen = float(state.get(key, {}).get("newest", 0.0) or 0.0)
            new_state[key] = {"newest": seen}  # moves only once the source is read
            with parts.attempt(_what(key)):
                new_state[key] = {"newest": self._read(path, params, seen, found, fetched_at)}
        return parts.result(list(found.values()), new_state)

    def _read(
        self,
        path: str,
        params: dict[str, Any],
        seen: float,
        found: dict[str, NewMention],
        fetched_at: str,
    ) -> float:
        """Read one source into *found* until what was *seen*; its newest ``created_utc``."""
        newest = seen
        after: str | None = None
        for _page in range(MAX_PAGES):
            query = {**params, "limit": str(self.page_size), "raw_json": "1"}
            if after:
                query["after"] = after
            listing = self._get(path, query)
            children, after = _listing(listing)
            reached_seen = False
            for thing in children:
                created = float(thing["data"].get("created_utc") or 0.0)
                if created <= seen:
                    reached_seen = True
                    continue
                newest = max(newest, created)
                mention = self._mention(thing, fetched_at)
                if mention is not None:
                    found.setdefault(mention.external_id, mention)
            if reached_seen or not after:
                break
        return newest

    def _mention(self, thing: dict[str, Any], fetched_at: str) -> NewMention | None:
        kind = thing.get("kind")
        d = thing.get("data") or {}
        author = str(d.get("author") or "")
        if author.lower() == self.username.lower():
            return None  # our own posts are not mentions
        fullname = str(d.get("name") or f"{kind}_{d.get('id')}")
        created = normalise(float(d.get("created_utc") or 0.0))
        if kind == "t3":  # a post (link or self text)
            title = str(d.get("title") or "")
            body = reddit_text(d.get("selftext"))
            url: str | None = WEB_URL + str(d.get("permalink") or "")
            text = f"{title}\n\n{body}".strip()
            in_reply_to = thread_root = None
            reposts, replies = int(d.get("num_crossposts") or 0), int(d.get("num_comments") or 0)
        elif kind == "t1":  # a comment (inbox mentions are comments too)
            link_id = d.get("link_id") or _link_from_context(str(d.get("context") or ""))
            permalink = d.get("permalink") or str(d.get("context") or "").split("?")[0]
            url = WEB_URL + str(permalink) if permalink else None
            text = reddit_text(d.get("body"))
            in_reply_to, thread_root = _str_or_none(d.get("parent_id")), _str_or_none(link_id)
            reposts = replies = 0
        else:
            return None
        return NewMention(
            source=self.platform,
            external_id=fullname,
            url=url,
            author_handle=author,
            author_name=author,
            author_followers=0,  # Reddit does not expose follower counts
            text=text,
            created_at=created,
            fetched_at=fetched_at,
            in_reply_to=in_reply_to,
            thread_root=thread_root,
            likes=int(d.get("score") or 0),
            reposts=reposts,
            replies=replies,
            raw=payload_json(thing),
            account_id=self.account.id,
        )

    # --- reply -------------------------------------------------------------------------------

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        if private:
            return self._private_message(target, body)
        existing = self._find_posted_comment(target.external_id, body)
        if existing is not None:
            return existing
        response = self._request(
            "POST",
            "/api/comment",
            data={"api_type": "json", "thing_id": target.external_id, "text": body},
        )
        data = json_body(response)
        payload = data.get("json", {}) if isinstance(data, dict) else {}
        _raise_api_errors(payload.get("errors") or [])
        things = (payload.get("data") or {}).get("things") or []
        if not things:
            raise PlatformError("Reddit did not confirm the comment.", hint="Check the thread.")
        posted = things[0].get("data") or {}
        return ReplyResult(
            external_id=str(posted.get("name") or f"t1_{posted.get('id')}"),
            url=_comment_url(posted),
        )

    def _find_posted_comment(self, parent: str, body: str) -> ReplyResult | None:
        listing = self._get(
            f"/user/{self.username}/comments", {"limit": "25", "sort": "new", "raw_json": "1"}
        )
        children, _ = _listing(listing)
        for thing in children:
            d = thing.get("data") or {}
            if d.get("parent_id") == parent and same_words(d.get("body"), body):
                permalink = d.get("permalink")
                return ReplyResult(
                    external_id=str(d.get("name")),
                    url=WEB_URL + str(permalink) if permalink else None,
                )
        return None

    def _private_message(self, target: ReplyTarget, body: str) -> ReplyResult:
        to = target.author_handle
        if not to:
            raise SourceError("Reddit did not say who wrote this, so there is no one to message.")
        ref = f"pm:{target.external_id}"
        sent, _ = _listing(self._get("/message/sent", {"limit": "25", "raw_json": "1"}))
        for thing in sent:
            d = thing.get("data") or {}
            if str(d.get("dest") or "").lower() == to.lower() and same_words(d.get("body"), body):
                return ReplyResult(external_id=str(d.get("name") or ref), url=None)
        response = self._request(
            "POST",
            "/api/compose",
            data={
                "api_type": "json",
                "to": to,
                "subject": "About your post",
                "text": body,
            },
        )
        data = json_body(response)
        _raise_api_errors(
            (data.get("json", {}) if isinstance(data, dict) else {}).get("errors") or []
        )
        return ReplyResult(external_id=ref, url=None)


def reddit_text(markdown: Any) -> str:
    """Plain text from Reddit Markdown: superscripts and spoilers undone, then rendered."""
    text = str(markdown or "")
    text = _SPOILER.sub(r"\1", text)
    text = _SUPERSCRIPT_GROUP.sub(r"\1", text)
    return markdown_to_text(_SUPERSCRIPT.sub("", text))


def _what(key: str) -> str:
    """A source's state key in the owner's words."""
    if key == "mentions":
        return "the u/ mentions in the inbox"
    rest = key.removeprefix("search:")
    if rest.startswith("r/"):
        subreddit, _, term = rest.partition(":")
        return f"the search for {term} in {subreddit}"
    return f"the search for {rest}"


def _comment_url(comment: dict[str, Any]) -> str | None:
    """The address of a comment: its permalink, or (a new comment's answer has none) built
    from its thread (``link_id``), subreddit and id as Reddit links comments."""
    permalink = comment.get("permalink")
    if permalink:
        return WEB_URL + str(permalink)
    link_id = str(comment.get("link_id") or "").removeprefix("t3_")
    comment_id = str(comment.get("id") or "")
    if not link_id or not comment_id:
        return None
    subreddit = str(comment.get("subreddit") or "")
    where = f"/r/{subreddit}" if subreddit else ""
    return f"{WEB_URL}{where}/comments/{link_id}/comment/{comment_id}/"


def _str_or_none(value: Any) -> str | None:
    return str(value) if value else None


def _listing(data: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Children and the ``after`` cursor of a Listing; PlatformError when it is not one."""
    if not isinstance(data, dict) or data.get("kind") != "Listing":
        raise PlatformError(
            "Reddit sent something other than a list of posts.",
            hint="Try again later; if it keeps happening Reddit may have changed its API.",
        )
    inner = data.get("data") or {}
    children = [c for c in inner.get("children") or [] if isinstance(c, dict)]
    after = inner.get("after")
    return children, after if isinstance(after, str) and after else None


def _link_from_context(context: str) -> str | None:
    # "/r/sub/comments/LINKID/slug/COMMENTID/?context=3" → "t3_LINKID"
    parts = [p for p in context.split("?")[0].split("/") if p]
    if "comments" in parts:
        i = parts.index("comments")
        if i + 1 < len(parts):
            return f"t3_{parts[i + 1]}"
    return None


def _raise_api_errors(errors: list[Any]) -> None:
    """Reddit reports refusals as [CODE, message, field] triples inside a 200 answer."""
    if not errors:
        return
    first = errors[0] if isinstance(errors[0], list) else [str(errors[0])]
    code = str(first[0]) if first else "ERROR"
    message = str(first[1]) if len(first) > 1 else code
    if code == "RATELIMIT":
        raise RateLimitedError(
            f"Reddit says you are posting too often: {message}.",
            hint="Nothing was posted. Wait a few minutes and send it again.",
        )
    if code in ("THREAD_LOCKED", "TOO_OLD", "DELETED_COMMENT", "DELETED_LINK"):
        raise PlatformError(
            f"Reddit does not accept replies there any more ({message}).",
            hint="Answer the person another way (e.g. a private message).",
        )
    raise PlatformError(f"Reddit refused the reply: {message} ({code}).")
