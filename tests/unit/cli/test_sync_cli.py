"""``crisisdesk sync`` through cli.main, and the end-to-end check that a token stays secret."""

from __future__ import annotations

import functools
import io
import logging
import os
import socket
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.cli import main
from crisisdesk.domain import AccountState
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, mentions, open_database
from tests.helpers import payloads_reddit as rd
from tests.helpers import payloads_x as px
from tests.helpers.platform_server import PlatformServer, Reply


class Stdin(io.StringIO):
    def isatty(self) -> bool:
        return False


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Any:
    clients = functools.partial(make_client, sleep=lambda s: None, timeout=3.0)

    def invoke(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", Stdin(stdin))
        code = main(["--db", str(db_path), *argv], client_factory=clients)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def add_reddit(run: Any, site: rd.RedditSite, name: str = "bakery-reddit") -> None:
    code, _, err = run(
        "accounts", "add", "reddit", "--name", name, "--handle", site.username,
        "--base-url", site.url, "--query", "crumbs", stdin=site.secret_lines(),
    )  # fmt: skip
    assert code == 0, err


def add_x(run: Any, site: px.XSite, name: str = "bakery-x", token: str | None = None) -> None:
    code, _, err = run(
        "accounts", "add", "x", "--name", name, "--handle", "bakery", "--base-url", site.url,
        stdin=(token or site.token) + "\n",
    )  # fmt: skip
    assert code == 0, err


def test_sync_prints_counts(run: Any, memory_keyring: Any, platform_server: PlatformServer) -> None:
    site = rd.RedditSite(platform_server)
    add_reddit(run, site)
    site.mentions = [rd.inbox_mention("u/bakery hi"), rd.inbox_mention("u/bakery cold bread")]
    code, out, err = run("sync")
    assert code == 0, err
    assert out == "bakery-reddit (reddit): 2 new, 0 updated\n"
    code, out, _ = run("sync", "bakery-reddit")
    assert code == 0 and out == "bakery-reddit (reddit): 0 new, 0 updated\n"


def _sync_states(db_path: Path) -> dict[str, AccountState]:
    db = open_database(db_path)
    try:
        return {a.name: a.sync_state for a in accounts.list_all(db)}
    finally:
        db.close()


def test_a_failed_account_exits_1_after_syncing_the_others(
    run: Any, db_path: Path, memory_keyring: Any, platform_server: PlatformServer
) -> None:
    site = rd.RedditSite(platform_server)
    add_reddit(run, site, "good")
    x_site = px.XSite(PlatformServer())
    try:
        add_x(run, x_site, "broken", token="stale-token-123")
        site.mentions = [rd.inbox_mention("u/bakery hi")]
        code, out, err = run("sync")
    finally:
        x_site.server.close()
    assert code == 1
    assert "good (reddit): 1 new, 0 updated" in out
    assert "broken (x): failed." in err and "refused the credential" in err
    assert "stale-token-123" not in out + err
    code, out, _ = run("accounts", "list")
    assert "last error:" in out and "refused the credential" in out
    assert _sync_states(db_path) == {"broken": AccountState.FAILED, "good": AccountState.OK}


def test_offline_says_so(run: Any, db_path: Path, memory_keyring: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, _, err = run(
        "accounts", "add", "mastodon", "--name", "m", "--base-url", f"http://127.0.0.1:{port}",
        stdin="tok-abc\n",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run("sync")
    assert code == 1
    assert "m (mastodon): offline" in err
    assert "You seem to be offline" in err and "stored" in err
    assert "Traceback" not in out + err
    assert _sync_states(db_path) == {"m": AccountState.OFFLINE}


def test_unknown_name_is_exit_2(run: Any, memory_keyring: Any) -> None:
    code, _, err = run("sync", "nobody")
    assert code == 2 and "no account called 'nobody'" in err


def test_no_accounts_is_not_an_error(run: Any) -> None:
    code, out, err = run("sync")
    assert code == 0 and out == "" and "No accounts yet" in err


def _all_files_bytes(*roots: Path) -> dict[Path, bytes]:
    found = {}
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                found[path] = path.read_bytes()
    return found


@pytest.mark.parametrize("platform", ["x", "reddit"])
def test_token_reaches_the_server_and_nowhere_else(
    run: Any,
    db_path: Path,
    memory_keyring: Any,
    platform_server: PlatformServer,
    caplog: Any,
    platform: str,
) -> None:
    caplog.set_level(logging.DEBUG)
    if platform == "x":
        site: Any = px.XSite(platform_server, token="x-SECRET-token-5f2a9c")
        add_x(run, site)
        site.mentions = [px.tweet("@bakery where is my order?", author=site.author("fan"))]
        secrets_to_hide = [site.token]
        header = f"Bearer {site.token}"
        path = f"/2/users/{site.me['id']}/mentions"
    else:
        site = rd.RedditSite(
            platform_server, client_secret="reddit-APP-secret-77", password="reddit-PW-secret-88",
            token="reddit-ACCESS-token-99",
        )  # fmt: skip
        add_reddit(run, site)
        site.mentions = [rd.inbox_mention("u/bakery where is my order?")]
        secrets_to_hide = [site.client_secret, site.password, site.token]
        header = f"bearer {site.token}"
        path = "/message/mentions"

    code, out1, err1 = run("sync")
    assert code == 0, err1
    # the credential reached the platform
    assert platform_server.requests_to("GET", path)[0].headers["authorization"] == header

    # a platform error page that echoes the token: the error text must not repeat it
    platform_server.route(
        "GET", path,
        Reply.json({"error": f"bad request for {secrets_to_hide[-1]}",
                    "message": f"bad token {secrets_to_hide[-1]}",
                    "detail": f"bad token {secrets_to_hide[-1]}"}, status=400),
    )  # fmt: skip
    code, out2, err2 = run("sync")
    assert "***" in err2  # the echoed token was there, and was masked
    # X has only that source (a failed account); Reddit's search still answered (partly synced)
    assert code == (1 if platform == "x" else 0)
    code, out3, err3 = run("accounts", "list", "--json")
    code, out4, err4 = run("accounts", "test", "bakery-x" if platform == "x" else "bakery-reddit")

    db = open_database(db_path)
    stored = mentions.query(db)
    errors = [a.last_error or "" for a in accounts.list_all(db)]
    # read the files while a connection is open, so the -wal file is there too
    files = _all_files_bytes(
        db_path.parent, Path(os.environ["XDG_CONFIG_HOME"]), Path(os.environ["XDG_DATA_HOME"])
    )
    db.close()
    assert len(stored) == 1 and errors[0]
    assert db_path in files and db_path.with_name(db_path.name + "-wal") in files
    texts = [out1, err1, out2, err2, out3, err3, out4, err4, caplog.text, *errors]
    for secret in secrets_to_hide:
        for path_, data in files.items():
            assert secret.encode() not in data, path_
        for text in texts:
            assert secret not in text
