"""``crisisdesk plan list/export/import`` through cli.main, on a real database file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pypdf
import pytest

from crisisdesk.cli import main
from crisisdesk.export import plan_json
from crisisdesk.store import open_database, plans
from tests.helpers.plans import plan_file, small_doc

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def run(db_path: Path, capsys: Any) -> Any:
    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


def stored(db_path: Path) -> list[tuple[str, int]]:
    db = open_database(db_path)
    try:
        return [(p.name, len(plans.items(db, p.id))) for p in plans.list_plans(db)]
    finally:
        db.close()


def test_import_then_list(run: Any, db_path: Path, tmp_path: Path) -> None:
    code, out, _ = run("plan", "list")
    assert code == 0 and "No plans yet" in out
    code, out, err = run("plan", "import", str(plan_file(tmp_path / "p.json")))
    assert (code, err) == (0, "")
    assert out == 'Imported the plan "Product recall" (9 rows).\n'
    run("plan", "import", str(plan_file(tmp_path / "p.json")))  # same name: a second copy
    db = open_database(db_path)
    plans.set_active(db, plans.find_plan(db, "Product recall (2)").id)
    db.close()
    code, out, _ = run("plan", "list")
    assert out.splitlines() == [
        "  Product recall  0/3 done",
        "* Product recall (2)  0/3 done  (active)",
    ]
    code, out, _ = run("plan", "list", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["name"], r["active"], r["total"]) for r in rows] == [
        ("Product recall", False, 3), ("Product recall (2)", True, 3)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "newer crisisdesk"),
        ('{"format": "crisisdesk-plan", "version": 1, "name": "X", "entries": [{"te', "damaged"),
    ],
)
def test_newer_or_damaged_files_change_nothing(
    run: Any, db_path: Path, tmp_path: Path, content: str | None, message: str
) -> None:
    run("plan", "import", str(plan_file(tmp_path / "first.json")))
    path = tmp_path / "bad.json"
    if content is None:
        plan_file(path, version=plan_json.FORMAT_VERSION + 1)
    else:
        path.write_text(content, encoding="utf-8")
    before = stored(db_path)
    code, out, err = run("plan", "import", str(path))
    assert code == 2 and out == ""
    assert err.startswith("crisisdesk: ") and message in err and "Nothing was imported" in err
    assert stored(db_path) == before


def test_export_json_round_trips(run: Any, db_path: Path, tmp_path: Path) -> None:
    run("plan", "import", str(plan_file(tmp_path / "p.json")))
    out_path = tmp_path / "out.json"
    code, out, _ = run("plan", "export", "--format", "json", "-o", str(out_path))
    assert code == 0 and "out.json" in out
    assert plan_json.read_file(out_path) == small_doc()


def test_export_html_and_markdown_of_a_named_plan(run: Any, tmp_path: Path) -> None:
    run("plan", "import", str(plan_file(tmp_path / "p.json")))
    for fmt, marker in (("html", "<!DOCTYPE html>"), ("md", "- [ ] Pause promotions")):
        target = tmp_path / f"plan.{fmt}"
        code, _, err = run(
            "plan", "export", "--plan", "product RECALL", "--format", fmt, "-o", str(target),
            "--business", "Maple <b>Street</b>",
        )  # fmt: skip
        assert (code, err) == (0, "")
        text = target.read_text(encoding="utf-8")
        assert marker in text and "Maple &lt;b&gt;Street&lt;/b&gt;" in text


def test_export_names_an_unknown_plan(run: Any, tmp_path: Path) -> None:
    run("plan", "import", str(plan_file(tmp_path / "p.json")))
    code, _, err = run("plan", "export", "--plan", "Nope", "--format", "md", "-o", "x.md")
    assert code == 2 and 'no plan called "Nope"' in err and '"Product recall"' in err


def test_export_into_a_missing_folder_is_a_clear_error(run: Any, tmp_path: Path) -> None:
    code, _, err = run("plan", "export", "--format", "md", "-o", str(tmp_path / "no" / "x.md"))
    assert code == 2 and "cannot write" in err


def test_pdf_export_in_process(run: Any, tmp_path: Path, qapp: Any) -> None:
    target = tmp_path / "plan.pdf"
    code, out, _ = run("plan", "export", "--format", "pdf", "--paper", "letter", "-o", str(target))
    assert code == 0 and "LETTER" in out
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Social media crisis plan" in text  # the shipped plan


def test_pdf_export_without_a_display(db_path: Path, tmp_path: Path) -> None:
    """A real process with no DISPLAY and no QT_QPA_PLATFORM: the command goes offscreen."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["PYTHONPATH"] = str(ROOT)
    target = tmp_path / "plan.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "crisisdesk", "--db", str(db_path), "plan", "export",
         "--format", "pdf", "-o", str(target), "--business", "Maple Street Bakery"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = pypdf.PdfReader(io.BytesIO(target.read_bytes())).pages[0].extract_text()
    assert "MAPLE STREET BAKERY" in " ".join(text.split())
