"""import_file on messy real-world files: encodings, delimiters, JSON flavours, bad rows.

Every file that cannot be read must raise ImportFileError and leave the stored rows exactly as
they were; every bad row must be reported with its physical line number and a reason.
"""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.errors import ImportFileError
from crisisdesk.services import triage
from crisisdesk.services.importing import MAX_LISTED_PROBLEMS, ImportReport, import_file
from crisisdesk.store import mentions
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot, write_csv

HEADER = ["id", "text", "author", "created_at", "likes"]


@pytest.fixture
def stored(db: Any) -> list[tuple[Any, ...]]:
    """Three mentions already in the database; the snapshot must survive any bad import."""
    insert_mentions(db, [mention_row(text=f"already stored {n}") for n in range(3)])
    return table_snapshot(db)


def stored_texts(db: Any) -> list[str]:
    return [r[0] for r in db.execute("SELECT text FROM mentions ORDER BY id")]


def imported(db: Any, source: str = "import") -> list[mentions.Mention]:
    flt = mentions.MentionFilter(sources=(source,))
    return mentions.query(db, flt, sort="oldest", limit=1000)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def assert_unchanged(db: Any, snapshot: list[tuple[Any, ...]]) -> None:
    assert table_snapshot(db) == snapshot
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- encodings ----------------------------------------------------------------------------


def test_utf8_bom_is_not_part_of_the_first_column_name(db: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bom.csv", ["text", "author"], [["Lovely bread", "ann"]],
                     encoding="utf-8-sig")  # fmt: skip
    assert path.read_bytes().startswith(codecs.BOM_UTF8)

    report = import_file(db, path)

    assert report.encoding == "utf-8-sig"
    assert report.columns["text"] == "text"
    assert report.imported == 1
    assert not [w for w in report.warnings if "Windows-1252" in w]
    assert stored_texts(db) == ["Lovely bread"]


def test_cp1252_file_is_read_with_a_warning(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "excel.csv", "text;author\nCafé crème – très bon € 5;zoë\n", "cp1252")

    report = import_file(db, path)

    assert report.encoding == "cp1252"
    assert any("Windows-1252" in w for w in report.warnings)
    [m] = imported(db)
    assert m.text == "Café crème – très bon € 5"
    assert m.author_handle == "zoë"


def test_utf16_with_bom(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "u16.csv", "text\tauthor\nGrüße aus Köln 🥐\tjo\n", "utf-16")

    report = import_file(db, path)

    assert (report.encoding, report.delimiter, report.imported) == ("utf-16", "\t", 1)
    assert stored_texts(db) == ["Grüße aus Köln 🥐"]


# --- delimiters ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_sniffed(db: Any, tmp_path: Path, delimiter: str) -> None:
    rows = [["1", "Late again, cold again; why?", "ann", "2026-01-02 10:00", "3"],
            ["2", "Great | lovely\tbread", "bob", "2026-01-03T09:00:00+01:00", "0"]]  # fmt: skip
    path = write_csv(tmp_path / "d.csv", HEADER, rows, delimiter=delimiter)

    report = import_file(db, path)

    assert report.delimiter == delimiter
    assert report.imported == 2 and report.skipped == 0
    first, second = imported(db)
    assert first.text == "Late again, cold again; why?"
    assert second.text == "Great | lovely\tbread"
    assert second.created_at == "2026-01-03T08:00:00Z"


def test_semicolon_file_with_commas_in_unquoted_text(db: Any, tmp_path: Path) -> None:
    text = "text;author;likes\nOrdered, paid, never came;ann;1.234\nFine, thanks;bob;2\n"
    report = import_file(db, write(tmp_path / "semi.csv", text))

    assert report.delimiter == ";"
    assert [m.text for m in imported(db)] == ["Ordered, paid, never came", "Fine, thanks"]
    assert imported(db)[0].likes == 1234


# --- files that cannot be read: clear error, nothing written ------------------------------


def test_missing_text_column_names_the_columns(
    db: Any, tmp_path: Path, stored: list[tuple[Any, ...]]
) -> None:
    path = write_csv(tmp_path / "no_text.csv", ["id", "author", "when"], [["1", "ann", "now"]])

    with pytest.raises(ImportFileError) as err:
        import_file(db, path)

    assert "no column with the text" in str(err.value)
    assert '"author"' in str(err.value)
    assert "message" in err.value.hint
    assert_unchanged(db, stored)


