"""sync_accounts: accounts in the DB, secrets in the keyring, real HTTP to loopback platforms."""

from __future__ import annotations

import functools
import socket
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from crisisdesk import secrets
from crisisdesk.analysis import scoring
from crisisdesk.domain import NewMention
from crisisdesk.services.sync import OFFLINE_TEXT, sync_accounts
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.registry import encode_secret, platform_info
from crisisdesk.store import accounts, mentions
from crisisdesk.store.accounts import AccountNotFoundError
from tests.helpers import payloads_facebook as fb
from tests.helpers import payloads_reddit as rd
from tests.helpers import payloads_x as px
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot
from tests.helpers.platform_server import PlatformServer, Reply, Waits


@pytest.fixture
def factory(waits: Waits) -> Any:
    return functools.partial(make_client, sleep=waits, timeout=3.0)


@pytest.fixture
def reddit(platform_server: PlatformServer) -> rd.RedditSite:
    return rd.RedditSite(platform_server)


def add_reddit(db: Any, site: rd.RedditSite, name: str = "bakery-reddit", **options: Any) -> Any:
    secret = encode_secret(
        platform_info("reddit"),
        {"client_id": site.client_id, "client_secret": site.client_secret,
         "password": site.password},
    )  # fmt: skip
    secrets.set_secret(secrets.account_key(name), secret)
    return accounts.add(
        db, platform="reddit", name=name, base_url=site.url, handle=site.username, options=options
    )


def add_x(db: Any, site: px.XSite, name: str = "bakery-x", token: str | None = None) -> Any:
    secrets.set_secret(secrets.account_key(name), token or site.token)
    return accounts.add(db, platform="x", name=name, base_url=site.url, handle="bakery")


def add_facebook(db: Any, site: fb.FacebookSite, name: str = "bakery-fb") -> Any:
    secrets.set_secret(secrets.account_key(name), site.token)
    return accounts.add(
        db, platform="facebook", name=name, base_url=site.url,
        options={"page_id": site.page["id"]},
    )  # fmt: skip


