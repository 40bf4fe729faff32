"""The one HTTP client every connector uses: timeouts, retries, rate limits, redacted logging,
and stopping when the caller cancels.

Public API (stable; other connectors build on it)::

    client = make_client(secrets=[token], timeout=15.0, transport=None,
                         sleep=time.sleep, max_wait=60.0,   # sleep/max_wait: send's defaults
                         cancelled=None)                    # e.g. a stop event's is_set
    add_secret(client, session_jwt)          # secrets learned later (e.g. Bluesky sessions)
    response = send(client, "GET", url, idempotent=True, params=..., headers=...)
    data = json_body(response)               # parsed JSON or PlatformError
    last_rate_limit(client)                  # RateLimit of the latest response, for sync to show
    parse_rate_limit(response.headers)       # the same for any response
    redact(client, text)                     # text with every known secret replaced by ***

``send`` retries with exponential backoff and jitter on connection errors, timeouts, cut-off
answers and 5xx; a request that is not idempotent (a POST without an idempotency key) is retried
only when it provably never reached the server (connect errors) or the server refused it
(429). It honours ``Retry-After`` and the platforms' rate-limit headers, waiting through the
client's ``sleep`` when the wait is at most ``max_wait`` seconds and otherwise raising
``RateLimitedError`` with the time to try again. Failures become ``errors.SourceError``
subclasses whose messages never contain a secret:

* ``OfflineError``       name resolution / connect failures after retries
* ``AuthError``          401 / 403
* ``RateLimitedError``   429 (or an exhausted limit) beyond ``max_wait``; ``retry_at`` is set
* ``PlatformError``      5xx after retries, read timeouts, cut-off bodies, other 4xx
                         (``status`` attribute), and from ``json_body``: malformed JSON or an
                         HTML page where JSON was expected

Statuses listed in ``accept=`` are returned to the caller instead (e.g. Bluesky's 400
``ExpiredToken``). 2xx and 304 are always returned.

A client made with ``cancelled=`` raises :class:`Cancelled` instead of sending a request once
``cancelled()`` is true, and its waits check it every ``STOP_CHECK_S`` seconds.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from crisisdesk import __version__
from crisisdesk.errors import (
    AuthError,
    OfflineError,
    PlatformError,
    RateLimitedError,
)
from crisisdesk.sources.platforms import deadlines
from crisisdesk.sources.platforms.ratelimits import (
    RateLimit,
    local_hhmm,
    parse_rate_limit,
    retry_after_seconds,
)
from crisisdesk.sources.platforms.redaction import HTTP_LOG_REDACTION, LogRedaction, Redactor

__all__ = [
    "DEFAULT_MAX_WAIT", "STOP_CHECK_S", "USER_AGENT", "Cancelled", "RateLimit", "Redactor",
    "SourceClient", "add_secret", "backoff_delay", "error_code", "json_body", "last_rate_limit",
    "make_client", "parse_rate_limit", "redact", "retry_after_seconds", "send",
]  # fmt: skip

log = logging.getLogger(__name__)

USER_AGENT = f"crisisdesk/{__version__} (+https://github.com/crisisdesk/crisisdesk)"
#: longest wait ``send`` sits through by default before giving up with RateLimitedError
DEFAULT_MAX_WAIT = 60.0
#: while a cancellable client waits (Retry-After, backoff), it checks for a cancel this often
STOP_CHECK_S = 0.25
#: the longest one attempt of a request may take in all (connect, send, every read), however
#: the server paces its bytes; httpx's own timeouts only bound each read
REQUEST_SECONDS = 60.0
#: the longest one client (one account's sync or check) may spend on its requests in all
CLIENT_SECONDS = 600.0
#: the largest answer read from a server (decoded); platforms' biggest pages are a few MB
MAX_RESPONSE_BYTES = 32 * 1024 * 1024


class Cancelled(Exception):
    """Raised by a client made with ``cancelled=`` once the caller cancelled (never shown)."""


class SourceClient(httpx.Client):
    """An ``httpx.Client`` that knows the secrets to redact, the latest rate limits, how to
    wait, and whether its caller has cancelled."""

    def __init__(
        self,
        *,
        redactor: Redactor,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = DEFAULT_MAX_WAIT,
        cancelled: Callable[[], bool] | None = None,
        total_seconds: float = CLIENT_SECONDS,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        **kwargs: Any,
    ) -> None:
        hooks = kwargs.pop("event_hooks", None) or {}
        super().__init__(
            event_hooks={
                # first: a cancelled caller's request is neither sent nor logged
                "request": [self._refuse_if_cancelled, *hooks.get("request", ())],
                "response": list(hooks.get("response", ())),
            },
            **kwargs,
        )
        self.redactor = redactor
        self.max_wait = max_wait  # the longest ``send`` waits, by default
        self._sleep = sleep  # tests inject a recorder
        self._cancelled = cancelled
        #: when this client's requests must have ended (monotonic clock): one account's sync
        self.ends_at = time.monotonic() + total_seconds
        self.max_response_bytes = max_response_bytes
        #: latest RateLimit seen per host
        self.rate_limits: dict[str, RateLimit] = {}
        self.last_rate_limit: RateLimit | None = None

    def stop_if_cancelled(self) -> None:
        """Raise :class:`Cancelled` when the caller has cancelled."""
        if self._cancelled is not None and self._cancelled():
            raise Cancelled()

    def _refuse_if_cancelled(self, _request: httpx.Request) -> None:
        self.stop_if_cancelled()

    def sleep(self, seconds: float) -> None:
        """Wait *seconds* (how ``send`` waits); a cancel ends the wait within STOP_CHECK_S."""
        if self._cancelled is None:
            self._sleep(seconds)
            return
        remaining = seconds
        while remaining > 0:
            self.stop_if_cancelled()
            step = min(remaining, STOP_CHECK_S)
            self._sleep(step)
            remaining -= step
        self.stop_if_cancelled()


def make_client(
    *,
    secrets: Sequence[str] = (),
    timeout: float = 15.0,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    max_wait: float = DEFAULT_MAX_WAIT,
    cancelled: Callable[[], bool] | None = None,
    log_redaction: LogRedaction = HTTP_LOG_REDACTION,
    total_seconds: float = CLIENT_SECONDS,
    max_response_bytes: int = MAX_RESPONSE_BYTES,
) -> SourceClient:
    """The client for one account's connector. Close it when done (it is a context manager).

    *sleep* and *max_wait* are the defaults ``send`` uses with this client (connectors do not
    pass their own, so tests inject a recording ``sleep`` here). Once *cancelled* returns true
    the client sends nothing more and cuts its waits short (:class:`Cancelled`). The client's
    secrets are masked in httpx's own log records through *log_redaction*. Each attempt of a
    request ends within ``REQUEST_SECONDS`` and all of them within *total_seconds*; answers
    over *max_response_bytes* are refused (``deadlines``).
    """
    redactor = Redactor(secrets)
    log_redaction.install()
    log_redaction.track(redactor)

    def log_request(request: httpx.Request) -> None:
        log.debug("→ %s %s", request.method, redactor(str(request.url)))

    def log_response(response: httpx.Response) -> None:
        request = response.request
        log.debug("← %s %s %s", response.status_code, request.method, redactor(str(request.url)))

    client = SourceClient(
        redactor=redactor,
        sleep=sleep,
        max_wait=max_wait,
        cancelled=cancelled,
        total_seconds=total_seconds,
        max_response_bytes=max_response_bytes,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,  # feeds move; httpx drops Authorization on cross-origin hops
        transport=transport,
        event_hooks={"request": [log_request], "response": [log_response]},
    )
    deadlines.install(client)
    return client


def add_secret(client: httpx.Client, secret: str | None) -> None:
    """Make *client* redact *secret* too (tokens learned after the client was made)."""
    if isinstance(client, SourceClient):
        client.redactor.add(secret)


def redact(client: httpx.Client, text: str) -> str:
    """*text* with the client's secrets and any credential-looking parameter masked."""
    return client.redactor(text) if isinstance(client, SourceClient) else Redactor()(text)


