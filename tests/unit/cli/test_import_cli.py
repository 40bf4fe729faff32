"""``crisisdesk import FILE...`` through cli.main on a real database file.

Exit codes: 0 all rows imported, 1 some rows (or some files) skipped, 2 nothing could be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from crisisdesk.cli import main
from crisisdesk.store import mentions, open_database
from tests.helpers.builders import table_snapshot, write_csv


@pytest.fixture
def run(db_path: Path, capsys: Any) -> Any:
    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "import", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def stored(db_path: Path) -> list[tuple[str, str]]:
    db = open_database(db_path)
    try:
        return [(m.source, m.text) for m in mentions.query(db, sort="oldest", limit=100)]
    finally:
        db.close()


@pytest.fixture
def good(tmp_path: Path) -> Path:
    rows = [["1", "Lovely croissants", "ann", "2026-01-02 10:00"],
            ["2", "Order never came", "bob", "2026-01-02 11:00"]]  # fmt: skip
    return write_csv(tmp_path / "good.csv", ["id", "Message", "User", "Date"], rows)


@pytest.fixture
def partly_bad(tmp_path: Path) -> Path:
    rows = [["fine", "2026-01-02"], ["", "2026-01-02"], ["bad date", "soon-ish"]]
    return write_csv(tmp_path / "partly.csv", ["text", "date"], rows)


@pytest.fixture
def unreadable(tmp_path: Path) -> Path:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    return path


def test_success_prints_counts_and_columns(run: Any, good: Path, db_path: Path) -> None:
    code, out, err = run(str(good))

    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "good.csv: 2 imported, 0 duplicates (already stored), 0 skipped (CSV, comma-separated,"
        " UTF-8)."
    )
    assert lines[1] == 'Columns used: "id" → id, "Message" → text, "User" → author, "Date" → date.'
    assert stored(db_path) == [("import", "Lovely croissants"), ("import", "Order never came")]


def test_reimport_prints_duplicates(run: Any, good: Path) -> None:
    run(str(good))
    code, out, _ = run(str(good))
    assert code == 0
    assert "good.csv: 0 imported, 2 duplicates (already stored), 0 skipped" in out


def test_skipped_rows_are_listed_and_exit_1(run: Any, partly_bad: Path, db_path: Path) -> None:
    code, out, _ = run(str(partly_bad))

    assert code == 1
    assert "partly.csv: 1 imported, 0 duplicates (already stored), 2 skipped" in out
    assert "  line 3: the text is empty" in out.splitlines()
    assert "  line 4: the date 'soon-ish' is not a date crisisdesk understands" in out.splitlines()
    assert stored(db_path) == [("import", "fine")]


def test_unreadable_file_exit_2_with_message_and_nothing_written(
    run: Any, unreadable: Path, db_path: Path
) -> None:
    db = open_database(db_path)
    before = table_snapshot(db)
    db.close()

    code, out, err = run(str(unreadable))

    assert code == 2
    assert out == ""
    assert err.startswith(f"{unreadable}: photo.csv is a picture, not a CSV or JSON file.")
    assert "CSV or JSON export" in err  # the hint
    db = open_database(db_path)
    assert table_snapshot(db) == before
    db.close()


def test_missing_file_exit_2(run: Any, tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "nowhere.csv"))
    assert code == 2
    assert "nowhere.csv does not exist" in err


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["good", "partly_bad"], 1),
        (["good", "unreadable"], 1),
        (["unreadable", "unreadable"], 2),
        (["good", "good"], 0),
    ],
)
def test_several_files(
    run: Any, request: pytest.FixtureRequest, names: list[str], expected: int
) -> None:
    paths = [request.getfixturevalue(n) for n in names]

    code, out, err = run(*map(str, paths))

    assert code == expected
    for name, path in zip(names, paths, strict=True):
        shown = err if name == "unreadable" else out
        assert path.name in shown


def test_warnings_are_printed(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("text;author\nTrès déçu;zoë\n".encode("cp1252"))

    code, out, _ = run(str(path))

    assert code == 0
    assert "  warning: Read as Windows-1252 because it is not valid UTF-8" in out


def test_source_option_names_the_platform(run: Any, good: Path, db_path: Path) -> None:
    code, _, _ = run("--source", "Facebook", str(good))
    assert code == 0
    assert {s for s, _ in stored(db_path)} == {"facebook"}
