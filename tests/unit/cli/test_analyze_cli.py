"""``crisisdesk analyze [TEXT...]``: one JSON object per line, from arguments or stdin lines."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from typing import Any

import pytest

from crisisdesk.analysis.sentiment import analyze
from crisisdesk.cli import main

FIELDS = ["text", "sentiment", "label", "complaint", "cues"]


def _run(
    capsys: pytest.CaptureFixture[str], args: list[str], stdin: str | None = None
) -> tuple[int, list[dict[str, Any]], str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)  # restored by the fixture below
    code = main(["analyze", *args])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert out == "" or out.endswith("\n")
    return code, [json.loads(line) for line in lines], err


@pytest.fixture(autouse=True)
def _restore_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", sys.stdin)


def _expected(text: str) -> dict[str, Any]:
    result = analyze(text)
    return {
        "text": text,
        "sentiment": result.sentiment,
        "label": result.label,
        "complaint": result.complaint,
        "cues": list(result.cues),
    }


def test_arguments_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    texts = [
        "Ordered a cake ... it never showed up. Nobody answers the phone.",
        "Great, another order lost. Thanks a lot",
        "Best croissants in town!",
    ]
    code, objects, err = _run(capsys, texts)
    assert code == 0
    assert err == ""
    assert objects == [_expected(t) for t in texts]
    assert all(list(o) == FIELDS for o in objects)
    assert objects[0]["cues"][:2] == ["non_delivery", "no_response"]
    assert objects[1]["label"] == "negative"
    assert objects[1]["complaint"] is True
    assert objects[2]["label"] == "positive"


def test_stdin_lines_when_no_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    code, objects, _ = _run(
        capsys, [], stdin="Charged twice for one cake\r\n\n   \nLovely staff, thank you\n"
    )
    assert code == 0
    # blank lines are skipped; line endings are not part of the text
    assert [o["text"] for o in objects] == ["Charged twice for one cake", "Lovely staff, thank you"]
    assert objects == [_expected(o["text"]) for o in objects]
    assert objects[0]["cues"][:1] == ["billing_error"]


def test_last_stdin_line_without_newline(capsys: pytest.CaptureFixture[str]) -> None:
    _, objects, _ = _run(capsys, [], stdin="first\nstill no reply")
    assert [o["text"] for o in objects] == ["first", "still no reply"]


@pytest.mark.parametrize("stdin", ["", "\n\n", "  \n\t\n"])
def test_empty_input_prints_nothing(capsys: pytest.CaptureFixture[str], stdin: str) -> None:
    code, objects, err = _run(capsys, [], stdin=stdin)
    assert (code, objects, err) == (0, [], "")


def test_an_empty_argument_is_still_analysed(capsys: pytest.CaptureFixture[str]) -> None:
    """Asked for explicitly, so answered: neutral, no cues."""
    code, objects, _ = _run(capsys, [""])
    assert code == 0
    assert objects == [
        {"text": "", "sentiment": 0.0, "label": "neutral", "complaint": False, "cues": []}
    ]


def test_text_that_looks_like_an_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, objects, _ = _run(capsys, ["--", "-1 star, never again"])
    assert code == 0
    assert objects[0]["text"] == "-1 star, never again"
    assert "never_again" in objects[0]["cues"]


def test_unicode_and_emoji_pass_through_unescaped(capsys: pytest.CaptureFixture[str]) -> None:
    text = "Cake never arrived 😡 — très déçu, ça ne va pas 🙄"
    code, objects, _ = _run(capsys, [text])
    assert code == 0
    assert objects == [_expected(text)]
    assert objects[0]["cues"][:1] == ["non_delivery"]
    # printed as the characters themselves, not \\u escapes
    assert main(["analyze", text]) == 0
    assert "😡" in capsys.readouterr().out


def test_html_in_text_is_echoed_as_text(capsys: pytest.CaptureFixture[str]) -> None:
    text = '<p>My order <b>never arrived</b></p><script>alert("x")</script>'
    code, objects, _ = _run(capsys, [text])
    assert code == 0
    assert objects[0]["text"] == text  # JSON string, untouched
    assert objects[0]["cues"][:1] == ["non_delivery"]
    assert objects[0]["complaint"] is True


def test_undecodable_argument_bytes_do_not_crash(capsys: pytest.CaptureFixture[str]) -> None:
    # what Python makes of invalid UTF-8 in argv on POSIX (surrogateescape)
    code, objects, _ = _run(capsys, ["\udcff\udcfe never arrived"])
    assert code == 0
    assert objects[0]["text"] == "?? never arrived"
    assert objects[0]["cues"][:1] == ["non_delivery"]


def _subprocess(
    args: list[str], stdin: bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "crisisdesk", "analyze", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_python_dash_m_reads_stdin() -> None:
    stdin = "Found a hair in my sandwich 🤢\nThanks for nothing\n\nDelivery was fast, thanks!\n"
    done = _subprocess([], stdin.encode("utf-8"))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    objects = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [o["cues"][:1] for o in objects] == [["health_safety"], ["sarcasm"], []]
    assert [o["label"] for o in objects] == ["negative", "negative", "positive"]
    assert objects[0]["text"] == "Found a hair in my sandwich 🤢"


def test_python_dash_m_with_arguments() -> None:
    done = _subprocess(["Still waiting for my refund", "Lovely!"], b"ignored\n")
    assert done.returncode == 0, done.stderr
    objects = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [o["text"] for o in objects] == ["Still waiting for my refund", "Lovely!"]


def test_stdin_that_is_not_utf8_is_scored_not_a_traceback() -> None:
    """A cp1252 file piped in under a strict UTF-8 setting (as most desktops have)."""
    stdin = "caf\u00e9 order never arrived\n".encode("cp1252") + b"\xff\xfe refund me\n"
    done = _subprocess([], stdin, env={"PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    objects = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert objects[0]["text"] == "caf\ufffd order never arrived"
    assert objects[0]["cues"][:1] == ["non_delivery"]
    assert objects[1]["cues"][:1] == ["refund"]
