"""The reply composer beside the selected mention: template, editor with live tone checks,
the platform's character counter, channel, and Send (or Copy and mark replied).

What happens as the owner types:
- each pause (``toneCheck`` debounce) runs ``analysis.tone.check`` on the GUI thread (a few ms),
  highlights the findings' spans in palette-derived colours and lists them with their fixes;
- each longer pause (``draftSave`` debounce) saves the draft through the task runner, so a
  crash loses at most the last pause's words; switching mention or closing saves at once.

Sending goes through ``services.send`` on a worker thread; a public post is confirmed first. A
failure keeps the draft and says why, and the next Send reuses the stored reply's idempotency
key, so a retry never posts twice. Mentions crisisdesk cannot answer itself (imported, feeds,
X before signing in) offer "Copy and mark replied" instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.analysis import lengths, tone
from crisisdesk.analysis.waiting import waiting_hours
from crisisdesk.domain import ReplyRoute
from crisisdesk.services import compose
from crisisdesk.services.compose import ReplyContext
from crisisdesk.settings import Settings
from crisisdesk.timeutil import now_utc, parse_iso
from crisisdesk.ui.business_details import business_values
from crisisdesk.ui.composer import template_source
from crisisdesk.ui.composer.editor import ReplyEditor
from crisisdesk.ui.composer.findings import FindingsList
from crisisdesk.ui.composer.fixes import fix_for
from crisisdesk.ui.composer.highlight import finding_selections
from crisisdesk.ui.composer.sending import SendingMixin
from crisisdesk.ui.composer.templates_dialog import TemplatesDialog
from crisisdesk.ui.debounce import Debounce
from crisisdesk.ui.flow_layout import FlowLayout
from crisisdesk.ui.format import duration_text, local_time_text, platform_text
from crisisdesk.ui.inbox.breaks import breakable
from crisisdesk.ui.tasks import TaskRunner
from crisisdesk.ui.widgets import WrapLabel

CHECK_DEBOUNCE_MS = 250
SAVE_DEBOUNCE_MS = 700
WAITING_REFRESH_MS = 60_000
#: waiting longer than this is shown as urgent (a day in a backlash is a long time)
URGENT_HOURS = 4.0
CHANNELS = (("public", "Public reply"), ("private", "Private message"))


class ComposerPane(SendingMixin, QWidget):
    """See the module text. ``show_selection(ids)`` follows the inbox selection."""

    #: mentions whose status or replies changed (the inbox repaints them)
    replied = Signal(list)
    #: Escape in the editor
    leaveRequested = Signal()
    #: the owner asked to sign in to X for this account name
    signInRequested = Signal(str)
    #: "Set a follow-up…" after a reply
    followUpRequested = Signal()
    #: a reply was sent or marked (tests and the status bar listen): the stored Reply
    sent = Signal(object)
    #: a send failed: its user text
    sendFailed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        settings: Settings,
        *,
        now: Callable[[], datetime] = now_utc,
        client_factory: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("composerPane")
        #: how connectors get their HTTP client (tests: no real waits between retries)
        self.client_factory = client_factory
        self.setAccessibleName("Reply composer")
        self._runner = runner
        self._settings = settings
        self._now = now
        self._context: ReplyContext | None = None
        self._request = 0
        self._loading = False
        self._sending = False
        self._done_for: int | None = None  # the mention the "Sent." line is about
        self._keep_text_for: int | None = None  # a reload of this mention keeps the text
        self._templates: list[Any] = []
        self.report: tone.ToneReport | None = None
        self._build()
        self.check_later = Debounce(self, "toneCheck", CHECK_DEBOUNCE_MS, self.run_check)
        self.save_later = Debounce(self, "draftSave", SAVE_DEBOUNCE_MS, self.save_draft)
        self.editor.textChanged.connect(self._text_changed)
        self.waiting_timer = QTimer(self)
        self.waiting_timer.setObjectName("composerWaiting")
        self.waiting_timer.setInterval(WAITING_REFRESH_MS)
        self.waiting_timer.timeout.connect(self._show_waiting)
        self.waiting_timer.start()
        self.show_context(None, "Select one mention to reply to it.")

    # --- building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.to_label = WrapLabel(description="Replying to")
        font = self.to_label.font()
        font.setBold(True)
        self.to_label.setFont(font)
        self.waiting_label = WrapLabel(description="Customer waiting time")
        self.route_note = WrapLabel(description="How this reply is sent")
        self.route_note.setObjectName("routeNote")

        self.template_combo = QComboBox(self)
        self.template_combo.setAccessibleName("Reply template")
        self.template_combo.activated.connect(self._template_chosen)
        self.channel_combo = QComboBox(self)
        self.channel_combo.setAccessibleName("Reply channel")
        for key, text in CHANNELS:
            self.channel_combo.addItem(text, key)
        self.channel_combo.currentIndexChanged.connect(self._channel_changed)
        self.templates_button = QPushButton("Te&mplates…", self)
        self.templates_button.setToolTip(
            "Find, edit and create templates; your business name, contact and signature"
        )
        self.templates_button.clicked.connect(self.open_templates)
        template_row = FlowLayout()  # the button goes under the choice in a narrow pane
        self.template_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        template_row.addWidget(self.template_combo)
        template_row.addWidget(self.templates_button)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # narrow: label above
        template_label = QLabel("&Template:", self)
        template_label.setBuddy(self.template_combo)
        form.addRow(template_label, template_row)
        form.addRow("C&hannel:", self.channel_combo)

        self.editor = ReplyEditor(self)
        self.editor.setObjectName("replyEditor")
        self.editor.setAccessibleName("Reply text")
        self.editor.setPlaceholderText("Write your reply, or pick a template above.")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(self.editor.fontMetrics().lineSpacing() * 4)
        self.editor.sendRequested.connect(self.send)
        self.editor.leaveRequested.connect(self.leaveRequested)
        editor_label = QLabel("&Reply:", self)
        editor_label.setBuddy(self.editor)

        self.counter = QLabel(self)
        self.counter.setAccessibleDescription("Characters used")
        self.score_label = QLabel(self)
        self.score_label.setAccessibleDescription("Tone score")
        self.strengths_label = WrapLabel(description="What the reply does well")
        meter = QHBoxLayout()
        meter.addWidget(self.score_label)
        meter.addStretch(1)
        meter.addWidget(self.counter)

        self.findings = FindingsList(self)
        self.findings.activated.connect(self.apply_finding)

        self.error_label = WrapLabel(description="Why the reply was not sent")
        self.error_label.setObjectName("sendError")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label = WrapLabel(description="Reply result")

        self.send_button = QPushButton("&Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip("Post this reply (Ctrl+Enter)")
        self.send_button.clicked.connect(self.send)
        self.copy_button = QPushButton("&Copy and mark replied", self)
        self.copy_button.setObjectName("copyButton")
        self.copy_button.setToolTip("Copy the reply to paste it in the platform's own app")
        self.copy_button.clicked.connect(self.copy_and_mark)
        self.sign_in_button = QPushButton("Sign in to &X to reply", self)
        self.sign_in_button.clicked.connect(self._ask_sign_in)
        self.follow_up_button = QPushButton("Set a &follow-up…", self)
        self.follow_up_button.clicked.connect(self.followUpRequested)
        buttons = FlowLayout()  # wraps in a narrow pane (14 pt, 200 %) instead of being cut
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.follow_up_button)
        gap = QWidget(self)  # takes what a row leaves: Copy and Send stay on the right
        gap.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        buttons.addWidget(gap)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        for widget in (self.to_label, self.waiting_label, self.route_note):
            widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            widget.setMinimumWidth(40)  # a long handle wraps or is cut, never widens the pane
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(editor_label)
        layout.addWidget(self.editor, 2)
        layout.addLayout(meter)
        layout.addWidget(self.strengths_label)
        layout.addWidget(self.findings, 3)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addLayout(buttons)

    # --- which mention ------------------------------------------------------------------------

    @property
    def mention_id(self) -> int | None:
        return self._context.mention.id if self._context else None

    def show_selection(self, ids: list[int]) -> None:
        """Follow the inbox: one selected mention gets the composer, anything else a hint."""
        if len(ids) == 1 and ids[0] == self.mention_id:
            return
        self.save_draft_now()
        if len(ids) != 1:
            self.show_context(None, "Select one mention to reply to it.")
            return
        self.load(ids[0])

    def load(self, mention_id: int) -> None:
        self._request += 1
        request = self._request
        self._runner.op(lambda ctx: compose.reply_context(ctx.db, mention_id)).success(
            lambda context: self._landed(request, context)
        ).start()

    def reload(self) -> None:
        """Read the shown mention again (status, follow-up, replies) keeping what is typed."""
        if self.mention_id is not None:
            self.save_draft_now()
            self._keep_text_for = self.mention_id
            self.load(self.mention_id)

    def _landed(self, request: int, context: ReplyContext) -> None:
        if request == self._request:
            self.show_context(context)

    def show_context(self, context: ReplyContext | None, empty_text: str = "") -> None:
        same = context is not None and self.mention_id == context.mention.id
        keep = same and self._keep_text_for == self.mention_id
        self._keep_text_for = None
        self._context = context
        if keep:  # a reload: the words being typed stay (the stored draft may be older)
            self._show_details(context)
            return
        self._loading = True
        try:
            self.check_later.cancel()
            self.save_later.cancel()
            draft = context.draft if context else None
            self.editor.setPlainText(draft.body if draft else "")
            self.editor.document().clearUndoRedoStacks()
            channel = draft.channel if draft else "public"
            self.channel_combo.setCurrentIndex(max(self.channel_combo.findData(channel), 0))
        finally:
            self._loading = False
        if context is None or context.mention.id != self._done_for:
            self.error_label.hide()
            self.done_label.hide()
            self._done_for = None
        enabled = context is not None
        for widget in (self.editor, self.template_combo, self.channel_combo):
            widget.setEnabled(enabled)
        if context is None:
            self.to_label.setText(empty_text)
            self.waiting_label.clear()
            self.route_note.hide()
            self.sign_in_button.hide()
            self.follow_up_button.hide()
            self.report = None
            self.findings.show_findings("", ())
            self.editor.setExtraSelections([])
            self.counter.clear()
            self.score_label.clear()
            self.strengths_label.clear()
            self._update_buttons()
            return
        self._show_details(context)

    def _show_details(self, context: ReplyContext | None) -> None:
        if context is None:
            return
        m = context.mention
        who = m.author_name or m.author_handle
        handle = f" (@{m.author_handle.lstrip('@')})" if m.author_handle and m.author_name else ""
        where = platform_text(context.platform or m.source)
        self.to_label.setText(f"Reply to {breakable(who + handle)} on {where}")  # wraps
        self.route_note.setText(context.why_copy)
        self.route_note.setVisible(bool(context.why_copy))
        self.sign_in_button.setVisible(context.can_sign_in)
        self.follow_up_button.setVisible(bool(context.sent))
        private = self.channel_combo.model().item(1)  # type: ignore[attr-defined]
        private.setEnabled(context.private_possible)
        if not context.private_possible:
            self.channel_combo.setCurrentIndex(0)
        self._fill_templates()
        self._show_waiting()
        self.run_check()

    def _show_waiting(self) -> None:
        context = self._context
        if context is None:
            return
        m = context.mention
        hours = waiting_hours(m.created_at, m.status, self._now())
        if hours is not None:
            urgent = " — answer soon" if hours >= URGENT_HOURS else ""
            self.waiting_label.setText(
                f"The customer has been waiting {duration_text(hours * 3600)}{urgent}."
            )
        elif context.sent:
            first = context.sent[0]
            delay = parse_iso(first.sent_at or first.created_at) - parse_iso(m.created_at)
            self.waiting_label.setText(
                f"Answered {duration_text(delay.total_seconds())} after the customer wrote"
                f" (sent {local_time_text(first.sent_at or first.created_at)})."
            )
        else:
            self.waiting_label.setText("Answered or closed in the inbox.")

    # --- templates ----------------------------------------------------------------------------

    def load_templates(self) -> None:
        """Read the template library (on a worker thread); the picker fills when it lands."""
        self._runner.op(template_source.load).success(self.set_templates).start()

    def set_templates(self, templates: list[Any]) -> None:
        self._templates = list(templates)
        self._fill_templates()

    def _fill_templates(self) -> None:
        self.template_combo.clear()
        self.template_combo.addItem("Choose a template…", None)
        for template in self._templates:
            label = f"{template.category}: {template.name}" if template.category else template.name
            self.template_combo.addItem(label, template)
        self.template_combo.setEnabled(self._context is not None and bool(self._templates))

    def open_templates(self) -> TemplatesDialog:
        """The template library (and the business details): "Use template" fills the reply."""
        dialog = TemplatesDialog(self._runner, self._settings, self, choosing=True)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.templateChosen.connect(self.use_template)
        dialog.finished.connect(lambda _result: self._templates_closed())
        dialog.open()
        return dialog

    def _templates_closed(self) -> None:
        self.load_templates()  # edited, created or deleted ones
        self.run_check()  # the own contact may have changed what is flagged

    def _template_chosen(self, index: int) -> None:
        template = self.template_combo.itemData(index)
        self.template_combo.setCurrentIndex(0)
        if template is not None:
            self.use_template(template)

    def use_template(self, template: Any) -> None:
        """Replace the reply with *template*, filled from the mention and the business details
        (one Ctrl+Z takes it back out)."""
        if self._context is None:
            return
        values = compose.template_values(self._context.mention, **business_values(self._settings))
        text = template_source.fill(template.body, values)
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()  # one Ctrl+Z takes the whole template back out
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- typing -------------------------------------------------------------------------------

    @property
    def private(self) -> bool:
        return bool(self.channel_combo.currentData() == "private")

    @property
    def platform(self) -> str:
        context = self._context
        return (context.platform or context.mention.source) if context else ""

    def _text_changed(self) -> None:
        if self._loading or self._context is None:
            return
        self.done_label.hide()
        self._show_count(self.editor.toPlainText())
        self._update_buttons()
        self.check_later()
        self.save_later()

    def _channel_changed(self, _index: int) -> None:
        if self._loading or self._context is None:
            return
        self.run_check()
        self.save_later()

    def _show_count(self, text: str) -> None:
        used = lengths.reply_length(self.platform, text)
        limit = lengths.reply_limit(self.platform)
        self.counter.setText(f"{used:,} / {limit:,}" if limit else f"{used:,} characters")
        over = bool(limit) and used > (limit or 0)
        self.counter.setProperty("over", over)
        self.counter.setAccessibleDescription(
            "Characters used: too long for the platform" if over else "Characters used"
        )

    def run_check(self) -> None:
        """The tone check of the text as it is now (the debounce calls this)."""
        self.check_later.cancel()
        context = self._context
        if context is None:
            return
        text = self.editor.toPlainText()
        own = [c for c in (self._settings.get("business/contact"),) if c]
        self.report = tone.check(
            text,
            platform=self.platform or None,
            in_reply_to=context.mention.text,
            own_contacts=own,
            public=not self.private,
        )
        shown = self.report.findings if text.strip() else ()
        self.editor.setExtraSelections(finding_selections(self.editor, text, shown))
        self.findings.show_findings(text, shown)
        self._show_count(text)
        if text.strip():
            self.score_label.setText(f"Tone {self.report.score}/100")
            good = [s.message for s in self.report.strengths]
            self.strengths_label.setText(("Good: " + " ".join(good)) if good else "")
        else:
            self.score_label.clear()
            self.strengths_label.clear()
        self._update_buttons()

    def blocking(self) -> list[tone.Finding]:
        return [f for f in (self.report.findings if self.report else ()) if f.severity == "block"]

    def _update_buttons(self) -> None:
        context = self._context
        has_text = bool(self.editor.toPlainText().strip())
        ready = context is not None and has_text and not self._sending
        can_post = context is not None and context.route is ReplyRoute.SEND
        self.send_button.setVisible(can_post)
        self.send_button.setEnabled(ready and can_post)
        self.copy_button.setEnabled(ready)
        self.send_button.setDefault(can_post)
        why = "Fix the problems marked red first." if has_text and self.blocking() else ""
        self.send_button.setToolTip(why or "Post this reply (Ctrl+Enter)")
        self.copy_button.setToolTip(why or "Copy the reply to paste it in the platform's app")

    def apply_finding(self, finding: tone.Finding) -> None:
        """A finding's button: apply its fix (undoable), or select its words to rewrite."""
        text = self.editor.toPlainText()
        edit = fix_for(text, finding)
        cursor = QTextCursor(self.editor.document())
        if edit is not None:
            cursor.setPosition(tone.utf16_index(text, edit.start))
            cursor.setPosition(tone.utf16_index(text, edit.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(edit.text)
            self.run_check()
        elif finding.start is not None and finding.end is not None:
            cursor.setPosition(tone.utf16_index(text, finding.start))
            cursor.setPosition(tone.utf16_index(text, finding.end), QTextCursor.MoveMode.KeepAnchor)
            self.editor.setTextCursor(cursor)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _ask_sign_in(self) -> None:
        if self._context is not None and self._context.account_name:
            self.signInRequested.emit(self._context.account_name)

    def focus_editor(self) -> None:
        self.editor.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def state(self) -> dict[str, Any]:
        """What the pane shows, for tests and screenshots."""
        return {
            "mention": self.mention_id,
            "text": self.editor.toPlainText(),
            "findings": self.findings.codes(),
            "send": self.send_button.isVisible() and self.send_button.isEnabled(),
            "copy": self.copy_button.isEnabled(),
        }
