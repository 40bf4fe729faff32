"""``crisisdesk spikes`` finds the demo's backlash; ``crisisdesk report`` writes a PDF."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any, NamedTuple

import pypdf
import pytest

from crisisdesk.cli import main
from crisisdesk.demo import load_demo
from crisisdesk.store import open_database
from crisisdesk.timeutil import parse_iso, to_iso


@pytest.fixture
def demo_db(db_path: Path) -> str:
    db = open_database(db_path)
    try:
        report = load_demo(db, count=900, seed=7)
    finally:
        db.close()
    return report.incident_start


def _spikes(db_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[Any]:
    assert main(["--db", str(db_path), "spikes", "--json", *extra]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_spikes_find_the_demo_backlash(
    db_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = parse_iso(demo_db)
    alerts = _spikes(db_path, capsys)

    at_incident = [a for a in alerts if parse_iso(a["start"]) - incident < timedelta(hours=12)
                   and parse_iso(a["end"]) > incident]  # fmt: skip
    assert {a["metric"] for a in at_incident} >= {"complaints", "negative_share"}
    complaints = next(a for a in at_incident if a["metric"] == "complaints")
    assert abs(parse_iso(complaints["start"]) - incident) <= timedelta(hours=6)
    assert parse_iso(complaints["end"]) - incident >= timedelta(days=2)  # the backlash lasted
    assert complaints["count"] > 5 * complaints["baseline"]
    assert complaints["score"] >= 6
    # the driving mentions are the complaints of that window
    db = open_database(db_path)
    try:
        rows = db.execute(
            f"SELECT complaint, created_at FROM mentions WHERE id IN "
            f"({','.join('?' * len(complaints['mention_ids']))})",
            complaints["mention_ids"],
        ).fetchall()
    finally:
        db.close()
    assert len(rows) == len(complaints["mention_ids"]) == complaints["count"]
    assert all(c == 1 and complaints["start"] <= t < complaints["end"] for c, t in rows)


def test_spikes_since_and_the_plain_listing(
    db_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    later = to_iso(parse_iso(demo_db) + timedelta(days=10))
    assert all(a["end"] > later for a in _spikes(db_path, capsys, "--since", later))
    assert main(["--db", str(db_path), "spikes"]) == 0
    out = capsys.readouterr().out
    assert "Complaints: " in out and "were expected" in out and "driven by #" in out


def test_spikes_on_an_empty_database(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(db_path), "spikes"]) == 0
    assert "No spikes" in capsys.readouterr().err


def test_spikes_refuse_a_date_they_cannot_read(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path), "spikes", "--since", "next blursday"])
    assert exit_info.value.code == 2
    assert "not a date" in capsys.readouterr().err


def _pdf_text(path: Path) -> tuple[str, int, int]:
    reader = pypdf.PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    images = sum(len(page.images) for page in reader.pages)
    return " ".join(text.split()), len(reader.pages), images


def test_report_writes_a_pdf_with_charts_and_no_plan(
    qapp: Any,  # a QApplication first: the report alone would make a QGuiApplication
    db_path: Path,
    demo_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    since = demo_db[:10]
    until = to_iso(parse_iso(demo_db) + timedelta(days=5))[:10]
    out = tmp_path / "reports" / "report.pdf"
    assert main(["--db", str(db_path), "report", "--since", since, "--until", until,
                 "-o", str(out)]) == 0  # fmt: skip
    assert "Wrote the post-crisis report" in capsys.readouterr().out

    text, pages, images = _pdf_text(out)
    for heading in ("Post-crisis report", "Alerts", "Timeline", "Before, during and after",
                    "Replies sent during the incident", "Plan items completed",
                    "Lessons learned", "Complaints began to rise"):  # fmt: skip
        assert heading in text
    assert text.count("No plan recorded") == 2  # plan items and lessons
    assert images == 4  # the four charts
    assert 2 <= pages <= 8


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-10", "--until", "2026-11-09", "-o", "r.pdf"], "not after its start"),
        (["--since", "2026-11-01", "--until", "2026-11-09", "-o", "r.txt"], "not a PDF file"),
    ],
)
def test_report_refuses_bad_input(
    qapp: Any,
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
    message: str,
) -> None:  # fmt: skip
    args = [str(tmp_path / a) if a.startswith("r.") else a for a in args]
    assert main(["--db", str(db_path), "report", *args]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.glob("r.*")) == []


def test_report_into_a_folder_that_cannot_exist(
    qapp: Any, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code = main(["--db", str(db_path), "report", "--since", "2026-11-01", "--until",
                 "2026-11-09", "-o", str(blocker / "r.pdf")])  # fmt: skip
    assert code == 2
    assert "Cannot write the report" in capsys.readouterr().err


class _Done(NamedTuple):
    section: str
    text: str
    done_by: str
    done_at: str


class _Plan(NamedTuple):
    plan_name: str
    done: int
    total: int
    done_items: list[_Done]


def test_the_report_takes_the_plan_and_its_lessons_as_text(
    qapp: Any, db: Any, demo_db: str, tmp_path: Path
) -> None:
    from crisisdesk.export.report import write_report
    from crisisdesk.services.insight import report_data

    since = parse_iso(demo_db)
    plan = _Plan("Cake disaster", 2, 5, [
        _Done("First hour", "Acknowledge publicly", "Mara", to_iso(since + timedelta(hours=3))),
        _Done("First hour", "Pause <b>promotions</b>", "", ""),
    ])  # fmt: skip
    lessons = "What went wrong?\nThe order book <script>alert(1)</script> was on paper."
    data = report_data(db, since, since + timedelta(days=4), plan=plan, lessons=lessons)
    out = tmp_path / "with-plan.pdf"
    write_report(data, out)

    text, _pages, _images = _pdf_text(out)
    assert "Cake disaster: 2 of 5 items done" in text
    assert "Pause <b>promotions</b>" in text  # the owner's text prints as text
    assert "<script>alert(1)</script> was on paper" in text
    assert "Plan: Acknowledge publicly done (Mara)" in text  # in the timeline
    assert "No plan recorded" not in text


def test_report_runs_headless_without_a_display(db_path: Path, tmp_path: Path) -> None:
    """No DISPLAY and an empty QT_QPA_PLATFORM (a server, SSH): Qt's offscreen platform."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = ""
    out = tmp_path / "headless.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "crisisdesk", "--db", str(db_path), "report", "--since",
         "2026-11-01", "--until", "2026-11-08", "-o", str(out)],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "No alert was raised" in _pdf_text(out)[0]


