"""X (formerly Twitter) API v2: recent search and the account's mentions, and replies.

Credential: an OAuth 2.0 token sent as ``Authorization: Bearer``. The app's Bearer Token (from
the developer portal) reads search and mentions; posting a reply needs a *user* access token
with the ``tweet.write`` scope. The account's ``handle`` finds its user id
(``/2/users/by/username/:handle``); without one, ``/2/users/me`` (user tokens only).

Sources: ``GET /2/tweets/search/recent`` for each query and hashtag (sent as ``(term)
-is:retweet``), ``GET /2/users/:id/mentions``; both with ``expansions=author_id,
referenced_tweets.id,referenced_tweets.id.author_id`` so ``includes.users`` carries the authors
and ``includes.tweets`` the posts referred to (joined by id), ``since_id`` from the previous
sync's ``meta.newest_id``, and paging by ``next_token`` (search) / ``pagination_token``
(mentions). A retweet is stored as the original post, credited to its author (a retweet's own
text is cut off: "RT @someone: ..."). t.co links in the text are replaced by the expanded
address from ``entities.urls``; a long post's whole text comes from ``note_tweet``.

Recent search only reaches 7 days back: a ``since_id`` older than that is refused with a 400
naming ``since_id``. That source is then read again without it (its newest posts) and the sync
says so; any other failing source is reported as a failed part and keeps its old cursor.

Replies: ``POST /2/tweets`` with ``{"text", "reply": {"in_reply_to_tweet_id"}}``. X only lets
an account reply to a post when the author mentioned or quoted it (or otherwise engaged with
it); the 403 it answers otherwise is turned into that explanation. X has no idempotency key, so
the account's latest posts are checked for the same reply before posting (a retry after a
timeout does not post twice). Private replies (Direct Messages) are not supported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any, ClassVar

import httpx

from crisisdesk.analysis.lengths import x_weighted_length as weighted_length
from crisisdesk.domain import NewMention, Platform
from crisisdesk.errors import AuthError, PlatformError, SourceError
from crisisdesk.sources.platforms.base import (
    Connector,
    FetchResult,
    Parts,
    ReplyResult,
    ReplyTarget,
)
from crisisdesk.sources.platforms.common import (
    credential,
    json_or_none,
    payload_json,
    same_words,
    search_terms,
)
from crisisdesk.sources.platforms.http import json_body, redact, send
from crisisdesk.timeutil import normalise, now_iso

_URL = re.compile(r"https?://\S+", re.IGNORECASE)
API_URL = "https://api.x.com"
WEB_URL = "https://x.com"
MAX_PAGES = 5
TWEET_FIELDS = (
    "created_at,public_metrics,conversation_id,in_reply_to_user_id,referenced_tweets,author_id,"
    "entities,note_tweet"
)
EXPANSIONS = "author_id,referenced_tweets.id,referenced_tweets.id.author_id"
USER_FIELDS = "public_metrics,username,name"

NOT_ALLOWED_HINT = (
    "X only lets you reply to posts that mention or quote your account (or whose author "
    "engaged with you). Answer this person from the X app, or post on your own timeline."
)


class XConnector(Connector):
    platform: ClassVar[str] = Platform.X
    reply_limit: ClassVar[int | None] = 280

    def setup(self, secret: str | None) -> None:
        self._token = credential(self.platform, secret)["token"]
        self.api_url = (self.account.base_url or API_URL).rstrip("/")
        self.handle = (self.account.handle or "").lstrip("@") or None
        self._me: dict[str, Any] | None = None
        self.page_size = 100  # X allows 10..100 for search, 5..100 for mentions

    @staticmethod
    def reply_length(body: str) -> int:
        """Weighted as X counts (analysis/lengths.py: the one definition)."""
        return weighted_length(body)

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token}"}
        return send(
            self.client, method, f"{self.api_url}{path}", headers=headers,
            idempotent=method == "GET", **kwargs,
        )  # fmt: skip

    def _get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        return self._checked(json_body(self._send("GET", path, params=params)))

    @staticmethod
    def _checked(data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise PlatformError("X sent something crisisdesk cannot read.")
        if "data" not in data and data.get("errors") and "meta" not in data:
            first = data["errors"][0] if isinstance(data["errors"], list) else {}
            raise PlatformError(f"X refused the request: {_problem_text(first)}")
        return data

    def me(self) -> dict[str, Any]:
        """The account's user object (id, username, name)."""
        if self._me is None:
            path = f"/2/users/by/username/{self.handle}" if self.handle else "/2/users/me"
            user = self._get(path, {"user.fields": USER_FIELDS}).get("data")
            if not isinstance(user, dict) or not user.get("id"):
                raise SourceError(
                    "X did not find this account.",
                    hint="Check the --handle of the account (without the @).",
                )
            self._me = user
        return self._me

    def check(self) -> str:
        return "@" + str(self.me().get("username") or self.handle)

    # --- fetch -------------------------------------------------------------------------------

    def _sources(self) -> Iterator[tuple[str, str, str, dict[str, str], str]]:
        """(state key, what it is in the owner's words, path, params, paging parameter)."""
        me = self.me()
        yield "mentions", "the mentions", f"/2/users/{me['id']}/mentions", {}, "pagination_token"
        for term in search_terms(self.account.options):
            yield (
                f"search:{term}", f"the search for {term}", "/2/tweets/search/recent",
                {"query": _without_retweets(term)}, "next_token",
            )  # fmt: skip

    def fetch(self, state: dict[str, Any]) -> FetchResult:
        found: dict[str, NewMention] = {}
        new_state: dict[str, Any] = {}
        fetched_at = now_iso()
        my_id = str(self.me()["id"])
        parts = Parts()
        for key, what, path, params, page_param in self._sources():
            since_id = state.get(key, {}).get("since_id")
            new_state[key] = state.get(key, {})  # until this source has been read to the end
            with parts.attempt(what):
                try:
                    newest = self._read(
                        path, params, page_param, since_id, my_id, found, fetched_at
                    )
                except _StaleCursor:
                    parts.notes.append(
                        f"X searches only the last 7 days, and {what} was last read before "
                        "that: crisisdesk read its newest posts again. Posts from the days in "
                        "between may be missing."
                    )
                    since_id = None  # dropped: never sent again
                    newest = self._read(path, params, page_param, None, my_id, found, fetched_at)
                newest = newest or since_id
                new_state[key] = {"since_id": newest} if newest else {}
        return parts.result(list(found.values()), new_state)

    def _read(
        self,
        path: str,
        params: dict[str, str],
        page_param: str,
        since_id: str | None,
        my_id: str,
        found: dict[str, NewMention],
        fetched_at: str,
    ) -> str | None:
        """Read one source into *found*, up to MAX_PAGES; the newest id it reported."""
        newest: str | None = None
        token: str | None = None
        for page in range(MAX_PAGES):
            query = {
                **params,
                "max_results": str(self.page_size),
                "expansions": EXPANSIONS,
                "tweet.fields": TWEET_FIELDS,
                "user.fields": USER_FIELDS,
            }
            if since_id:
                query["since_id"] = str(since_id)
            if token:
                query[page_param] = token
            data = self._get_page(path, query)
            meta = data.get("meta") or {}
            if page == 0 and meta.get("newest_id"):
                newest = str(meta["newest_id"])
            includes = data.get("includes") or {}
            users = {
                str(u.get("id")): u for u in includes.get("users") or [] if isinstance(u, dict)
            }
            referenced = {
                str(t.get("id")): t for t in includes.get("tweets") or [] if isinstance(t, dict)
            }
            for tweet in data.get("data") or []:
                if not isinstance(tweet, dict):
                    continue
                original = _retweeted(tweet, referenced)
                if original is not None:
                    tweet = original  # a retweet: the post itself is the mention
                elif _is_retweet(tweet):
                    continue  # the original is not in the answer: nothing to store
                if str(tweet.get("author_id")) == my_id:
                    continue
                mention = self._mention(tweet, users.get(str(tweet.get("author_id"))), fetched_at)
                found.setdefault(mention.external_id, mention)
            token = meta.get("next_token")
            if not token:
                break
        return newest

    def _get_page(self, path: str, query: dict[str, str]) -> dict[str, Any]:
        """One page of a source; ``_StaleCursor`` when X refuses its since_id as too old."""
        response = self._send("GET", path, params=query, accept=(400,))
        if response.status_code == 400:
            data = _json_or_empty(response)
            errors = data.get("errors")
            problems: list[Any] = errors if isinstance(errors, list) else []
            if "since_id" in query and any(_names_since_id(p) for p in problems):
                raise _StaleCursor()
            first = problems[0] if problems and isinstance(problems[0], dict) else data
            detail = redact(self.client, _problem_text(first))  # servers echo what they got
            raise PlatformError(
                f"{response.request.url.host} refused the request (HTTP 400): {detail}",
                status=400,
            )
        return self._checked(json_body(response))

    def _mention(
        self, tweet: dict[str, Any], user: dict[str, Any] | None, fetched_at: str
    ) -> NewMention:
        user = user or {}
        metrics = tweet.get("public_metrics") or {}
        username = str(user.get("username") or "")
        tweet_id = str(tweet["id"])
        replied_to = next(
            (
                str(r.get("id"))
                for r in tweet.get("referenced_tweets") or []
                if isinstance(r, dict) and r.get("type") == "replied_to"
            ),
            None,
        )
        conversation = tweet.get("conversation_id")
        return NewMention(
            source=self.platform,
            external_id=tweet_id,
            url=f"{WEB_URL}/{username or 'i/web'}/status/{tweet_id}",
            author_handle=username,
            author_name=str(user.get("name") or username),
            author_followers=int((user.get("public_metrics") or {}).get("followers_count") or 0),
            # X escapes &, < and > in post text
            text=html.unescape(_full_text(tweet)),
            created_at=normalise(str(tweet.get("created_at") or fetched_at)),
            fetched_at=fetched_at,
            in_reply_to=replied_to,
            thread_root=str(conversation) if conversation and conversation != tweet_id else None,
            likes=int(metrics.get("like_count") or 0),
            reposts=int(metrics.get("retweet_count") or 0) + int(metrics.get("quote_count") or 0),
            replies=int(metrics.get("reply_count") or 0),
            raw=payload_json({"tweet": tweet, "user": user or None}),
            account_id=self.account.id,
        )

    # --- reply -------------------------------------------------------------------------------

    def check_reply(self, target: ReplyTarget, body: str, *, private: bool) -> None:
        if private:
            raise SourceError(
                "crisisdesk cannot send private messages on X.",
                hint="Send a Direct Message from the X app, or reply publicly.",
            )

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        self.check_reply(target, body, private=private)
        self._use_user_token()
        existing = self._find_posted(target.external_id, body)
        if existing is not None:
            return existing
        response = self._send(
            "POST",
            "/2/tweets",
            json={"text": body, "reply": {"in_reply_to_tweet_id": target.external_id}},
            accept=(403,),
        )
        data = json_body(response)
        if response.status_code == 403:
            detail = _problem_text(data if isinstance(data, dict) else {})
            if "not allowed" in detail.lower() or "mentioned" in detail.lower():
                raise SourceError("X does not allow this reply.", hint=NOT_ALLOWED_HINT)
            raise AuthError(
                f"X refused to post the reply: {detail}",
                hint="Replying needs a user access token with the tweet.write permission; "
                "see 'Getting credentials' in the README.",
            )
        posted = data.get("data") if isinstance(data, dict) else None
        if not isinstance(posted, dict) or not posted.get("id"):
            raise PlatformError("X did not confirm the reply.", hint="Check the conversation.")
        return self._result(str(posted["id"]))

    def _use_user_token(self) -> None:
        """Post as the owner when they signed in to X (``x_oauth``): the stored user token,
        refreshed first if it is about to expire. Otherwise the account's own token is used."""
        if self.session_store is None:
            return
        from crisisdesk.sources.platforms import x_oauth

        token = x_oauth.fresh_access_token(
            self.client, self.api_url + x_oauth.TOKEN_PATH, self.session_store
        )
        if token is not None:
            self._token = token
            self._me = None  # the signed-in user may not be the handle's account

    def _result(self, tweet_id: str) -> ReplyResult:
        username = str(self.me().get("username") or "i/web")
        return ReplyResult(external_id=tweet_id, url=f"{WEB_URL}/{username}/status/{tweet_id}")

    def _find_posted(self, parent_id: str, body: str) -> ReplyResult | None:
        data = self._get(
            f"/2/users/{self.me()['id']}/tweets",
            {"max_results": "20", "tweet.fields": "referenced_tweets,created_at"},
        )
        for tweet in data.get("data") or []:
            refs = tweet.get("referenced_tweets") or []
            replied = any(
                r.get("type") == "replied_to" and str(r.get("id")) == parent_id for r in refs
            )
            if replied and _same(html.unescape(str(tweet.get("text") or "")), body):
                return self._result(str(tweet["id"]))
        return None