def test_sync_stores_scored_mentions_and_cursor(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    account = add_reddit(db, reddit)
    reddit.mentions = [
        rd.inbox_mention("u/bakery ordered a cake, it never showed up. Nobody answers the phone."),
        rd.inbox_mention("u/bakery best croissant in town, thank you!"),
    ]
    results = sync_accounts(db, client_factory=factory)

    assert [(r.name, r.new, r.updated, r.error, r.offline) for r in results] == [
        ("bakery-reddit", 2, 0, None, False)
    ]
    stored = {m.text: m for m in mentions.query(db, limit=10)}
    bad = stored["u/bakery ordered a cake, it never showed up. Nobody answers the phone."]
    good = stored["u/bakery best croissant in town, thank you!"]
    assert bad.complaint and bad.label == "negative" and bad.cues
    assert good.label == "positive" and not good.complaint
    assert bad.priority > good.priority
    assert bad.account_id == account.id and bad.status == "new"
    saved = accounts.get(db, "bakery-reddit")
    assert saved.state["mentions"]["newest"] > 0
    assert saved.last_sync_at is not None and saved.last_error is None


def test_sync_scores_through_the_one_entry_point_at_its_time(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    account = add_reddit(db, reddit)
    reddit.mentions = [
        rd.inbox_mention("u/bakery my order is late AGAIN, worst service", created_utc=rd.BASE_UTC),
        rd.inbox_mention("u/bakery lovely bread", created_utc=rd.BASE_UTC + 60),
    ]
    now = datetime.fromtimestamp(rd.BASE_UTC, UTC).replace(day=28)  # days of waiting
    sync_accounts(db, client_factory=factory, now=now)
    stored = mentions.query(db, limit=10)
    assert len(stored) == 2
    for m in stored:
        new = NewMention(
            source=m.source, external_id=m.external_id, text=m.text, created_at=m.created_at,
            fetched_at=m.fetched_at, author_followers=m.author_followers, likes=m.likes,
            reposts=m.reposts, replies=m.replies, account_id=m.account_id,
        )  # fmt: skip
        expected = scoring.score(new, now)
        assert (m.sentiment, m.label, m.complaint, m.cues, m.priority) == tuple(expected)
        assert m.account_id == account.id and m.fetched_at  # as the connector gave them


def test_second_sync_counts_new_and_updated(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit, queries=["crumbs"])
    post = rd.link("Crumbs bakery review", score=3, created_utc=rd.BASE_UTC)
    reddit.search_results = [post]
    sync_accounts(db, client_factory=factory)
    # the cursor stops at what was seen, so a changed score is refreshed only if re-listed:
    # here a new post arrives and the old one is not fetched again
    reddit.search_results = [rd.link("Another review", created_utc=rd.BASE_UTC + 100), post]
    (result,) = sync_accounts(db, client_factory=factory)
    assert (result.new, result.updated, result.error) == (1, 0, None)
    assert mentions.count(db) == 2


def test_one_failing_account_never_stops_the_others(
    db: Any,
    memory_keyring: Any,
    platform_server: PlatformServer,
    factory: Any,
) -> None:
    reddit_site = rd.RedditSite(platform_server)
    x_site = px.XSite(PlatformServer())
    fb_site = fb.FacebookSite(PlatformServer())
    try:
        x_account = add_x(db, x_site, name="a-x", token="revoked-x-token")
        add_reddit(db, reddit_site, name="b-reddit")
        add_facebook(db, fb_site, name="c-fb")
        insert_mentions(db, [mention_row(source="x", account_id=x_account.id)])
        before = table_snapshot(db)
        reddit_site.mentions = [rd.inbox_mention("u/bakery hello")]
        fb_site.server.route(
            "GET", f"/{fb_site.page['id']}/feed", Reply.html("<h1>Down for maintenance</h1>")
        )

        results = {r.name: r for r in sync_accounts(db, client_factory=factory)}

        assert results["b-reddit"].new == 1 and results["b-reddit"].error is None
        assert "refused the credential" in (results["a-x"].error or "")
        assert "web page instead of data" in (results["c-fb"].error or "")
        assert not any(r.offline for r in results.values())
        # what was stored before is untouched, and errors are saved on the accounts
        assert table_snapshot(db)[: len(before)] == before
        assert accounts.get(db, "a-x").last_error == results["a-x"].error
        assert accounts.get(db, "c-fb").last_error == results["c-fb"].error
        assert "revoked-x-token" not in (results["a-x"].error or "")
    finally:
        x_site.server.close()
        fb_site.server.close()


def test_storage_failure_never_moves_the_cursor(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit)
    reddit.mentions = [rd.inbox_mention("u/bakery fine"), rd.inbox_mention("u/bakery POISON")]
    db.execute(
        "CREATE TRIGGER poison BEFORE INSERT ON mentions WHEN NEW.text LIKE '%POISON%'"
        " BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    (result,) = sync_accounts(db, client_factory=factory)
    assert result.error and "Unexpected problem" in result.error
    assert mentions.count(db) == 0  # all or nothing for the account
    assert accounts.get(db, "bakery-reddit").state == {}

    db.execute("DROP TRIGGER poison")
    (result,) = sync_accounts(db, client_factory=factory)
    assert result.new == 2 and result.error is None


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_network_reports_offline(db: Any, memory_keyring: Any, factory: Any) -> None:
    port = _closed_port()
    for name in ("one", "two"):
        secrets.set_secret(secrets.account_key(name), "tok-offline")
        accounts.add(db, platform="x", name=name, base_url=f"http://127.0.0.1:{port}",
                     handle="bakery")  # fmt: skip
    results = sync_accounts(db, client_factory=factory)
    assert [(r.name, r.offline, r.error) for r in results] == [
        ("one", True, OFFLINE_TEXT),
        ("two", True, OFFLINE_TEXT),
    ]
    assert accounts.get(db, "one").last_error == OFFLINE_TEXT


def test_unknown_name_fails_before_anything_is_fetched(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit)
    with pytest.raises(AccountNotFoundError):
        sync_accounts(db, ["bakery-reddit", "nope"], client_factory=factory)
    assert reddit.server.requests == []


def test_names_select_accounts(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit, name="first")
    add_reddit(db, reddit, name="second")
    results = sync_accounts(db, ["second", "second"], client_factory=factory)
    assert [r.name for r in results] == ["second"]


def test_missing_or_unreadable_keyring_is_reported_per_account(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit)
    secrets.delete_secret(secrets.account_key("bakery-reddit"))
    (result,) = sync_accounts(db, client_factory=factory)
    assert result.error and "No Reddit credential is stored" in result.error

    keyring.set_keyring(fail.Keyring())  # the memory_keyring fixture restores the old one
    (result,) = sync_accounts(db, client_factory=factory)
    assert result.error and "keyring" in result.error
    assert reddit.server.requests == []


def test_unexpected_payload_is_reported_not_raised(
    db: Any, memory_keyring: Any, platform_server: PlatformServer, factory: Any
) -> None:
    x_site = px.XSite(platform_server)
    add_x(db, x_site)
    bad = px.tweet("no id", author=x_site.author("fan"))
    del bad["id"]
    x_site.mentions = [bad]
    x_site.server.route(
        "GET", f"/2/users/{x_site.me['id']}/mentions",
        Reply.json({"data": [bad], "includes": {"users": x_site.users},
                    "meta": {"result_count": 1}}),
    )  # fmt: skip
    (result,) = sync_accounts(db, client_factory=factory)
    assert result.error and "Unexpected problem" in result.error and "KeyError" in result.error


def test_progress_reports_each_account(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit, name="a")
    add_reddit(db, reddit, name="b")
    calls: list[tuple[int, int, str | None]] = []
    sync_accounts(db, client_factory=factory, progress=lambda *a: calls.append(a))
    assert calls == [(0, 2, "a"), (1, 2, "b"), (2, 2, None)]


def test_cancel_stops_before_the_next_account(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit, name="a")
    add_reddit(db, reddit, name="b")
    finished: list[str] = []
    results = sync_accounts(
        db, client_factory=factory, on_result=lambda r: finished.append(r.name),
        cancelled=lambda: len(finished) >= 1,
    )  # fmt: skip
    assert [r.name for r in results] == finished == ["a"]
    assert accounts.get(db, "b").last_sync_at is None


def test_cancel_during_an_account_leaves_it_untouched(
    db: Any, memory_keyring: Any, reddit: rd.RedditSite, factory: Any, waits: Waits
) -> None:
    add_reddit(db, reddit, name="a")
    reddit.mentions = [rd.inbox_mention("u/bakery hello")]
    started: list[str] = []
    results = sync_accounts(
        db, client_factory=factory, progress=lambda i, n, name: started.append(str(name)),
        cancelled=lambda: bool(started),  # cancelled as soon as the account started
    )  # fmt: skip
    assert results == []
    a = accounts.get(db, "a")
    # no request went out, nothing stored, no error blamed on the account, cursor unchanged
    assert reddit.server.requests == []
    assert (a.last_error, a.last_sync_at, a.state) == (None, None, {})
    assert mentions.count(db) == 0


def test_cancel_cuts_a_retry_wait_short(
    db: Any, memory_keyring: Any, platform_server: PlatformServer, waits: Waits
) -> None:
    site = px.XSite(platform_server)
    add_x(db, site)
    platform_server.route(
        "GET", f"/2/users/{site.me['id']}/mentions",
        Reply.json({"title": "Too Many Requests"}, status=429, headers={"Retry-After": "30"}),
    )  # fmt: skip
    stop = threading.Event()

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if sum(waits) >= 1.0:
            stop.set()  # the user presses Stop one second into the 30 s wait

    factory = functools.partial(make_client, sleep=sleep, timeout=3.0)
    results = sync_accounts(db, client_factory=factory, cancelled=stop.is_set)
    assert results == []
    assert sum(waits) < 2.0  # the 30 s wait ended soon after the cancel
    assert accounts.get(db, "bakery-x").last_error is None


def test_worker_thread_with_its_own_connection(
    db: Any, db_path: Path, memory_keyring: Any, reddit: rd.RedditSite, factory: Any
) -> None:
    add_reddit(db, reddit)
    reddit.mentions = [rd.inbox_mention("u/bakery hi")]
    out: list[Any] = []
    worker = threading.Thread(
        target=lambda: out.extend(sync_accounts(db_path, client_factory=factory))
    )
    worker.start()
    worker.join(timeout=30)
    assert [r.new for r in out] == [1]
    # the GUI's connection sees it (WAL: readers are never blocked by the writer)
    assert mentions.count(db) == 1
