"""Issue 10 on the command line: ``analyze --explain`` says why, ``mentions --json`` says
whether a complaint flag is the owner's or the recogniser's, and ``analyze`` streams stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.cli import main
from crisisdesk.services import complaint_learning
from crisisdesk.store import open_database
from tests.helpers.builders import insert_mentions, mention_row


def _lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_explain_gives_owner_words_for_each_complaint(capsys: pytest.CaptureFixture[str]) -> None:
    texts = [
        "My order never arrived and I've been waiting 19 days",
        "I will never come back, the staff were so rude",
        "What time do you open on Sunday?",
    ]
    assert main(["analyze", "--explain", *texts]) == 0
    late, rude, question = _lines(capsys)
    assert late["complaint"] and "says the order never arrived" in late["reasons"]
    assert "has been waiting 19 days" in late["reasons"]
    assert rude["complaint"] and "says the staff were rude" in rude["reasons"]
    assert not question["complaint"] and question["reasons"] == []
    for result in (late, rude):
        assert len(result["reasons"]) == len(result["cues"]) >= 1


def test_without_explain_the_output_is_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "My order never arrived"]) == 0
    (result,) = _lines(capsys)
    assert set(result) == {"text", "sentiment", "label", "complaint", "cues"}


def test_mentions_json_says_who_set_the_complaint_flag(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(db_path)
    owners, recognised = insert_mentions(
        db,
        [
            mention_row(text="Are you open on Sunday?", priority=20),
            mention_row(text="My cake never arrived", complaint=True, label="negative",
                        cues=["non_delivery"], priority=60),
        ],
    )  # fmt: skip
    complaint_learning.mark(db, {owners: True})
    db.close()
    assert main(["--db", str(db_path), "mentions", "--json"]) == 0
    by_id = {row["id"]: row for row in _lines(capsys)}
    assert (by_id[owners]["complaint"], by_id[owners]["complaint_by"]) == (True, "owner")
    assert (by_id[recognised]["complaint"], by_id[recognised]["complaint_by"]) == (
        True,
        "recogniser",
    )


def test_analyze_answers_each_stdin_line_before_the_next_arrives() -> None:
    """Streaming, so 100k lines take constant memory: the answer to the first line comes
    while stdin is still open."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "crisisdesk", "analyze"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(b"my parcel never arrived\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())
        assert first["complaint"] is True
        proc.stdin.write(b"thanks, lovely cake\n")
        proc.stdin.close()
        second = json.loads(proc.stdout.readline())
        assert second["complaint"] is False
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()


def test_analyze_judges_with_what_the_owners_corrections_taught(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The inbox and ``analyze`` agree: a copy of a mention the owner marked "not a complaint"
    is not one for ``analyze`` on that database either, unless the shipped model is asked for."""
    text = "Still waiting on my custom order, anyone know the status?"
    assert main(["analyze", text]) == 0
    assert _lines(capsys)[0]["complaint"] is True  # as shipped
    db = open_database(db_path)
    (mention_id,) = insert_mentions(
        db, [mention_row(text=text, complaint=True, label="negative", cues=["waiting"])]
    )
    complaint_learning.mark(db, {mention_id: False})
    db.close()
    assert main(["--db", str(db_path), "analyze", "--explain", text]) == 0
    (taught,) = _lines(capsys)
    assert taught["complaint"] is False and taught["reasons"] == []
    assert main(["--db", str(db_path), "analyze", "--shipped-model", text]) == 0
    assert _lines(capsys)[0]["complaint"] is True
    # and nothing stays installed in this process after the command
    assert main(["analyze", text]) == 0
    assert _lines(capsys)[0]["complaint"] is True


def test_analyze_on_a_database_that_does_not_exist_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    assert main(["--db", str(missing), "analyze", "my parcel never arrived"]) == 0
    assert _lines(capsys)[0]["complaint"] is True
    assert not missing.exists()