@pytest.mark.parametrize("content", [b"", b"   \n\r\n  "], ids=["zero_bytes", "blank_lines"])
def test_empty_file(db: Any, tmp_path: Path, stored: list[tuple[Any, ...]], content: bytes) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError, match="empty"):
        import_file(db, path)
    assert_unchanged(db, stored)


def test_binary_garbage(db: Any, tmp_path: Path, stored: list[tuple[Any, ...]]) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(random.Random(4).randbytes(20_000))

    with pytest.raises(ImportFileError, match="not look like a text file"):
        import_file(db, path)
    assert_unchanged(db, stored)


def test_excel_workbook_gets_a_save_as_csv_hint(
    db: Any, tmp_path: Path, stored: list[tuple[Any, ...]]
) -> None:
    path = tmp_path / "mentions.csv"  # named .csv, but a zip inside
    path.write_bytes(b"PK\x03\x04" + random.Random(1).randbytes(500))

    with pytest.raises(ImportFileError, match="Excel") as err:
        import_file(db, path)
    assert "CSV" in err.value.hint
    assert_unchanged(db, stored)


def test_missing_file_and_folder(db: Any, tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="does not exist"):
        import_file(db, tmp_path / "nope.csv")
    with pytest.raises(ImportFileError, match="folder"):
        import_file(db, tmp_path)


def test_broken_json_array_writes_nothing(
    db: Any, tmp_path: Path, stored: list[tuple[Any, ...]]
) -> None:
    good = ",\n".join(json.dumps({"text": f"post {n}"}) for n in range(3000))
    path = write(tmp_path / "broken.json", f'[\n{good},\n{{"text": "cut off\n')

    with pytest.raises(ImportFileError, match=r"not valid JSON.*line 3002") as err:
        import_file(db, path, workers=1)
    assert "Nothing from this file was stored" in err.value.hint
    assert_unchanged(db, stored)


def test_json_that_is_not_a_list_of_posts(db: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "obj.json", '{\n  "data": {"text": "hi"}\n}\n')
    with pytest.raises(ImportFileError, match="not like a list of posts"):
        import_file(db, path)


# --- big cells ----------------------------------------------------------------------------


