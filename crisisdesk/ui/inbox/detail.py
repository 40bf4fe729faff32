"""The detail pane: everything about the selected mention, readable in a narrow window.

Every text that came from the internet (the post, names, the thread) is shown as plain text:
``QTextBrowser.setPlainText``/``QTextCursor.insertText`` and ``Qt.PlainText`` labels, so HTML in a
post appears literally and nothing in it becomes a live link.

No query runs on the GUI thread: each selection is one runner task reading a ``MentionDetails``
snapshot, painted when it lands unless the selection moved on meanwhile (then it is dropped).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QGuiApplication,
    QPalette,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crisisdesk.store import conversation
from crisisdesk.store.conversation import Entry, MentionDetails
from crisisdesk.store.events import Event
from crisisdesk.store.follow_ups import FollowUp
from crisisdesk.store.mentions import Mention
from crisisdesk.timeutil import parse_iso
from crisisdesk.ui.format import (
    STATUS_TEXT,
    followers_text,
    local_time_text,
    platform_text,
    plural_text,
    relative_text,
    sentiment_text,
    short_time_text,
)
from crisisdesk.ui.inbox.breaks import breakable
from crisisdesk.ui.tasks import TaskHandle, TaskRunner

#: conversation entries shown before and after the selected mention
THREAD_BEFORE = 30
THREAD_AFTER = 10


def is_web_link(url: str | None) -> bool:
    """Only http(s) links are opened: never file:, javascript:, custom app schemes."""
    if not url:
        return False
    parsed = QUrl(url, QUrl.ParsingMode.StrictMode)
    return parsed.isValid() and parsed.scheme() in ("http", "https") and bool(parsed.host())


class PlainTextView(QTextBrowser):
    """Read-only plain text that wraps anywhere and grows to fit (the pane scrolls, not it)."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # long URLs and words without spaces wrap instead of widening the pane
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        height = int(self.document().size().height()) + 2 * self.frameWidth() + 2
        self.setFixedHeight(max(height, self.fontMetrics().lineSpacing() + 6))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _value_label(name: str) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAccessibleDescription(name)  # the value is the text a screen reader reads
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # a very long name must not force the pane wider; it wraps or is cut instead
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    label.setMinimumWidth(40)
    return label


def describe_event(event: Event) -> str:
    """One history line: 'New → Replied', 'Assigned to Sam', 'Label "refund" added'."""
    old, new = event.old, event.new
    if event.entity == "mention" and event.action == "status":
        return f"{STATUS_TEXT.get(old or '', old)} → {STATUS_TEXT.get(new or '', new)}"
    if event.action == "assign":
        return f"Assigned to {new}" if new else f"No longer assigned to {old}"
    if event.action == "label":
        return f'Label "{new}" added' if new else f'Label "{old}" removed'
    if event.action == "follow_up":
        if new:
            note = (event.detail or {}).get("note")
            text = f"Follow-up set for {local_time_text(new)}"
            return f"{text}: {note}" if note else text
        return "Follow-up cleared"
    if event.entity == "reply":
        names = {
            "queue": "Reply queued",
            "sent": "Reply sent",
            "failed": "Reply failed",
            "retry": "Reply retried",
        }
        text = names.get(event.action, f"Reply: {event.action}")
        error = (event.detail or {}).get("error")
        return f"{text}: {error}" if error else text
    if old or new:
        return f"{event.action.replace('_', ' ').capitalize()}: {old or '—'} → {new or '—'}"
    return event.action.replace("_", " ").capitalize()


