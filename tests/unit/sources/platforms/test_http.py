"""sources/http.py through real httpx against the loopback platform server."""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from crisisdesk import __version__
from crisisdesk.errors import AuthError, OfflineError, PlatformError, RateLimitedError
from crisisdesk.sources.platforms import http
from tests.helpers.platform_server import PlatformServer, Reply

TOKEN = "s3cr3t-T0ken/with+chars"


class Sleeps(list[float]):
    """An injected ``sleep`` that records the waits instead of sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def client() -> Iterator[http.SourceClient]:
    with http.make_client(secrets=[TOKEN], timeout=2.0) as c:
        yield c


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def fixed_rand() -> float:
    return 0.5  # jitter factor 1.0: waits are exactly base·2^attempt


def test_user_agent_names_crisisdesk_and_version(platform_server: PlatformServer, client) -> None:
    platform_server.route("GET", "/ping", Reply.json({"ok": True}))
    response = http.send(client, "GET", platform_server.url + "/ping", idempotent=True)
    assert http.json_body(response) == {"ok": True}
    agent = platform_server.requests[0].headers["user-agent"]
    assert agent.startswith(f"crisisdesk/{__version__} (+https://")


def test_500_then_success_retries_with_exponential_backoff(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route("GET", "/items", Reply(status=500), Reply(status=502), Reply.json([1, 2]))
    response = http.send(
        client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps,
        rand=fixed_rand,
    )  # fmt: skip
    assert http.json_body(response) == [1, 2]
    assert sleeps == [0.5, 1.0]
    assert len(platform_server.requests) == 3


def test_jitter_keeps_waits_within_half_to_one_and_a_half_times() -> None:
    for attempt in range(4):
        low = http.backoff_delay(attempt, rand=lambda: 0.0)
        high = http.backoff_delay(attempt, rand=lambda: 0.999)
        assert low == pytest.approx(0.5 * 2**attempt * 0.5)
        assert high == pytest.approx(0.5 * 2**attempt * 1.499)
    assert http.backoff_delay(20, rand=lambda: 0.5) == 30.0  # capped


def test_persistent_500_becomes_platform_error_after_retries(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route("GET", "/items", Reply(status=503))
    with pytest.raises(PlatformError, match=r"having trouble \(HTTP 503\)") as info:
        http.send(client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps)
    assert info.value.status == 503
    assert len(platform_server.requests) == 4  # first try + 3 retries
    assert len(sleeps) == 3


def test_post_without_idempotency_is_not_repeated_on_500(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route("POST", "/statuses", Reply(status=500), Reply.json({"id": "1"}))
    with pytest.raises(PlatformError):
        http.send(client, "POST", platform_server.url + "/statuses", idempotent=False,
                  sleep=sleeps, json={"status": "hi"})  # fmt: skip
    assert len(platform_server.requests_to("POST", "/statuses")) == 1
    assert sleeps == []


def test_429_retry_after_seconds_then_success(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route(
        "GET", "/items", Reply.json({"error": "slow down"}, 429, headers={"Retry-After": "7"}),
        Reply.json([]),
    )  # fmt: skip
    http.send(client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps)
    assert sleeps == [7.0]


def test_429_is_retried_even_for_a_post_because_nothing_was_done(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route(
        "POST", "/statuses", Reply(status=429, headers={"Retry-After": "2"}), Reply.json({})
    )
    http.send(client, "POST", platform_server.url + "/statuses", idempotent=False, sleep=sleeps)
    assert sleeps == [2.0]
    assert len(platform_server.requests) == 2


def test_429_retry_after_http_date(platform_server: PlatformServer, client, sleeps: Sleeps) -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    date = email.utils.format_datetime(when, usegmt=True)
    platform_server.route(
        "GET", "/items", Reply(status=429, headers={"Retry-After": date}), Reply.json([])
    )
    http.send(client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps)
    assert len(sleeps) == 1
    assert 27 <= sleeps[0] <= 30


def test_429_beyond_max_wait_says_when_to_try_again(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route("GET", "/items", Reply(status=429, headers={"Retry-After": "900"}))
    with pytest.raises(RateLimitedError) as info:
        http.send(client, "GET", platform_server.url + "/items", idempotent=True,
                  sleep=sleeps, max_wait=60)  # fmt: skip
    assert sleeps == []
    assert info.value.retry_at is not None
    expected = datetime.now(UTC) + timedelta(seconds=900)
    assert abs((info.value.retry_at - expected).total_seconds()) < 5
    assert f"try again at {info.value.retry_at.astimezone().strftime('%H:%M')}" in str(info.value)


def test_429_without_retry_after_uses_mastodon_iso_reset(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    reset = (datetime.now(UTC) + timedelta(seconds=20)).isoformat().replace("+00:00", "Z")
    headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
               "X-RateLimit-Reset": reset}  # fmt: skip
    platform_server.route("GET", "/items", Reply(status=429, headers=headers), Reply.json([]))
    http.send(client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps)
    assert len(sleeps) == 1
    assert 17 <= sleeps[0] <= 20


def test_exhausted_limit_waits_before_the_next_request(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    reset = str(int((datetime.now(UTC) + timedelta(seconds=10)).timestamp()))
    platform_server.route(
        "GET", "/items",
        Reply.json([], headers={"RateLimit-Limit": "3000", "RateLimit-Remaining": "0",
                                "RateLimit-Reset": reset}),
    )  # fmt: skip
    http.send(client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps)
    limit = http.last_rate_limit(client)
    assert limit is not None and limit.exhausted and limit.limit == 3000
    assert sleeps == []
    http.send(client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps)
    assert len(sleeps) == 1 and 8 <= sleeps[0] <= 11


def test_exhausted_limit_far_away_raises_without_sending(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    reset = str(int((datetime.now(UTC) + timedelta(hours=1)).timestamp()))
    platform_server.route(
        "GET", "/2/tweets/search/recent",
        Reply.json({}, headers={"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
                                "x-rate-limit-reset": reset}),
    )  # fmt: skip
    url = platform_server.url + "/2/tweets/search/recent"
    http.send(client, "GET", url, idempotent=True, sleep=sleeps)
    with pytest.raises(RateLimitedError):
        http.send(client, "GET", url, idempotent=True, sleep=sleeps)
    assert len(platform_server.requests) == 1


@pytest.mark.parametrize(
    ("headers", "family", "remaining", "reset_in", "used"),
    [
        ({"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
          "X-RateLimit-Reset": "2030-01-01T00:05:00.000Z"}, "x-ratelimit", 299, None, None),
        ({"X-Ratelimit-Used": "1", "X-Ratelimit-Remaining": "599.0",
          "X-Ratelimit-Reset": "540"}, "x-ratelimit", 599, 540, None),
        ({"RateLimit-Limit": "100", "RateLimit-Remaining": "5",
          "RateLimit-Reset": "30"}, "ratelimit", 5, 30, None),
        ({"RateLimit": '"default";r=0;t=12'}, "ratelimit", 0, 12, None),
        ({"x-rate-limit-remaining": "4", "x-rate-limit-reset": "1900000000"},
         "x-rate-limit", 4, None, None),
        ({"X-App-Usage": '{"call_count":28,"total_time":25,"total_cputime":100}'},
         "facebook", None, None, 100),
        ({"X-Business-Use-Case-Usage": '{"112": [{"type":"pages","call_count":96,'
          '"total_cputime":10,"total_time":20,"estimated_time_to_regain_access":5}]}'},
         "facebook", None, 300, 96),
    ],
)  # fmt: skip
def test_parse_rate_limit_families(headers, family, remaining, reset_in, used) -> None:
    now = datetime(2029, 12, 31, 23, 0, tzinfo=UTC)
    limit = http.parse_rate_limit(headers, now=now)
    assert limit is not None
    assert limit.family == family
    assert limit.remaining == remaining
    assert limit.used_percent == used
    if reset_in is not None:
        assert limit.reset_at == now + timedelta(seconds=reset_in)
    assert limit.describe()


def test_mastodon_and_x_reset_are_absolute_times() -> None:
    mastodon = http.parse_rate_limit({"X-RateLimit-Reset": "2030-01-01T00:05:00.000Z",
                                      "X-RateLimit-Remaining": "1"})  # fmt: skip
    x = http.parse_rate_limit({"x-rate-limit-reset": "1900000000", "x-rate-limit-remaining": "1"})
    assert mastodon is not None and mastodon.reset_at == datetime(2030, 1, 1, 0, 5, tzinfo=UTC)
    assert x is not None and x.reset_at == datetime.fromtimestamp(1900000000, UTC)
    assert http.parse_rate_limit({"Content-Type": "text/plain"}) is None


def test_401_is_an_auth_error_without_the_secret(
    platform_server: PlatformServer, client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    platform_server.route(
        "GET", "/api/v1/accounts/verify_credentials",
        Reply.json({"error": f"The access token {TOKEN} is invalid"}, 401),
    )  # fmt: skip
    url = platform_server.url + f"/api/v1/accounts/verify_credentials?access_token={TOKEN}"
    with pytest.raises(AuthError) as info:
        http.send(client, "GET", url, idempotent=True,
                  headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
    assert "refused the credential" in str(info.value)
    assert "token" in info.value.hint
    assert platform_server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert len(platform_server.requests) == 1  # a 401 is not retried
    for text in (str(info.value), info.value.user_text(), caplog.text):
        assert TOKEN not in text
        assert httpx.URL("?t=" + TOKEN).query.decode().split("=", 1)[1] not in text
    assert "verify_credentials" in caplog.text  # the request was logged, redacted


def test_platform_error_text_is_redacted(platform_server: PlatformServer, client) -> None:
    platform_server.route("GET", "/x", Reply.json({"error": f"bad request for token {TOKEN}"}, 400))
    with pytest.raises(PlatformError) as info:
        http.send(client, "GET", platform_server.url + "/x", idempotent=True)
    assert info.value.status == 400
    assert "bad request for token ***" in str(info.value)


def test_secrets_added_later_are_redacted_too(client) -> None:
    http.add_secret(client, "eyJhbGciOiJIUzI1NiJ9.session")
    text = "url?x=1 Bearer abc.def eyJhbGciOiJIUzI1NiJ9.session access_token=zzz&y=2"
    assert http.redact(client, text) == "url?x=1 Bearer *** *** access_token=***&y=2"


def test_accepted_status_is_returned(platform_server: PlatformServer, client) -> None:
    platform_server.route("POST", "/xrpc/x", Reply.json({"error": "ExpiredToken"}, 400))
    response = http.send(client, "POST", platform_server.url + "/xrpc/x", idempotent=False,
                         accept={400})  # fmt: skip
    assert response.status_code == 400
    assert http.error_code(response) == "ExpiredToken"


def test_truncated_body_is_retried_then_platform_error(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route("GET", "/items", Reply.json({"items": list(range(50))}, truncate=20))
    with pytest.raises(PlatformError, match="cut its answer short"):
        http.send(client, "GET", platform_server.url + "/items", idempotent=True, sleep=sleeps)
    assert len(platform_server.requests) == 4
    assert len(sleeps) == 3


def test_truncated_then_complete_succeeds(
    platform_server: PlatformServer, client, sleeps: Sleeps
) -> None:
    platform_server.route(
        "GET", "/items", Reply.json([1, 2, 3], truncate=3), Reply(drop=True), Reply.json([1, 2, 3])
    )
    response = http.send(client, "GET", platform_server.url + "/items", idempotent=True,
                         sleep=sleeps)  # fmt: skip
    assert http.json_body(response) == [1, 2, 3]
    assert len(sleeps) == 2


def test_malformed_json_and_html_page_are_platform_errors(
    platform_server: PlatformServer, client
) -> None:
    platform_server.route(
        "GET", "/bad", Reply(body='{"items": [1, 2', headers={"Content-Type": "application/json"})
    )
    platform_server.route("GET", "/page", Reply.html("<html><h1>Maintenance</h1></html>"))
    bad = http.send(client, "GET", platform_server.url + "/bad", idempotent=True)
    with pytest.raises(PlatformError, match="cannot read"):
        http.json_body(bad)
    page = http.send(client, "GET", platform_server.url + "/page", idempotent=True)
    with pytest.raises(PlatformError, match="web page instead of data"):
        http.json_body(page)


def test_read_timeout_is_retried_for_idempotent_requests(
    platform_server: PlatformServer, sleeps: Sleeps
) -> None:
    platform_server.route("GET", "/slow", Reply.json([], delay=0.6), Reply.json([1]))
    with http.make_client(timeout=0.2) as fast:
        response = http.send(fast, "GET", platform_server.url + "/slow", idempotent=True,
                             sleep=sleeps)  # fmt: skip
    assert http.json_body(response) == [1]
    assert len(sleeps) == 1


def test_read_timeout_on_a_plain_post_is_not_repeated(
    platform_server: PlatformServer, sleeps: Sleeps
) -> None:
    platform_server.route("POST", "/statuses", Reply.json({}, delay=0.6))
    with http.make_client(timeout=0.2) as fast, pytest.raises(PlatformError) as info:
        http.send(fast, "POST", platform_server.url + "/statuses", idempotent=False,
                  sleep=sleeps)  # fmt: skip
    assert "did not answer in time" in str(info.value)
    assert "Check the site" in info.value.hint
    assert len(platform_server.requests) == 1


def test_connection_refused_is_offline(sleeps: Sleeps) -> None:
    server = PlatformServer()
    url = server.url + "/x"
    server.close()  # nothing listens on that port any more
    with http.make_client() as c, pytest.raises(OfflineError, match="offline"):
        http.send(c, "GET", url, idempotent=True, sleep=sleeps)
    assert len(sleeps) == 3


def test_unresolvable_host_is_offline(sleeps: Sleeps) -> None:
    with http.make_client(timeout=2.0) as c, pytest.raises(OfflineError, match="offline"):
        http.send(c, "GET", "http://crisisdesk-test.invalid/x", idempotent=True, sleep=sleeps,
                  retries=0)  # fmt: skip


def test_a_cancelled_client_sends_nothing(platform_server: PlatformServer) -> None:
    platform_server.route("GET", "/x", Reply.json({"ok": True}))
    stop = [False]
    with http.make_client(cancelled=lambda: stop[0]) as c:
        assert http.json_body(http.send(c, "GET", platform_server.url + "/x", idempotent=True))
        stop[0] = True
        with pytest.raises(http.Cancelled):
            http.send(c, "GET", platform_server.url + "/x", idempotent=True)
    assert len(platform_server.requests) == 1


def test_a_cancel_cuts_the_client_wait_short(platform_server: PlatformServer) -> None:
    platform_server.route(
        "GET", "/busy", Reply.json({}, 429, headers={"Retry-After": "30"}), Reply.json([1])
    )
    waits: list[float] = []
    client = http.make_client(sleep=waits.append, cancelled=lambda: sum(waits) >= 1.0)
    with client, pytest.raises(http.Cancelled):
        http.send(client, "GET", platform_server.url + "/busy", idempotent=True)
    assert waits == [http.STOP_CHECK_S] * round(1.0 / http.STOP_CHECK_S)
    assert len(platform_server.requests) == 1  # the retry after the wait was never sent


def test_without_cancel_the_wait_is_one_sleep(platform_server: PlatformServer) -> None:
    platform_server.route(
        "GET", "/busy", Reply.json({}, 429, headers={"Retry-After": "30"}), Reply.json([1])
    )
    waits: list[float] = []
    with http.make_client(sleep=waits.append) as c:
        assert http.json_body(http.send(c, "GET", platform_server.url + "/busy", idempotent=True))
    assert waits == [30.0]