def test_50_mb_field_skips_that_row_only(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("text,author\n")
        fh.write("before the big one,ann\n")
        fh.write('"' + "x" * (50 * 1024 * 1024) + '",bob\n')
        fh.write('"after it, with a\nquoted newline",cy\n')

    report = import_file(db, path)

    assert report.imported == 2
    [problem] = report.problems
    assert problem.line == 3
    assert "is 52,428,8" in problem.reason and "characters long" in problem.reason
    assert stored_texts(db) == ["before the big one", "after it, with a\nquoted newline"]


def test_unclosed_quote_swallowing_the_file_is_explained(db: Any, tmp_path: Path) -> None:
    lines = ["text,author", '"this quote is never closed,ann']
    lines += [f"row {n} that is swallowed {'x' * 2000},bob" for n in range(200)]
    report = import_file(db, write(tmp_path / "q.csv", "\n".join(lines) + "\n"))

    assert report.imported == 0
    [problem] = report.problems
    assert problem.line == 2
    assert "quote mark that is never closed" in problem.reason


# --- duplicates ---------------------------------------------------------------------------


def test_duplicate_rows_in_file_and_on_reimport(db: Any, tmp_path: Path) -> None:
    rows = [["Where is my order?", "ann", "2026-01-02 10:00"],
            ["Where is my order?", "ann", "2026-01-02 10:00"],  # same post twice
            ["Where is my order?", "bob", "2026-01-02 10:00"]]  # fmt: skip
    path = write_csv(tmp_path / "dups.csv", ["text", "author", "date"], rows)

    first = import_file(db, path)
    assert (first.imported, first.duplicates, first.skipped) == (2, 1, 0)
    snapshot = table_snapshot(db)

    again = import_file(db, path)
    assert (again.imported, again.duplicates) == (0, 3)
    assert table_snapshot(db) == snapshot


def test_reimport_without_date_column_adds_nothing(db: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nodate.csv", ["message"], [["one"], ["two"]])

    first = import_file(db, path)
    second = import_file(db, path)

    assert (first.imported, second.imported, second.duplicates) == (2, 0, 2)
    assert any("no date column" in w for w in first.warnings)


def test_id_column_keys_duplicates_per_platform(db: Any, tmp_path: Path) -> None:
    rows = [["7", "x", "first"], ["7", "reddit", "same id, other platform"], ["7", "x", "first"],
            ["7", "x", "again"]]  # fmt: skip
    path = write_csv(tmp_path / "ids.csv", ["id", "platform", "text"], rows)

    report = import_file(db, path)

    # the same id and text twice is one mention; a different text under a taken id is not
    # (issue 8, defect 1: it is kept apart, never dropped as a duplicate)
    assert (report.imported, report.duplicates, report.kept_apart) == (3, 1, 1)
    got = {(m.source, m.external_id, m.text) for m in mentions.query(db, limit=10)}
    assert ("x", "7", "first") in got and ("reddit", "7", "same id, other platform") in got
    assert any(t == "again" and i.startswith("7~") for _, i, t in got)


# --- JSON and NDJSON ----------------------------------------------------------------------


def test_json_array_with_nested_user_and_bad_items(db: Any, tmp_path: Path) -> None:
    content = (
        "[\n"
        '  {"id": 1, "full_text": "Best bakery", "user": {"screen_name": "ann",\n'
        '    "name": "Ann A", "followers_count": 1200}, "favorite_count": 4},\n'
        '  {"id": 2, "full_text": ""},\n'
        "  42,\n"
        '  {"id": 3, "full_text": "Stale\\nbread",\n'
        '   "created_at": "Wed Jan 07 10:00:00 +0000 2026"}\n'
        "]\n"
    )
    report = import_file(db, write(tmp_path / "tweets.txt", content))

    assert report.format == "json"
    assert report.imported == 2
    assert [(p.line, p.reason) for p in report.problems] == [
        (4, "the text is empty"),
        (5, "the item is int, not an object with fields"),
    ]
    assert report.columns["author_handle"] == "user.screen_name"
    assert report.columns["author_followers"] == "user.followers_count"
    best, stale = sorted(imported(db), key=lambda m: m.external_id)
    assert (best.author_handle, best.author_name, best.author_followers, best.likes) == (
        "ann", "Ann A", 1200, 4)  # fmt: skip
    assert stale.created_at == "2026-01-07T10:00:00Z"
    assert json.loads(mentions.get_raw(db, best.id) or "")["user"]["name"] == "Ann A"


def test_ndjson_with_a_bad_line(db: Any, tmp_path: Path) -> None:
    lines = [json.dumps({"text": "first", "handle": "@ann"}),
             "",
             '{"text": "broken", ',
             json.dumps(["not", "an", "object"]),
             json.dumps({"text": "last", "likes": "12", "network": "Mastodon"})]  # fmt: skip
    report = import_file(db, write(tmp_path / "m.json", "\r\n".join(lines) + "\r\n"))

    assert report.format == "ndjson"
    assert report.imported == 2
    assert [p.line for p in report.problems] == [3, 4]
    assert "not valid JSON" in report.problems[0].reason
    assert imported(db)[0].author_handle == "ann"
    [last] = imported(db, "mastodon")
    assert last.likes == 12


def test_format_is_detected_by_content_not_name(db: Any, tmp_path: Path) -> None:
    ndjson_named_csv = write(tmp_path / "a.csv", '{"text": "hello"}\n{"text": "there"}\n')
    csv_named_json = write(tmp_path / "b.json", "text,author\nhi,ann\n")

    assert import_file(db, ndjson_named_csv).format == "ndjson"
    assert import_file(db, csv_named_json).format == "csv"
    assert len(stored_texts(db)) == 3


# --- line numbers, rows with errors -------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_quoted_newlines_report_physical_line_of_row_start(
    db: Any, tmp_path: Path, newline: str
) -> None:
    lines = ["text,author,date",                   # 1
             '"three line post:', "second", 'third",ann,2026-01-02',  # 2-4
             "",                                   # 5 blank
             "fine,bob,2026-01-02",                # 6
             '"two line post', 'with a bad date",cy,someday',  # 7-8
             ",dee,2026-01-02"]  # fmt: skip
    report = import_file(db, write(tmp_path / "nl.csv", newline.join(lines) + newline))

    assert report.imported == 2
    assert [(p.line, p.reason) for p in report.problems] == [
        (7, "the date 'someday' is not a date crisisdesk understands"),
        (9, "the text is empty"),
    ]
    assert stored_texts(db)[0] == f"three line post:{newline}second{newline}third".replace(
        "\r\n", "\r\n"
    )


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("many", "likes 'many' is not a number"),
        ("-4", "likes cannot be negative (-4)"),
        ("nan", "likes 'nan' is not a number"),
    ],
)
def test_a_count_that_is_no_number_is_a_warning_and_0_not_a_lost_row(
    db: Any, tmp_path: Path, cell: str, reason: str
) -> None:
    # issue 8: a post is never lost over its like count
    path = write_csv(tmp_path / "c.csv", ["text", "likes"], [["ok", "1"], ["bad", cell]])
    report = import_file(db, path)
    assert (report.imported, report.skipped) == (2, 0)
    assert {m.text: m.likes for m in imported(db)} == {"ok": 1, "bad": 0}
    assert any(f"line 3: {reason}" in w and "read as 0" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("cell", "count"), [("1,234", 1234), ("1.2K", 1200), ("3m", 3_000_000), ("7.0", 7), ("", 0)]
)
def test_counts_people_write(db: Any, tmp_path: Path, cell: str, count: int) -> None:
    import_file(db, write_csv(tmp_path / "n.csv", ["text", "Retweets"], [["t", cell]]))
    assert imported(db)[0].reposts == count


