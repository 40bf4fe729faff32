"""``crisisdesk mentions``: every flag, JSON lines, plain output, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.cli import main
from crisisdesk.store import mentions, open_database
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot

JSON_FIELDS = {
    "id", "source", "external_id", "url", "author_handle", "created_at", "text", "sentiment",
    "label", "complaint", "priority", "status",
}  # fmt: skip

ROWS = {
    "late": dict(
        source="mastodon", text="My wedding cake never arrived", label="negative",
        complaint=True, sentiment=-0.6, priority=90, status="new",
        created_at="2026-11-01T09:00:00Z", author_handle="jo@eastbrook.example",
    ),
    "praise": dict(
        source="bluesky", text="Best sourdough in town 🍞", label="positive", sentiment=0.8,
        priority=10, status="resolved", created_at="2026-11-02T09:00:00Z",
    ),
    "question": dict(
        source="reddit", text="Are you open on Sunday?", label="neutral", sentiment=0.0,
        priority=30, status="open", created_at="2026-11-03T09:00:00Z",
    ),
    "rude": dict(
        source="x", text="Staff were rude, the cake was late", label="negative", complaint=True,
        sentiment=-0.5, priority=70, status="replied", created_at="2026-11-04T09:00:00Z",
    ),
    "html": dict(
        source="facebook", text="<b>worst</b> &amp; <script>alert(1)</script>\nsecond line",
        label="negative", sentiment=-0.3, priority=40, status="new",
        created_at="2026-11-05T09:00:00Z",
    ),
}  # fmt: skip


@pytest.fixture
def inbox(db_path: Path) -> dict[str, int]:
    db = open_database(db_path)
    ids = insert_mentions(db, [mention_row(**row) for row in ROWS.values()])
    db.close()
    return dict(zip(ROWS, ids, strict=True))


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    code = main([*args, "--json"])
    out = capsys.readouterr().out
    assert code == 0
    return [json.loads(line) for line in out.splitlines()]


def _names(found: list[dict[str, Any]], ids: dict[str, int]) -> list[str]:
    by_id = {v: k for k, v in ids.items()}
    return [by_id[m["id"]] for m in found]


def test_json_lines_have_the_documented_fields(
    db_path: Path, inbox: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    found = _json(capsys, "--db", str(db_path), "mentions")

    assert _names(found, inbox) == ["late", "rude", "html", "question", "praise"]  # priority
    for item in found:
        assert set(item) >= JSON_FIELDS
        assert isinstance(item["complaint"], bool)
        assert isinstance(item["sentiment"], float)
    late = found[0]
    assert late["text"] == ROWS["late"]["text"]
    assert late["author_handle"] == "jo@eastbrook.example"
    assert (late["label"], late["complaint"], late["status"]) == ("negative", True, "new")
    html_item = next(m for m in found if m["id"] == inbox["html"])
    assert html_item["text"] == ROWS["html"]["text"]  # exactly as stored, nothing rendered


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--search", "cake"], {"late", "rude"}),
        (["--search", '"never arrived"'], {"late"}),
        (["--search", "cake -rude"], {"late"}),
        (["--search", "sunday OR sourdough"], {"question", "praise"}),
        (["--search", "🍞"], {"praise"}),
        (["--search", "NEAR(cake"], set()),  # operators are plain words
        (["--label", "negative"], {"late", "rude", "html"}),
        (["--label", "neutral"], {"question"}),
        (["--complaints"], {"late", "rude"}),
        (["--status", "new"], {"late", "html"}),
        (["--status", "new", "--status", "open"], {"late", "html", "question"}),
        (["--source", "x"], {"rude"}),
        (["--source", "x", "--source", "bluesky"], {"rude", "praise"}),
        (["--source", "myspace"], set()),
        (["--since", "2026-11-03"], {"question", "rude", "html"}),
        (["--until", "2026-11-02T09:00:00Z"], {"late"}),
        (["--since", "2026-11-02", "--until", "2026-11-04"], {"praise", "question"}),
        (["--since", "Mon, 02 Nov 2026 10:00:00 +0100"], {"praise", "question", "rude", "html"}),
        (["--since", "1793610000"], {"praise", "question", "rude", "html"}),  # 2026-11-02T09:00Z
        (["--complaints", "--status", "new", "--label", "negative"], {"late"}),
    ],
)
def test_filters(
    db_path: Path,
    inbox: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: set[str],
) -> None:
    found = _json(capsys, "--db", str(db_path), "mentions", *args)
    assert set(_names(found, inbox)) == expected


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("priority", ["late", "rude", "html", "question", "praise"]),
        ("newest", ["html", "rude", "question", "praise", "late"]),
        ("oldest", ["late", "praise", "question", "rude", "html"]),
        ("most_negative", ["late", "rude", "html", "question", "praise"]),
        ("most_positive", ["praise", "question", "html", "rude", "late"]),
    ],
)
def test_sort(
    db_path: Path,
    inbox: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    sort: str,
    order: list[str],
) -> None:
    found = _json(capsys, "--db", str(db_path), "mentions", "--sort", sort)
    assert _names(found, inbox) == order


def test_limit(db_path: Path, inbox: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    found = _json(capsys, "--db", str(db_path), "mentions", "--limit", "2")
    assert _names(found, inbox) == ["late", "rude"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--search", '"cake'], "quote mark that is not closed"),
        (["--search", "cake OR"], "OR needs a word on each side"),
        (["--search=-cake"], "not only excluded words"),
    ],
)
def test_malformed_search_is_exit_2_with_a_message(
    db_path: Path,
    inbox: dict[str, int],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    db = open_database(db_path)
    before = table_snapshot(db)
    db.close()

    code = main(["--db", str(db_path), "mentions", *args])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith("crisisdesk: ")
    assert message in captured.err
    assert "Traceback" not in captured.err
    db = open_database(db_path)
    assert table_snapshot(db) == before
    db.close()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "the day before"], "argument --since: 'the day before' is not a date"),
        (["--until", "2026-02-30"], "argument --until: '2026-02-30' is not a date"),
        (["--since", "10:00 CET"], "time zone 'CET' is not known"),
        (["--limit", "0"], "argument --limit: '0' is not a whole number of 1 or more"),
        (["--limit", "-1"], "argument --limit: '-1' is not a whole number"),
        (["--limit", "ten"], "argument --limit: 'ten' is not a whole number"),
        (["--label", "angry"], "argument --label: invalid choice: 'angry'"),
        (["--status", "deleted"], "argument --status: invalid choice: 'deleted'"),
        (["--sort", "random"], "argument --sort: invalid choice"),
    ],
)
def test_bad_arguments_are_usage_errors(
    db_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--db", str(db_path), "mentions", *args])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert message in err
    assert "Traceback" not in err
    assert not db_path.exists()  # rejected before the database was even opened


def test_plain_output_is_one_safe_line_per_mention(
    db_path: Path, inbox: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    (evil,) = insert_mentions(
        db,
        [
            mention_row(
                text="clear\x1b[2J screen \u202eevil\u202c " + "long " * 30,
                author_handle="a\x07b",
                priority=99,
                complaint=True,
                label="negative",
            )
        ],
    )
    db.close()

    code = main(["--db", str(db_path), "mentions"])

    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()[1:]  # after the header row
    assert len(lines) == 6
    first = lines[0]
    assert first.split()[0] == str(evil)
    assert " 99 negative  complaint " in first
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert first.endswith("…") and len(first.split(" @", 1)[1]) < 110
    html_line = next(line for line in lines if line.split()[0] == str(inbox["html"]))
    assert "<b>worst</b> &amp; <script>alert(1)</script> second line" in html_line
    assert " @jo@eastbrook.example " in out  # whole handles
    assert "2026-11-01T09:00 mastodon" in out


def test_no_match_says_so_on_stderr(
    db_path: Path, inbox: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "mentions", "--search", "zebra"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "No mentions match." in captured.err
    assert main(["--db", str(db_path), "mentions", "--search", "zebra", "--json"]) == 0
    assert capsys.readouterr() == ("", "")  # JSON consumers get an empty stream


def test_empty_database(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "mentions", "--json"]) == 0
    assert capsys.readouterr().out == ""
    db = open_database(db_path)
    assert mentions.count(db) == 0
    db.close()


# --- issue 9.25: what an owner tried ------------------------------------------------------------


def test_plain_listing_has_a_header_whole_handles_and_words_not_markers(
    db_path: Path, capsys
) -> None:
    long_handle = "someone.with.a.long.name@bakery-fans.example"
    db = open_database(db_path)
    insert_mentions(db, [mention_row(author_handle=long_handle, complaint=True, priority=81)])
    db.close()
    assert main(["--db", str(db_path), "mentions"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[:4] == ["ID", "PRI", "SENTIMENT", "COMPLAINT"]
    assert "AUTHOR" in header and "TEXT" in header
    assert f"@{long_handle}" in row
    assert "81!" not in row and " 81 " in row and "complaint" in row


def test_since_today_and_status_needs_reply_are_accepted(db_path: Path, capsys) -> None:
    from crisisdesk.timeutil import now_utc, to_iso

    db = open_database(db_path)
    insert_mentions(
        db,
        [
            mention_row(text="fresh open", status="open", created_at=to_iso(now_utc())),
            mention_row(text="fresh done", status="resolved", created_at=to_iso(now_utc())),
            mention_row(text="old new", status="new", created_at="2020-01-01T09:00:00Z"),
        ],
    )
    db.close()
    args = ["--db", str(db_path), "mentions", "--json"]
    assert main([*args, "--since", "today", "--status", "needs-reply"]) == 0
    texts = [json.loads(line)["text"] for line in capsys.readouterr().out.splitlines()]
    assert texts == ["fresh open"]


def test_an_empty_database_points_to_demo_and_import(db_path: Path, capsys) -> None:
    open_database(db_path).close()
    assert main(["--db", str(db_path), "mentions"]) == 0
    err = capsys.readouterr().err
    assert "crisisdesk demo" in err and "crisisdesk import" in err


def test_search_with_a_leading_minus_needs_no_equals_sign(db_path: Path, capsys) -> None:
    db = open_database(db_path)
    insert_mentions(db, [mention_row(text="cake was late"), mention_row(text="bread was fine")])
    db.close()
    base = ["--db", str(db_path), "mentions", "--json"]
    results = []
    for args in (["--search", "-cake"], ["--search=-cake"]):
        code = main([*base, *args])
        results.append((code, capsys.readouterr()))
    # argparse no longer takes "-cake" for an option: both spellings get the same answer
    assert results[0] == results[1]
    assert "expected one argument" not in results[0][1].err
