"""Add an account (platform, the fields it needs, its secret), or give one a new token.

Both are :class:`~crisisdesk.ui.accounts.credential_dialog.CredentialDialog`s (password fields,
keyring check, Test, the message line); the add dialog's setting rows per platform are
:class:`~crisisdesk.ui.accounts.platform_fields.PlatformFields`. Feeds need no secret and can be
added without a keyring.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from crisisdesk.domain import Severity
from crisisdesk.errors import CrisisdeskError
from crisisdesk.settings import Settings
from crisisdesk.sources.platforms.registry import PLATFORMS, PlatformInfo
from crisisdesk.store.accounts import Account
from crisisdesk.ui.accounts.credential_dialog import CredentialDialog
from crisisdesk.ui.accounts.help_texts import how_to_text, keyring_problem_text
from crisisdesk.ui.accounts.platform_fields import PlatformFields, suggest_name
from crisisdesk.ui.tasks import TaskContext, TaskRunner

if TYPE_CHECKING:
    from crisisdesk.services.accounts import AccountDraft

__all__ = ["AddAccountDialog", "ChangeTokenDialog"]


class AddAccountDialog(CredentialDialog):
    """Accounts → Add…: choose a platform, fill in what it needs, save (secret → keyring)."""

    accountAdded = Signal(object)  # Account

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        *,
        existing_names: Sequence[str] = (),
        client_factory: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, settings, client_factory=client_factory, parent=parent)
        self.setObjectName("addAccountDialog")
        self.setWindowTitle("Add an account")
        self._taken = list(existing_names)
        self._suggested = ""
        self.added_account: Account | None = None
        self.save_button.setText("Add account")

        self.platform_combo = QComboBox(self)
        self.platform_combo.setObjectName("platform")
        self.platform_combo.setAccessibleName("Platform")
        for info in PLATFORMS.values():
            self.platform_combo.addItem(info.label, info.name)
        self.form.addRow("Platform:", self.platform_combo)
        self.fields = PlatformFields(self.form, self)
        edits = self.fields.edits
        self.name_edit = edits["name"]
        self.base_url_edit = edits["base_url"]
        self.handle_edit = edits["handle"]
        self.page_id_edit = edits["page_id"]
        self.subreddit_edit = edits["subreddit"]
        self.hashtags_edit = edits["hashtags"]
        self.queries_edit = edits["queries"]
        self._layout()
        self.platform_combo.currentIndexChanged.connect(self._platform_changed)
        self._platform_changed()
        self.resize(560, 470)
        self.remember_geometry(settings, "add_account")
        self.check_keyring()

    def current_info(self) -> PlatformInfo:
        return PLATFORMS[str(self.platform_combo.currentData())]

    def set_platform(self, platform: str) -> None:
        index = self.platform_combo.findData(platform)
        if index < 0:
            raise ValueError(f"unknown platform {platform!r}")
        self.platform_combo.setCurrentIndex(index)

    def _platform_changed(self) -> None:
        info = self.current_info()
        self.fields.show_for(info)
        # the password rows go where this platform's Page ID row is (hidden or not)
        self._set_secret_fields(info, before=self.page_id_edit)
        name = self.name_edit.text().strip()
        if not name or name == self._suggested:
            self._suggested = suggest_name(info.name, self._taken)
            self.name_edit.setText(self._suggested)
        self.help_label.setText(how_to_text(info.name))
        self.show_message("")
        self._update_state()

    def _keyring_text(self) -> str:
        return keyring_problem_text() + "\nFeeds need no password and can still be added."

    def _draft(self) -> AccountDraft | None:
        from crisisdesk.services.accounts import AccountFieldError

        try:
            return self.fields.draft(self.current_info())
        except AccountFieldError as exc:
            self.fields.focus(exc.field)
            self.show_message(exc.user_text(), Severity.ERROR)
        except CrisisdeskError as exc:
            self.show_message(exc.user_text(), Severity.ERROR)
        return None

    def _focus_for(self, exc: CrisisdeskError) -> None:
        from crisisdesk.store.accounts import AccountExistsError

        if isinstance(exc, AccountExistsError):
            self.fields.focus("name")

    def _save_fn(
        self, draft: AccountDraft, values: dict[str, str]
    ) -> Callable[[TaskContext], Account]:
        from crisisdesk.services.accounts import add_account

        return lambda ctx: add_account(ctx.db, draft, values)

    def _saved(self, account: Account) -> None:
        self.added_account = account
        self.accountAdded.emit(account)
        self.accept()


class ChangeTokenDialog(CredentialDialog):
    """Accounts → Change token…: a new password or token for an account (e.g. it expired)."""

    tokenChanged = Signal(object)  # Account

    def __init__(
        self,
        account: Account,
        runner: TaskRunner,
        settings: Settings,
        *,
        client_factory: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, settings, client_factory=client_factory, parent=parent)
        self.setObjectName("changeTokenDialog")
        self.account = account
        self._info = PLATFORMS[account.platform]
        self.setWindowTitle(f"New token for {account.name}")
        intro = QLabel(
            f"Paste the new {self._info.label} credential of '{account.name}'. The old one is "
            "replaced in your system keyring; mentions and settings stay as they are.",
            self,
        )
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self._set_secret_fields(self._info)
        self.help_label.setText(how_to_text(account.platform))
        self._layout()
        self.resize(520, 360)
        self.remember_geometry(settings, "change_token")
        self._update_state()
        self.check_keyring()

    def current_info(self) -> PlatformInfo:
        return self._info

    def _draft(self) -> AccountDraft | None:
        from crisisdesk.services.accounts import AccountDraft

        a = self.account
        return AccountDraft(a.platform, a.name, a.base_url, a.handle, dict(a.options))

    def _save_fn(
        self, draft: AccountDraft, values: dict[str, str]
    ) -> Callable[[TaskContext], Account]:
        from crisisdesk.services.accounts import replace_secret

        name = draft.name
        return lambda ctx: replace_secret(ctx.db, name, values)

    def _saved(self, account: Account) -> None:
        self.tokenChanged.emit(account)
        self.accept()
