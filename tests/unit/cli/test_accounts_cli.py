"""``crisisdesk accounts add/list/remove/test`` through cli.main, on a real DB file."""

from __future__ import annotations

import functools
import io
import json
import sqlite3
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from crisisdesk import secrets
from crisisdesk.cli import main
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, open_database
from tests.helpers import payloads_reddit as rd
from tests.helpers.builders import insert_mentions, mention_row

TOKEN = "masto-tok-0123456789abcdef"


class Stdin(io.StringIO):
    def __init__(self, text: str = "", *, tty: bool = False) -> None:
        super().__init__(text)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Any:
    waits: list[float] = []
    clients = functools.partial(make_client, sleep=waits.append, timeout=3.0)

    def invoke(*argv: str, stdin: str = "", tty: bool = False) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", Stdin(stdin, tty=tty))
        code = main(["--db", str(db_path), *argv], client_factory=clients)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def rows(db_path: Path) -> list[accounts.Account]:
    db = open_database(db_path)
    try:
        return accounts.list_all(db)
    finally:
        db.close()


def test_add_reads_token_from_stdin(run: Any, db_path: Path, memory_keyring: Any) -> None:
    code, out, err = run(
        "accounts", "add", "mastodon", "--name", "bakery-masto",
        "--base-url", "https://mastodon.social/", "--handle", "@bakery",
        "--query", "crumbs bakery", "--hashtag", "#cake", "--hashtag", "croissant",
        stdin=TOKEN + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert "Added Mastodon account 'bakery-masto'" in out and "keyring" in out
    assert memory_keyring.store == {("crisisdesk", "account:bakery-masto"): TOKEN}
    (a,) = rows(db_path)
    assert (a.platform, a.base_url, a.handle) == ("mastodon", "https://mastodon.social", "bakery")
    assert a.options == {"queries": ["crumbs bakery"], "hashtags": ["cake", "croissant"]}
    assert TOKEN.encode() not in db_path.read_bytes()


def test_add_asks_with_hidden_prompts_on_a_terminal(
    run: Any, db_path: Path, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts: list[str] = []
    answers = iter(["cid", "csecret", "pw"])

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)
    code, _, err = run("accounts", "add", "reddit", "--name", "r", "--handle", "u/bakery", tty=True)
    assert code == 0, err
    assert len(prompts) == 3 and all("hidden" in p for p in prompts)
    assert json.loads(memory_keyring.store[("crisisdesk", "account:r")]) == {
        "client_id": "cid", "client_secret": "csecret", "password": "pw",
    }  # fmt: skip
    assert rows(db_path)[0].handle == "bakery"


def test_multi_value_secret_from_stdin_lines(run: Any, memory_keyring: Any) -> None:
    code, _, err = run(
        "accounts", "add", "reddit", "--name", "r", "--handle", "bakery",
        "--subreddit", "r/Portland", stdin="cid\ncsecret\npw\n",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(memory_keyring.store[("crisisdesk", "account:r")])["password"] == "pw"


def test_feeds_need_no_secret(run: Any, db_path: Path, memory_keyring: Any) -> None:
    keyring.set_keyring(fail.Keyring())  # no keyring at all is fine for a feed
    code, _, err = run(
        "accounts", "add", "feeds", "--name", "alerts",
        "--base-url", "http://www.google.com/alerts/feeds/1/2",
    )  # fmt: skip
    assert code == 0, err
    assert rows(db_path)[0].base_url == "http://www.google.com/alerts/feeds/1/2"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["myspace", "--name", "a"], "does not know the platform 'myspace'"),
        (["mastodon", "--name", "a"], "needs --base-url"),
        (["mastodon", "--name", "a", "--base-url", "mastodon.social"], "not a web address"),
        (["mastodon", "--name", "a", "--base-url", "http://mastodon.social"], "not encrypted"),
        (["bluesky", "--name", "a"], "needs --handle"),
        (["x", "--name", "a"], "needs --handle"),
        (["facebook", "--name", "a"], "needs --page-id"),
        (["mastodon", "--name", " ", "--base-url", "https://m.social"], "needs a name"),
    ],
)
def test_user_errors_exit_2_and_store_nothing(
    run: Any, db_path: Path, memory_keyring: Any, argv: list[str], message: str
) -> None:
    code, _, err = run("accounts", "add", *argv, stdin=TOKEN + "\n")
    assert code == 2
    assert message in err and err.startswith("crisisdesk: ")
    assert memory_keyring.store == {}
    assert not db_path.exists() or rows(db_path) == []


def test_empty_stdin_stores_nothing(run: Any, db_path: Path, memory_keyring: Any) -> None:
    code, _, err = run(
        "accounts", "add", "mastodon", "--name", "m", "--base-url", "https://m.social", stdin=""
    )
    assert code == 2 and "needs 1 value" in err
    assert memory_keyring.store == {} and rows(db_path) == []


