"""Drafts and sending for the composer pane (a mixin of :class:`ComposerPane`, split out to
keep each module short): saving the draft, the public-post confirmation, Send through
``services.send`` and "Copy and mark replied", both on worker threads.

A failure keeps the draft and says why; the next Send reuses the stored reply's idempotency
key (``services.send``), so a retry never posts twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox

from crisisdesk.analysis import tone
from crisisdesk.domain import ReplyRoute
from crisisdesk.errors import CrisisdeskError
from crisisdesk.services import send
from crisisdesk.services.compose import ReplyContext
from crisisdesk.store import drafts
from crisisdesk.store.replies import Reply
from crisisdesk.ui.format import platform_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QWidget

    from crisisdesk.ui.debounce import Debounce
    from crisisdesk.ui.tasks import TaskRunner

    _Base = QWidget
else:
    _Base = object


class SendingMixin(_Base):
    """Drafts, Send and Copy and mark replied (see the module text)."""

    if TYPE_CHECKING:  # what the pane provides
        _context: ReplyContext | None
        _runner: TaskRunner
        _sending: bool
        _done_for: int | None
        _loading: bool
        report: tone.ToneReport | None
        client_factory: Any
        editor: QPlainTextEdit
        error_label: QLabel
        done_label: QLabel
        send_button: QPushButton
        copy_button: QPushButton
        save_later: Debounce
        sent: SignalInstance
        sendFailed: SignalInstance
        replied: SignalInstance

        @property
        def private(self) -> bool: ...
        @property
        def platform(self) -> str: ...

        run_check: Callable[[], None]
        reload: Callable[[], None]
        blocking: Callable[[], list[tone.Finding]]
        _update_buttons: Callable[[], None]

    def _refuse_blocked(self) -> bool:
        """Findings that block sending (too long, personal data, a placeholder): say so."""
        blocking = self.blocking()
        if blocking:
            self._show_error(
                "Not sent yet. Fix the problems marked red first:\n• "
                + "\n• ".join(f.message for f in blocking)
            )
        return bool(blocking)

    # --- drafts -------------------------------------------------------------------------------

    def save_draft(self) -> None:
        context = self._context
        if context is None:
            return
        mention_id, body = context.mention.id, self.editor.toPlainText()
        channel = "private" if self.private else "public"
        self._runner.op(
            lambda ctx: drafts.save(ctx.db, mention_id, body, channel=channel)
        ).uninterruptible().failure(self._draft_failed).start()

    def save_draft_now(self) -> None:
        """Before switching mention, sending or closing: write a pending draft at once."""
        self.save_later.flush()

    def _draft_failed(self, exc: BaseException) -> None:
        text = exc.user_text() if isinstance(exc, CrisisdeskError) else str(exc)
        self._show_error(f"The draft could not be saved: {text}")

    # --- sending ------------------------------------------------------------------------------

    @property
    def _client(self) -> dict[str, Any]:
        return {"client_factory": self.client_factory} if self.client_factory else {}

    def send(self) -> None:
        """Send (Ctrl+Enter): confirm a public post, then post through the connector."""
        context = self._context
        self.run_check()
        if context is None or not self.send_button.isEnabled():
            if context is not None and context.route is ReplyRoute.COPY:
                self.copy_and_mark()
            return
        if self._refuse_blocked():
            return
        self.save_draft_now()
        if not self.private and not self._confirm_public(context):
            return
        body, private, mention_id = self.editor.toPlainText(), self.private, context.mention.id
        report = tone.report_json(self.report) if self.report else None
        self._set_sending(True)
        self._runner.op(
            lambda ctx: send.send_reply(
                ctx.db, mention_id, body, private=private, tone_report=report, **self._client
            )
        ).uninterruptible().progress("Sending the reply…").success(self._sent).failure(
            self._send_failed
        ).start()

    def _confirm_public(self, context: ReplyContext) -> bool:
        warnings = [f.message for f in (self.report.findings if self.report else ())]
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Post publicly?")
        box.setTextFormat(Qt.TextFormat.PlainText)
        where = platform_text(self.platform)
        box.setText(f"Post this reply publicly on {where}? Everyone can see it.")
        if warnings:
            box.setInformativeText("The tone check still says:\n• " + "\n• ".join(warnings))
        post = box.addButton("&Post", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(post)
        box.setObjectName("confirmPublic")
        box.exec()
        return box.clickedButton() is post

    def copy_and_mark(self) -> None:
        """Copy the reply for the platform's own app and store it as this mention's reply."""
        context = self._context
        self.run_check()
        if context is None or not self.copy_button.isEnabled() or self._refuse_blocked():
            return
        self.save_draft_now()
        body, private, mention_id = self.editor.toPlainText(), self.private, context.mention.id
        QGuiApplication.clipboard().setText(body)
        report = tone.report_json(self.report) if self.report else None
        self._set_sending(True)
        self._runner.op(
            lambda ctx: send.mark_replied_manually(
                ctx.db, mention_id, body, private=private, tone_report=report
            )
        ).uninterruptible().success(self._sent).failure(self._send_failed).start()

    def _set_sending(self, sending: bool) -> None:
        self._sending = sending
        self.editor.setReadOnly(sending)
        self._update_buttons()

    def _sent(self, reply: Reply) -> None:
        self._set_sending(False)
        context = self._context
        how = "Sent" if reply.external_id else "Copied and marked replied"
        link = f": {reply.url}" if reply.url else "."
        self._show_error("")
        self._done_for = reply.mention_id
        if context is not None and context.mention.id == reply.mention_id:
            self._loading = True  # sent: the text is no draft any more (the store dropped it)
            self.editor.clear()
            self.editor.document().clearUndoRedoStacks()
            self._loading = False
            self.save_later.cancel()
            self.reload()
        self.done_label.setText(f"{how}{link}\nSet a follow-up to check back with the customer?")
        self.done_label.show()
        self.replied.emit([reply.mention_id])
        self.sent.emit(reply)

    def _send_failed(self, exc: BaseException) -> None:
        self._set_sending(False)
        reason = exc.user_text() if isinstance(exc, CrisisdeskError) else type(exc).__name__
        self._show_error(
            f"Not sent. {reason}\nYour reply is kept as a draft. Sending it again is safe:"
            " it will not be posted twice."
        )
        self.save_draft()
        self.sendFailed.emit(reason)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