def _same(posted: str, body: str) -> bool:
    # X rewrites links to t.co and may prefix @handles: compare the words without those
    def words(text: str) -> str:
        return " ".join(w for w in _URL.sub("", text).split() if not w.startswith("@"))

    return same_words(words(posted), words(body))


class _StaleCursor(Exception):
    """X refused a source's since_id: it is older than recent search reaches (7 days)."""


def _json_or_empty(response: httpx.Response) -> dict[str, Any]:
    data = json_or_none(response)
    return data if isinstance(data, dict) else {}


def _names_since_id(problem: Any) -> bool:
    """Whether an X problem object is about the since_id parameter."""
    if not isinstance(problem, dict):
        return False
    parameters = problem.get("parameters")
    return (isinstance(parameters, dict) and "since_id" in parameters) or "since_id" in str(
        problem.get("message") or ""
    )


def _without_retweets(term: str) -> str:
    """The search query for *term* leaving retweets out (unless the term is about them)."""
    if "is:retweet" in term:
        return term
    return f"({term}) -is:retweet"


def _is_retweet(tweet: dict[str, Any]) -> bool:
    refs = tweet.get("referenced_tweets") or []
    return any(isinstance(r, dict) and r.get("type") == "retweeted" for r in refs)


def _retweeted(
    tweet: dict[str, Any], referenced: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    """The original post of a retweet, when X sent it in ``includes.tweets``."""
    for ref in tweet.get("referenced_tweets") or []:
        if isinstance(ref, dict) and ref.get("type") == "retweeted":
            return referenced.get(str(ref.get("id")))
    return None


def _full_text(tweet: dict[str, Any]) -> str:
    """The post's whole text (a long post's ``note_tweet``), t.co links expanded."""
    note = tweet.get("note_tweet")
    source = note if isinstance(note, dict) and note.get("text") else tweet
    text = str(source.get("text") or "")
    urls = (source.get("entities") or {}).get("urls") or []
    for link in urls:
        if not isinstance(link, dict):
            continue
        short = link.get("url")
        full = link.get("unwound_url") or link.get("expanded_url")
        if isinstance(short, str) and short and isinstance(full, str) and full:
            text = text.replace(short, full)
    return text


def _problem_text(problem: dict[str, Any]) -> str:
    for key in ("detail", "message", "title"):
        value = problem.get(key)
        if isinstance(value, str) and value:
            return value[:200]
    return "no details"
