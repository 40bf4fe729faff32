"""Accounts page and dialogs on the real main window: real SQLite, in-memory keyring, real HTTP
to a loopback Mastodon instance, synchronous task runner."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox

from crisisdesk import secrets
from crisisdesk.domain import AccountState
from crisisdesk.services import accounts as account_setup
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.registry import PLATFORMS
from crisisdesk.store import accounts, mentions
from crisisdesk.ui.accounts.add_dialog import AddAccountDialog, ChangeTokenDialog
from crisisdesk.ui.accounts.help_texts import HOW_TO
from crisisdesk.ui.accounts.model import AccountsModel, status_text
from crisisdesk.ui.main_window import MainWindow
from crisisdesk.ui.tasks import SyncTaskRunner
from tests.helpers.builders import table_snapshot
from tests.helpers.mastodon_site import MastodonSite
from tests.helpers.platform_server import PlatformServer

TOKEN = "masto-good-token-5f4e3d2c1b"
OLD_TOKEN = "masto-revoked-token-0a9b8c"


@pytest.fixture
def site(platform_server: PlatformServer) -> MastodonSite:
    return MastodonSite(platform_server, tokens={TOKEN})


@pytest.fixture
def settings() -> Settings:
    return Settings(DictStorage())


@pytest.fixture
def window(qtbot, db, db_path: Path, settings: Settings, memory_keyring) -> MainWindow:
    win = MainWindow(db, db_path, settings, SyncTaskRunner(db_path))
    qtbot.addWidget(win)
    waits: list[float] = []
    factory = functools.partial(make_client, sleep=waits.append, timeout=3.0)
    win.sync.client_factory = factory
    win.accounts_page.client_factory = factory
    win.show()
    qtbot.waitExposed(win)
    win.show_page("accounts")
    return win


def add_dialog(window: MainWindow) -> AddAccountDialog:
    window.accounts_page.add_button.click()
    dialog = window.accounts_page.add_dialog
    assert isinstance(dialog, AddAccountDialog) and dialog.isVisible()
    return dialog


def fill_mastodon(dialog: AddAccountDialog, url: str, token: str, name: str = "bakery") -> None:
    dialog.set_platform("mastodon")
    dialog.name_edit.setText(name)
    dialog.base_url_edit.setText(url)
    dialog.secret_edits["token"].setText(token)


def add_stored(db, site: MastodonSite, name: str, token: str):
    draft = account_setup.prepare("mastodon", name, base_url=site.url)
    return account_setup.add_account(db, draft, {"token": token})


def inbox_texts(window: MainWindow) -> list[str]:
    model = window.inbox.model
    return sorted(model.mention_at(r).text for r in range(model.rowCount()))


def db_bytes(db_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*") if p.is_file())


def page_status(window: MainWindow, name: str) -> str:
    model = window.accounts_page.model
    row = model.row_of(name)
    assert row is not None
    return status_text(model.account_at(row))


# --- adding -------------------------------------------------------------------------------------


def test_add_through_dialog_keeps_the_secret_in_the_keyring_only_and_syncs_it(
    qtbot, window, db, db_path, site, memory_keyring, settings, caplog
):
    caplog.set_level(logging.DEBUG)
    site.mention("Your wedding cake arrived two hours late and nobody answered the phone")
    site.mention("Best croissant in town")
    dialog = add_dialog(window)
    assert dialog.keyring_ok is True and not dialog.keyring_label.isVisible()
    fill_mastodon(dialog, site.url + "/", TOKEN, name="bakery-mastodon")
    assert dialog.secret_edits["token"].echoMode() == QLineEdit.EchoMode.Password

    dialog.save_button.click()

    assert not dialog.isVisible()
    (account,) = accounts.list_all(db)
    assert (account.platform, account.name, account.base_url) == (
        "mastodon",
        "bakery-mastodon",
        site.url,
    )
    assert memory_keyring.store == {("crisisdesk", "account:bakery-mastodon"): TOKEN}
    # the token went to the server, and nowhere else
    assert site.server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert TOKEN.encode() not in db_bytes(db_path)
    assert TOKEN not in repr(settings.storage.data)
    assert not any(TOKEN in r.getMessage() for r in caplog.records)
    # adding it synced it at once: the mentions are in the inbox and the page says OK
    assert inbox_texts(window) == [
        "Best croissant in town",
        "Your wedding cake arrived two hours late and nobody answered the phone",
    ]
    assert "2 new, 0 updated" in window.sync.status_text
    assert page_status(window, "bakery-mastodon") == "OK"
    assert "Added 'bakery-mastodon'" in window.accounts_page.message_label.text()


@pytest.mark.parametrize("platform", list(PLATFORMS))
def test_dialog_asks_for_what_each_platform_needs(qtbot, window, platform):
    dialog = add_dialog(window)
    dialog.set_platform(platform)
    info = PLATFORMS[platform]
    form = dialog.form

    def visible(widget) -> bool:
        return form.isRowVisible(widget)

    assert visible(dialog.handle_edit) == info.needs_handle
    assert visible(dialog.page_id_edit) == ("page_id" in info.required_options)
    assert visible(dialog.base_url_edit) == (info.needs_base_url or bool(info.default_base_url))
    assert visible(dialog.queries_edit) == ("queries" in info.optional_options)
    assert list(dialog.secret_edits) == [f.key for f in info.secret_fields]
    assert all(e.echoMode() == QLineEdit.EchoMode.Password for e in dialog.secret_edits.values())
    assert dialog.name_edit.text() == platform  # a suggested name
    help_text = dialog.help_label.text()
    # issue 9.13: the steps are in the app, numbered; no "see the README"
    assert "README" not in help_text and help_text.startswith("1. ")
    assert help_text.replace("\n", " ").count(". ") >= HOW_TO[platform].count(". ")
    assert dialog.help_label.textFormat() == Qt.TextFormat.PlainText
    dialog.reject()


def test_no_keyring_says_how_to_fix_and_writes_nothing(qtbot, window, db, site, memory_keyring):
    keyring.set_keyring(fail.Keyring())  # memory_keyring puts the previous backend back after
    before = table_snapshot(db, "accounts")
    dialog = add_dialog(window)
    fill_mastodon(dialog, site.url, TOKEN)

    assert dialog.keyring_ok is False
    assert dialog.keyring_label.isVisible()
    assert secrets.how_to_fix() in dialog.keyring_label.text()
    assert not dialog.save_button.isVisible() and not dialog.save_button.isEnabled()
    dialog.save()  # even forced, nothing is saved
    assert dialog.isVisible()
    assert table_snapshot(db, "accounts") == before == []
    assert memory_keyring.store == {}
    assert site.server.requests == []

    # a feed needs no secret: it can still be added
    dialog.set_platform("feeds")
    assert not dialog.keyring_label.isVisible() and dialog.save_button.isEnabled()
    dialog.name_edit.setText("alerts")
    dialog.base_url_edit.setText(site.url + "/alerts/feeds/1/2")
    dialog.save_button.click()
    assert [a.name for a in accounts.list_all(db)] == ["alerts"]
    assert memory_keyring.store == {}


@pytest.mark.parametrize(
    ("name", "url", "token", "field", "message"),
    [
        ("  ", "https://m.social", TOKEN, "name", "An account needs a name."),
        ("m", "", TOKEN, "base_url", "needs its address"),
        ("m", "m.social", TOKEN, "base_url", "is not a web address"),
        ("m", "http://m.social", TOKEN, "base_url", "not encrypted"),
        ("m", "https://m.social", "  ", "secret_token", "is empty"),
    ],
)
def test_bad_input_is_explained_in_the_dialog_and_nothing_is_stored(
    qtbot, window, db, memory_keyring, name, url, token, field, message
):
    dialog = add_dialog(window)
    fill_mastodon(dialog, url, token, name=name)
    dialog.save_button.click()
    assert dialog.isVisible()
    assert message in dialog.message
    assert dialog.message_label.textFormat() == Qt.TextFormat.PlainText
    widget = dialog.findChild(QLineEdit, field)
    assert widget is not None and widget.property("invalid") is True
    assert accounts.list_all(db) == [] and memory_keyring.store == {}


def test_duplicate_name_keeps_the_existing_account_and_its_secret(
    qtbot, window, db, site, memory_keyring
):
    add_stored(db, site, "bakery", TOKEN)
    before = table_snapshot(db, "accounts")
    dialog = add_dialog(window)
    fill_mastodon(dialog, site.url, "another-token", name="bakery")
    dialog.save_button.click()
    assert "already an account called 'bakery'" in dialog.message
    assert dialog.name_edit.property("invalid") is True
    assert table_snapshot(db, "accounts") == before
    assert memory_keyring.store == {("crisisdesk", "account:bakery"): TOKEN}


def test_test_button_checks_the_token_without_saving(qtbot, window, db, site, memory_keyring):
    dialog = add_dialog(window)
    fill_mastodon(dialog, site.url, OLD_TOKEN)
    dialog.test_button.click()
    assert "The check failed" in dialog.message and "refused the credential" in dialog.message
    assert OLD_TOKEN not in dialog.message

    dialog.secret_edits["token"].setText(TOKEN)
    dialog.test_button.click()
    assert dialog.message.startswith("It works: signed in as @bakery@127.0.0.1")
    assert accounts.list_all(db) == [] and memory_keyring.store == {}
    dialog.reject()
    assert dialog.secret_edits["token"].text() == ""  # not kept in memory after closing


# --- the list, test, change token, remove -------------------------------------------------------


def test_failed_account_shows_its_error_and_a_new_token_fixes_it(
    qtbot, window, db, site, memory_keyring
):
    add_stored(db, site, "bakery", OLD_TOKEN)
    site.mention("Still waiting for my refund")
    window.sync.sync_action.trigger()
    page = window.accounts_page
    page.select("bakery")
    assert page_status(window, "bakery").startswith("Failed: 127.0.0.1 refused the credential")
    details = page.detail_label.text()
    assert "refused the credential (HTTP 401)" in details and "Change token" in details
    assert page.detail_label.textFormat() == Qt.TextFormat.PlainText

    page.test_button.click()
    assert "bakery: the check failed" in page.message_label.text()

    page.token_button.click()
    dialog = page.add_dialog
    assert isinstance(dialog, ChangeTokenDialog)
    dialog.secret_edits["token"].setText(TOKEN)
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert memory_keyring.store[("crisisdesk", "account:bakery")] == TOKEN

    page.test_button.click()
    # no /api/v2/instance on this site: the address's host and port stand for the domain
    domain = site.url.split("://", 1)[1]
    assert page.message_label.text() == f"bakery: OK, signed in as @bakery@{domain}."
    window.sync.sync_action.trigger()
    assert page_status(window, "bakery") == "OK"
    assert inbox_texts(window) == ["Still waiting for my refund"]


def test_remove_asks_first_and_keeps_the_mentions(qtbot, window, db, site, memory_keyring):
    add_stored(db, site, "bakery", TOKEN)
    site.mention("The bread was stale")
    window.sync.sync_action.trigger()
    assert mentions.count(db) == 1
    page = window.accounts_page
    page.reload()
    page.select("bakery")

    page.remove_button.click()
    box = page.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "'bakery'" in box.text() and "mentions stay" in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert [a.name for a in accounts.list_all(db)] == ["bakery"]

    page.remove_button.click()
    box = page.confirm_box
    assert box is not None
    (remove,) = [b for b in box.buttons() if b.text() == "Remove account"]
    remove.click()
    assert accounts.list_all(db) == []
    assert memory_keyring.store == {}
    (kept,) = mentions.query(db, limit=10)
    assert kept.text == "The bread was stale" and kept.account_id is None
    assert "still in the inbox" in page.message_label.text()
    assert page.empty_label.isVisible()
    assert inbox_texts(window) == ["The bread was stale"]


def test_accounts_model_passes_the_model_tester(qtmodeltester, db, memory_keyring):
    for name in ("b", "a"):
        accounts.add(db, platform="feeds", name=name, base_url="https://e.example/feed")
    accounts.save_sync_error(
        db, accounts.get(db, "b").id, "<b>boom</b>\nTry later.", state=AccountState.FAILED
    )
    model = AccountsModel()
    model.set_accounts(accounts.list_all(db))
    qtmodeltester.check(model)
    assert model.data(model.index(1, 4)) == "Failed: <b>boom</b>"
    assert "&lt;b&gt;boom" in model.data(model.index(1, 4), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 3)) == "never"


def test_status_and_details_follow_the_state_not_the_message(db, qtbot):
    from crisisdesk.store.accounts import OFFLINE_TEXT
    from crisisdesk.ui.accounts.page import account_details

    for name in ("away", "broken", "fine", "new"):
        accounts.add(db, platform="feeds", name=name, base_url="https://e.example/feed")
    accounts.save_sync_error(
        db, accounts.get(db, "away").id, OFFLINE_TEXT, state=AccountState.OFFLINE
    )
    # a failure whose words happen to be the offline text is still a failure
    accounts.save_sync_error(
        db, accounts.get(db, "broken").id, OFFLINE_TEXT, state=AccountState.FAILED
    )
    with db.atomic():
        accounts.save_sync_success(db, accounts.get(db, "fine").id, {}, "2026-11-20T10:00:00Z")
    model = AccountsModel()
    model.set_accounts(accounts.list_all(db))
    texts = {a.name: status_text(a) for a in model.accounts()}
    assert texts == {
        "away": "Offline",
        "broken": f"Failed: {OFFLINE_TEXT}",
        "fine": "OK",
        "new": "Not synced yet",
    }
    away, broken, _fine, new = model.accounts()
    assert "found no network" in account_details(away)
    assert "failed" in account_details(broken) and "found no network" not in account_details(broken)
    assert "Not synced yet" in account_details(new)


def test_split_terms_tags_and_suggested_names():
    from crisisdesk.ui.accounts.platform_fields import split_tags, split_terms, suggest_name

    assert split_terms('crumbs bakery, "maple rye"\n, ,cake') == [
        "crumbs bakery",
        '"maple rye"',
        "cake",
    ]
    assert split_tags("#cake, croissant  ##  #bread") == ["cake", "croissant", "bread"]
    assert suggest_name("reddit", ["Mastodon"]) == "reddit"
    assert suggest_name("reddit", ["Reddit", "reddit-2"]) == "reddit-3"


@pytest.mark.parametrize(
    ("platform", "shown", "address", "handle"),
    [
        ("mastodon", {"name", "base_url", "hashtags", "queries"}, "Server address:", None),
        ("bluesky", {"name", "base_url", "handle", "queries"}, "Server (optional):",
         "Bluesky handle:"),
        ("feeds", {"name", "base_url"}, "Feed address:", None),
        ("reddit", {"name", "handle", "subreddit", "hashtags", "queries"}, None,
         "Reddit username:"),
        ("facebook", {"name", "page_id"}, None, None),
    ],
)  # fmt: skip
def test_platform_fields_show_what_the_platform_reads(qtbot, platform, shown, address, handle):
    from PySide6.QtWidgets import QFormLayout, QWidget

    from crisisdesk.ui.accounts.platform_fields import PlatformFields

    widget = QWidget()
    qtbot.addWidget(widget)
    form = QFormLayout(widget)
    fields = PlatformFields(form, widget)
    info = PLATFORMS[platform]
    fields.show_for(info)
    assert {k for k, e in fields.edits.items() if form.isRowVisible(e)} == shown
    if address is not None:
        assert form.labelForField(fields.edits["base_url"]).text() == address
    if handle is not None:
        assert form.labelForField(fields.edits["handle"]).text() == handle


def test_a_dialog_closed_before_the_keyring_answer_never_gets_it(
    qtbot, db_path: Path, settings: Settings, memory_keyring
) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent, QThreadPool

    from crisisdesk.ui.tasks import TaskRunner

    pool = QThreadPool()
    dialog = AddAccountDialog(TaskRunner(db_path, pool=pool), settings, existing_names=[])
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    pool.waitForDone(5000)  # the keyring's answer is queued for the GUI thread
    dialog.reject()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()  # the answer arrives: nothing may touch the dialog
