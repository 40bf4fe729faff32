"""Accounts in the GUI: the Accounts page, the add/change-token dialogs, and their wiring.

:func:`attach_accounts` is what the main window calls: it adds the page to the navigation, the
Sync action to the File menu and the toolbar, the sync status to the status bar, and reloads
the inbox as each account's mentions arrive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crisisdesk.settings import Settings
from crisisdesk.ui.accounts.page import AccountsPage
from crisisdesk.ui.sync import SyncController
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.widgets import scrolling

if TYPE_CHECKING:
    from crisisdesk.services.sync import AccountSyncResult
    from crisisdesk.ui.main_window import MainWindow

__all__ = ["AccountsPage", "SyncController", "attach_accounts"]


def attach_accounts(
    window: MainWindow,
    runner: TaskRunner,
    settings: Settings,
    *,
    client_factory: Any = None,
) -> tuple[AccountsPage, SyncController]:
    """Build the Accounts page and the sync controller and hook them into *window*."""
    sync = SyncController(runner, settings, client_factory=client_factory, parent=window)
    page = AccountsPage(runner, settings, sync, client_factory=client_factory, parent=window)
    # Ctrl+Shift+A: Ctrl+1..4 are the inbox's saved views
    # it scrolls in a short window (14 pt at 200 %): its wrapped buttons overlapped the text
    window.add_page(
        "accounts", "Accounts", scrolling(page, "accountsScroll"), "accounts", "Ctrl+Shift+A"
    )
    window.add_menu_action("File", sync.sync_action, "mentions", toolbar=True)
    window.add_menu_action("File", sync.stop_action, "mentions")
    for widget in sync.widgets():
        window.add_status_item(widget)

    def account_synced(result: AccountSyncResult) -> None:
        if result.new or result.updated:
            window.reload()  # the inbox shows them while the other accounts still sync

    sync.accountSynced.connect(account_synced)
    sync.accountsNeeded.connect(lambda: window.show_page("accounts"))
    # a later status message is never cut off by the last sync's result beside it
    window.statusBar().messageChanged.connect(lambda text: sync.make_room(bool(text)))
    sync.sync_soon_if_scheduled()
    return page, sync
