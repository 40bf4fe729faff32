"""Sign in to X to reply, from the window's dialog through a real worker thread: the "system
browser" is a URL handler that follows X's redirect to the loopback callback with httpx."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from PySide6.QtCore import QObject, QThreadPool, QUrl, Slot
from PySide6.QtGui import QDesktopServices

from crisisdesk import secrets
from crisisdesk.settings import DictStorage, Settings
from crisisdesk.sources.platforms import x_oauth
from crisisdesk.store import accounts
from crisisdesk.ui.composer.x_sign_in import XSignInDialog, endpoints
from crisisdesk.ui.tasks import TaskRunner
from tests.helpers.platform_server import PlatformServer
from tests.helpers.x_auth_server import XAuthServer


class Browser(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[int] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.pages.append(httpx.get(url.toString(), follow_redirects=True, timeout=5).status_code)


def test_sign_in_from_the_dialog_keeps_the_tokens_in_the_keyring(
    qtbot: Any, db: Any, db_path: Path, memory_keyring: Any, platform_server: PlatformServer
) -> None:
    auth = XAuthServer(platform_server, client_id="my-app")
    accounts.add(db, platform="x", name="bakery-x", base_url=platform_server.url, handle="b")
    assert endpoints(accounts.get(db, "bakery-x")) == (auth.authorize_url, auth.token_url)
    settings = Settings(DictStorage())
    settings.set("composer/x_port", 0)  # any free port in tests; the app uses a fixed one
    browser = Browser()
    QDesktopServices.setUrlHandler("http", browser, "open")
    pool = QThreadPool()
    try:
        dialog = XSignInDialog(db, TaskRunner(db_path, pool=pool), settings, "bakery-x")
        qtbot.addWidget(dialog)
        dialog.client_id.setText(" my-app ")
        with qtbot.waitSignal(dialog.signedIn, timeout=10_000) as signed:
            dialog.accept()
    finally:
        QDesktopServices.unsetUrlHandler("http")
        pool.waitForDone(5000)
    assert signed.args == ["bakery-x"]
    assert browser.pages == [200]
    assert settings.get("composer/x_client_id") == "my-app"
    tokens = x_oauth.load_tokens("bakery-x")
    assert tokens is not None and tokens.access_token == "user-access-1"
    assert secrets.get_secret(secrets.session_key("bakery-x")) == tokens.to_json()
    db.execute("PRAGMA wal_checkpoint(FULL)")
    on_disk = b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())
    assert b"user-access-1" not in on_disk and b"user-refresh-1" not in on_disk


def test_an_empty_client_id_is_asked_for_again(qtbot: Any, db: Any, db_path: Path) -> None:
    dialog = XSignInDialog(db, TaskRunner(db_path), Settings(DictStorage()), "x")
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.accept()
    assert dialog.isVisible() and "Paste the Client ID" in dialog.help.label.text()
