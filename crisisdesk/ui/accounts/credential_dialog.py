"""What the add-account and change-token dialogs share: password fields, the keyring check,
"Test" and a message line.

Secrets are typed into password fields, go straight to the keyring through a background task
(``services.accounts``), and are never shown, logged or put in the settings. Without a usable
keyring the dialog says how to fix that and does not offer to save. "Test" asks the platform
whether the credential works before anything is saved; it is optional.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from crisisdesk import secrets
from crisisdesk.domain import Severity
from crisisdesk.errors import CredentialError, CrisisdeskError, OfflineError
from crisisdesk.settings import Settings
from crisisdesk.sources.platforms.registry import PlatformInfo, encode_secret
from crisisdesk.store.accounts import OFFLINE_TEXT, Account
from crisisdesk.ui import errors
from crisisdesk.ui.accounts.help_texts import keyring_problem_text
from crisisdesk.ui.announce import announce
from crisisdesk.ui.geometry import RememberGeometry
from crisisdesk.ui.status_frame import StatusFrame
from crisisdesk.ui.tasks import TaskContext, TaskHandle, TaskRunner

if TYPE_CHECKING:
    from crisisdesk.services.accounts import AccountDraft


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Flag a field (or the message line) as the problem; the style sheet colours it."""
    widget.setProperty("invalid", invalid)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def plain_label(
    parent: QWidget, object_name: str, description: str, *, selectable: bool = True
) -> QLabel:
    """An empty wrapping label for plain text (messages may quote what a platform said)."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleDescription(description)  # the text stays the name
    return label


class CredentialDialog(RememberGeometry, QDialog):
    """What both dialogs share: password fields, the keyring check, Test, a message line.

    Subclasses say which platform (:meth:`current_info`), what to save (:meth:`_draft`,
    :meth:`_save_fn`) and what happens once it is saved (:meth:`_saved`).
    """

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
        self._keyring_check: TaskHandle | None = None
        self._saving = False
        #: None until the background check answered
        self.keyring_ok: bool | None = None
        self.secret_edits: dict[str, QLineEdit] = {}
        self._settings = settings

        self.keyring_label = plain_label(
            self, "keyringProblem", "Keyring problem", selectable=False
        )
        # coloured like the inbox's search error by the style sheet (and words, not only colour)
        self.keyring_label.hide()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.help_label = plain_label(self, "howTo", "How do I get this?")
        self.help_title = QLabel("How do I get this?", self)
        self.help_title.setObjectName("howToTitle")
        font = self.help_title.font()
        font.setBold(True)
        self.help_title.setFont(font)
        # the Test/Save result: its own framed status line with an icon, apart from the help
        self.message_label = plain_label(self, "dialogMessage", "Result")
        self.status_icon = QLabel(self)
        # read as a status (an alert while it reports a problem), not as a plain frame
        self.status_box = StatusFrame(self)
        self.status_box.setObjectName("resultBox")
        self.status_box.setAccessibleName("Result")
        self.status_box.setFrameShape(QFrame.Shape.StyledPanel)
        status_row = QHBoxLayout(self.status_box)
        status_row.addWidget(self.status_icon, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.message_label, 1)
        self.status_box.hide()

        # A plain row, not a QDialogButtonBox: the box makes itself a Tab stop (its focus proxy is
        # its first button) at the place in the focus chain where it was made, before the fields;
        # with the buttons ordered after the fields, Tab from Cancel went back through the box to
        # its first button (Cancel -> Save -> Cancel...), and the box re-chains its buttons
        # whenever one is shown or hidden (Save, after the keyring check).
        self.buttons = QWidget(self)
        self.buttons.setObjectName("dialogButtons")
        self.test_button = QPushButton("Test", self.buttons)
        self.test_button.setObjectName("testCredential")
        self.test_button.setToolTip("Ask the platform whether this works, without saving anything")
        self.save_button = QPushButton("Save", self.buttons)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel", self.buttons)
        self.cancel_button.setObjectName("cancel")
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.test_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        row.addWidget(self.cancel_button)
        self.cancel_button.clicked.connect(self.reject)
        self.test_button.clicked.connect(self.test_credential)
        self.save_button.clicked.connect(self.save)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring_label)
        layout.addLayout(self.form)
        layout.addSpacing(6)
        layout.addWidget(self.help_title)
        layout.addWidget(self.help_label)
        layout.addStretch(1)
        layout.addWidget(self.status_box)
        layout.addWidget(self.buttons)
        self.order_tabs()
        first = self.tab_chain()
        if first:
            first[0].setFocus(Qt.FocusReason.OtherFocusReason)  # the dialog opens on a field

    def tab_chain(self) -> list[QWidget]:
        """The form's fields top to bottom (what Tab visits before Test, Save and Cancel)."""
        chain = []
        for row in range(self.form.rowCount()):
            item = self.form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            widget = item.widget() if item is not None else None
            if widget is not None and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                chain.append(widget)
        return chain

    def order_tabs(self) -> None:
        """Fields first, then Test, Save, Cancel (the buttons are made before the fields)."""
        chain = [*self.tab_chain(), self.test_button, self.save_button, self.cancel_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # --- to override ---------------------------------------------------------------------------

    def current_info(self) -> PlatformInfo:
        raise NotImplementedError

    def _draft(self) -> AccountDraft | None:
        """The checked AccountDraft, or None (the problem is shown)."""
        raise NotImplementedError

    def _save_fn(
        self, draft: AccountDraft, values: dict[str, str]
    ) -> Callable[[TaskContext], Account]:
        """What the save runs in the background (keyring and database, in the worker)."""
        raise NotImplementedError

    def _saved(self, account: Account) -> None:
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
            edit.textEdited.connect(lambda _text, e=edit: mark_invalid(e, False))
            if before is None:
                self.form.addRow(label + ":", edit)
            else:
                position: Any = self.form.getWidgetPosition(before)
                self.form.insertRow(int(position[0]), label + ":", edit)
            self.secret_edits[secret_field.key] = edit
        self.order_tabs()

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
                    mark_invalid(edit, True)
                    edit.setFocus()
                    break
            self.show_message(exc.user_text(), Severity.ERROR)
            return None
        return values

    def _checked_input(self) -> tuple[AccountDraft, dict[str, str]] | None:
        """The draft and the secret values when both are usable; else None (problem shown)."""
        draft = self._draft()
        if draft is None:
            return None
        values = self._checked_values(draft.info)
        if values is None:
            return None
        return draft, values

    # --- keyring -------------------------------------------------------------------------------

    def check_keyring(self) -> None:
        """Ask (off the GUI thread: a keyring may talk to a system service) if one is usable."""
        if self._keyring_check is not None:
            self._keyring_check.cancel()
        self._keyring_check = (
            self._runner.op(lambda _ctx: secrets.keyring_available())
            .success(self._keyring_checked)
            .failure(lambda _exc: self._keyring_checked(False))
            .start()
        )

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

    def show_message(self, text: str, severity: Severity = Severity.INFO) -> None:
        """Say *text* under the form; an error is marked as one (colour and icon)."""
        problem = severity is Severity.ERROR
        self.message_label.setText(text)
        self.message_label.setProperty("problem", problem)
        self.status_box.set_problem(problem)
        mark_invalid(self.message_label, problem)
        pixmap = (
            QStyle.StandardPixmap.SP_MessageBoxWarning
            if problem
            else (QStyle.StandardPixmap.SP_MessageBoxInformation)
        )
        size = self.fontMetrics().height() + 4
        self.status_icon.setPixmap(self.style().standardIcon(pixmap).pixmap(size, size))
        self.status_box.setVisible(bool(text))
        announce(self.message_label, text, urgent=problem)  # it appears below the fields

    @property
    def message(self) -> str:
        return self.message_label.text() if self.status_box.isVisible() else ""

    # --- test ----------------------------------------------------------------------------------

    def test_credential(self) -> None:
        """Check the credential with the platform; nothing is stored."""
        checked = self._checked_input()
        if checked is None:
            return
        draft, values = checked
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
            self.show_message(OFFLINE_TEXT, Severity.ERROR)
        elif isinstance(exc, CrisisdeskError):
            self.show_message("The check failed. " + exc.user_text(), Severity.ERROR)
        else:
            errors.show_error(self, exc)
        self._update_state()

    # --- save ----------------------------------------------------------------------------------

    def save(self) -> None:
        if not self.can_save():
            return
        checked = self._checked_input()
        if checked is None:
            return
        fn = self._save_fn(*checked)
        self._saving = True
        self.show_message("Saving…")
        self._update_state()
        (self._runner.op(fn).success(self._after_save).failure(self._save_failed).start())

    def _after_save(self, account: Account) -> None:
        self._saving = False
        for edit in self.secret_edits.values():
            edit.clear()
        self._saved(account)

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._update_state()
        if isinstance(exc, CrisisdeskError):
            self.show_message(exc.user_text(), Severity.ERROR)
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
        if self._keyring_check is not None:  # its answer must not reach a closed dialog
            self._keyring_check.cancel()
            self._keyring_check = None
        for edit in self.secret_edits.values():
            edit.clear()
        super().done(result)