def test_no_keyring_fails_clearly_and_writes_nothing(
    run: Any, db_path: Path, memory_keyring: Any
) -> None:
    keyring.set_keyring(fail.Keyring())  # memory_keyring restores the previous backend after
    code, out, err = run(
        "accounts", "add", "mastodon", "--name", "m", "--base-url", "https://m.social",
        stdin=TOKEN + "\n",
    )  # fmt: skip
    assert code == 2
    assert "no system keyring" in err and "nothing was saved" in err
    assert secrets.how_to_fix() in err
    assert TOKEN not in out + err
    assert not db_path.exists() or rows(db_path) == []


def test_duplicate_name_keeps_the_existing_secret(
    run: Any, db_path: Path, memory_keyring: Any
) -> None:
    base = ("accounts", "add", "mastodon", "--name", "m", "--base-url", "https://m.social")
    assert run(*base, stdin="first-token\n")[0] == 0
    code, _, err = run(*base, stdin="second-token\n")
    assert code == 2 and "already an account called 'm'" in err
    assert memory_keyring.store[("crisisdesk", "account:m")] == "first-token"
    assert len(rows(db_path)) == 1


def test_failed_row_write_removes_the_new_secret(
    run: Any, db_path: Path, memory_keyring: Any
) -> None:
    db = open_database(db_path)
    db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON accounts BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    db.close()
    # not a user error (and not "already exists"): it propagates, after the secret is removed
    with pytest.raises(sqlite3.IntegrityError, match="no"):
        run(
            "accounts", "add", "mastodon", "--name", "m", "--base-url", "https://m.social",
            stdin=TOKEN + "\n",
        )  # fmt: skip
    assert memory_keyring.store == {}
    assert rows(db_path) == []


def _add_masto(run: Any, name: str = "m") -> None:
    code, _, err = run(
        "accounts", "add", "mastodon", "--name", name, "--base-url", "https://m.social",
        stdin=TOKEN + "\n",
    )  # fmt: skip
    assert code == 0, err


def test_list_text_and_json(run: Any, memory_keyring: Any) -> None:
    code, out, err = run("accounts", "list")
    assert code == 0 and out == "" and "No accounts yet" in err
    _add_masto(run, "m")
    _add_masto(run, "a")
    code, out, _ = run("accounts", "list")
    assert [line.split()[0] for line in out.splitlines()] == ["a", "m"]
    assert "never synced" in out
    code, out, _ = run("accounts", "list", "--json")
    data = [json.loads(line) for line in out.splitlines()]
    assert [d["name"] for d in data] == ["a", "m"]
    assert data[0]["base_url"] == "https://m.social" and TOKEN not in out


def test_remove_with_yes_keeps_mentions(run: Any, db_path: Path, memory_keyring: Any) -> None:
    _add_masto(run)
    secrets.set_secret(secrets.session_key("m"), "session-jwt")
    db = open_database(db_path)
    (mid,) = insert_mentions(db, [mention_row(account_id=accounts.get(db, "m").id)])
    db.close()

    code, out, err = run("accounts", "remove", "m", "--yes")

    assert code == 0, err
    assert "still in the inbox" in out
    assert memory_keyring.store == {}
    db = open_database(db_path)
    assert db.execute("SELECT id, account_id FROM mentions").fetchall() == [(mid, None)]
    db.close()


def test_remove_asks_for_confirmation(
    run: Any, db_path: Path, memory_keyring: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_masto(run)
    code, _, err = run("accounts", "remove", "m")  # not a terminal: cannot ask
    assert code == 2 and "--yes" in err
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    code, out, _ = run("accounts", "remove", "m", tty=True)
    assert code == 0 and "Nothing removed" in out
    assert len(rows(db_path)) == 1 and memory_keyring.store
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    assert run("accounts", "remove", "m", tty=True)[0] == 0
    assert rows(db_path) == [] and memory_keyring.store == {}


def test_remove_unknown_is_exit_2(run: Any, memory_keyring: Any) -> None:
    code, _, err = run("accounts", "remove", "ghost", "--yes")
    assert code == 2 and "no account called 'ghost'" in err


def test_remove_works_without_a_keyring(run: Any, db_path: Path, memory_keyring: Any) -> None:
    _add_masto(run)
    keyring.set_keyring(fail.Keyring())
    code, _, err = run("accounts", "remove", "m", "--yes")
    assert code == 0 and "could not be removed from the system keyring" in err
    assert rows(db_path) == []


def test_account_test_checks_the_credential(
    run: Any, memory_keyring: Any, platform_server: Any
) -> None:
    site = rd.RedditSite(platform_server)
    code, _, err = run(
        "accounts", "add", "reddit", "--name", "r", "--handle", "bakery",
        "--base-url", site.url, stdin=site.secret_lines(),
    )  # fmt: skip
    assert code == 0, err
    code, out, _ = run("accounts", "test", "r")
    assert code == 0 and "OK, signed in as u/bakery" in out

    site.password = "changed-on-reddit"
    code, out, err = run("accounts", "test", "r")
    assert code == 1 and "username or password" in err
    assert "changed-on-reddit" not in err and "hunter2-pw" not in err

    assert run("accounts", "test", "nobody")[0] == 2
