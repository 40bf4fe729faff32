"""Sign in to X to reply: the owner's X app Client ID, the callback URL to register, then the
OAuth flow of ``sources/platforms/x_oauth.py`` on a worker thread while the system browser
shows X's own page. The tokens go to the keyring only."""

from __future__ import annotations

from typing import Any

import sqlite_utils
from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.sources.platforms import x_oauth
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.x import API_URL
from crisisdesk.store import accounts
from crisisdesk.ui.tasks import TaskContext, TaskRunner
from crisisdesk.ui.widgets import HelpBox, column, ok_cancel_buttons


def endpoints(account: accounts.Account) -> tuple[str, str]:
    """(authorize URL, token URL) for the account: X's own, or its configured API address
    (a test server or a proxy) for both."""
    base = (account.base_url or API_URL).rstrip("/")
    if base == API_URL:
        return x_oauth.AUTHORIZE_URL, API_URL + x_oauth.TOKEN_PATH
    return base + "/i/oauth2/authorize", base + x_oauth.TOKEN_PATH


def run_sign_in(
    ctx: TaskContext, account_name: str, client_id: str, port: int, client_factory: Any = None
) -> str:
    """The whole sign-in on a worker thread; the browser is opened through ``ctx.publish``."""
    account = accounts.get(ctx.db, account_name)
    authorize, token = endpoints(account)
    factory = client_factory or make_client
    with factory(cancelled=lambda: ctx.cancelled) as client:
        tokens = x_oauth.sign_in(
            client, client_id, ctx.publish, token_url=token, authorize_base=authorize, port=port,
            cancelled=lambda: ctx.cancelled,
        )  # fmt: skip
    x_oauth.save_tokens(account_name, tokens)
    return account_name


class XSignInDialog(QDialog):
    """Asks for the Client ID; ``signedIn(account name)`` once the tokens are in the keyring."""

    signedIn = Signal(str)

    def __init__(
        self,
        db: sqlite_utils.Database,
        runner: TaskRunner,
        settings: Settings,
        account_name: str,
        *,
        client_factory: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("xSignInDialog")
        self.setWindowTitle("Sign in to X to reply")
        self.setAccessibleName("Sign in to X to reply")
        self._runner = runner
        self._settings = settings
        self._account = account_name
        self._client_factory = client_factory
        port = int(settings.get("composer/x_port"))
        self.help = HelpBox(
            "Replying on X needs your permission, given on X's own page in your browser.\n"
            "1. In the X developer portal, open your app → User authentication settings: type"
            " 'Native App', permissions 'Read and write', and this callback URL:\n"
            f"{x_oauth.redirect_uri(port)}\n"
            "2. Copy the app's OAuth 2.0 Client ID from 'Keys and tokens' below, then OK.\n"
            "crisisdesk keeps what X gives back in your system keyring only.",
            self,
        )
        self.client_id = QLineEdit(settings.get("composer/x_client_id"), self)
        self.client_id.setAccessibleName("X OAuth 2.0 Client ID")
        form = QFormLayout()
        form.addRow("OAuth 2.0 &Client ID:", self.client_id)
        column(self, self.help, form, ok_cancel_buttons(self))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("x") * 80)

    def accept(self) -> None:
        client_id = self.client_id.text().strip()
        if not client_id:
            self.help.set_text("Paste the Client ID first (X developer portal → Keys and tokens).")
            return
        self._settings.set("composer/x_client_id", client_id)
        port = int(self._settings.get("composer/x_port"))
        name, factory = self._account, self._client_factory
        super().accept()
        parent = self.parentWidget()
        self._runner.op(lambda ctx: run_sign_in(ctx, name, client_id, port, factory)).partial(
            open_in_browser
        ).progress(
            "Waiting for you to allow crisisdesk in the browser…", cancellable=True, parent=parent
        ).success(self.signedIn.emit).failure(lambda exc: _show(parent, exc)).start()


def open_in_browser(url: object) -> None:
    QDesktopServices.openUrl(QUrl(str(url), QUrl.ParsingMode.StrictMode))


def _show(parent: QWidget | None, exc: BaseException) -> None:
    from crisisdesk.ui import errors

    if isinstance(exc, CrisisdeskError) and str(exc) == "Sign-in cancelled.":
        return
    box = errors.show_error(parent, exc)
    box.setTextFormat(Qt.TextFormat.PlainText)
