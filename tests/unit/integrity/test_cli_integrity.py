"""Issue 8, defects 5-8, 12, 13, 17, 19 and the keyring chain, through ``cli.main`` on real
SQLite files, the loopback platform server and an in-memory keyring."""

from __future__ import annotations

import functools
import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends.chainer import ChainerBackend

from crisisdesk import secrets
from crisisdesk.cli import main
from crisisdesk.domain import AccountState
from crisisdesk.errors import CredentialError
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, open_database
from crisisdesk.store import db as store_db
from tests.helpers.builders import insert_mentions, mention_row, write_csv
from tests.helpers.keyring_backend import MemoryKeyring
from tests.helpers.mastodon_site import MastodonSite
from tests.helpers.platform_server import PlatformServer, Reply

ESC = "\x1b"
ROOT = Path(__file__).parents[3]


class Stdin(io.TextIOWrapper):
    """A piped stdin (not a terminal) with bytes underneath, as the real one has."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8")

    def isatty(self) -> bool:
        return False


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Any:
    clients = functools.partial(make_client, sleep=lambda s: None, timeout=3.0)

    def invoke(*argv: str, stdin: bytes = b"") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", Stdin(stdin))
        code = main(["--db", str(db_path), *argv], client_factory=clients)
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def add_mastodon(run: Any, url: str, token: bytes) -> tuple[int, str, str]:
    return run(
        "accounts", "add", "mastodon", "--name", "m", "--base-url", url, stdin=token + b"\n"
    )  # fmt: skip


# --- 5, 6: secrets are checked when added; no part of one is ever stored or printed ---------


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (b"tok-1\x00tok-2", "UTF-16"),
        ("good-token".encode("utf-16"), "UTF-16"),
        ("good-token".encode("utf-16-le"), "UTF-16"),
        ("\ufeffgood-token".encode(), "byte-order mark"),
        ("tök-én-0123".encode(), "non-ASCII"),
        (b"good\x1b[2Jtoken", "invisible character"),
        (b"\xff\xfegood", "UTF-16"),
        (b"caf\xe9-token", "not UTF-8"),
    ],
)
def test_5_6_an_unusable_token_is_refused_when_added_with_a_clear_message(
    run: Any, db_path: Path, memory_keyring: MemoryKeyring, token: bytes, message: str
) -> None:
    code, _out, err = add_mastodon(run, "https://m.social", token)
    assert code == 2 and message in err
    assert "keyring refused" not in err and "Traceback" not in err
    assert (
        memory_keyring.store == {}
        and not open_database(db_path).execute("SELECT count(*) FROM accounts").fetchone()[0]
    )


def test_5_a_stored_token_with_nuls_never_reaches_the_database_or_the_screen(
    run: Any, db_path: Path, memory_keyring: MemoryKeyring, platform_server: PlatformServer
) -> None:
    site = MastodonSite(platform_server)
    assert add_mastodon(run, site.url, b"good-token")[0] == 0
    bad = "good-token".encode("utf-16-le").decode("latin-1")  # what an old version let in
    memory_keyring.store[(secrets.SERVICE, secrets.account_key("m"))] = bad
    code, out, err = run("sync")
    assert code == 1 and "cannot be used" in err
    code, out, err = run("accounts", "test", "m")
    assert code == 2 and "cannot be used" in err
    last_error = accounts.get(open_database(db_path), "m").last_error or ""
    for text in (last_error, out, err):
        assert "\x00" not in text and "o\x00k" not in text and "Bearer" not in text
    assert platform_server.requests_to("GET", "/api/v1/notifications") == []


def test_5_a_reddit_password_may_have_accents_but_no_line_breaks() -> None:
    from crisisdesk.sources.platforms.registry import encode_secret, platform_info

    info = platform_info("reddit")
    values = {"client_id": "abc123", "client_secret": "s3cr3t", "password": "crème brûlée"}
    assert json.loads(encode_secret(info, values))["password"] == "crème brûlée"
    with pytest.raises(CredentialError, match="invisible"):
        encode_secret(info, {**values, "password": "a\u2028b"})


# --- 7: terminal escape injection -------------------------------------------------------------


def test_7_file_cells_and_headers_reach_the_terminal_escaped(run: Any, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "esc.csv",
        ["text", "date"],
        [["ok", f"{ESC}[2J{ESC}]52;c;Zm9v{chr(7)}"], [f"fine {ESC}[31m", "2026-01-02"]],
    )
    code, out, err = run("import", str(path))
    assert ESC not in out + err and "\x07" not in out + err
    assert "\\u001b[2J" in out  # shown, not obeyed
    headers = write_csv(tmp_path / "h.csv", [f"{ESC}]0;owned{chr(7)}", "x"], [["a", "b"]])
    code, out, err = run("import", str(headers))
    assert code == 2 and ESC not in out + err and "\\u001b]0;owned" in err


def test_7_server_error_text_and_stored_errors_are_escaped(
    run: Any, db_path: Path, memory_keyring: MemoryKeyring, platform_server: PlatformServer
) -> None:
    platform_server.route(
        "GET", "/api/v1/accounts/verify_credentials",
        Reply.json({"error": f"{ESC}]0;pwned{chr(7)}{ESC}[2Jgo away"}, status=400),
    )  # fmt: skip
    platform_server.route(
        "GET", "/api/v1/notifications", Reply.json({"error": f"{ESC}[5mblink"}, status=400)
    )
    assert add_mastodon(run, platform_server.url, b"good-token")[0] == 0
    for argv in (("accounts", "test", "m"), ("sync",), ("accounts", "list")):
        _code, out, err = run(*argv)
        assert ESC not in out + err and "\x07" not in out + err, argv
    assert "\\u001b" in run("accounts", "list")[1]


# --- 8: a locked database --------------------------------------------------------------------


@pytest.fixture
def locked(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[sqlite3.Connection]:
    open_database(db_path).close()
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # what a running import does for minutes
    yield holder
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.parametrize(
    "argv",
    [
        ("demo", "--count", "50"),
        ("accounts", "add", "feeds", "--name", "f", "--base-url", "https://feed.example/rss"),
        ("accounts", "remove", "f", "--yes"),
        ("sync",),
    ],
)
def test_8_every_writer_gives_the_same_busy_message_when_an_import_holds_the_lock(
    run: Any, db_path: Path, argv: tuple[str, ...], platform_server: PlatformServer,
    memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    platform_server.route("GET", "/rss", Reply(body="<rss><channel></channel></rss>"))
    assert run("accounts", "add", "feeds", "--name", "f", "--base-url",
               platform_server.url + "/rss")[0] == 0  # fmt: skip
    if argv[:2] == ("accounts", "add"):
        argv = (*argv[:-1], platform_server.url + "/rss2")
        argv = tuple(a if a != "f" else "g" for a in argv)
    open_database(db_path).close()
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run(*argv)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2, (out, err)
    assert "busy with another change" in err and "Traceback" not in err
    assert "feeds" not in err.split("busy")[0].lower() or argv[0] != "sync"  # no blame


# --- 12, 13: damaged and read-only databases ---------------------------------------------------


def test_12_a_damaged_page_mid_file_is_a_clear_message_and_the_bytes_stay(
    run: Any, db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    insert_mentions(db, [mention_row(text="word " * 200) for _ in range(400)])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = b"\xa5" * page
    db_path.write_bytes(bytes(data))
    before = db_path.read_bytes()
    for argv in (("mentions", "--limit", "1000"), ("mentions", "--search", "word")):
        code, _out, err = run(*argv)
        assert code == 2 and "damaged" in err and "backup" in err and "Traceback" not in err
    assert db_path.read_bytes() == before
    # an import whose pages avoid the damage may go in; one that meets it is refused clearly
    words = [[f"word {n} " * 50] for n in range(3000)]
    code, _out, err = run("import", str(write_csv(tmp_path / "w.csv", ["text"], words)))
    assert "Traceback" not in err
    if code == 2:
        assert "damaged" in err and db_path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0 and sys.platform != "linux", reason="root ignores modes")
def test_13_a_read_only_file_reads_and_says_read_only_on_write(
    run: Any, db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    insert_mentions(db, [mention_row(text="kept safe")])
    db.close()
    folder = db_path.parent
    db_path.chmod(stat.S_IRUSR)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(db_path, os.W_OK):
            pytest.skip("this user can write read-only files (root)")
        code, out, err = run("mentions")
        assert code == 0 and "kept safe" in out and "damaged" not in err
        csv_file = write_csv(tmp_path.parent / f"{tmp_path.name}-x.csv", ["text"], [["new"]])
        code, out, err = run("import", str(csv_file))
        assert code == 2 and "read-only" in err and "Traceback" not in err
    finally:
        folder.chmod(stat.S_IRWXU)
        db_path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_13_read_only_detection_on_the_connection_level(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(db_path).close()
    monkeypatch.setattr(store_db, "_writable", lambda path: False)
    db = open_database(db_path)
    assert db.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    with pytest.raises(sqlite3.OperationalError, match="readonly") as info:
        insert_mentions(db, [mention_row()])
    known = store_db.explain_error(info.value, db_path)
    assert known is not None and "read-only" in str(known)


# --- 14: the program named once ---------------------------------------------------------------


def test_14_a_message_names_the_program_once(run: Any, db_path: Path) -> None:
    # "crisisdesk could not understand that search." was printed as "crisisdesk: crisisdesk ..."
    code, _, err = run("accounts", "add", "myspace", "--name", "x")
    assert code == 2 and "crisisdesk: crisisdesk" not in err and err.startswith("crisisdesk: ")


# --- 17: broken pipes ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["mentions", "analyze", "import"])
def test_17_output_piped_to_head_ends_without_a_traceback(tmp_path: Path, command: str) -> None:
    db_file = tmp_path / "db.sqlite3"
    db = open_database(db_file)
    insert_mentions(db, [mention_row() for _ in range(3000)])
    db.close()
    rows = [[f"row {n}", f"not-a-date {n}"] for n in range(3000)]
    csv_file = write_csv(tmp_path / "many.csv", ["text", "date"], rows)
    argv = {
        "mentions": ["mentions", "--limit", "3000"],
        "analyze": ["analyze"],
        "import": ["import", str(csv_file)],
    }[command]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    pipeline = (
        f"{sys.executable} -m crisisdesk --db {db_file} {' '.join(argv)} < {csv_file} | head -1"
    )
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline], capture_output=True, text=True, env=env,
        timeout=120,
    )  # fmt: skip
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    assert done.stdout.count("\n") == 1
    if command == "import":  # the import itself was not cut short
        assert open_database(db_file).execute("SELECT count(*) FROM mentions").fetchone()[0] > 0


# --- 19: --limit overflow ----------------------------------------------------------------------


def test_19_a_huge_limit_means_all(run: Any, db_path: Path) -> None:
    insert_mentions(open_database(db_path), [mention_row(text="only one")])
    code, out, err = run("mentions", "--limit", "99999999999999999999")
    assert code == 0 and "only one" in out and "Traceback" not in err


# --- the keyring chain (keyrings.alt beside a secure backend) ---------------------------------


class PlaintextKeyring(MemoryKeyring):
    """Stands in for keyrings.alt.file.PlaintextKeyring (refused by name)."""

    priority = 0.5  # type: ignore[assignment]


PlaintextKeyring.__module__ = "keyrings.alt.file"
PlaintextKeyring.__qualname__ = "PlaintextKeyring"


def test_keyring_chain_uses_the_secure_member_and_leaves_plaintext_out() -> None:
    secure, plain = MemoryKeyring(), PlaintextKeyring()
    previous = keyring.get_keyring()
    members = [secure, plain]

    class Chain(ChainerBackend):
        @property
        def backends(self) -> list[Any]:  # type: ignore[override]
            return members

    chain = Chain()
    keyring.set_keyring(chain)
    try:
        secrets.set_secret(secrets.account_key("a"), "tok-123")
        assert secrets.get_secret(secrets.account_key("a")) == "tok-123"
        assert secure.store and not plain.store
        members[:] = [plain]
        with pytest.raises(CredentialError, match="secure place"):
            secrets.set_secret(secrets.account_key("b"), "tok-456")
        assert not plain.store
    finally:
        keyring.set_keyring(previous)


def test_states_are_enums_not_texts() -> None:  # the error state of a failed sync stays FAILED
    assert AccountState.FAILED.value
