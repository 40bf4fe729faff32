"""Mastodon (any instance): mentions from notifications, hashtags and search; public or direct
replies.

Credential: an access token of an application created under Preferences → Development on the
user's own server (scopes ``read`` and ``write:statuses``). Options: ``hashtags`` (list of tags,
with or without '#') and ``queries`` (search terms; full-text search depends on the instance).

Ids: Mastodon ids are only meaningful on the instance that issued them, so mention ids are
stored as ``"<instance host>:<status id>"`` (also ``in_reply_to``). A reply to a status seen
through another instance is resolved to a local id with ``/api/v2/search?resolve=true``.

Incremental state: ``{"cursors": {stream: newest id seen}, "me": own account id}`` where a
stream is ``notifications``, ``tag:<name>`` or ``search:<terms>``. The first sync reads back up
to ``max_pages`` pages (``Link rel="next"``); later syncs ask for ``min_id=<cursor>`` and walk
``rel="prev"`` forward until caught up (or ``max_pages``, continuing next time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import httpx

from crisisdesk.analysis.lengths import mastodon_length
from crisisdesk.domain import NewMention, Platform
from crisisdesk.errors import PlatformError, SourceError
from crisisdesk.sources.platforms.base import Connector, FetchResult, ReplyResult, ReplyTarget
from crisisdesk.sources.platforms.common import (
    check_reply_length,
    clean_list,
    payload_json,
    stored_payload,
)
from crisisdesk.sources.platforms.http import add_secret, json_body, send
from crisisdesk.sources.text import html_to_text, plain
from crisisdesk.timeutil import normalise, now_iso


def _id_key(value: str) -> tuple[int, str]:
    return (len(value), value)  # numeric strings of any length, compared by value


class MastodonConnector(Connector):
    platform: ClassVar[str] = Platform.MASTODON
    reply_limit: ClassVar[int | None] = 500
    page_limit: ClassVar[int] = 40
    max_pages: ClassVar[int] = 10

    def setup(self, secret: str | None) -> None:
        if not self.account.base_url:
            raise SourceError(
                f"The Mastodon account '{self.account.name}' has no server address.",
                "Add it again with --base-url https://your.server",
            )
        if not secret:
            raise SourceError(
                f"No access token is stored for the Mastodon account '{self.account.name}'.",
                "Remove the account and add it again with its token.",
            )
        self.base = self.account.base_url.rstrip("/")
        self.host = (urlsplit(self.base).hostname or self.base).lower()
        self._auth = {"Authorization": f"Bearer {secret}"}
        add_secret(self.client, secret)

    # -- counting -----------------------------------------------------------------------------

    @staticmethod
    def reply_length(body: str) -> int:
        """As Mastodon counts (analysis/lengths.py): links 23, '@user@server' as '@user'."""
        return mastodon_length(body)

    # -- requests -----------------------------------------------------------------------------

    def _get(self, path: str, params: dict[str, Any] | list[tuple[str, Any]]) -> httpx.Response:
        return send(
            self.client, "GET", self.base + path, idempotent=True, params=params,
            headers=self._auth,
        )  # fmt: skip

    def check(self) -> str:
        me = json_body(self._get("/api/v1/accounts/verify_credentials", {}))
        if not isinstance(me, dict) or "acct" not in me:
            raise PlatformError(f"{self.host} did not say which account this token belongs to.")
        return f"@{me['acct']}@{self.host}"

    def fetch(self, state: dict[str, Any]) -> FetchResult:
        cursors: dict[str, str] = dict(state.get("cursors") or {})
        me = state.get("me")
        if not me:
            account = json_body(self._get("/api/v1/accounts/verify_credentials", {}))
            me = str(account.get("id", "")) if isinstance(account, dict) else ""
        fetched_at = now_iso()
        found: dict[str, NewMention] = {}

        def collect(stream: str, pages: Iterator[list[tuple[str, dict[str, Any]]]]) -> None:
            newest = cursors.get(stream)
            for page in pages:
                for item_id, st in page:
                    if newest is None or _id_key(item_id) > _id_key(newest):
                        newest = item_id
                    mention = self._mention(st, fetched_at)
                    if mention is not None and str(st.get("account", {}).get("id")) != me:
                        found[mention.external_id] = mention
            if newest is not None:
                cursors[stream] = newest

        notif_params = [("types[]", "mention"), ("limit", self.page_limit)]
        collect(
            "notifications",
            self._paged("/api/v1/notifications", notif_params, cursors.get("notifications"),
                        lambda n: n.get("status")),
        )  # fmt: skip
        for tag in clean_list(self.account.options.get("hashtags")):
            name = tag.lstrip("#").lower()  # Mastodon hashtags are case-insensitive
            collect(
                f"tag:{name}",
                self._paged(f"/api/v1/timelines/tag/{quote(name, safe='')}",
                            [("limit", self.page_limit)], cursors.get(f"tag:{name}"),
                            lambda s: s),
            )  # fmt: skip
        for query in clean_list(self.account.options.get("queries")):
            collect(f"search:{query}", self._search(query, cursors.get(f"search:{query}")))
        return FetchResult(list(found.values()), {"cursors": cursors, "me": me})

    def _paged(
        self,
        path: str,
        params: list[tuple[str, Any]],
        cursor: str | None,
        status_of: Callable[[dict[str, Any]], Any],
    ) -> Iterator[list[tuple[str, dict[str, Any]]]]:
        """Pages of (pagination id, status) following the Link header, bounded."""
        extra: list[tuple[str, Any]] = [("min_id", cursor)] if cursor else []
        direction = "prev" if cursor else "next"
        for _ in range(self.max_pages):
            response = self._get(path, params + extra)
            items = json_body(response)
            if not isinstance(items, list):
                raise PlatformError(f"{self.host} sent something other than a list for {path}.")
            page = [
                (str(item["id"]), st)
                for item in items
                if isinstance(item, dict) and "id" in item
                and isinstance(st := status_of(item), dict)
            ]  # fmt: skip
            yield page
            link = response.links.get(direction, {}).get("url")
            if not items or not link:
                return
            query = parse_qs(urlsplit(link).query)
            key = "min_id" if cursor else "max_id"
            values = query.get(key) or query.get("since_id") or []
            if not values:
                return
            value = values[0]
            extra = [(key, value)]

    def _search(self, query: str, cursor: str | None) -> Iterator[list[tuple[str, dict[str, Any]]]]:
        offset = 0
        for _ in range(self.max_pages):
            params: list[tuple[str, Any]] = [
                ("q", query), ("type", "statuses"), ("resolve", "false"),
                ("limit", self.page_limit), ("offset", offset),
            ]  # fmt: skip
            if cursor:
                params.append(("min_id", cursor))
            data = json_body(self._get("/api/v2/search", params))
            statuses = data.get("statuses") if isinstance(data, dict) else None
            if not isinstance(statuses, list):
                raise PlatformError(f"{self.host} sent an unexpected search result.")
            yield [(str(s["id"]), s) for s in statuses if isinstance(s, dict) and "id" in s]
            if len(statuses) < self.page_limit:
                return
            offset += len(statuses)

    # -- mapping ------------------------------------------------------------------------------

    def _qualified(self, status_id: Any) -> str | None:
        return f"{self.host}:{status_id}" if status_id not in (None, "") else None

    def _acct(self, acct: str) -> str:
        return acct if "@" in acct else f"{acct}@{self.host}"

    def _mention(self, st: dict[str, Any], fetched_at: str) -> NewMention | None:
        st = st.get("reblog") or st  # a boost: the boosted post is the mention
        author = st.get("account") or {}
        external_id = self._qualified(st.get("id"))
        if external_id is None or "created_at" not in st:
            return None
        text = html_to_text(st.get("content"))
        warning = plain(st.get("spoiler_text"))
        if warning:
            text = f"[CW: {warning}]\n\n{text}"
        return NewMention(
            source=self.platform,
            external_id=external_id,
            url=st.get("url") or st.get("uri"),
            author_handle=self._acct(str(author.get("acct") or author.get("username") or "")),
            author_name=plain(author.get("display_name") or author.get("username") or ""),
            author_followers=int(author.get("followers_count") or 0),
            text=text,
            created_at=normalise(st["created_at"]),
            fetched_at=fetched_at,
            in_reply_to=self._qualified(st.get("in_reply_to_id")),
            thread_root=None,  # Mastodon statuses name their parent only
            likes=int(st.get("favourites_count") or 0),
            reposts=int(st.get("reblogs_count") or 0),
            replies=int(st.get("replies_count") or 0),
            raw=payload_json(st),
            account_id=self.account.id,
        )

    # -- replying -----------------------------------------------------------------------------

    @staticmethod
    def _addressed(target: ReplyTarget, body: str) -> str:
        """*body* starting with the author's @handle (Mastodon notifies whom a post names)."""
        handle = target.author_handle.lstrip("@")
        text = body.strip()
        if handle and not text.lower().startswith(f"@{handle.lower()}"):
            text = f"@{handle} {text}"
        return text

    def check_reply(self, target: ReplyTarget, body: str, *, private: bool) -> None:
        """Checks that need no network: the length including the @mention crisisdesk adds."""
        length = self.reply_length(self._addressed(target, body))
        check_reply_length(length, self.reply_limit, "Mastodon", counting=" with the @mention")

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        self.check_reply(target, body, private=private)
        text = self._addressed(target, body)
        raw = stored_payload(target.raw)
        status_id = self._local_id(target, raw)
        original = str(raw.get("visibility") or "public")
        visibility = "direct" if private else original
        response = send(
            self.client, "POST", self.base + "/api/v1/statuses",
            idempotent=True,  # the Idempotency-Key makes Mastodon return the first status
            headers={**self._auth, "Idempotency-Key": idempotency_key},
            json={"status": text, "in_reply_to_id": status_id, "visibility": visibility},
        )  # fmt: skip
        posted = json_body(response)
        if not isinstance(posted, dict) or "id" not in posted:
            raise PlatformError(f"{self.host} did not confirm the reply.")
        return ReplyResult(external_id=f"{self.host}:{posted['id']}", url=posted.get("url"))

    def _local_id(self, target: ReplyTarget, raw: dict[str, Any]) -> str:
        host, _, local = target.external_id.rpartition(":")
        if host.lower() == self.host and local:
            return local
        uri = raw.get("uri") or raw.get("url") or target.url
        if not uri:
            raise SourceError("crisisdesk cannot tell which Mastodon post this answers.")
        params = [("q", uri), ("type", "statuses"), ("resolve", "true"), ("limit", 1)]
        found = json_body(self._get("/api/v2/search", params))
        statuses = found.get("statuses") if isinstance(found, dict) else None
        if not statuses:
            raise SourceError(
                f"{self.host} cannot find the post to answer; it may have been deleted.",
                "Open it on the site to check.",
            )
        return str(statuses[0]["id"])
