"""What every subcommand shares: --db and CRISISDESK_DB, refusing foreign files, --version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crisisdesk import __version__, paths
from crisisdesk.cli import main
from crisisdesk.store import open_database
from tests.helpers.builders import insert_mentions, mention_row

ROOT = Path(__file__).resolve().parents[3]


def _db_with(path: Path, text: str) -> Path:
    db = open_database(path)
    insert_mentions(db, [mention_row(text=text)])
    db.close()
    return path


def _texts(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    assert main(argv) == 0
    return [json.loads(line)["text"] for line in capsys.readouterr().out.splitlines()]


def test_db_flag_is_honoured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _db_with(tmp_path / "flag.sqlite3", "from the flag database")
    assert _texts(capsys, ["--db", str(path), "mentions", "--json"]) == ["from the flag database"]


def test_environment_variable_is_honoured_and_db_flag_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env_db = _db_with(tmp_path / "env.sqlite3", "from the environment database")
    flag_db = _db_with(tmp_path / "flag.sqlite3", "from the flag database")
    monkeypatch.setenv(paths.DB_ENV, str(env_db))

    assert _texts(capsys, ["mentions", "--json"]) == ["from the environment database"]
    assert _texts(capsys, ["--db", str(flag_db), "mentions", "--json"]) == [
        "from the flag database"
    ]


def test_default_database_lives_in_the_user_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert main(["demo", "--count", "5"]) == 0
    capsys.readouterr()
    expected = tmp_path / "xdg" / "crisisdesk" / paths.DB_FILENAME
    assert paths.database_path(None) == expected
    assert expected.is_file()


@pytest.mark.parametrize(
    "content",
    [b"just some notes\n", b"\x89PNG\r\n\x1a\n" + bytes(200), b"SQLite format 3\x00" + bytes(50)],
    ids=["text", "png", "damaged-sqlite"],
)
@pytest.mark.parametrize("command", [["mentions"], ["demo", "--count", "5"]])
def test_a_file_that_is_not_a_database_is_exit_2_and_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, command: list[str]
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)
    mtime = path.stat().st_mtime_ns

    assert main(["--db", str(path), *command]) == 2

    err = capsys.readouterr().err
    assert err.startswith(f"crisisdesk: {path}")
    assert "Nothing was changed" in err
    assert "Traceback" not in err
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_folder_as_database_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path), "mentions"]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"crisisdesk {__version__}"


def _run(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != paths.DB_ENV}
    if env_db is not None:
        env[paths.DB_ENV] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "crisisdesk", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def test_real_process_demo_mentions_and_errors(tmp_path: Path) -> None:
    db_path = tmp_path / "sub.sqlite3"

    version = _run("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"crisisdesk {__version__}")

    demo = _run("demo", "--count", "150", env_db=db_path)
    assert demo.returncode == 0, demo.stderr
    assert "Added 150 demo mentions" in demo.stdout

    listed = _run("--db", str(db_path), "mentions", "--json", "--limit", "5", "--complaints")
    assert listed.returncode == 0, listed.stderr
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 5
    assert all(r["complaint"] is True for r in rows)

    bad = _run("--db", str(db_path), "mentions", "--search", 'cake "')
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert "quote mark that is not closed" in bad.stderr
    assert "Traceback" not in bad.stderr

    notes = tmp_path / "notes.txt"
    notes.write_text("not a database")
    refused = _run("--db", str(notes), "mentions")
    assert refused.returncode == 2
    assert "is not a crisisdesk database" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert notes.read_text() == "not a database"


def test_context_opens_the_database_once_and_main_closes_it(tmp_path: Path) -> None:
    from crisisdesk.cli.common import Context

    path = _db_with(tmp_path / "ctx.sqlite3", "hello")
    ctx = Context(str(path))
    db = ctx.db
    assert ctx.db is db and db.execute("SELECT count(*) FROM mentions").fetchone() == (1,)
    ctx.close()
    ctx.close()  # twice is fine
    with pytest.raises(Exception, match="closed"):
        db.execute("SELECT 1")
    # the next use opens it again
    assert ctx.db.execute("SELECT count(*) FROM mentions").fetchone() == (1,)
    ctx.close()


def test_context_uses_the_client_factory_it_was_given() -> None:
    from crisisdesk.cli.common import Context
    from crisisdesk.sources.platforms.http import make_client

    def mine(**_kwargs: object) -> None:
        return None

    assert Context(client_factory=mine).clients() is mine
    assert Context().clients() is make_client


@pytest.mark.parametrize(("value", "ok"), [("1", True), ("50", True), ("0", False), ("x", False)])
def test_positive_int(value: str, ok: bool) -> None:
    import argparse

    from crisisdesk.cli.common import positive_int

    if ok:
        assert positive_int(value) == int(value)
    else:
        with pytest.raises(argparse.ArgumentTypeError, match="whole number of 1 or more"):
            positive_int(value)


def test_printable_removes_terminal_controls() -> None:
    from crisisdesk.cli.common import printable

    assert printable("a\x1b[31mred\u202eevil\nnext\tline") == "a [31mred evil next line"
