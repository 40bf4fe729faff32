"""A sync where one part of an account fails (issue 9, items 3 and 4): what was fetched is
stored, only finished cursors move, and the account is "partly synced", not offline."""

from __future__ import annotations

import functools
import socket
from typing import Any

import pytest

from crisisdesk import secrets
from crisisdesk.domain import AccountState
from crisisdesk.services.sync import sync_accounts
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, mentions
from crisisdesk.ui.accounts.model import status_text
from tests.helpers import payloads_feeds as pf
from tests.helpers import payloads_x as px
from tests.helpers.platform_server import PlatformServer, RecordedRequest, Reply, Waits


@pytest.fixture
def factory(waits: Waits) -> Any:
    return functools.partial(make_client, sleep=waits, timeout=3.0)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_feed_whose_next_page_host_is_gone_is_partly_synced_not_offline(
    db: Any, platform_server: PlatformServer, factory: Any
) -> None:
    page1 = [pf.Entry(f"story {i}", link=f"https://n.example/{i}") for i in range(2)]
    gone = f"http://127.0.0.1:{_closed_port()}/page/2"
    platform_server.handle("GET", "/feed.xml", pf.FeedEndpoint(pf.atom(page1, next_href=gone)))
    accounts.add(db, platform="feeds", name="alerts", base_url=platform_server.url + "/feed.xml")

    [result] = sync_accounts(db, client_factory=factory)

    assert (result.error, result.offline, result.new) == (None, False, 2)
    assert result.warning is not None and result.warning.startswith("Partly synced: ")
    assert "the next page of the feed (http://127.0.0.1:" in result.warning
    assert "its address could not be reached" in result.warning
    saved = accounts.get(db, "alerts")
    assert saved.sync_state is AccountState.OK
    assert saved.last_error == result.warning
    assert status_text(saved) == "Partly synced"
    assert saved.state == {}  # page one is read again next time, with page two
    assert {m.text for m in mentions.query(db, limit=10)} == {"story 0", "story 1"}

    # once the next page answers, the warning goes
    platform_server.handle("GET", "/feed.xml", pf.FeedEndpoint(pf.atom(page1)))
    [again] = sync_accounts(db, client_factory=factory)
    assert again.warning is None
    assert accounts.get(db, "alerts").last_error is None


def test_one_failing_x_search_keeps_the_rest_and_only_finished_cursors_move(
    db: Any, memory_keyring: Any, platform_server: PlatformServer, factory: Any
) -> None:
    site = px.XSite(platform_server)
    site.mentions = [px.tweet("@bakery thanks for the cake", author=site.author("happy"))]
    site.search = [px.tweet("main st bakery closed early", author=site.author("worried"))]
    search = platform_server._routes[("GET", "/2/tweets/search/recent")].handler
    assert search is not None

    def flaky(request: RecordedRequest) -> Reply:
        if "#bakerydrama" in (request.arg("query") or ""):
            return Reply.json({"title": "Service Unavailable"}, status=503)
        return search(request)

    platform_server.handle("GET", "/2/tweets/search/recent", flaky)
    secrets.set_secret(secrets.account_key("bakery-x"), site.token)
    account = accounts.add(
        db,
        platform="x",
        name="bakery-x",
        base_url=site.url,
        handle="bakery",
        options={"queries": ["main st bakery"], "hashtags": ["bakerydrama"]},
    )
    old = {"search:#bakerydrama": {"since_id": "1860000000000000001"}}
    accounts.save_sync_success(db, account.id, old, "2026-11-20T00:00:00Z")

    [result] = sync_accounts(db, client_factory=factory)

    assert (result.error, result.offline, result.new) == (None, False, 2)
    assert result.warning is not None and "the search for #bakerydrama" in result.warning
    saved = accounts.get(db, "bakery-x")
    assert saved.sync_state is AccountState.OK
    assert saved.state["search:#bakerydrama"] == {"since_id": "1860000000000000001"}
    assert saved.state["search:main st bakery"]["since_id"] == site.search[0]["id"]
    assert saved.state["mentions"]["since_id"] == site.mentions[0]["id"]


def test_a_stale_x_cursor_is_a_note_not_a_failure(
    db: Any, memory_keyring: Any, platform_server: PlatformServer, factory: Any
) -> None:
    site = px.XSite(platform_server)
    site.search = [px.tweet("#bakerydrama still waiting", author=site.author("angry"))]
    site.oldest_id = str(int(site.search[0]["id"]) - 5)
    secrets.set_secret(secrets.account_key("bakery-x"), site.token)
    account = accounts.add(db, platform="x", name="bakery-x", base_url=site.url, handle="bakery",
                           options={"hashtags": ["bakerydrama"]})  # fmt: skip
    accounts.save_sync_success(
        db, account.id, {"search:#bakerydrama": {"since_id": "5"}}, "2026-11-01T00:00:00Z"
    )
    [result] = sync_accounts(db, client_factory=factory)
    assert (result.error, result.warning, result.new) == (None, None, 1)
    [note] = result.notes
    assert "last 7 days" in note
    assert accounts.get(db, "bakery-x").state["search:#bakerydrama"] == {
        "since_id": site.search[0]["id"]
    }
