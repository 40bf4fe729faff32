"""Badge painting for the inbox table. Plain text only: nothing here interprets markup.

The sentiment badge is an icon *and* a word on a tinted pill; the tint helps at a glance but the
word and the icon carry the meaning, so colour is never the only signal.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QIcon, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from crisisdesk.domain import Sentiment
from crisisdesk.ui.format import sentiment_badge_text
from crisisdesk.ui.icons import icon, sentiment_icon_name
from crisisdesk.ui.inbox.model import SentimentRole
from crisisdesk.ui.theme import tone

#: badge kind → the tone of its text (its background is the tone "<name>-badge"); each pair
#: keeps WCAG AA contrast in the light and the dark scheme (ui/theme.py, tests/gui/test_theme.py)
BADGE_TONES = {
    "complaint": "complaint",
    "sentiment-negative": "negative",
    "sentiment-neutral": "neutral",
    "sentiment-positive": "positive",
}
ICON_SIZE = 14
H_PAD = 6


class SentimentDelegate(QStyledItemDelegate):
    """Paints ``SentimentRole`` = (sentiment, complaint) as an icon + text pill."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(SentimentRole)
        if not value:
            super().paint(painter, option, index)
            return
        sentiment, complaint = value
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        # the row background and selection as the style draws them, without text or icon
        opt.text = ""
        opt.icon = QIcon()
        opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        kind = sentiment_icon_name(sentiment, complaint)
        name = BADGE_TONES.get(kind, "neutral")
        background, foreground = tone(f"{name}-badge"), tone(f"{name}-text")
        text = sentiment_badge_text(sentiment, complaint)
        font = QFont(opt.font)
        font.setBold(False)  # the pill is the emphasis
        metrics = QFontMetrics(font)
        rect = option.rect.adjusted(4, 4, -4, -4)
        pill_width = min(rect.width(), _pill_width(metrics, text))
        pill = QRect(rect.left(), rect.top(), pill_width, rect.height())

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        radius = pill.height() / 2
        painter.drawRoundedRect(pill, radius, radius)
        icon_rect = QRect(
            pill.left() + H_PAD, pill.center().y() - ICON_SIZE // 2 + 1, ICON_SIZE, ICON_SIZE
        )
        icon(kind).paint(painter, icon_rect)
        text_rect = pill.adjusted(H_PAD + ICON_SIZE + 4, 0, -H_PAD, 0)
        painter.setPen(foreground)
        painter.setFont(font)
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width())
        painter.drawText(
            text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided
        )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        value = index.data(SentimentRole)
        base = super().sizeHint(option, index)
        if not value:
            return base
        width = _pill_width(option.fontMetrics, sentiment_badge_text(*value)) + 8
        return QSize(width, max(base.height(), ICON_SIZE + 12))


def _pill_width(metrics: QFontMetrics, text: str) -> int:
    return H_PAD * 2 + ICON_SIZE + 4 + metrics.horizontalAdvance(text) + 3  # + rounding slack


def sentiment_column_width(metrics: QFontMetrics) -> int:
    """Room for the widest badge in this font, so no badge word is ever cut."""
    words = [sentiment_badge_text(sentiment, False) for sentiment in Sentiment]
    words.append(sentiment_badge_text(Sentiment.NEGATIVE, True))
    return max(_pill_width(metrics, word) for word in words) + 8 + 4
