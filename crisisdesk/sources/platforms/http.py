"""The one HTTP client every connector uses: timeouts, retries, rate limits, redacted logging.

Public API (stable; other connectors build on it)::

    client = make_client(secrets=[token], timeout=15.0, transport=None,
                         sleep=time.sleep, max_wait=60.0)   # sleep/max_wait: send's defaults
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
injected ``sleep`` when the wait is at most ``max_wait`` seconds and otherwise raising
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
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
import weakref
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

from crisisdesk import __version__
from crisisdesk.errors import (
    AuthError,
    OfflineError,
    PlatformError,
    RateLimitedError,
)

log = logging.getLogger(__name__)

USER_AGENT = f"crisisdesk/{__version__} (+https://github.com/crisisdesk/crisisdesk)"
#: longest wait ``send`` sits through by default before giving up with RateLimitedError
DEFAULT_MAX_WAIT = 60.0
_MASK = "***"
# query parameters that carry credentials on some platforms (Facebook access_token, ...)
_SECRET_NAMES = (
    r"access_token|refresh_token|token|password|passwd|client_secret|api_key|apikey|key|"
    r"secret|signature|appsecret_proof|code|accessJwt|refreshJwt"
)
_SECRET_PARAMS = re.compile(rf"(?i)((?<![\w-])(?:{_SECRET_NAMES})=)[^&;#\s\"']*")
_SECRET_JSON = re.compile(rf'(?i)("(?:{_SECRET_NAMES})"\s*:\s*")[^"]*')
_AUTH_HEADER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")


class Redactor:
    """Replaces every known secret (and its URL-encoded forms) in a text with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < 3:  # shorter "secrets" would mangle every text
            return
        self._secrets.update({secret, quote(secret, safe=""), quote_plus(secret)})

    def __call__(self, text: str) -> str:
        # longest first so a secret containing another is masked whole
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, _MASK)
        text = _SECRET_PARAMS.sub(lambda m: m.group(1) + _MASK, text)
        text = _SECRET_JSON.sub(lambda m: m.group(1) + _MASK, text)
        return _AUTH_HEADER.sub(lambda m: m.group(1) + " " + _MASK, text)


# httpx and httpcore log full URLs themselves (INFO/DEBUG); their records pass through this
# filter so a token in a query string never reaches a log handler.
_live_redactors: weakref.WeakSet[Redactor] = weakref.WeakSet()
_THIRD_PARTY_LOGGERS = ("httpx", "httpcore.http11", "httpcore.connection", "httpcore.proxy")


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        for redactor in list(_live_redactors):
            text = redactor(text)
        record.msg, record.args = Redactor()(text), None
        return True


def _install_log_filter() -> None:
    for name in _THIRD_PARTY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
            logger.addFilter(_RedactingFilter())


@dataclass(frozen=True)
class RateLimit:
    """What a response said about the caller's rate limit, whichever header family it used."""

    family: str  # "x-ratelimit" (Mastodon, Reddit), "ratelimit" (IETF, Bluesky),
    # "x-rate-limit" (X), "facebook" (X-App-Usage / X-Business-Use-Case-Usage)
    limit: float | None = None
    remaining: float | None = None
    reset_at: datetime | None = None  # aware UTC
    used_percent: float | None = None  # Facebook reports usage, not counts

    @property
    def exhausted(self) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return True
        return self.used_percent is not None and self.used_percent >= 100

    def describe(self) -> str:
        """A short line for the sync report, e.g. '12/300 requests left until 14:05'."""
        until = f" until {_local_hhmm(self.reset_at)}" if self.reset_at else ""
        if self.remaining is not None:
            limit = f"/{self.limit:g}" if self.limit is not None else ""
            return f"{self.remaining:g}{limit} requests left{until}"
        if self.used_percent is not None:
            return f"{self.used_percent:g}% of the hourly allowance used{until}"
        return "rate limit unknown"


