"""Plan files: round trip, the shipped default plan, and files that must change nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.domain import PlanSectionRole
from crisisdesk.export import plan_json
from crisisdesk.export.plan_json import PlanFileError
from crisisdesk.store import plan_views, plans
from tests.helpers.plans import item, plan_file, small_doc


def test_round_trip_keeps_everything(db: Any, tmp_path: Path) -> None:
    doc = small_doc()
    doc = plans.PlanDoc(doc.name, (*doc.entries, item("Done one", done_at="2026-11-28T10:00:00Z",
                                                       done_by="Ana")))  # fmt: skip
    path = tmp_path / "plan.json"
    plan_json.write_file(doc, path)
    assert plan_json.read_file(path) == doc
    plan_id = plan_json.import_file(db, path)
    assert plans.document(db, plan_id) == doc


def test_the_default_plan_covers_established_practice(db: Any) -> None:
    doc = plan_json.default_plan()
    sections = [e for e in doc.entries if e.is_section]
    roles = {s.role for s in sections}
    assert roles == set(PlanSectionRole)
    titles = " ".join(s.text.lower() for s in sections)
    for word in ("contacts", "start", "first hour", "statements", "rules", "follow-up", "review"):
        assert word in titles
    text = " ".join(e.text.lower() + " " + e.notes.lower() for e in doc.entries)
    for practice in ("pause", "acknowledge", "facts", "offline", "never delete", "lessons"):
        assert practice in text
    plan_json.ensure_a_plan(db)
    plan_json.ensure_a_plan(db)  # once only
    assert len(plans.list_plans(db)) == 1
    plans.set_active(db, plans.list_plans(db)[0].id)
    assert len(plan_views.holding_statements(db)) >= 3
    assert len(plan_views.key_contacts(db)) >= 4
    assert plan_views.plan_progress(db).total == 20


def test_a_plan_from_a_newer_version_is_refused(db: Any, tmp_path: Path) -> None:
    path = plan_file(tmp_path / "new.json", version=plan_json.FORMAT_VERSION + 1)
    with pytest.raises(PlanFileError, match="newer crisisdesk") as err:
        plan_json.import_file(db, path)
    assert "Update crisisdesk" in err.value.hint
    assert plans.list_plans(db) == []


@pytest.mark.parametrize(
    "content",
    [
        b'{"format": "crisisdesk-plan", "version": 1, "name": "X", "entries": [',  # cut off
        b"\xff\xfe\x00garbage",
        b'{"format": "something-else", "version": 1}',
        b'{"format": "crisisdesk-plan", "name": "X", "entries": []}',
        b'{"format": "crisisdesk-plan", "version": 1, "name": "", "entries": []}',
        b'{"format": "crisisdesk-plan", "version": 1, "name": "X", "entries": {}}',
        b'{"format": "crisisdesk-plan", "version": 1, "name": "X", "entries": [3]}',
        b'{"format": "crisisdesk-plan", "version": 1, "name": "X", "entries": [{"text": ""}]}',
        b'{"format": "crisisdesk-plan", "version": 1, "name": "X",'
        b' "entries": [{"text": "a", "kind": "bogus"}]}',
        b'{"format": "crisisdesk-plan", "version": 1, "name": "X",'
        b' "entries": [{"text": "a", "due": "whenever"}]}',
        b'{"format": "crisisdesk-plan", "version": 1, "name": "X",'
        b' "entries": [{"text": "a", "level": 7}]}',
        b"[]",
    ],
)
def test_damaged_files_change_nothing(db: Any, tmp_path: Path, content: bytes) -> None:
    plans.create_plan(db, small_doc())
    before = plans.document(db, plans.list_plans(db)[0].id)
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(PlanFileError, match="damaged or not a crisisdesk plan"):
        plan_json.import_file(db, path)
    assert [p.name for p in plans.list_plans(db)] == ["Product recall"]
    assert plans.document(db, plans.list_plans(db)[0].id) == before


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no file"):
        plan_json.read_file(tmp_path / "nope.json")


def test_the_file_says_what_it_is(tmp_path: Path) -> None:
    data = json.loads(plan_json.to_json(small_doc()))
    assert (data["format"], data["version"]) == ("crisisdesk-plan", 1)
