"""``crisisdesk sync`` for a partly synced account: counts on stdout, the failed part on
stderr, exit 0 (what was fetched is stored; issue 9 item 4)."""

from __future__ import annotations

import functools
import io
import socket
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.cli import main
from crisisdesk.sources.platforms.http import make_client
from tests.helpers import payloads_feeds as pf
from tests.helpers.platform_server import PlatformServer


def test_a_partly_synced_feed_prints_the_failed_part_and_exits_0(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, platform_server: PlatformServer
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{s.getsockname()[1]}/page/2"
    entries = [pf.Entry("Bakery closes", link="https://n.example/1")]
    platform_server.handle("GET", "/f.xml", pf.FeedEndpoint(pf.atom(entries, next_href=gone)))
    clients = functools.partial(make_client, sleep=lambda s: None, timeout=3.0)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    args = ["--db", str(db_path)]
    assert main([*args, "accounts", "add", "feeds", "--name", "alerts", "--base-url",
                 platform_server.url + "/f.xml"], client_factory=clients) == 0  # fmt: skip
    capsys.readouterr()

    code = main([*args, "sync"], client_factory=clients)
    out, err = capsys.readouterr()
    assert code == 0
    assert out == "alerts (feeds): 1 new, 0 updated\n"
    assert err.startswith("alerts (feeds): Partly synced: the next page of the feed")
