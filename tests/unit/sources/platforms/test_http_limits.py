"""Issue 8, defects 15 and 16: an overall deadline per request and per client (one account's
sync), and a cap on the size of an answer, against real misbehaving servers on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from crisisdesk.errors import PlatformError
from crisisdesk.sources.platforms import http
from tests.helpers.hostile_server import HostileServer
from tests.helpers.platform_server import PlatformServer, Reply


@pytest.mark.parametrize("mode", ["trickle", "trickle-body"])
def test_a_trickling_server_is_given_up_on_at_the_request_deadline(
    mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(http, "REQUEST_SECONDS", 1.0)
    with HostileServer(mode, interval=0.1) as server, http.make_client(timeout=5.0) as client:
        started = time.monotonic()
        with pytest.raises(PlatformError, match="too slowly"):
            http.send(client, "GET", server.url + "/x", idempotent=True)
        took = time.monotonic() - started
    # each read got its byte within the 5 s read timeout; only the overall limit ends it,
    # and a trickling server is not retried
    assert took < 3.0
    assert server.bytes_sent >= 3


def test_the_client_deadline_bounds_all_its_requests_together(
    platform_server: PlatformServer,
) -> None:
    platform_server.route("GET", "/slow", Reply.json({"ok": True}, delay=0.4))
    with http.make_client(timeout=5.0, total_seconds=1.0) as client:
        http.send(client, "GET", platform_server.url + "/slow", idempotent=True)
        http.send(client, "GET", platform_server.url + "/slow", idempotent=True)
        with pytest.raises(PlatformError, match="too slowly"):
            for _ in range(3):
                http.send(client, "GET", platform_server.url + "/slow", idempotent=True)


@pytest.mark.parametrize("declared", [None, 10**12])
def test_a_huge_answer_is_refused_without_reading_it_whole(declared: int | None) -> None:
    with HostileServer("huge", declared=declared) as server:
        client = http.make_client(max_response_bytes=2 * 2**20)
        with client, pytest.raises(PlatformError, match="larger than crisisdesk reads"):
            http.send(client, "GET", server.url + "/big", idempotent=True)
        # never more than a few buffers past the limit were received
        assert server.bytes_sent < 64 * 2**20


def test_an_endpoint_can_ask_for_a_smaller_limit(platform_server: PlatformServer) -> None:
    platform_server.route("GET", "/page", Reply.json({"items": ["x" * 5000]}))
    with http.make_client() as client:
        assert http.send(client, "GET", platform_server.url + "/page", idempotent=True).json()
        with pytest.raises(PlatformError, match="larger"):
            http.send(client, "GET", platform_server.url + "/page", idempotent=True, max_bytes=100)
