"""The Accounts page for a partly synced account (issue 9 item 4): status "Partly synced",
the failed part in its details, shown as plain text."""

from __future__ import annotations

from pathlib import Path

from crisisdesk.settings import DictStorage, Settings
from crisisdesk.store import accounts
from crisisdesk.ui.accounts.model import status_text
from crisisdesk.ui.accounts.page import account_details
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner

WARNING = (
    "Partly synced: the next page of the feed (http://127.0.0.1:9/page/2): Cannot reach "
    "127.0.0.1; you seem to be offline. Everything else was stored; the next sync tries the "
    "missing part again."
)


def test_a_partly_synced_account_says_so_in_the_list_and_details(
    qtbot, db, db_path: Path, memory_keyring
) -> None:
    account = accounts.add(db, platform="feeds", name="alerts", base_url="https://e.example/f")
    with db.atomic():
        accounts.save_sync_success(db, account.id, {}, "2026-11-20T10:00:00Z", warning=WARNING)
    saved = accounts.get(db, "alerts")
    assert status_text(saved) == "Partly synced"
    assert WARNING in account_details(saved)

    win = MainWindow(db, db_path, Settings(DictStorage()), SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_page("accounts")
    page = win.accounts_page
    model = page.table.model()
    assert model.data(model.index(0, 4)) == "Partly synced"


def test_the_status_bar_line_names_partly_synced_accounts() -> None:
    from crisisdesk.services.sync import AccountSyncResult
    from crisisdesk.ui.sync import SyncOutcome

    outcome = SyncOutcome(
        [
            AccountSyncResult("alerts", "feeds", new=2, warning=WARNING),
            AccountSyncResult("bakery-x", "x", new=1, notes=("X searches only the last 7 days",)),
        ],
        total=2,
    )
    assert outcome.message().endswith("3 new, 0 updated; partly synced: alerts (see Accounts)")
    details = outcome.details().splitlines()
    assert details[1].startswith("alerts: Partly synced: the next page of the feed")
    assert details[3] == "bakery-x: X searches only the last 7 days"
