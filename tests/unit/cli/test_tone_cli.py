"""``crisisdesk tone`` through cli.main: the report as text and as JSON, and user errors."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.cli import main


@pytest.fixture
def run(db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> Any:
    def invoke(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(["--db", str(db_path), "tone", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def test_text_report_names_each_finding_with_its_words(run: Any, db_path: Path) -> None:
    code, out, err = run("--platform", "x", "CALM DOWN!!! We did nothing wrong")
    assert code == 0 and err == ""
    assert out.startswith("Score ") and "length 33/280" in out
    assert "shouting" in out and "“CALM DOWN”" in out
    assert "defensive" in out and "“We did nothing wrong”" in out
    assert "→ " in out  # suggestions
    assert not db_path.exists()  # checking a text needs no database


def test_json_report_has_the_documented_shape(run: Any) -> None:
    code, out, _ = run("--json", "That's not our fault, you should have read the policy.")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"score", "findings", "strengths", "length"}
    assert {"defensive", "blame"} <= {f["code"] for f in data["findings"]}
    assert data["length"] == {"used": 54, "limit": 0}


def test_clean_reply_and_strengths(run: Any) -> None:
    code, out, _ = run(
        "--in-reply-to", "My cake was late and nobody answered the phone!",
        "Hi Sam, I'm so sorry. That's on us. Please DM us and we'll refund it today.",
    )  # fmt: skip
    assert code == 0
    assert "No findings." in out
    assert "empathy" in out and "accountability" in out and "private-channel" in out


def test_in_reply_to_praise_needs_no_apology(run: Any) -> None:
    _, out, _ = run("--json", "--in-reply-to", "Best bread in town, thank you!", "Noted.")
    assert json.loads(out)["findings"] == []


def test_reads_standard_input_with_dash(run: Any) -> None:
    code, out, _ = run("--json", "-", stdin="Hi {name}, sorry!!")
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert code == 0 and {"placeholder", "exclamation"} <= codes


def test_own_contact_is_not_personal_data(run: Any) -> None:
    text = "Sorry about that, please e-mail hello@bakery.example and we'll fix it."
    _, flagged, _ = run("--json", text)
    _, fine, _ = run("--json", "--contact", "hello@bakery.example", text)
    assert "private-data" in {f["code"] for f in json.loads(flagged)["findings"]}
    assert "private-data" not in {f["code"] for f in json.loads(fine)["findings"]}


def test_limit_overrides_the_platform(run: Any) -> None:
    text = "Sorry, we'll fix it. " + "a" * 600
    _, out, _ = run("--json", "--platform", "Mastodon", "--limit", "1000", text)
    assert json.loads(out)["length"]["limit"] == 1000


@pytest.mark.parametrize(
    ("argv", "stdin", "says"),
    [
        (("--platform", "myspace", "hi"), "", "'myspace' is not a platform"),
        (("   ",), "", "the text is empty"),
        (("-",), "\n", "the text is empty"),
    ],
)
def test_user_errors_exit_2_with_a_clear_message(
    run: Any, argv: tuple[str, ...], stdin: str, says: str
) -> None:
    code, out, err = run(*argv, stdin=stdin)
    assert code == 2 and out == ""
    assert err.startswith("crisisdesk: ") and says in err
    assert "Traceback" not in err


def test_bad_limit_is_refused_by_the_parser(run: Any, capsys: Any) -> None:
    with pytest.raises(SystemExit) as info:
        run("--limit", "zero", "hi")
    assert info.value.code == 2
    assert "not a whole number" in capsys.readouterr().err
