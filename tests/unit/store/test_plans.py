"""Crisis plans in the store: rows in order, moves, edits, active plan, and what others read."""

from __future__ import annotations

from typing import Any

import pytest

from crisisdesk.store import plan_views, plans
from crisisdesk.store.plans import PlanError
from tests.helpers.plans import item, small_doc, store_doc


def texts(db: Any, plan_id: int) -> list[str]:
    return [row.entry.text for row in plans.items(db, plan_id)]


def positions(db: Any, plan_id: int) -> list[int]:
    return [row.position for row in plans.items(db, plan_id)]


def test_a_stored_plan_reads_back_in_order(db: Any) -> None:
    plan_id = store_doc(db)
    assert plans.document(db, plan_id) == small_doc()
    assert positions(db, plan_id) == list(range(9))


def test_plan_names_are_unique_ignoring_case(db: Any) -> None:
    first = store_doc(db)
    second = plans.create_plan(db, small_doc("product RECALL"))
    assert plans.get_plan(db, second).name == "product RECALL (2)"
    with pytest.raises(PlanError, match="already a plan"):
        plans.rename_plan(db, second, "Product recall")
    assert plans.rename_plan(db, first, "  Rude   staff video ") == "Rude staff video"


def test_insert_move_delete_keep_positions_contiguous(db: Any) -> None:
    plan_id = store_doc(db)
    new_id = plans.insert_item(db, plan_id, 3, item("Gather facts"))
    assert texts(db, plan_id)[3] == "Gather facts"
    plans.move_item(db, new_id, 0)
    assert texts(db, plan_id)[0] == "Gather facts"
    plans.move_item(db, new_id, 99)  # past the end: the last place
    assert texts(db, plan_id)[-1] == "Gather facts"
    plans.delete_item(db, new_id)
    assert texts(db, plan_id) == [e.text for e in small_doc().entries]
    assert positions(db, plan_id) == list(range(9))


def test_update_checks_what_was_typed_and_changes_nothing_when_wrong(db: Any) -> None:
    plan_id = store_doc(db)
    row = plans.items(db, plan_id)[3]
    stored = plans.update_item(db, row.id, {"due": " +2 hours", "owner": " Ana  Lopez "})
    assert (stored.due, stored.owner) == ("+2 h", "Ana Lopez")
    for bad in ({"due": "soon-ish"}, {"text": "   "}, {"due": "2026-13-45"}):
        with pytest.raises(PlanError):
            plans.update_item(db, row.id, bad)
    assert plans.items(db, plan_id)[3].entry == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("", ""), ("+1 h", "+1 h"), ("+1h", "+1 h"), ("+30 minutes", "+30 min"),
        ("+ 2 days", "+2 d"), ("2026-12-01", "2026-12-01"),
        ("2026-12-01 14:00", "2026-12-01T14:00:00Z"),
    ],
)  # fmt: skip
def test_due_times_relative_or_dates(typed: str, stored: str) -> None:
    assert plans.parse_due(typed) == stored


def test_relative_due_counts_from_activation() -> None:
    due = plans.due_time("+90 min", "2026-11-28T10:00:00Z")
    assert due is not None and due.isoformat() == "2026-11-28T11:30:00+00:00"
    assert plans.due_time("2026-12-01", "2026-11-28T10:00:00Z") is None


def test_done_with_who_and_when_and_reset(db: Any) -> None:
    plan_id = store_doc(db)
    row = plans.items(db, plan_id)[3]
    entry = plans.set_done(db, row.id, "Ana", "2026-11-28T10:05:00Z")
    assert (entry.done, entry.done_by, entry.done_at) == (True, "Ana", "2026-11-28T10:05:00Z")
    assert plans.set_done(db, row.id, None) == row.entry  # reset: as before
    plans.set_done(db, row.id, "Ana")
    plans.reset_plan(db, plan_id)
    assert not any(r.entry.done for r in plans.items(db, plan_id))


def test_one_active_plan_and_its_progress(db: Any) -> None:
    first, second = store_doc(db), plans.create_plan(db, small_doc("Rude staff video"))
    assert plan_views.plan_progress(db) is None
    plans.set_active(db, first, "2026-11-28T10:00:00Z")
    plans.set_active(db, second)
    assert [p.active for p in plans.list_plans(db)] == [False, True]  # by name: Product, Rude
    assert plans.active_plan(db).id == second
    steps = [r for r in plans.items(db, second) if r.entry.text.startswith(("Pause", "What"))]
    plans.set_done(db, steps[0].id, "Ana", "2026-11-28T10:05:00Z")
    progress = plan_views.plan_progress(db)
    # contacts and statements are reference: 2 first-hour steps + 1 review question count
    assert (progress.done, progress.total, progress.text()) == (1, 3, "1/3 done")
    assert progress.done_items == [
        plan_views.DoneItem("First hour", "Pause promotions", "Ana", "2026-11-28T10:05:00Z")
    ]
    plans.set_active(db, None)
    assert plans.active_plan(db) is None


def test_what_the_composer_and_the_report_read(db: Any) -> None:
    plan_id = store_doc(db)
    assert plan_views.holding_statements(db) == [
        ("Looking into it", "We have seen the posts and are looking into it.")
    ]
    assert plan_views.key_contacts(db) == [
        plan_views.Contact("Approves replies", "Sam", "555-0100")
    ]
    assert plan_views.review_lessons(db, plan_id) == "What went wrong?\nThe oven timer failed."
    assert plan_views.review_lessons(db) == ""  # no active plan


def test_duplicate_is_unchecked_and_independent(db: Any) -> None:
    plan_id = store_doc(db)
    plans.set_done(db, plans.items(db, plan_id)[3].id, "Ana")
    copy = plans.duplicate_plan(db, plan_id)
    assert plans.get_plan(db, copy).name == "Product recall (copy)"
    assert not any(r.entry.done for r in plans.items(db, copy))
    assert texts(db, copy) == texts(db, plan_id)


def test_a_deleted_plan_comes_back_with_its_ids(db: Any) -> None:
    plan_id = store_doc(db)
    before = plans.items(db, plan_id)
    doc = plans.document(db, plan_id)
    plans.delete_plan(db, plan_id)
    assert plans.list_plans(db) == []
    plans.create_plan(db, doc, plan_id=plan_id, item_ids=[r.id for r in before])
    assert plans.items(db, plan_id) == before