class SourceClient(httpx.Client):
    """An ``httpx.Client`` that knows the secrets to redact and the latest rate limits."""

    def __init__(
        self,
        *,
        redactor: Redactor,
        sleep: Callable[[float], None] = time.sleep,
        max_wait: float = DEFAULT_MAX_WAIT,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.redactor = redactor
        #: how ``send`` waits (tests inject a recorder) and the longest it waits, by default
        self.sleep = sleep
        self.max_wait = max_wait
        #: latest RateLimit seen per host
        self.rate_limits: dict[str, RateLimit] = {}
        self.last_rate_limit: RateLimit | None = None


def make_client(
    *,
    secrets: Sequence[str] = (),
    timeout: float = 15.0,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
    max_wait: float = DEFAULT_MAX_WAIT,
) -> SourceClient:
    """The client for one account's connector. Close it when done (it is a context manager).

    *sleep* and *max_wait* are the defaults ``send`` uses with this client (connectors do not
    pass their own, so tests inject a recording ``sleep`` here).
    """
    redactor = Redactor(secrets)
    _live_redactors.add(redactor)
    _install_log_filter()

    def log_request(request: httpx.Request) -> None:
        log.debug("→ %s %s", request.method, redactor(str(request.url)))

    def log_response(response: httpx.Response) -> None:
        request = response.request
        log.debug("← %s %s %s", response.status_code, request.method, redactor(str(request.url)))

    return SourceClient(
        redactor=redactor,
        sleep=sleep,
        max_wait=max_wait,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,  # feeds move; httpx drops Authorization on cross-origin hops
        transport=transport,
        event_hooks={"request": [log_request], "response": [log_response]},
    )


def add_secret(client: httpx.Client, secret: str | None) -> None:
    """Make *client* redact *secret* too (tokens learned after the client was made)."""
    redactor = getattr(client, "redactor", None)
    if isinstance(redactor, Redactor):
        redactor.add(secret)


def redact(client: httpx.Client, text: str) -> str:
    """*text* with the client's secrets and any credential-looking parameter masked."""
    redactor = getattr(client, "redactor", None)
    return redactor(text) if isinstance(redactor, Redactor) else Redactor()(text)


def last_rate_limit(client: httpx.Client) -> RateLimit | None:
    """The rate limit reported by the most recent response seen through ``send``."""
    value = getattr(client, "last_rate_limit", None)
    return value if isinstance(value, RateLimit) else None


# ---------------------------------------------------------------------------------------------
# rate-limit headers


def parse_rate_limit(
    headers: Mapping[str, str], *, now: datetime | None = None
) -> RateLimit | None:
    """Read whichever rate-limit header family *headers* carry (case-insensitive)."""
    h = {k.lower(): v for k, v in headers.items()}
    now = now or datetime.now(UTC)
    # Mastodon "x-ratelimit" (ISO 8601 reset) and Reddit (seconds until reset, floats); X
    # "x-rate-limit" (epoch seconds); IETF draft "ratelimit" (delta seconds; Bluesky's PDS
    # sends epoch seconds). _reset_time tells these reset forms apart.
    for family in ("x-ratelimit", "x-rate-limit", "ratelimit"):
        if f"{family}-remaining" in h or f"{family}-reset" in h:
            return RateLimit(
                family,
                limit=_num(h.get(f"{family}-limit")),
                remaining=_num(h.get(f"{family}-remaining")),
                reset_at=_reset_time(h.get(f"{family}-reset"), now),
            )
    if "ratelimit" in h:
        # newer IETF draft: RateLimit: "default";r=0;t=30
        params = dict(re.findall(r"\b([rt])=(\d+)", h["ratelimit"]))
        if params:
            return RateLimit(
                "ratelimit",
                remaining=_num(params.get("r")),
                reset_at=_reset_time(params.get("t"), now),
            )
    if "x-app-usage" in h or "x-business-use-case-usage" in h:
        return _facebook_usage(h, now)
    return None


def _num(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


def _reset_time(value: str | None, now: datetime) -> datetime | None:
    if value is None or not value.strip():
        return None
    number = _num(value)
    if number is not None:
        if number > 1e9:  # an epoch timestamp
            return datetime.fromtimestamp(number, UTC)
        return now + timedelta(seconds=max(number, 0.0))
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _facebook_usage(h: Mapping[str, str], now: datetime) -> RateLimit | None:
    percents: list[float] = []
    regain_minutes = 0.0

    def collect(entry: Any) -> None:
        nonlocal regain_minutes
        if not isinstance(entry, dict):
            return
        for key in ("call_count", "total_time", "total_cputime"):
            value = entry.get(key)
            if isinstance(value, int | float):
                percents.append(float(value))
        regain = entry.get("estimated_time_to_regain_access")
        if isinstance(regain, int | float):
            regain_minutes = max(regain_minutes, float(regain))

    for name in ("x-app-usage", "x-business-use-case-usage"):
        try:
            data = json.loads(h.get(name, "null"))
        except ValueError:
            continue
        if name == "x-app-usage":
            collect(data)
        elif isinstance(data, dict):
            for entries in data.values():
                for entry in entries if isinstance(entries, list) else []:
                    collect(entry)
    if not percents:
        return None
    reset = now + timedelta(minutes=regain_minutes) if regain_minutes else None
    return RateLimit("facebook", used_percent=max(percents), reset_at=reset)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def backoff_delay(
    attempt: int, *, base: float = 0.5, cap: float = 30.0, rand: Callable[[], float] = random.random
) -> float:
    """Exponential backoff with jitter: base·2^attempt scaled by a random factor in [0.5, 1.5)."""
    return min(cap, base * 2.0**attempt) * (0.5 + rand())


def _local_hhmm(when: datetime) -> str:
    return when.astimezone().strftime("%H:%M")


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
    **kwargs: Any,
) -> httpx.Response:
    """Send one request with retries; return the response or raise a ``SourceError``.

    *idempotent*: the request may be repeated safely (GETs, or a POST carrying an idempotency
    key the platform honours). *retries* counts repeats after the first attempt. Waits go
    through *sleep* (default: the client's, see ``make_client``); waits longer than *max_wait*
    (default: the client's, else 60 s) raise ``RateLimitedError`` instead. *kwargs* go to
    ``httpx.Client.request``.
    """
    if sleep is None:
        sleep = getattr(client, "sleep", time.sleep)
    if max_wait is None:
        max_wait = float(getattr(client, "max_wait", DEFAULT_MAX_WAIT))
    host = httpx.URL(url).host or url
    redactor = getattr(client, "redactor", None)
    scrub: Callable[[str], str] = redactor if isinstance(redactor, Redactor) else Redactor()
    attempt = 0
    while True:
        _wait_for_known_limit(client, host, sleep, max_wait)
        try:
            response = client.request(method, url, **kwargs)
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
            raise PlatformError(f"Talking to {host} failed: {scrub(str(exc))[:200]}") from None

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
                    f"Try again after {_local_hhmm(datetime.now(UTC) + timedelta(seconds=wait))}.",
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


def _wait_for_known_limit(
    client: httpx.Client, host: str, sleep: Callable[[float], None], max_wait: float
) -> None:
    """Don't send what the last response said would be refused; wait or give up instead."""
    limits = getattr(client, "rate_limits", None)
    limit = limits.get(host) if isinstance(limits, dict) else None
    if not isinstance(limit, RateLimit) or not limit.exhausted or limit.reset_at is None:
        return
    wait = (limit.reset_at - datetime.now(UTC)).total_seconds()
    if wait <= 0:
        return
    if wait > max_wait:
        raise _rate_limited(host, limit.reset_at)
    _pause(sleep, wait, host, "rate limit exhausted")
    if isinstance(limits, dict):
        limits.pop(host, None)


def _rate_limited(host: str, retry_at: datetime) -> RateLimitedError:
    return RateLimitedError(
        f"{host} is limiting how often crisisdesk may ask; try again at {_local_hhmm(retry_at)}.",
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