def last_rate_limit(client: httpx.Client) -> RateLimit | None:
    """The rate limit reported by the most recent response seen through ``send``."""
    return client.last_rate_limit if isinstance(client, SourceClient) else None


def backoff_delay(
    attempt: int, *, base: float = 0.5, cap: float = 30.0, rand: Callable[[], float] = random.random
) -> float:
    """Exponential backoff with jitter: base·2^attempt scaled by a random factor in [0.5, 1.5)."""
    return min(cap, base * 2.0**attempt) * (0.5 + rand())


# ---------------------------------------------------------------------------------------------
# send


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    retries: int = 3,
    idempotent: bool,
    sleep: Callable[[float], None] | None = None,
    max_wait: float | None = None,
    accept: Collection[int] = (),
    rand: Callable[[], float] = random.random,
    max_bytes: int | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request with retries; return the response or raise a ``SourceError``.

    *idempotent*: the request may be repeated safely (GETs, or a POST carrying an idempotency
    key the platform honours). *retries* counts repeats after the first attempt. Waits go
    through *sleep* (default: the client's, see ``make_client``); waits longer than *max_wait*
    (default: the client's, else 60 s) raise ``RateLimitedError`` instead. *kwargs* go to
    ``httpx.Client.request``. An endpoint whose answers are small passes a smaller *max_bytes*
    (default: the client's limit); a bigger answer is a ``PlatformError``.
    """
    own = client if isinstance(client, SourceClient) else None
    if sleep is None:
        sleep = own.sleep if own is not None else time.sleep
    if max_wait is None:
        max_wait = own.max_wait if own is not None else DEFAULT_MAX_WAIT
    host = httpx.URL(url).host or url
    scrub: Callable[[str], str] = own.redactor if own is not None else Redactor()
    size_limit = max_bytes or (own.max_response_bytes if own is not None else MAX_RESPONSE_BYTES)
    attempt = 0
    while True:
        _wait_for_known_limit(client, host, sleep, max_wait)
        left = (
            REQUEST_SECONDS if own is None else min(REQUEST_SECONDS, own.ends_at - time.monotonic())
        )
        if left <= 0:
            raise _too_slow(host, idempotent)
        ends_at = time.monotonic() + left
        try:
            with deadlines.deadline(left), client.stream(method, url, **kwargs) as response:
                deadlines.read_capped(response, size_limit)
        except deadlines.TooLarge:
            raise PlatformError(
                f"{host} sent an answer larger than crisisdesk reads "
                f"({size_limit / 2**20:g} MB), so it was not read.",
                "This is unusual for the platform; try again later, or check the address.",
            ) from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            # the request never reached the server: safe to repeat even for a POST
            if attempt < retries:
                _pause(sleep, backoff_delay(attempt, rand=rand), host, scrub(str(exc)))
                attempt += 1
                continue
            raise OfflineError(
                f"Cannot reach {host}; you seem to be offline.",
                "Check the internet connection, then sync again.",
            ) from None
        except (httpx.TimeoutException, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            # a read cut short by the deadline: a server that trickles does not get better
            if deadlines.passed_for(exc) or time.monotonic() >= ends_at - 0.05:
                raise _too_slow(host, idempotent) from None
            if idempotent and attempt < retries:
                _pause(sleep, backoff_delay(attempt, rand=rand), host, scrub(str(exc)))
                attempt += 1
                continue
            timed_out = isinstance(exc, httpx.TimeoutException)
            what = "did not answer in time" if timed_out else "cut its answer short"
            raise PlatformError(
                f"{host} {what}.",
                "The service may be busy; try again in a few minutes."
                + ("" if idempotent else " Check the site before repeating a post."),
            ) from None
        except httpx.HTTPError as exc:
            # never the library's text: it can quote a request header, credentials included
            raise PlatformError(f"Talking to {host} failed ({type(exc).__name__}).") from None
        except UnicodeEncodeError:  # a header value that is not ASCII (an old stored token)
            raise PlatformError(
                f"crisisdesk could not send a request to {host}: the account's credential or "
                "settings have characters that cannot be sent.",
                "Remove the account and add it again with its token.",
            ) from None

        limit = parse_rate_limit(response.headers)
        if limit is not None and isinstance(client, SourceClient):
            client.rate_limits[host] = limit
            client.last_rate_limit = limit
        status = response.status_code
        if status < 300 or status == 304 or status in accept:
            return response

        if status == 429 or (status == 503 and "retry-after" in response.headers):
            wait = retry_after_seconds(response.headers.get("retry-after"))
            if wait is None and limit is not None and limit.reset_at is not None:
                wait = max((limit.reset_at - datetime.now(UTC)).total_seconds(), 0.0)
            if wait is None:
                wait = backoff_delay(attempt, rand=rand)
            # a 429 means the server refused the request, so even a POST may be repeated
            if attempt < retries and wait <= max_wait and (status == 429 or idempotent):
                _pause(sleep, wait, host, f"HTTP {status}")
                if isinstance(client, SourceClient):
                    client.rate_limits.pop(host, None)  # waited for it already
                attempt += 1
                continue
            if status == 429:
                raise _rate_limited(host, datetime.now(UTC) + timedelta(seconds=wait))
            if wait > max_wait or not idempotent:
                raise PlatformError(
                    f"{host} is down for now (HTTP 503).",
                    f"Try again after {local_hhmm(datetime.now(UTC) + timedelta(seconds=wait))}.",
                    status=status,
                )
        if status in (401, 403):
            raise AuthError(
                f"{host} refused the credential (HTTP {status}).",
                "Check the token or password of this account in Accounts; it may have "
                "expired or been revoked.",
            )
        if status >= 500:
            if idempotent and attempt < retries:
                _pause(sleep, backoff_delay(attempt, rand=rand), host, f"HTTP {status}")
                attempt += 1
                continue
            raise PlatformError(
                f"{host} is having trouble (HTTP {status}).",
                "This is on the platform's side; try again later.",
                status=status,
            )
        raise PlatformError(
            f"{host} refused the request (HTTP {status}): {_error_text(response, scrub)}",
            status=status,
        )


def _too_slow(host: str, idempotent: bool) -> PlatformError:
    return PlatformError(
        f"{host} answered too slowly, so crisisdesk stopped waiting.",
        "The service may be overloaded; try again later."
        + ("" if idempotent else " Check the site before repeating a post."),
    )


def _wait_for_known_limit(
    client: httpx.Client, host: str, sleep: Callable[[float], None], max_wait: float
) -> None:
    """Don't send what the last response said would be refused; wait or give up instead."""
    if not isinstance(client, SourceClient):
        return
    limit = client.rate_limits.get(host)
    if limit is None or not limit.exhausted or limit.reset_at is None:
        return
    wait = (limit.reset_at - datetime.now(UTC)).total_seconds()
    if wait <= 0:
        return
    if wait > max_wait:
        raise _rate_limited(host, limit.reset_at)
    _pause(sleep, wait, host, "rate limit exhausted")
    client.rate_limits.pop(host, None)


def _rate_limited(host: str, retry_at: datetime) -> RateLimitedError:
    return RateLimitedError(
        f"{host} is limiting how often crisisdesk may ask; try again at {local_hhmm(retry_at)}.",
        "Nothing was lost; the next sync after that time picks up where this one stopped.",
        retry_at=retry_at,
    )


def _pause(sleep: Callable[[float], None], seconds: float, host: str, why: str) -> None:
    log.info("waiting %.1fs before retrying %s (%s)", seconds, host, why)
    sleep(seconds)


def _error_text(response: httpx.Response, scrub: Callable[[str], str]) -> str:
    """The platform's own error message, short and redacted, or the reason phrase."""
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        data = None
    text = ""
    if isinstance(data, dict):
        for key in ("error_description", "message", "error", "detail", "title"):
            value = data.get(key)
            if isinstance(value, str) and value:
                text = value
                break
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                text = value["message"]
                break
    return scrub(text or response.reason_phrase or "no details")[:200]


def json_body(response: httpx.Response) -> Any:
    """The response parsed as JSON, or ``PlatformError`` for an HTML page / malformed JSON."""
    host = response.request.url.host if response.request else "the platform"
    content_type = response.headers.get("content-type", "").lower()
    body = response.content
    if "html" in content_type or body.lstrip()[:1] == b"<":
        raise PlatformError(
            f"{host} sent a web page instead of data (HTTP {response.status_code}).",
            "The service may be down for maintenance, or the address may be wrong.",
            status=response.status_code,
        )
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PlatformError(
            f"{host} sent an answer crisisdesk cannot read (incomplete or malformed data).",
            "Try again later; if it keeps happening the platform may have changed its API.",
            status=response.status_code,
        ) from None


def error_code(response: httpx.Response) -> str | None:
    """The ``error`` field of a JSON error body (e.g. Bluesky's 'ExpiredToken'), if any."""
    try:
        data = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    value = data.get("error") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None
