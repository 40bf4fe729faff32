"""``crisisdesk demo [--count N]``: adds the bakery dataset once, refuses silly counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from crisisdesk.cli import main
from crisisdesk.store import open_database
from tests.helpers.builders import table_snapshot


def _count(db_path: Path) -> int:
    db = open_database(db_path)
    try:
        return int(db.execute("SELECT count(*) FROM mentions").fetchone()[0])
    finally:
        db.close()


def test_demo_adds_the_requested_count_once(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "demo", "--count", "120"]) == 0
    out = capsys.readouterr().out
    assert "Added 120 demo mentions for Maple & Rye Bakery" in out
    assert _count(db_path) == 120

    assert main(["--db", str(db_path), "demo", "--count", "120"]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert _count(db_path) == 120


def test_demo_then_mentions_shows_the_backlash(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "demo", "--count", "400"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "mentions", "--search", "wedding cake", "--json"]) == 0
    assert len(capsys.readouterr().out.splitlines()) >= 10


@pytest.mark.parametrize(
    ("count", "message"),
    [("0", "demo data can have 1 to"), ("100001", "demo data can have 1 to")],
)
def test_impossible_count_is_exit_2_and_writes_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str], count: str, message: str
) -> None:
    assert main(["--db", str(db_path), "demo", "--count", count]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crisisdesk: ") and message in err
    assert "Traceback" not in err
    db = open_database(db_path)
    assert table_snapshot(db) == []
    db.close()


def test_count_that_is_not_a_number_is_a_usage_error(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--db", str(db_path), "demo", "--count", "lots"])
    assert info.value.code == 2
    assert "argument --count" in capsys.readouterr().err
    assert not db_path.exists()
