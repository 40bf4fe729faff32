"""Hypothesis-generated CSV files: the importer never crashes with anything but ImportFileError,
never loses or alters rows stored before, and importing the same file twice adds nothing."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisdesk.errors import ImportFileError
from crisisdesk.services.importing import import_file
from crisisdesk.store import open_database
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot

KNOWN_NAMES = ["text", "Message", "CONTENT", " body ", "author", "User Name", "handle", "date",
               "created_at", "Timestamp", "time", "likes", "retweets", "Comments", "followers",
               "id", "platform", "url", "link", "display name", ""]  # fmt: skip
TRICKY_CELLS = ["", " ", "12", "1,234", "1.2K", "-3", "nan", "1e400", "2026-01-02",
                "2026-02-30", "0", "99999999999999999999", "notadate", "<p>hi &amp; bye</p>",
                '"', '""', "a,b;c\td|e", "line\nbreak", "\r\n", "@", "javascript:x",
                "https://example.com/x", "€ café ✓", "🥐😡", "\x00", "\x1b[31m", "]",
                "{"]  # fmt: skip

printable = st.characters(exclude_categories=["Cc", "Cs"])
names = st.one_of(st.sampled_from(KNOWN_NAMES), st.text(printable, max_size=12))
# mostly printable text (real exports), sometimes anything at all (control characters...)
cells = st.one_of(
    st.sampled_from(TRICKY_CELLS), st.text(printable, max_size=40), st.text(max_size=8)
)


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    header = draw(st.lists(names, max_size=5))
    if draw(st.integers(0, 3)):  # mostly with a text column, so rows get imported too
        header.insert(draw(st.integers(0, len(header))), draw(st.sampled_from(KNOWN_NAMES[:4])))
    if not header:
        header = [""]
    width = len(header)
    rows = draw(
        st.lists(st.lists(cells, min_size=max(0, width - 2), max_size=width + 1), max_size=12)
    )
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]))
    terminator = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        quoting=quoting,
        escapechar="\\" if quoting == csv.QUOTE_NONE else None,
        lineterminator=terminator,
    )
    for row in [header, *rows]:
        try:
            writer.writerow(row)
        except csv.Error:  # unquotable: write it raw, as careless exporters do
            buffer.write(delimiter.join(row) + terminator)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    data = buffer.getvalue().encode(encoding, errors="replace")
    if not draw(st.integers(0, 3)):  # sometimes damage it: cut it short or splice in random bytes
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=20)) + data[at + draw(st.integers(0, 5)) :]
    return data


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=csv_files(), as_json_name=st.booleans())
def test_random_csv_never_crashes_nor_touches_stored_rows(data: bytes, as_json_name: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "db.sqlite3")
        try:
            insert_mentions(db, [mention_row(text=f"kept {n}") for n in range(3)])
            before = table_snapshot(db)
            path = Path(folder) / ("upload.json" if as_json_name else "upload.csv")
            path.write_bytes(data)

            report = _import(db, path)

            after = table_snapshot(db)
            assert after[: len(before)] == before  # stored rows neither lost nor altered
            added = len(after) - len(before)
            if report is None:
                assert added == 0
                return
            assert added == report.imported
            assert report.skipped == len(report.problems)
            assert all(p.line >= 1 for p in report.problems)
            assert all(not r[7].startswith(" ") and r[7] for r in after[len(before) :])  # text
            again = _import(db, path)
            assert again is not None
            assert (again.imported, again.duplicates) == (0, report.imported + report.duplicates)
            assert table_snapshot(db) == after
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            db.close()


def _import(db: Any, path: Path) -> Any:
    try:
        return import_file(db, path, workers=1)
    except ImportFileError as exc:
        assert str(exc)  # a message for the owner
        return None
