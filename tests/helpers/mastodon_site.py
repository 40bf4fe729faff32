"""A loopback Mastodon instance that knows which access tokens are valid (for GUI sync tests).

    site = MastodonSite(platform_server, tokens={"good-token"})
    site.mention("your cake was late")        # a mention notification, newest first
    site.url                                  # the instance address (http://127.0.0.1:PORT)

A request with any other token gets Mastodon's 401 answer.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from tests.helpers import payloads_mastodon as pm
from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply

VERIFY = "/api/v1/accounts/verify_credentials"
NOTIFICATIONS = "/api/v1/notifications"


class MastodonSite:
    def __init__(self, server: PlatformServer, tokens: Iterable[str] = ("good-token",)) -> None:
        self.server = server
        self.tokens = set(tokens)
        self.me = pm.account("bakery", domain=None)
        self.timeline = pm.Timeline([])
        server.handle("GET", VERIFY, self._authed(lambda _r: Reply.json(self.me)))
        server.handle("GET", NOTIFICATIONS, self._authed(self.timeline))

    @property
    def url(self) -> str:
        return self.server.url

    def _authed(self, handler: Callable[[RecordedRequest], Reply]) -> Callable[..., Reply]:
        def wrapped(request: RecordedRequest) -> Reply:
            token = request.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                return Reply.json({"error": "The access token is invalid"}, status=401)
            return handler(request)

        return wrapped

    def mention(self, text: str, author: str = "carol") -> dict:
        """Add a mention notification whose post says *text* (HTML-escaped like Mastodon)."""
        status = pm.status(f"<p>{html.escape(text)}</p>", author=pm.account(author))
        note = pm.notification(status)
        self.timeline.add(note)
        return note
