"""store/accounts.py on a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest
import sqlite_utils

from crisisdesk.domain import AccountState
from crisisdesk.errors import CrisisdeskError
from crisisdesk.store import accounts, events, replies
from crisisdesk.store.accounts import OFFLINE_TEXT, AccountExistsError, AccountNotFoundError
from crisisdesk.store.migrations import MIGRATIONS
from tests.helpers.builders import insert_mentions, mention_row, table_snapshot


def _add(db: Any, name: str = "bakery-masto", **kw: Any) -> accounts.Account:
    kw.setdefault("platform", "mastodon")
    kw.setdefault("base_url", "https://mastodon.social")
    return accounts.add(db, name=name, **kw)


def test_add_get_list(db: Any) -> None:
    a = _add(db, handle="bakery", options={"queries": ["crumbs bakery"], "hashtags": ["cake"]})
    assert a.id > 0 and a.platform == "mastodon" and a.handle == "bakery"
    assert a.options == {"queries": ["crumbs bakery"], "hashtags": ["cake"]}
    assert a.state == {} and a.last_sync_at is None and a.last_error is None
    assert a.sync_state is AccountState.NEVER_SYNCED
    assert a.created_at.endswith("Z")
    _add(db, "Another", platform="feeds")
    assert [x.name for x in accounts.list_all(db)] == ["Another", "bakery-masto"]
    assert accounts.get(db, " bakery-masto ") == a
    assert accounts.get_by_id(db, a.id) == a
    assert [e.action for e in events.for_entity(db, "account", a.id)] == ["add"]


def test_duplicate_name_changes_nothing(db: Any) -> None:
    _add(db)
    before = table_snapshot(db, "accounts")
    with pytest.raises(AccountExistsError) as info:
        _add(db, platform="reddit")
    assert "already an account called 'bakery-masto'" in str(info.value)
    assert table_snapshot(db, "accounts") == before


@pytest.mark.parametrize("name", ["", "   ", "a\nb", "x" * 81])
def test_bad_names_are_refused(db: Any, name: str) -> None:
    with pytest.raises(CrisisdeskError):
        _add(db, name)
    assert accounts.list_all(db) == []


def test_unknown_name_lists_known_ones(db: Any) -> None:
    with pytest.raises(AccountNotFoundError) as info:
        accounts.get(db, "nope")
    assert "accounts add" in info.value.hint
    _add(db)
    with pytest.raises(AccountNotFoundError) as info:
        accounts.get(db, "nope")
    assert "bakery-masto" in info.value.hint


def test_remove_keeps_mentions_and_replies(db: Any) -> None:
    a = _add(db)
    other = _add(db, "other")
    ids = insert_mentions(db, [mention_row(account_id=a.id), mention_row(account_id=other.id)])
    reply = replies.queue(db, ids[0], "Sorry!", account_id=a.id)

    accounts.remove(db, "bakery-masto")

    assert accounts.find(db, "bakery-masto") is None
    rows = db.execute("SELECT id, account_id FROM mentions ORDER BY id").fetchall()
    assert rows == [(ids[0], None), (ids[1], other.id)]
    kept = replies.get(db, reply.id)
    assert kept is not None and kept.account_id is None and kept.body == "Sorry!"
    assert [e.action for e in events.for_entity(db, "account", a.id)] == ["add", "remove"]


def test_remove_unknown_changes_nothing(db: Any) -> None:
    _add(db)
    before = table_snapshot(db, "accounts")
    with pytest.raises(AccountNotFoundError):
        accounts.remove(db, "nope")
    assert table_snapshot(db, "accounts") == before


def test_sync_outcome_and_state(db: Any) -> None:
    a = _add(db)
    accounts.save_sync_error(db, a.id, "Offline", state=AccountState.OFFLINE)
    assert accounts.get(db, a.name).last_error == "Offline"
    assert accounts.get(db, a.name).sync_state is AccountState.OFFLINE
    with db.atomic():
        accounts.save_sync_success(db, a.id, {"since_id": "42"}, "2026-11-23T10:00:00Z")
    got = accounts.get(db, a.name)
    assert got.state == {"since_id": "42"} and got.last_error is None
    assert got.last_sync_at == "2026-11-23T10:00:00Z"
    assert got.sync_state is AccountState.OK
    accounts.save_sync_error(db, a.id, "HTTP 500", state=AccountState.FAILED)
    got = accounts.get(db, a.name)
    assert got.state == {"since_id": "42"}  # an error keeps cursors
    assert got.sync_state is AccountState.FAILED
    assert got.last_sync_at == "2026-11-23T10:00:00Z"  # and the last successful sync time
    accounts.reset_state(db, a.name)
    assert accounts.get(db, a.name).state == {}


def test_update_options(db: Any) -> None:
    _add(db, options={"queries": ["a"]})
    got = accounts.update_options(db, "bakery-masto", {"queries": ["a", "b"]})
    assert got.options == {"queries": ["a", "b"]}


def test_damaged_json_columns_read_as_empty(db: Any) -> None:
    a = _add(db)
    db.execute("UPDATE accounts SET options = 'not json', state = '[1]' WHERE id = ?", [a.id])
    got = accounts.get(db, a.name)
    assert got.options == {} and got.state == {}


@pytest.mark.parametrize("state", [AccountState.OK, AccountState.NEVER_SYNCED])
def test_a_sync_error_is_offline_or_failed(db: Any, state: AccountState) -> None:
    a = _add(db)
    before = table_snapshot(db, "accounts")
    with pytest.raises(ValueError):
        accounts.save_sync_error(db, a.id, "boom", state=state)
    assert table_snapshot(db, "accounts") == before


def test_the_offline_text_is_not_what_decides(db: Any) -> None:
    # a platform may say the same words; only the state says the account is offline
    a = _add(db)
    accounts.save_sync_error(db, a.id, OFFLINE_TEXT, state=AccountState.FAILED)
    assert accounts.get(db, a.name).sync_state is AccountState.FAILED


def test_migration_gives_existing_accounts_their_state(tmp_path: Any) -> None:
    old = sqlite_utils.Database(tmp_path / "old.db")
    MIGRATIONS.apply(old, stop_before="m004_account_sync_state")
    rows = {
        "never": (None, None),
        "synced": ("2026-11-20T10:00:00Z", None),
        "offline": ("2026-11-20T10:00:00Z", OFFLINE_TEXT),
        "offline-first": (None, OFFLINE_TEXT),
        "failed": ("2026-11-20T10:00:00Z", "HTTP 500"),
        "failed-first": (None, "The platform refused the credential."),
        "empty-error": ("2026-11-20T10:00:00Z", ""),
    }
    for name, (last_sync_at, last_error) in rows.items():
        old.execute(
            "INSERT INTO accounts (platform, name, last_sync_at, last_error, created_at)"
            " VALUES ('feeds', ?, ?, ?, '2026-11-01T00:00:00Z')",
            [name, last_sync_at, last_error],
        )
    MIGRATIONS.apply(old)
    got = {a.name: a.sync_state for a in accounts.list_all(old)}
    assert got == {
        "never": AccountState.NEVER_SYNCED,
        "synced": AccountState.OK,
        "offline": AccountState.OFFLINE,
        "offline-first": AccountState.OFFLINE,
        "failed": AccountState.FAILED,
        "failed-first": AccountState.FAILED,
        "empty-error": AccountState.OK,
    }
    # the messages themselves are kept, for the owner to read
    assert accounts.get(old, "failed").last_error == "HTTP 500"
    old.close()