class MentionDetail(QWidget):
    """Shows one mention (``show_mention(id)``), or an empty state when ``None``."""

    #: the link the pane opened (also when opened from the keyboard)
    linkOpened = Signal(QUrl)
    #: no browser could open a link: what to tell the owner
    linkFailed = Signal(str)
    #: opens a URL; returns False when nothing could (tests replace it)
    open_url: Callable[[QUrl], bool] = staticmethod(QDesktopServices.openUrl)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._mention: Mention | None = None  # the one painted
        self._wanted: int | None = None  # the one asked for last (painted, or loading)
        self._request = 0  # bumped on every change of what is asked for: older loads are stale
        self._loading: TaskHandle | None = None
        self.setAccessibleName("Mention details")
        self.setMinimumWidth(240)

        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        self.empty_label = QLabel("Select a mention in the list to see it here.")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        # muted by the style sheet (#emptyLabel) at a readable contrast, not drawn as disabled;
        # no accessible name: a screen reader reads the text itself
        self.empty_label.setObjectName("emptyLabel")
        self._stack.addWidget(self.empty_label)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setAccessibleName("Mention details")
        self._stack.addWidget(self.scroll_area)
        self._build_content()

    # --- layout --------------------------------------------------------------------------------

    def _build_content(self) -> None:
        content = QWidget()
        content.setObjectName("mentionDetailContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)

        self.author_label = _value_label("Author")
        font = self.author_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.author_label.setFont(font)
        self.meta_label = _value_label("Platform and time")
        self.text_view = PlainTextView("Mention text")
        self.engagement_label = _value_label("Engagement")
        self.link_button = QPushButton("Open in browser")
        self.link_button.setAccessibleName("Open the post in the web browser")
        self.link_button.setToolTip("Opens the post on its platform in your web browser")
        self.link_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.link_button.clicked.connect(self.open_link)

        for widget in (self.author_label, self.meta_label, self.text_view):
            layout.addWidget(widget)
        layout.addWidget(self.engagement_label)
        layout.addWidget(self.link_button)

        facts = QFormLayout()
        facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        facts.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.priority_label = _value_label("Why this priority")
        self.cues_label = _value_label("Sentiment and complaint")
        self.status_label = _value_label("Status")
        self.assignee_label = _value_label("Assigned to")
        self.labels_label = _value_label("Labels")
        self.follow_up_label = _value_label("Follow-up")
        for title, widget in (
            ("Priority:", self.priority_label),
            ("Sentiment:", self.cues_label),
            ("Status:", self.status_label),
            ("Assigned to:", self.assignee_label),
            ("Labels:", self.labels_label),
            ("Follow-up:", self.follow_up_label),
        ):
            facts.addRow(title, widget)
        layout.addLayout(facts)

        # the history is short and the conversation can be long: history first
        layout.addWidget(_heading("History"))
        self.history_view = PlainTextView("Status history")
        layout.addWidget(self.history_view)
        layout.addWidget(_heading("Conversation"))
        self.thread_view = PlainTextView("Conversation")
        layout.addWidget(self.thread_view)
        self.thread_all = QPushButton("Show the whole conversation")
        self.thread_all.setObjectName("threadShowAll")
        self.thread_all.clicked.connect(self._show_whole_thread)
        self.thread_all.hide()
        layout.addWidget(self.thread_all, 0, Qt.AlignmentFlag.AlignLeft)
        self._thread: tuple[tuple[Entry, ...], bool] = ((), False)  # entries, all shown
        layout.addStretch(1)
        self.scroll_area.setWidget(content)

    # --- public API ----------------------------------------------------------------------------

    @property
    def mention_id(self) -> int | None:
        return self._mention.id if self._mention else None

    def show_mention(self, mention_id: int | None) -> None:
        """Show the mention with this id; ``None`` (or an id no longer stored) → empty state.

        The pane keeps what it shows until the mention's details have been read."""
        request = self._ask(mention_id)
        if mention_id is None:
            self._show_empty("Select a mention in the list to see it here.")
            return
        self._load(request, mention_id, scroll_to=0)

    def show_selection(self, ids: list[int]) -> None:
        """Follow the list's selection: one mention → it; several → how many; none → empty."""
        if len(ids) > 1:
            self._ask(None)
            self._show_empty(
                f"{len(ids)} mentions selected.\nStatus, assign, labels and follow-up "
                "actions apply to all of them."
            )
            return
        self.show_mention(ids[0] if ids else None)

    def refresh(self, ids: list[int] | None = None) -> None:
        """Re-read the shown mention (when *ids* is given, only if it is among them)."""
        wanted = self._wanted
        if wanted is None or (ids is not None and wanted not in ids):
            return
        shown = self._mention is not None and self._mention.id == wanted
        position = self.scroll_area.verticalScrollBar().value() if shown else 0
        self._load(self._ask(wanted), wanted, scroll_to=position)

    def _ask(self, mention_id: int | None) -> int:
        """A new request: whatever is still loading for an older one is no longer wanted."""
        self._request += 1
        self._wanted = mention_id
        if self._loading is not None:
            self._loading.cancel()
            self._loading = None
        return self._request

    def _load(self, request: int, mention_id: int, *, scroll_to: int) -> None:
        def landed(details: MentionDetails | None) -> None:
            if request == self._request:  # else the selection moved on while this was read
                self._paint(details, scroll_to)

        task = self._runner.op(lambda ctx: conversation.details(ctx.db, mention_id))
        task.started(self._keep_loading).success(landed).start()

    def _keep_loading(self, handle: TaskHandle) -> None:
        self._loading = handle

    def _show_empty(self, text: str) -> None:
        self._mention = None
        self.empty_label.setText(text)
        self._stack.setCurrentWidget(self.empty_label)

    def _paint(self, details: MentionDetails | None, scroll_to: int) -> None:
        if details is None:
            self._wanted = None
            self._show_empty("That mention is no longer in the database.")
            return
        self._mention = details.mention
        self._fill(details)
        self._stack.setCurrentWidget(self.scroll_area)
        self.scroll_area.verticalScrollBar().setValue(scroll_to)

    def _current(self) -> Mention | None:
        """The painted mention, if it is the one asked for (not one the list has left)."""
        m, loading = self._mention, self._loading
        return m if m and m.id == self._wanted and (not loading or loading.done) else None

    def open_link(self) -> bool:
        """Open the shown mention's post in the browser. False when there is no web link."""
        m = self._current()
        if m is None or not is_web_link(m.url):
            return False
        url = QUrl(m.url or "", QUrl.ParsingMode.StrictMode)
        if not self.open_url(url):  # no browser set up: say so, and copy the link
            QGuiApplication.clipboard().setText(url.toString())
            self.linkFailed.emit(
                "No web browser could open the post; its link is copied: " + url.toString()
            )
            return True
        self.linkOpened.emit(url)
        return True

    def focus_content(self) -> None:
        """Move keyboard focus into the pane (the post text), e.g. after Enter in the list."""
        if self._current() is not None:
            self.text_view.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- filling -------------------------------------------------------------------------------

    def _fill(self, details: MentionDetails) -> None:
        m = details.mention
        handle = m.author_handle.lstrip("@")
        who = m.author_name or (f"@{handle}" if handle else "Unknown author")
        if m.author_name and handle:
            who += f"  @{handle}"
        # a long handle wraps inside itself rather than being cut at the pane's edge
        self.author_label.setText(f"{breakable(who)} · {followers_text(m.author_followers)}")
        created = ""
        if m.created_at:
            try:
                created = f"{local_time_text(m.created_at)} ({relative_text(m.created_at)})"
            except ValueError:
                created = m.created_at
        self.meta_label.setText(" · ".join(p for p in (platform_text(m.source), created) if p))
        self.text_view.setPlainText(m.text)
        self.engagement_label.setText(
            f"{plural_text(m.likes, 'like')} · {plural_text(m.reposts, 'repost')} · "
            f"{plural_text(m.replies, 'reply').replace('replys', 'replies')}"
        )
        web = is_web_link(m.url)
        self.link_button.setEnabled(web)
        self.link_button.setText(f"Open on {platform_text(m.source)}" if web else "No web link")
        self.link_button.setToolTip(m.url if web and m.url else "This mention has no web link")

        self.priority_label.setText(self._priority_text(m))
        self.cues_label.setText(self._sentiment_text(m))
        self.status_label.setText(STATUS_TEXT.get(m.status, m.status))
        self.assignee_label.setText(m.assignee or "Nobody")
        self.labels_label.setText(", ".join(details.labels) or "None")
        self.follow_up_label.setText(self._follow_up_text(details.follow_up))
        self._fill_thread(details.thread)
        self._fill_history(details.history)

    def _priority_text(self, m: Mention) -> str:
        from crisisdesk.services.priorities import priority_for

        reason = priority_for(m).reason
        return f"{m.priority} of 100. {reason}"

    def _sentiment_text(self, m: Mention) -> str:
        """The customer's sentiment and complaint cues (not the tone check of our replies)."""
        from crisisdesk.analysis.sentiment import REASON_DESCRIPTIONS, explain

        sentiment = f"{sentiment_text(m.label)} ({m.sentiment:+.2f})"
        if not m.complaint and not m.cues:
            return sentiment
        if m.complaint:  # why, in the customer's own terms ("has been waiting 9 days")
            phrases = explain(m.text, m.cues)
        else:
            phrases = [REASON_DESCRIPTIONS.get(c, c.replace("_", " ")) for c in m.cues]
        lead = "Complaint" if m.complaint else sentiment
        return f"{lead}: {'; '.join(phrases)}" if phrases else lead

    def _follow_up_text(self, pending: FollowUp | None) -> str:
        if pending is None:
            return "None"
        due = parse_iso(pending.due_at)
        when = f"{local_time_text(due)} ({relative_text(due)})"
        overdue = "Overdue: " if due < datetime.now(UTC) else ""
        return f"{overdue}{when}" + (f" — {pending.note}" if pending.note else "")

    def _show_whole_thread(self) -> None:
        self._fill_thread(self._thread[0], whole=True)

    def _fill_thread(self, entries: tuple[Entry, ...], *, whole: bool = False) -> None:
        self._thread = (entries, whole)
        view = self.thread_view
        view.clear()
        cursor = QTextCursor(view.document())
        plain = QTextCharFormat()
        bold = QTextCharFormat()
        bold.setFontWeight(QFont.Weight.Bold)
        grey = QTextCharFormat()
        grey.setForeground(view.palette().placeholderText())
        if len(entries) <= 1 and entries[0].is_current:
            self.thread_all.hide()
            cursor.insertText("No earlier messages or replies.", plain)
            return
        # a viral thread can hold hundreds of posts: show those around this mention
        current = next(i for i, e in enumerate(entries) if e.is_current)
        start = 0 if whole else max(0, current - THREAD_BEFORE)
        end = len(entries) if whole else min(len(entries), current + THREAD_AFTER + 1)
        self.thread_all.setVisible(bool(start) or end < len(entries))
        self.thread_all.setText(f"Show all {len(entries)} messages")
        marked = QTextBlockFormat()  # this mention stands out (the palette's highlight, faint)
        shade = view.palette().color(QPalette.ColorRole.Highlight)
        shade.setAlpha(48)
        marked.setBackground(shade)
        if start:
            cursor.insertText(f"… {start} earlier messages not shown", grey)
            cursor.insertBlock()
            cursor.insertBlock()
        for index, entry in enumerate(entries[start:end]):
            block = marked if entry.is_current else QTextBlockFormat()
            if index:
                cursor.insertBlock(QTextBlockFormat())
                cursor.insertBlock(block)
            else:
                cursor.setBlockFormat(block)
            when = short_time_text(entry.at) if entry.at else ""
            if entry.kind == "reply":
                state = {"sent": "", "draft": " (draft)", "queued": " (sending)"}.get(
                    entry.reply_state or "", f" ({entry.reply_state})"
                )
                private = " privately" if entry.reply_channel == "private" else ""
                cursor.insertText(f"You replied{private}{state}", bold)
            else:
                marker = "▶ This mention: " if entry.is_current else ""
                cursor.insertText(f"{marker}{entry.author}", bold)
            cursor.insertText(f"  {when}", grey)
            cursor.insertBlock(block)
            cursor.insertText(entry.text, plain)
        if end < len(entries):
            cursor.insertBlock(QTextBlockFormat())
            cursor.insertBlock()
            cursor.insertText(f"… {len(entries) - end} later messages not shown", grey)

    def _fill_history(self, found: tuple[Event, ...]) -> None:
        view = self.history_view
        view.clear()
        if not found:
            view.setPlainText("No changes yet.")
            return
        cursor = QTextCursor(view.document())
        grey = QTextCharFormat()
        grey.setForeground(view.palette().placeholderText())
        plain = QTextCharFormat()
        for index, event in enumerate(found):
            if index:
                cursor.insertBlock()
            try:
                when = short_time_text(event.at)
            except ValueError:
                when = event.at
            who = "" if event.actor in ("me", "") else f" ({event.actor})"
            cursor.insertText(when, grey)
            cursor.insertText(f"  {describe_event(event)}{who}", plain)
