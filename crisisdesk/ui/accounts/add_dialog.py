"""Add an account (platform, the fields it needs, its secret), or give one a new token.

Secrets are typed into password fields, go straight to the keyring through a background task
(``sources.account_setup``), and are never shown, logged or put in the settings. Without a
usable keyring the dialog says how to fix that and does not offer to save (feeds, which need no
secret, can still be added). "Test" asks the platform whether the credential works before
anything is saved; it is optional.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crisisdesk import secrets
from crisisdesk.errors import CredentialError, CrisisdeskError, OfflineError
from crisisdesk.settings import Settings
from crisisdesk.sources.platforms.registry import PLATFORMS, PlatformInfo, encode_secret
from crisisdesk.store.accounts import OFFLINE_TEXT, Account
from crisisdesk.ui import errors
from crisisdesk.ui.accounts.help_texts import how_to_text, keyring_problem_text
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.tasks import TaskContext, TaskHandle, TaskRunner

HANDLE_LABEL = {"reddit": "Reddit username", "x": "X handle", "bluesky": "Bluesky handle"}
#: what the GUI calls each field in messages ("A Mastodon account needs its address (…)")
GUI_FIELDS: dict[str, str] = {
    "base_url": "its address",
    "handle": "your handle",
    "page_id": "the Page ID",
}
_SPLIT = re.compile(r"[,\n]")
_SPLIT_TAGS = re.compile(r"[,\s]+")


def split_terms(text: str) -> list[str]:
    """Search terms are separated by commas (a term may contain spaces)."""
    return [t.strip() for t in _SPLIT.split(text) if t.strip()]


def split_tags(text: str) -> list[str]:
    return [t.strip().lstrip("#") for t in _SPLIT_TAGS.split(text) if t.strip("# \t")]


def suggest_name(platform: str, taken: Sequence[str]) -> str:
    names = {n.lower() for n in taken}
    if platform not in names:
        return platform
    number = 2
    while f"{platform}-{number}" in names:
        number += 1
    return f"{platform}-{number}"


def _mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class _CredentialDialog(RememberGeometry, QDialog):
    """What both dialogs share: password fields, the keyring check, Test, a message line."""

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        *,
        client_factory: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._client_factory = client_factory
        self._busy: TaskHandle | None = None
        self._saving = False
        #: None until the background check answered
        self.keyring_ok: bool | None = None
        self.secret_edits: dict[str, QLineEdit] = {}
        self._settings = settings

        self.keyring_label = QLabel(self)
        self.keyring_label.setObjectName("keyringProblem")
        self.keyring_label.setTextFormat(Qt.TextFormat.PlainText)
        self.keyring_label.setWordWrap(True)
        self.keyring_label.setAccessibleName("Keyring problem")
        # the same warning colours as the inbox's search error (and words, not only colour)
        self.keyring_label.setStyleSheet(
            "QLabel { background: #fde2e1; color: #8a1c14; border-radius: 3px; padding: 6px; }"
        )
        self.keyring_label.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.help_label = QLabel(self)
        self.help_label.setObjectName("howTo")
        self.help_label.setTextFormat(Qt.TextFormat.PlainText)
        self.help_label.setWordWrap(True)
        self.help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.help_label.setAccessibleName("How do I get this?")
        self.help_title = QLabel("How do I get this?", self)
        self.help_title.setObjectName("howToTitle")
        font = self.help_title.font()
        font.setBold(True)
        self.help_title.setFont(font)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("dialogMessage")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.setAccessibleName("Message")
        self.message_label.hide()

        self.buttons = QDialogButtonBox(self)
        self.test_button = QPushButton("Test", self)
        self.test_button.setObjectName("testCredential")
        self.test_button.setToolTip("Ask the platform whether this works, without saving anything")
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self.test_credential)
        self.save_button.clicked.connect(self.save)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring_label)
        layout.addLayout(self.form)
        layout.addSpacing(6)
        layout.addWidget(self.help_title)
        layout.addWidget(self.help_label)
        layout.addWidget(self.message_label)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    # --- to override ---------------------------------------------------------------------------

    def current_info(self) -> PlatformInfo:
        raise NotImplementedError

    def _draft(self) -> Any:
        """The checked AccountDraft, or None (the problem is shown)."""
        raise NotImplementedError

    def _save_fn(self, draft: Any, values: dict[str, str]) -> Callable[[TaskContext], Any]:
        """What the save runs in the background (keyring and database, in the worker)."""
        raise NotImplementedError

    def _saved(self, result: Any) -> None:
        raise NotImplementedError

    # --- secret fields -------------------------------------------------------------------------

    def _set_secret_fields(self, info: PlatformInfo, before: QWidget | None = None) -> None:
        """Password fields for what *info* needs (replacing those of the previous platform)."""
        for edit in self.secret_edits.values():
            edit.clear()
            self.form.removeRow(edit)
        self.secret_edits = {}
        for secret_field in info.secret_fields:
            edit = QLineEdit(self)
            edit.setObjectName(f"secret_{secret_field.key}")
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            label, _, note = secret_field.prompt.partition(" (")
            edit.setAccessibleName(label)
            edit.setPlaceholderText(note.rstrip(")") or "kept in your system keyring")
            edit.setToolTip("Kept only in your system keyring; crisisdesk never shows it again.")
            edit.textEdited.connect(lambda _text, e=edit: _mark_invalid(e, False))
            if before is None:
                self.form.addRow(label + ":", edit)
            else:
                position: Any = self.form.getWidgetPosition(before)
                self.form.insertRow(int(position[0]), label + ":", edit)
            self.secret_edits[secret_field.key] = edit

    def secret_values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.secret_edits.items()}

    def _checked_values(self, info: PlatformInfo) -> dict[str, str] | None:
        values = self.secret_values()
        if not info.secret_fields:
            return {}
        try:
            encode_secret(info, values)  # only to check that none is empty
        except CredentialError as exc:
            for key, edit in self.secret_edits.items():
                if not values.get(key, "").strip():
                    _mark_invalid(edit, True)
                    edit.setFocus()
                    break
            self.show_message(exc.user_text(), problem=True)
            return None
        return values

    # --- keyring -------------------------------------------------------------------------------

    def check_keyring(self) -> None:
        """Ask (off the GUI thread: a keyring may talk to a system service) if one is usable."""
        self._runner.op(lambda _ctx: secrets.keyring_available()).success(
            self._keyring_checked
        ).failure(lambda _exc: self._keyring_checked(False)).start()

    def _keyring_checked(self, ok: bool) -> None:
        self.keyring_ok = bool(ok)
        self._update_state()

    def needs_keyring(self) -> bool:
        return bool(self.current_info().secret_fields)

    def can_save(self) -> bool:
        if self._busy is not None or self._saving:
            return False
        return not self.needs_keyring() or self.keyring_ok is True

    def _update_state(self) -> None:
        blocked = self.needs_keyring() and self.keyring_ok is False
        self.keyring_label.setText(self._keyring_text() if blocked else "")
        self.keyring_label.setVisible(blocked)
        self.save_button.setEnabled(self.can_save())
        self.save_button.setVisible(not blocked)
        self.test_button.setEnabled(self._busy is None and not self._saving)

    def _keyring_text(self) -> str:
        return keyring_problem_text()

    # --- messages ------------------------------------------------------------------------------

    def show_message(self, text: str, *, problem: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("problem", problem)
        _mark_invalid(self.message_label, problem)
        self.message_label.setVisible(bool(text))

    @property
    def message(self) -> str:
        return self.message_label.text() if self.message_label.isVisible() else ""

    # --- test ----------------------------------------------------------------------------------

    def test_credential(self) -> None:
        """Check the credential with the platform; nothing is stored."""
        draft = self._draft()
        if draft is None:
            return
        values = self._checked_values(draft.info)
        if values is None:
            return
        from crisisdesk.services.accounts import check_draft
        from crisisdesk.sources.platforms.http import make_client

        factory = self._client_factory or make_client
        self.show_message(f"Checking with {draft.info.label}…")
        self._busy = (
            self._runner.op(lambda _ctx: check_draft(draft, values, factory))
            .success(self._tested)
            .failure(self._test_failed)
            .start()
        )
        if self._busy.done:  # a synchronous runner answered already
            self._busy = None
        self._update_state()

    def _tested(self, who: str) -> None:
        self._busy = None
        self.show_message(f"It works: signed in as {who}.")
        self._update_state()

    def _test_failed(self, exc: BaseException) -> None:
        self._busy = None
        if isinstance(exc, OfflineError):
            self.show_message(OFFLINE_TEXT, problem=True)
        elif isinstance(exc, CrisisdeskError):
            self.show_message("The check failed. " + exc.user_text(), problem=True)
        else:
            errors.show_error(self, exc)
        self._update_state()

    # --- save ----------------------------------------------------------------------------------

    def save(self) -> None:
        if not self.can_save():
            return
        draft = self._draft()
        if draft is None:
            return
        values = self._checked_values(draft.info)
        if values is None:
            return
        fn = self._save_fn(draft, values)
        self._saving = True
        self.show_message("Saving…")
        self._update_state()
        (self._runner.op(fn).success(self._after_save).failure(self._save_failed).start())

    def _after_save(self, result: Any) -> None:
        self._saving = False
        for edit in self.secret_edits.values():
            edit.clear()
        self._saved(result)

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._update_state()
        if isinstance(exc, CrisisdeskError):
            self.show_message(exc.user_text(), problem=True)
            self._focus_for(exc)
        else:
            self.show_message("")
            errors.show_error(self, exc)

    def _focus_for(self, exc: CrisisdeskError) -> None:
        """Put the cursor where the problem is (overridden by the add dialog)."""

    def done(self, result: int) -> None:
        if self._saving:
            return  # a few milliseconds: keyring and database; never half-way
        if self._busy is not None:
            self._busy.cancel()
            self._busy = None
        for edit in self.secret_edits.values():
            edit.clear()
        super().done(result)


class AddAccountDialog(_CredentialDialog):
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
        self.name_edit = self._line("name", "Name", "a short name, e.g. bakery-mastodon")
        self.base_url_edit = self._line("base_url", "Address", "")
        self.handle_edit = self._line("handle", "Handle", "")
        self.page_id_edit = self._line("page_id", "Page ID", "digits, e.g. 1234567890")
        self.subreddit_edit = self._line("subreddit", "Subreddit", "optional, e.g. Portland")
        self.hashtags_edit = self._line("hashtags", "Hashtags", "optional, e.g. crumbsbakery")
        self.queries_edit = self._line(
            "queries", "Search terms", 'optional, comma between terms: crumbs bakery, "maple rye"'
        )
        self.form.addRow("Platform:", self.platform_combo)
        self.form.addRow("Name:", self.name_edit)
        self.form.addRow("Address:", self.base_url_edit)
        self.form.addRow("Handle:", self.handle_edit)
        self.form.addRow("Page ID:", self.page_id_edit)
        self.form.addRow("Subreddit:", self.subreddit_edit)
        self.form.addRow("Hashtags:", self.hashtags_edit)
        self.form.addRow("Search terms:", self.queries_edit)
        self._layout()
        self.platform_combo.currentIndexChanged.connect(self._platform_changed)
        self._platform_changed()
        self.resize(560, 470)
        self.remember_geometry(settings, "add_account")
        self.check_keyring()

    def _line(self, key: str, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(key)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(lambda _text: _mark_invalid(edit, False))
        return edit

    def field_widgets(self) -> dict[str, QLineEdit]:
        return {
            "name": self.name_edit,
            "base_url": self.base_url_edit,
            "handle": self.handle_edit,
            "page_id": self.page_id_edit,
            "subreddit": self.subreddit_edit,
            "hashtags": self.hashtags_edit,
            "queries": self.queries_edit,
        }

    def current_info(self) -> PlatformInfo:
        return PLATFORMS[str(self.platform_combo.currentData())]

    def set_platform(self, platform: str) -> None:
        index = self.platform_combo.findData(platform)
        if index < 0:
            raise ValueError(f"unknown platform {platform!r}")
        self.platform_combo.setCurrentIndex(index)

    def _platform_changed(self) -> None:
        info = self.current_info()
        shows_url = info.needs_base_url or info.default_base_url is not None
        self.form.setRowVisible(self.base_url_edit, shows_url)
        label: Any = self.form.labelForField(self.base_url_edit)
        if info.name == "feeds":
            label.setText("Feed address:")
        elif info.needs_base_url:
            label.setText("Server address:")
        else:
            label.setText("Server (optional):")
        placeholder = info.base_url_help or (
            f"leave empty for {info.default_base_url}" if info.default_base_url else ""
        )
        self.base_url_edit.setPlaceholderText(placeholder)
        self.form.setRowVisible(self.handle_edit, info.needs_handle)
        handle_label: Any = self.form.labelForField(self.handle_edit)
        handle_label.setText(HANDLE_LABEL.get(info.name, "Handle") + ":")
        self.handle_edit.setPlaceholderText(info.handle_help)
        self.form.setRowVisible(self.page_id_edit, "page_id" in info.required_options)
        for key, edit in (
            ("subreddit", self.subreddit_edit),
            ("hashtags", self.hashtags_edit),
            ("queries", self.queries_edit),
        ):
            self.form.setRowVisible(edit, key in info.optional_options)
        self._set_secret_fields(info, before=self.page_id_edit)
        name = self.name_edit.text().strip()
        if not name or name == self._suggested:
            self._suggested = suggest_name(info.name, self._taken)
            self.name_edit.setText(self._suggested)
        self.help_label.setText(how_to_text(info.name))
        for edit in self.field_widgets().values():
            _mark_invalid(edit, False)
        self.show_message("")
        self._update_state()

    def _keyring_text(self) -> str:
        return keyring_problem_text() + "\nFeeds need no password and can still be added."

    def _draft(self) -> Any:
        from crisisdesk.services.accounts import AccountFieldError, prepare

        info = self.current_info()
        shown = info.optional_options
        try:
            return prepare(
                info.name,
                self.name_edit.text(),
                base_url=self.base_url_edit.text() or None,
                handle=self.handle_edit.text() if info.needs_handle else None,
                queries=split_terms(self.queries_edit.text()) if "queries" in shown else (),
                hashtags=split_tags(self.hashtags_edit.text()) if "hashtags" in shown else (),
                subreddit=self.subreddit_edit.text() if "subreddit" in shown else None,
                page_id=self.page_id_edit.text() if info.required_options else None,
                names=GUI_FIELDS,
            )
        except AccountFieldError as exc:
            self._focus_field(exc.field)
            self.show_message(exc.user_text(), problem=True)
        except CrisisdeskError as exc:
            self.show_message(exc.user_text(), problem=True)
        return None

    def _focus_field(self, key: str) -> None:
        widget = self.field_widgets().get(key)
        if widget is not None:
            _mark_invalid(widget, True)
            widget.setFocus()

    def _focus_for(self, exc: CrisisdeskError) -> None:
        from crisisdesk.store.accounts import AccountExistsError

        if isinstance(exc, AccountExistsError):
            self._focus_field("name")

    def _save_fn(self, draft: Any, values: dict[str, str]) -> Callable[[TaskContext], Any]:
        from crisisdesk.services.accounts import add_account

        return lambda ctx: add_account(ctx.db, draft, values)

    def _saved(self, account: Account) -> None:
        self.added_account = account
        self.accountAdded.emit(account)
        self.accept()


class ChangeTokenDialog(_CredentialDialog):
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

    def _draft(self) -> Any:
        from crisisdesk.services.accounts import AccountDraft

        a = self.account
        return AccountDraft(a.platform, a.name, a.base_url, a.handle, dict(a.options))

    def _save_fn(self, draft: Any, values: dict[str, str]) -> Callable[[TaskContext], Any]:
        from crisisdesk.services.accounts import replace_secret

        name = draft.name
        return lambda ctx: replace_secret(ctx.db, name, values)

    def _saved(self, account: Account) -> None:
        self.tokenChanged.emit(account)
        self.accept()