def test_the_report_reads_the_plan_ticked_off_during_the_incident(
    qapp: Any, db: Any, demo_db: str, tmp_path: Path
) -> None:
    """The incident is over and its plan no longer active: the report still finds it, by the
    items ticked while it lasted, with the lessons written in its review section."""
    from crisisdesk.export.report import write_report
    from crisisdesk.services.insight import report_data
    from crisisdesk.store import plans
    from tests.helpers.plans import small_doc, store_doc

    since = parse_iso(demo_db)
    store_doc(db, small_doc("Quiet times"))  # another plan, nothing ticked in the incident
    plan_id = store_doc(db, small_doc("Wedding cake backlash"))
    ticked = next(i for i in plans.items(db, plan_id) if i.entry.text == "Pause promotions")
    plans.set_done(db, ticked.id, "Ana", to_iso(since + timedelta(hours=2)))
    data = report_data(db, since, since + timedelta(days=4))
    out = tmp_path / "stored-plan.pdf"
    write_report(data, out)

    text, _pages, _images = _pdf_text(out)
    assert "Wedding cake backlash: 1 of 3 items done" in text  # steps and review questions
    assert "Plan: Pause promotions done (Ana)" in text
    assert "The oven timer failed." in text  # the review's lesson
    assert "No plan recorded" not in text
