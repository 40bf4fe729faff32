"""The owner's reply templates on a real SQLite file: seeding from the shipped library without
overwriting edits, search, categories, create/edit/duplicate/delete/restore and bad input."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import events, open_database
from crisisdesk.store import templates as tpl


def test_first_use_seeds_the_shipped_library(db: Any) -> None:
    found = tpl.list_templates(db)
    assert len(found) == len(tpl.shipped()) >= 18
    assert all(t.builtin for t in found)
    assert tpl.categories(db) == sorted({s.category for s in tpl.shipped()}, key=str.casefold)
    assert tpl.ensure_seeded(db) == 0  # once only


def test_seeding_never_overwrites_an_edit_nor_brings_back_a_deleted_one(
    db_path: Path,
) -> None:
    db = open_database(db_path)
    first, second = tpl.list_templates(db)[:2]
    tpl.update(db, first.id, name="Mine now", category="Own", body="Hi {name}, sorry.")
    tpl.delete(db, second.id)
    db.close()
    db = open_database(db_path)  # a later start of the app
    assert tpl.ensure_seeded(db) == 0
    again = {t.id: t for t in tpl.list_templates(db)}
    assert again[first.id].body == "Hi {name}, sorry." and again[first.id].builtin
    assert second.id not in again
    assert second.name not in {t.name for t in again.values()}
    db.close()


def test_a_template_added_to_the_library_later_is_seeded_then(db: Any) -> None:
    tpl.list_templates(db)
    key = tpl.shipped()[0].key
    db.execute("UPDATE meta SET value = '[]' WHERE key = ?", [tpl.SEEDED_KEY])
    # as if every shipped template but the first were new: none is added twice
    assert tpl.ensure_seeded(db) == 0
    db.execute("DELETE FROM templates WHERE builtin_key = ?", [key])
    db.execute("UPDATE meta SET value = '[]' WHERE key = ?", [tpl.SEEDED_KEY])
    assert tpl.ensure_seeded(db) == 1


def test_seeding_keeps_an_owner_template_with_the_same_name(db: Any) -> None:
    db.execute("INSERT INTO templates (name, body) VALUES (?, 'mine')", [tpl.shipped()[0].name])
    names = [t.name for t in tpl.list_templates(db)]
    assert tpl.shipped()[0].name in names and f"{tpl.shipped()[0].name} (2)" in names


def test_search_folds_case_and_accents_and_needs_every_word(db: Any) -> None:
    made = tpl.create(db, "Crème brûlée mix-up", "Desserts", "Sorry about the crème, {name}.")
    assert [t.id for t in tpl.list_templates(db, "CREME brulee")] == [made.id]
    assert [t.id for t in tpl.list_templates(db, "desserts sorry")] == [made.id]
    assert tpl.list_templates(db, "creme nowhere") == []
    fans = tpl.list_templates(db, category="thank a fan")
    assert fans and {t.category for t in fans} == {"Thank a fan"}


def test_list_is_by_category_then_name(db: Any) -> None:
    found = tpl.list_templates(db)
    keys = [(t.category.casefold(), t.name.casefold()) for t in found]
    assert keys == sorted(keys)


def test_create_edit_duplicate_delete_restore(db: Any) -> None:
    made = tpl.create(db, "  Birthday   cake ", "", "Happy birthday, {name}!")
    assert (made.name, made.category, made.builtin) == ("Birthday cake", "", False)
    edited = tpl.update(db, made.id, name="Birthday", category="Fans", body="Happy day!")
    assert (edited.name, edited.category, edited.body) == ("Birthday", "Fans", "Happy day!")
    copy = tpl.duplicate(db, made.id)
    again = tpl.duplicate(db, made.id)
    assert (copy.name, again.name) == ("Birthday (copy)", "Birthday (copy) (2)")
    assert copy.body == edited.body and not copy.builtin
    gone = tpl.delete(db, made.id)
    assert gone == edited
    with pytest.raises(CrisisdeskError, match="no longer exists"):
        tpl.get(db, made.id)
    assert tpl.restore(db, gone) == edited
    assert tpl.restore(db, gone) == edited  # twice is harmless
    actions = [e.action for e in events.for_entity(db, "template", made.id)]
    assert actions == ["create", "update", "delete", "restore"]


def test_restore_of_a_shipped_template_keeps_it_shipped(db: Any) -> None:
    first = tpl.list_templates(db)[0]
    back = tpl.restore(db, tpl.delete(db, first.id))
    assert back == first and back.builtin
    assert tpl.ensure_seeded(db) == 0


def test_restore_renames_when_the_name_was_taken_meanwhile(db: Any) -> None:
    made = tpl.create(db, "Late order", "", "Sorry.")
    gone = tpl.delete(db, made.id)
    other = tpl.create(db, "late ORDER", "", "Other.")  # SQLite may give it the freed id
    back = tpl.restore(db, gone)
    assert back.name == "Late order (2)" and back.body == "Sorry."
    assert tpl.get(db, other.id) == other
    own = sorted(t.name for t in tpl.list_templates(db) if not t.builtin)
    assert own == ["Late order (2)", "late ORDER"]


@pytest.mark.parametrize(
    ("name", "category", "body", "says"),
    [
        ("   ", "", "Sorry.", "needs a name"),
        ("x" * 81, "", "Sorry.", "name is too long"),
        ("Bad\u202ename", "", "Sorry.", "invisible control characters"),
        ("Fine", "c" * 41, "Sorry.", "category is too long"),
        ("Fine", "", "  \n ", "has no text"),
        ("Fine", "", "a" * 10_001, "text is too long"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(
    db: Any, name: str, category: str, body: str, says: str
) -> None:
    before = tpl.list_templates(db)
    with pytest.raises(CrisisdeskError, match=says):
        tpl.create(db, name, category, body)
    assert tpl.list_templates(db) == before


def test_a_duplicate_name_is_refused_case_and_accents_aside(db: Any) -> None:
    first = tpl.create(db, "Café closed", "", "Sorry.")
    other = tpl.create(db, "Other", "", "Sorry.")
    with pytest.raises(CrisisdeskError, match="already exists"):
        tpl.create(db, "CAFE CLOSED", "", "Sorry again.")
    with pytest.raises(CrisisdeskError, match="already exists"):
        tpl.update(db, other.id, name="cafe closed", category="", body="x")
    assert tpl.get(db, other.id).name == "Other"
    assert tpl.update(db, first.id, name="café closed", category="", body="x").name == (
        "café closed"
    )


def test_editing_a_deleted_template_says_so(db: Any) -> None:
    made = tpl.create(db, "Gone soon", "", "Sorry.")
    tpl.delete(db, made.id)
    with pytest.raises(CrisisdeskError, match="no longer exists"):
        tpl.update(db, made.id, name="x", category="", body="y")
    with pytest.raises(CrisisdeskError, match="no longer exists"):
        tpl.duplicate(db, made.id)


def test_migration_adds_the_columns(db_path: Path) -> None:
    open_database(db_path).close()
    with sqlite3.connect(db_path) as raw:
        columns = {r[1] for r in raw.execute("PRAGMA table_info(templates)")}
    assert {"builtin_key", "created_at", "updated_at"} <= columns
