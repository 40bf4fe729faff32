"""The Sync action on the real main window: mentions reach the inbox, progress and results in the
status bar, one failing account never stops the others, offline, stop, the interval."""

from __future__ import annotations

import functools
import socket
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from crisisdesk import secrets
from crisisdesk.services import accounts as account_setup
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.store import accounts, mentions
from crisisdesk.store.accounts import OFFLINE_TEXT
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.sync import NO_ACCOUNTS_TEXT, SyncController
from crisisdesk.ui.tasks import SyncTaskRunner, TaskRunner
from tests.helpers.builders import table_snapshot
from tests.helpers.mastodon_site import NOTIFICATIONS, MastodonSite
from tests.helpers.platform_server import PlatformServer

GOOD = "good-token-1a2b3c4d"
REVOKED = "revoked-token-9z8y7x"


@pytest.fixture
def site(platform_server: PlatformServer) -> MastodonSite:
    return MastodonSite(platform_server, tokens={GOOD})


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def factory(waits):
    return functools.partial(make_client, sleep=waits.append, timeout=3.0)


@pytest.fixture
def settings() -> Settings:
    return Settings(DictStorage())


def open_window(qtbot, db, db_path, settings, factory, runner=None) -> MainWindow:
    win = MainWindow(db, db_path, settings, runner or SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    win.sync.client_factory = factory
    win.accounts_page.client_factory = factory
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def window(qtbot, db, db_path, settings, factory, memory_keyring) -> MainWindow:
    return open_window(qtbot, db, db_path, settings, factory)


def add(db, name: str, url: str, token: str) -> None:
    draft = account_setup.prepare("mastodon", name, base_url=url)
    account_setup.add_account(db, draft, {"token": token})


def inbox_texts(window: MainWindow) -> list[str]:
    model = window.inbox.model
    return sorted(model.mention_at(r).text for r in range(model.rowCount()))


def visible_boxes(window: MainWindow) -> list[QMessageBox]:
    return [b for b in window.findChildren(QMessageBox) if b.isVisible()]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sync_action_brings_mentions_into_the_inbox_while_a_401_account_fails(
    qtbot, window, db, site, memory_keyring
):
    add(db, "a-revoked", site.url, REVOKED)
    add(db, "b-good", site.url, GOOD)
    site.mention("Ordered a birthday cake, it never came. Nobody answers!")
    site.mention("Lovely sourdough today")
    statuses: list[str] = []
    window.sync.accountSynced.connect(lambda _r: statuses.append(window.sync.status_text))
    summaries: list[object] = []
    window.summaryUpdated.connect(summaries.append)

    assert window.sync.sync_action.shortcut() == QKeySequence("Ctrl+R")
    assert window.sync.sync_action in window.file_menu.actions()
    assert window.sync.sync_action in window.main_toolbar.actions()
    with qtbot.waitSignal(window.sync.finished) as finished:
        window.sync.sync_action.trigger()

    # progress named each account while it ran
    assert statuses == ["Syncing a-revoked (1/2)…", "Syncing b-good (2/2)…"]
    outcome = finished.args[0]
    assert [(r.name, r.new, r.error is None) for r in outcome.results] == [
        ("a-revoked", 0, False),
        ("b-good", 2, True),
    ]
    text = window.sync.status_text
    assert text.endswith("2 new, 0 updated; 1 account failed: a-revoked (see Accounts)")
    assert window.sync.status_label.isVisible()
    assert visible_boxes(window) == []  # a failing account never opens a dialog
    # the inbox and the counts were refreshed; the error waits on the Accounts page
    assert inbox_texts(window) == [
        "Lovely sourdough today",
        "Ordered a birthday cake, it never came. Nobody answers!",
    ]
    assert summaries and summaries[-1].new == 2  # type: ignore[attr-defined]
    page = window.accounts_page
    row = page.model.row_of("a-revoked")
    assert row is not None
    assert "refused the credential" in page.model.account_at(row).last_error
    assert page.model.data(page.model.index(row, 4)).startswith("Failed: ")
    assert accounts.get(db, "b-good").last_sync_at is not None
    assert window.sync.sync_action.isEnabled() and not window.sync.stop_button.isVisible()


def test_second_sync_counts_only_what_is_new(qtbot, window, db, site, memory_keyring):
    add(db, "bakery", site.url, GOOD)
    site.mention("first")
    window.sync.sync_action.trigger()
    site.mention("second")
    window.sync.sync_action.trigger()
    assert window.sync.last_outcome is not None
    assert (window.sync.last_outcome.new, window.sync.last_outcome.updated) == (1, 0)
    assert inbox_texts(window) == ["first", "second"]
    assert mentions.count(db) == 2


def test_offline_says_offline_without_dialogs_and_keeps_what_is_stored(
    qtbot, window, db, memory_keyring, waits
):
    add(db, "bakery", f"http://127.0.0.1:{closed_port()}", GOOD)
    window.sync.sync_action.trigger()  # a first, failed sync leaves nothing behind
    before = table_snapshot(db, "mentions")
    window.sync.sync_action.trigger()
    assert OFFLINE_TEXT in window.sync.status_text
    assert visible_boxes(window) == []
    assert table_snapshot(db, "mentions") == before
    page = window.accounts_page
    row = page.model.row_of("bakery")
    assert row is not None and page.model.data(page.model.index(row, 4)) == "Offline"
    assert waits  # it retried (with the test's recorded sleep) before saying so


def test_sync_with_no_accounts_leads_to_the_accounts_page(qtbot, window, db):
    assert window.showing_welcome  # an empty database opens on the welcome panel
    window.sync.sync_action.trigger()
    assert window.sync.status_text == NO_ACCOUNTS_TEXT
    assert not window.showing_welcome and window.current_page() == "accounts"
    assert window.accounts_page.empty_label.isVisible()


def test_stop_after_the_first_account_keeps_it_and_leaves_the_rest(
    qtbot, window, db, site, memory_keyring
):
    for name in ("a", "b", "c"):
        add(db, name, site.url, GOOD)
    site.mention("hello")
    window.sync.accountSynced.connect(lambda _r: window.sync.stop())
    window.sync.sync_action.trigger()
    outcome = window.sync.last_outcome
    assert outcome is not None and outcome.stopped
    assert [r.name for r in outcome.results] == ["a"]
    assert window.sync.status_text == ("Sync stopped after 1 of 3 accounts: 1 new, 0 updated")
    assert [accounts.get(db, n).last_sync_at is not None for n in "abc"] == [True, False, False]
    assert [accounts.get(db, n).last_error for n in "abc"] == [None, None, None]


def test_never_two_syncs_at_once_and_stop_from_the_status_bar(
    qtbot, db, db_path, settings, factory, site, memory_keyring
):
    add(db, "bakery", site.url, GOOD)
    gate = threading.Event()
    timeline = site.timeline

    def slow_notifications(request):
        gate.wait(10)
        return timeline(request)

    site.server.handle("GET", NOTIFICATIONS, slow_notifications)
    pool = QThreadPool()
    runner = TaskRunner(db_path, pool=pool)
    window = open_window(qtbot, db, db_path, settings, factory, runner)
    qtbot.waitUntil(lambda: runner.active_count == 0)
    sync = window.sync
    try:
        assert sync.start() is True
        assert sync.running and not sync.sync_action.isEnabled()
        assert sync.stop_button.isVisible() and sync.stop_action.isEnabled()
        assert sync.start() is False  # the second one is refused
        sync.timer.timeout.emit()  # and so is an automatic one meanwhile
        assert runner.active_count == 1
        with qtbot.waitSignal(sync.finished, timeout=10_000) as finished:
            sync.stop_button.click()
            gate.set()
    finally:
        gate.set()
        pool.waitForDone(10_000)
    outcome = finished.args[0]
    assert outcome.stopped and outcome.results == []
    # stopped while reading: nothing stored, no error blamed on the account
    assert accounts.get(db, "bakery").last_error is None
    assert accounts.get(db, "bakery").state == {}
    assert not sync.running and sync.sync_action.isEnabled()


def test_interval_setting_runs_automatic_syncs(qtbot, window, db, site, settings, memory_keyring):
    add(db, "bakery", site.url, GOOD)
    page = window.accounts_page
    combo = page.interval_combo
    assert window.sync.interval == 0 and not window.sync.timer.isActive()  # off by default
    assert [combo.itemData(i) for i in range(combo.count())] == [0, 5, 15, 30, 60]
    combo.setCurrentIndex(combo.findData(15))
    assert settings.get("sync/interval") == 15
    assert window.sync.timer.isActive() and window.sync.timer.interval() == 15 * 60_000

    site.mention("arrived by itself")
    window.sync.timer.timeout.emit()
    assert window.sync.last_outcome is not None and window.sync.last_outcome.automatic
    assert inbox_texts(window) == ["arrived by itself"]

    combo.setCurrentIndex(combo.findData(0))
    assert settings.get("sync/interval") == 0 and not window.sync.timer.isActive()


def test_stored_interval_is_restored_and_a_bad_one_means_off(qtbot, db_path, memory_keyring):
    runner = SyncTaskRunner(db_path)
    kept = SyncController(runner, Settings(DictStorage({"sync/interval": "30"})))
    assert kept.interval == 30 and kept.timer.isActive()
    odd = SyncController(runner, Settings(DictStorage({"sync/interval": 7})))
    assert odd.interval == 0 and not odd.timer.isActive()


def test_a_broken_database_is_a_dialog_when_asked_but_quiet_when_automatic(qtbot, tmp_path: Path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    parent = QWidget()
    qtbot.addWidget(parent)
    runner = SyncTaskRunner(broken)
    runner.set_error_parent(lambda: parent)
    sync = SyncController(runner, Settings(DictStorage()), parent=parent)

    sync.start(automatic=True)
    assert sync.status_text.startswith("Sync failed: ")
    assert [b for b in parent.findChildren(QMessageBox) if b.isVisible()] == []

    sync.start()
    (box,) = [b for b in parent.findChildren(QMessageBox) if b.isVisible()]
    assert box.icon() == QMessageBox.Icon.Warning and "not" in box.text().lower()
    box.close()
    assert not sync.running


def test_the_token_never_reaches_the_status_bar_or_the_page(
    qtbot, window, db, site, memory_keyring
):
    site.tokens.clear()  # the platform now refuses it; errors must not echo it
    add(db, "bakery", site.url, GOOD)
    window.sync.sync_action.trigger()
    page = window.accounts_page
    page.select("bakery")
    shown = [
        window.sync.status_text,
        window.sync.status_label.toolTip(),
        page.detail_label.text(),
        str(accounts.get(db, "bakery").last_error),
    ]
    assert "refused the credential" in shown[2]
    assert not any(GOOD in text for text in shown)
    assert secrets.get_secret(secrets.account_key("bakery")) == GOOD


def test_closing_the_window_cancels_the_sync_through_the_runner(
    qtbot, db, db_path, settings, factory, site, memory_keyring
):
    add(db, "bakery", site.url, GOOD)
    gate = threading.Event()
    timeline = site.timeline

    def slow_notifications(request):
        gate.wait(10)
        return timeline(request)

    site.server.handle("GET", NOTIFICATIONS, slow_notifications)
    pool = QThreadPool()
    runner = TaskRunner(db_path, pool=pool)
    sync = SyncController(runner, settings, client_factory=factory)
    progress: list[str] = []
    sync.started.connect(lambda: progress.append(sync.status_text))
    try:
        assert sync.start() is True
        qtbot.waitUntil(lambda: sync.status_text == "Syncing bakery (1/1)…", timeout=5000)
        with qtbot.waitSignal(sync.finished, timeout=10_000) as finished:
            runner.cancel_all()  # what the window does on close (shutdown)
            gate.set()
    finally:
        gate.set()
        pool.waitForDone(10_000)
    assert progress == ["Syncing…"]
    outcome = finished.args[0]
    assert outcome.stopped and outcome.results == []
    assert sync.status_text == "Sync stopped."
    assert not sync.running and sync.sync_action.isEnabled()
    assert accounts.get(db, "bakery").last_error is None
