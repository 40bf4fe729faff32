"""Facebook Pages through the Graph API: visitor posts and comments on the Page, and replies.

Credential: a Page access token (sent as ``Authorization: Bearer``, never in a URL). The Page
id is the account option ``page_id``. ``base_url`` replaces ``https://graph.facebook.com/v21.0``
(tests).

Fetch: ``GET /{page-id}/feed`` for posts created in the last ``lookback_days`` (option, default
14) with ``comments.summary(true)``; for each post whose comment count changed since the last
sync, ``GET /{post-id}/comments`` (``filter=stream``, newest first) until the comments the last
sync already saw. Paging follows ``paging.cursors.after`` while ``paging.next`` is present (the
``next`` URL itself is not followed: Facebook puts the token in it). Each post's comments, and
the feed's later pages, are parts of a fetch: comments that fail to load keep that post's
remembered count (so they are asked again next sync), a failing later feed page keeps what was
read before it. Comments and visitor posts written by the Page itself are not mentions. Usage
headers (``X-App-Usage``, ``X-Business-Use-Case-Usage``) are read by ``sources.http``.

Replies: ``POST /{comment-id}/comments`` (public; the Page's latest replies there are checked
first, so a retry after a timeout never posts twice). Private replies: ``POST
/{page-id}/messages`` with ``recipient: {comment_id}`` — Facebook allows ONE private reply per
comment, and only within 7 days of the comment: crisisdesk refuses older ones before sending,
and treats "already replied" (#10900) on a retry as the reply that was sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar

from crisisdesk.domain import NewMention, Platform
from crisisdesk.errors import AuthError, PlatformError, RateLimitedError, SourceError
from crisisdesk.sources.platforms.base import (
    Connector,
    FetchResult,
    Parts,
    ReplyResult,
    ReplyTarget,
)
from crisisdesk.sources.platforms.common import credential, payload_json, same_words, stored_payload
from crisisdesk.sources.platforms.http import json_body, send
from crisisdesk.timeutil import normalise, now_iso, now_utc, parse_timestamp

GRAPH_URL = "https://graph.facebook.com/v21.0"
PRIVATE_REPLY_DAYS = 7
DEFAULT_LOOKBACK_DAYS = 14
MAX_FEED_PAGES = 4
MAX_COMMENT_PAGES = 5
FEED_FIELDS = (
    "id,message,created_time,from{id,name},permalink_url,shares,"
    # filter(stream) so replies to comments count too: a new one changes the total
    "comments.filter(stream).summary(true).limit(0),reactions.summary(true).limit(0)"
)
COMMENT_FIELDS = (
    "id,message,created_time,from{id,name},like_count,comment_count,parent{id},permalink_url"
)
_RATE_LIMIT_CODES = {4, 17, 32, 613, 80001}
_ALREADY_REPLIED = 10900


class FacebookConnector(Connector):
    platform: ClassVar[str] = Platform.FACEBOOK
    reply_limit: ClassVar[int | None] = 8000  # comment length Facebook accepts (characters)

    def setup(self, secret: str | None) -> None:
        self._now: Callable[[], datetime] = now_utc
        self._token = credential(self.platform, secret)["token"]
        self.page_id = str(self.account.options.get("page_id") or "").strip()
        if not self.page_id:
            raise SourceError(
                "This Facebook account has no Page id.",
                hint="Remove it and add it again with --page-id.",
            )
        self.graph_url = (self.account.base_url or GRAPH_URL).rstrip("/")
        self.page_size = 25  # posts per feed page
        self.comment_page_size = 100

    # --- requests ----------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = send(
            self.client, method, f"{self.graph_url}{path}",
            headers={"Authorization": f"Bearer {self._token}"},
            idempotent=method == "GET", accept=(400,), **kwargs,
        )  # fmt: skip
        data = json_body(response)
        if response.status_code == 400 or (isinstance(data, dict) and "error" in data):
            raise _graph_error(data.get("error") if isinstance(data, dict) else None)
        if not isinstance(data, dict):
            raise PlatformError("Facebook sent something crisisdesk cannot read.")
        return data

    def _pages(
        self, path: str, params: dict[str, str], max_pages: int
    ) -> Iterator[list[dict[str, Any]]]:
        """The ``data`` items of a Graph edge, page by page (cursor paging).

        Lazy: a caller that stops iterating never requests the next page.
        """
        after: str | None = None
        for _ in range(max_pages):
            query = dict(params)
            if after:
                query["after"] = after
            data = self._call("GET", path, params=query)
            yield [d for d in data.get("data") or [] if isinstance(d, dict)]
            paging = data.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                return

    def check(self) -> str:
        data = self._call("GET", f"/{self.page_id}", params={"fields": "id,name"})
        return f"Facebook Page '{data.get('name') or self.page_id}'"

    # --- fetch -------------------------------------------------------------------------------

    def fetch(self, state: dict[str, Any]) -> FetchResult:
        now = self._now()
        days = int(self.account.options.get("lookback_days") or DEFAULT_LOOKBACK_DAYS)
        since = int((now - timedelta(days=days)).timestamp())
        known: dict[str, Any] = dict(state.get("posts") or {})
        posts_state: dict[str, Any] = {}
        found: dict[str, NewMention] = {}
        fetched_at = now_iso()
        parts = Parts()
        feed = self._pages(
            f"/{self.page_id}/feed",
            {"fields": FEED_FIELDS, "limit": str(self.page_size), "since": str(since)},
            MAX_FEED_PAGES,
        )
        for post in next(feed, []):  # the first page: without it nothing was read
            self._take_post(post, known, posts_state, found, fetched_at, parts)
        parts.done += 1
        with parts.attempt("the Page's older posts"):
            for page in feed:
                for post in page:
                    self._take_post(post, known, posts_state, found, fetched_at, parts)
        if parts.failed:  # a later feed page failed: posts not reached keep what was known
            posts_state = {**known, **posts_state}
        return parts.result(list(found.values()), {"posts": posts_state})

    def _take_post(
        self,
        post: dict[str, Any],
        known: dict[str, Any],
        posts_state: dict[str, Any],
        found: dict[str, NewMention],
        fetched_at: str,
        parts: Parts,
    ) -> None:
        post_id = str(post["id"])
        if not self._is_page(post.get("from")) and post.get("message"):
            mention = self._mention(post, fetched_at, post_id=post_id, is_post=True)
            found.setdefault(mention.external_id, mention)
        total = int(((post.get("comments") or {}).get("summary") or {}).get(
            "total_count") or 0)  # fmt: skip
        before = known.get(post_id) or {}
        posts_state[post_id] = before  # until its comments are read
        entry = {"count": total, "newest": before.get("newest")}
        if total and total != before.get("count"):
            with parts.attempt(f"the comments on post {post_id}"):
                entry["newest"] = self._fetch_comments(
                    post_id, before.get("newest"), found, fetched_at
                )
                posts_state[post_id] = entry
        else:
            posts_state[post_id] = entry

    def _fetch_comments(
        self,
        post_id: str,
        seen: str | None,
        found: dict[str, NewMention],
        fetched_at: str,
    ) -> str | None:
        newest = seen
        comments = self._pages(
            f"/{post_id}/comments",
            {
                "fields": COMMENT_FIELDS,
                "filter": "stream",  # replies to comments too, not only top-level ones
                "order": "reverse_chronological",
                "limit": str(self.comment_page_size),
            },
            MAX_COMMENT_PAGES,
        )
        for page in comments:
            reached = False
            for comment in page:
                created = normalise(str(comment.get("created_time") or fetched_at))
                if seen is not None and created <= seen:
                    reached = True
                    continue
                newest = max(newest or created, created)
                if not self._is_page(comment.get("from")):
                    mention = self._mention(comment, fetched_at, post_id=post_id, is_post=False)
                    found.setdefault(mention.external_id, mention)
            if reached:
                break
        return newest

    def _is_page(self, who: Any) -> bool:
        return isinstance(who, dict) and str(who.get("id")) == self.page_id

    def _mention(
        self, item: dict[str, Any], fetched_at: str, *, post_id: str, is_post: bool
    ) -> NewMention:
        who: dict[str, Any] = item["from"] if isinstance(item.get("from"), dict) else {}
        # without the pages_read_user_content permission Facebook leaves out who wrote it
        name = str(who.get("name") or "Facebook user")
        if is_post:
            likes = int(((item.get("reactions") or {}).get("summary") or {}).get(
                "total_count") or 0)  # fmt: skip
            replies = int(((item.get("comments") or {}).get("summary") or {}).get(
                "total_count") or 0)  # fmt: skip
            reposts = int((item.get("shares") or {}).get("count") or 0)
            in_reply_to = None
            root = None
        else:
            likes = int(item.get("like_count") or 0)
            replies = int(item.get("comment_count") or 0)
            reposts = 0
            in_reply_to = str((item.get("parent") or {}).get("id") or post_id)
            root = post_id
        return NewMention(
            source=self.platform,
            external_id=str(item["id"]),
            url=item.get("permalink_url"),
            author_handle=name,
            author_name=name,
            author_followers=0,  # the Graph API does not give people's follower counts
            text=str(item.get("message") or ""),
            created_at=normalise(str(item.get("created_time") or fetched_at)),
            fetched_at=fetched_at,
            in_reply_to=in_reply_to,
            thread_root=root,
            likes=likes,
            reposts=reposts,
            replies=replies,
            raw=payload_json({**item, "post_id": post_id, "is_post": is_post}),
            account_id=self.account.id,
        )

    # --- reply -------------------------------------------------------------------------------

    def check_reply(self, target: ReplyTarget, body: str, *, private: bool) -> None:
        """Refuse, before anything is sent, a private reply Facebook would not deliver."""
        if not private:
            return
        created = _created_time(target)
        if created is None:
            return
        age = self._now() - created
        if age > timedelta(days=PRIVATE_REPLY_DAYS):
            raise SourceError(
                f"Facebook only allows a private reply within {PRIVATE_REPLY_DAYS} days of the"
                f" comment, and this one is {age.days} days old.",
                hint="Reply publicly (for example, invite them to message the Page).",
            )

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        self.check_reply(target, body, private=private)
        if private:
            return self._private_reply(target, body)
        existing = self._find_posted(target.external_id, body)
        if existing is not None:
            return existing
        data = self._call("POST", f"/{target.external_id}/comments", data={"message": body})
        if not data.get("id"):
            raise PlatformError("Facebook did not confirm the reply.", hint="Check the Page.")
        return ReplyResult(external_id=str(data["id"]), url=target.url)

    def _find_posted(self, parent: str, body: str) -> ReplyResult | None:
        data = self._call(
            "GET",
            f"/{parent}/comments",
            params={
                "fields": "id,message,from",
                "filter": "stream",
                "order": "reverse_chronological",
                "limit": "50",
            },
        )
        for comment in data.get("data") or []:
            if self._is_page(comment.get("from")) and same_words(comment.get("message"), body):
                return ReplyResult(external_id=str(comment["id"]), url=None)
        return None

    def _private_reply(self, target: ReplyTarget, body: str) -> ReplyResult:
        raw = stored_payload(target.raw)
        key = "post_id" if raw.get("is_post") else "comment_id"
        try:
            data = self._call(
                "POST",
                f"/{self.page_id}/messages",
                json={"recipient": {key: target.external_id}, "message": {"text": body}},
            )
        except _AlreadyReplied:
            # one private reply per comment: a retry after a timeout lands here
            return ReplyResult(external_id=f"private:{target.external_id}", url=None)
        return ReplyResult(
            external_id=str(data.get("message_id") or f"private:{target.external_id}"), url=None
        )


class _AlreadyReplied(PlatformError):
    pass


def _graph_error(error: Any) -> SourceError:
    """A Graph API error object → the matching SourceError (message never includes a token)."""
    err = error if isinstance(error, dict) else {}
    code = err.get("code")
    message = str(err.get("message") or "no details")[:200]
    if code == _ALREADY_REPLIED:
        return _AlreadyReplied("Facebook says this was already answered privately.")
    if code == 190:
        return AuthError(
            "Facebook says the Page access token is not valid any more (expired or revoked).",
            hint="Make a new Page token (see 'Getting credentials' in the README) and add the"
            " account again.",
        )
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
        return AuthError(
            f"Facebook refused: the token lacks a permission ({message}).",
            hint="The Page token needs pages_read_engagement, pages_read_user_content,"
            " pages_manage_engagement and pages_messaging.",
        )
    if code in _RATE_LIMIT_CODES:
        return RateLimitedError(
            "Facebook is limiting how often crisisdesk may ask.",
            hint="Nothing was lost; wait an hour and sync again.",
        )
    return PlatformError(f"Facebook refused the request: {message}", status=400)


def _created_time(target: ReplyTarget) -> datetime | None:
    value = stored_payload(target.raw).get("created_time")
    if not value:
        return None
    try:
        return parse_timestamp(str(value))
    except ValueError:
        return None
