"""X's OAuth 2.0 authorize and token endpoints, played on the loopback platform server.

    auth = XAuthServer(platform_server, client_id="client-123")
    auth.authorize_url       # what crisisdesk's sign-in opens in "the browser"
    auth.token_url           # http://127.0.0.1:PORT/2/oauth2/token
    auth.on_token = lambda access: site.__setattr__("token", access)   # X accepts the new token

``GET /i/oauth2/authorize`` checks the PKCE parameters and answers 302 to the ``redirect_uri``
with ``code`` and ``state`` (or ``error=access_denied`` when ``deny`` is set; a different state
when ``tamper_state`` is set). ``POST /2/oauth2/token`` (form-encoded, public client) checks the
code, the redirect URI, the client id and that SHA-256(code_verifier) is the challenge; refresh
tokens rotate (each works once), as on X.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply

AUTHORIZE_PATH = "/i/oauth2/authorize"
TOKEN_PATH = "/2/oauth2/token"


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class XAuthServer:
    def __init__(self, server: PlatformServer, *, client_id: str = "client-123") -> None:
        self.server = server
        self.client_id = client_id
        self.deny = False
        self.tamper_state = False
        self.expires_in = 7200
        self.on_token: Callable[[str], None] = lambda _access: None
        self._codes: dict[str, dict[str, str]] = {}
        self._live_refresh: set[str] = set()
        self._codes_made = itertools.count(1)
        self._serial = itertools.count(1)
        self.issued: list[dict[str, Any]] = []
        server.handle("GET", AUTHORIZE_PATH, self._authorize)
        server.handle("POST", TOKEN_PATH, self._token)

    @property
    def authorize_url(self) -> str:
        return self.server.url + AUTHORIZE_PATH

    @property
    def token_url(self) -> str:
        return self.server.url + TOKEN_PATH

    def _authorize(self, request: RecordedRequest) -> Reply:
        q = {k: v[0] for k, v in request.query.items()}
        problems = [
            q.get("response_type") != "code",
            q.get("client_id") != self.client_id,
            q.get("code_challenge_method") != "S256",
            not q.get("code_challenge"),
            not q.get("state"),
            "tweet.write" not in q.get("scope", "").split(),
            not q.get("redirect_uri", "").startswith("http://127.0.0.1:"),
        ]
        if any(problems):
            return Reply.json({"error": "invalid_request"}, status=400)
        if self.deny:
            back = {"error": "access_denied", "state": q["state"]}
        else:
            code = f"code-{next(self._codes_made)}"
            self._codes[code] = {"challenge": q["code_challenge"], "redirect": q["redirect_uri"]}
            back = {"code": code, "state": "forged" if self.tamper_state else q["state"]}
        return Reply(status=302, headers={"Location": f"{q['redirect_uri']}?{urlencode(back)}"})

    def _refused(self, why: str) -> Reply:
        return Reply.json({"error": "invalid_request", "error_description": why}, status=400)

    def _token(self, request: RecordedRequest) -> Reply:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if "authorization" in request.headers:
            return self._refused("public clients send no Authorization header")
        if form.get("client_id") != self.client_id:
            return self._refused("Missing valid authorization header")
        if form.get("grant_type") == "authorization_code":
            sent = self._codes.pop(form.get("code", ""), None)
            if sent is None:
                return self._refused("Value passed for the authorization code was invalid.")
            if form.get("redirect_uri") != sent["redirect"]:
                return self._refused("Value passed for the redirect uri did not match.")
            if _challenge(form.get("code_verifier", "")) != sent["challenge"]:
                return self._refused("Value passed for the code verifier did not match.")
        elif form.get("grant_type") == "refresh_token":
            if form.get("refresh_token") not in self._live_refresh:
                return self._refused("Value passed for the token was invalid.")
            self._live_refresh.discard(form["refresh_token"])
        else:
            return self._refused("unsupported grant_type")
        n = next(self._serial)
        answer = {
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "access_token": f"user-access-{n}",
            "scope": "tweet.read tweet.write users.read offline.access",
            "refresh_token": f"user-refresh-{n}",
        }
        self._live_refresh.add(answer["refresh_token"])
        self.issued.append(answer)
        self.on_token(answer["access_token"])
        return Reply.json(answer)