def test_row_with_too_many_cells(db: Any, tmp_path: Path) -> None:
    report = import_file(db, write(tmp_path / "w.csv", "text,author\nok,ann\nsplit,by,comma\n"))
    assert report.imported == 1
    assert report.problems[0].line == 3
    assert "3 cells but there are 2 column names" in report.problems[0].reason


def test_only_web_links_are_kept(db: Any, tmp_path: Path) -> None:
    rows = [["a", "https://x.example/1"], ["b", "javascript:alert(1)"]]
    report = import_file(db, write_csv(tmp_path / "u.csv", ["text", "link"], rows))
    assert [m.url for m in imported(db)] == ["https://x.example/1", None]
    assert any("not a web address" in w for w in report.warnings)


def test_problem_list_is_capped_but_count_is_exact(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crisisdesk.services.importing as files

    monkeypatch.setattr(files, "MAX_LISTED_PROBLEMS", 5)
    rows = [["", "ann"]] * 12 + [["fine", "bob"]]
    report = import_file(db, write_csv(tmp_path / "p.csv", ["text", "author"], rows))
    assert (report.imported, report.skipped, len(report.problems)) == (1, 12, 5)
    assert any("first 5 of 12" in w for w in report.warnings)
    assert MAX_LISTED_PROBLEMS >= 1000


# --- column mapping and text --------------------------------------------------------------


def test_column_mapping_is_reported(db: Any, tmp_path: Path) -> None:
    header = ["Post ID", "Message", "User Name", "Display Name", "Posted At", "Permalink",
              "Network", "Favorites", "Shares", "Comments", "Followers", "Mood"]  # fmt: skip
    row = ["p1", "Thanks!", "@ann", "Ann", "2026-02-03 04:05", "https://m.example/p1",
           "Bluesky", "1", "2", "3", "400", "happy"]  # fmt: skip
    report = import_file(db, write_csv(tmp_path / "export.csv", header, [row]))

    assert report.columns == {
        "text": "Message", "author_handle": "User Name", "author_name": "Display Name",
        "created_at": "Posted At", "url": "Permalink", "external_id": "Post ID",
        "source": "Network", "likes": "Favorites", "reposts": "Shares", "replies": "Comments",
        "author_followers": "Followers",
    }  # fmt: skip
    summary = report.summary_text()
    assert summary.startswith("export.csv: 1 imported, 0 duplicates (already stored), 0 skipped")
    assert '"Message" → text' in summary and '"Posted At" → date' in summary
    [m] = imported(db, "bluesky")
    assert (m.external_id, m.author_handle, m.author_name, m.likes, m.reposts, m.replies,
            m.author_followers, m.created_at) == (
        "p1", "ann", "Ann", 1, 2, 3, 400, "2026-02-03T04:05:00Z")  # fmt: skip
    assert json.loads(mentions.get_raw(db, m.id) or "")["Mood"] == "happy"


def test_html_is_stored_as_plain_text_with_original_in_raw(db: Any, tmp_path: Path) -> None:
    html = (
        "<p>Cake was <b>stale</b> &amp; late<br>again</p><p>@bakery "
        '<a href="https://x.example" class="mention">#fail</a></p><script>alert(1)</script>'
    )
    rows = [[html], ["I <3 your bread & cakes"], ["Fish &amp; chips"]]
    import_file(db, write_csv(tmp_path / "h.csv", ["content"], rows))

    stale, heart, fish = imported(db)
    assert stale.text == "Cake was stale & late\nagain\n\n@bakery #fail"
    assert json.loads(mentions.get_raw(db, stale.id) or "")["content"] == html
    assert heart.text == "I <3 your bread & cakes"
    assert fish.text == "Fish & chips"


def test_scores_are_stored(db: Any, tmp_path: Path) -> None:
    from crisisdesk.analysis.sentiment import analyze

    text = "Ordered a cake for Saturday and it never showed up. Nobody answers the phone."
    import_file(db, write_csv(tmp_path / "s.csv", ["text"], [[text], ["Lovely, thank you!"]]))

    complaint, praise = imported(db)
    expected = analyze(text)
    assert (complaint.sentiment, complaint.label, complaint.complaint, complaint.cues) == (
        expected.sentiment, "negative", True, expected.cues)  # fmt: skip
    assert praise.label == "positive" and not praise.complaint
    assert complaint.priority > praise.priority


def test_imported_text_is_searchable(db: Any, tmp_path: Path) -> None:
    import_file(db, write_csv(tmp_path / "f.csv", ["text"], [["sourdough was burnt"], ["fine"]]))
    found = mentions.query(db, mentions.MentionFilter(search="sourdough"))
    assert [m.text for m in found] == ["sourdough was burnt"]


def test_progress_reaches_total(db: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", ["text"], [[f"post {n}"] for n in range(4500)])
    calls: list[tuple[int, int]] = []

    report = import_file(db, path, workers=1, progress=lambda d, t: calls.append((d, t)) or True)

    assert report.imported == 4500
    total = path.stat().st_size
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert calls[0][0] == 0 and calls[-1][0] == total
    assert len(calls) >= 4


def test_report_is_what_the_cli_and_dialog_read(db: Any, tmp_path: Path) -> None:
    report = import_file(db, write_csv(tmp_path / "r.csv", ["text"], [["x"]]))
    assert isinstance(report, ImportReport)
    assert (report.path, report.format, report.encoding) == (tmp_path / "r.csv", "csv", "utf-8")


@pytest.mark.parametrize("word", ["common", "rare"])
@pytest.mark.parametrize("sort", ["priority", "newest", "most_negative"])
def test_search_with_filters_pages_like_python_would(db: Any, tmp_path: Path, word: str,
                                                      sort: str) -> None:  # fmt: skip
    # "common" is in every 2nd post (the store walks the sort index), "rare" in every 97th
    # (the store loops over the matches): both plans must give the same pages as Python
    rows = []
    for n in range(3000):
        words = ["common"] if n % 2 else []
        words += ["rare"] if n % 97 == 0 else []
        kind = ["Never arrived, want a refund", "Lovely bread", "Is it open"][n % 3]
        rows.append([f"{kind} {' '.join(words)} #{n}", f"2026-01-01T00:00:{n % 60:02d}Z"])
    import_file(db, write_csv(tmp_path / "s.csv", ["text", "date"], rows), workers=1)
    triage.set_status(db, range(1, 3001, 5), "resolved")
    everything = mentions.query(db, limit=5000, sort=sort)
    assert len(everything) == 3000

    for flt in [
        mentions.MentionFilter(search=word),
        mentions.MentionFilter(search=word, statuses=("new", "open")),
        mentions.MentionFilter(search=word, complaints_only=True),
        mentions.MentionFilter(search=word, label="positive", statuses=("resolved",)),
    ]:
        expected = [
            m for m in everything
            if word in m.text.split()
            and (not flt.statuses or m.status in flt.statuses)
            and (not flt.complaints_only or m.complaint)
            and (not flt.label or m.label == flt.label)
        ]  # fmt: skip
        assert expected, flt
        pages = [mentions.query(db, flt, sort=sort, limit=20, offset=o) for o in (0, 20)]
        assert [m.id for m in pages[0] + pages[1]] == [m.id for m in expected[:40]]
        assert mentions.count(db, flt) == len(expected)


def test_opening_a_csv_raises_the_csv_field_limit_explicitly(tmp_path: Path) -> None:
    import csv

    from crisisdesk.sources.files import formats

    before = csv.field_size_limit(128 * 1024)
    try:
        path = write_csv(tmp_path / "f.csv", ["text"], [["hello"]])
        formats.open_reader(path, "utf-8", "csv").close()
        assert csv.field_size_limit() == formats.CSV_FIELD_LIMIT
    finally:
        csv.field_size_limit(before)
