"""The app's icons, by name: one place for every page, dialog and delegate.

Icons are the SVG files in ``crisisdesk/resources/icons``, drawn in the colours of the current
scheme (:mod:`crisisdesk.ui.theme`: the greys become the palette's text colour, the accents a
lighter twin on dark windows), sharp at any size and scale. A missing or broken file gives a
null icon (Qt draws nothing) rather than an error, so a renamed file never stops the app.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from crisisdesk import paths
from crisisdesk.ui import theme

_icons: dict[tuple[str, int], QIcon] = {}
#: how faint a disabled icon is drawn (as Qt's own generated disabled icons)
_DISABLED_OPACITY = 0.4


class _SvgEngine(QIconEngine):
    """Draws one recoloured SVG at whatever size and device pixel ratio is asked."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._renderer = QSvgRenderer(QByteArray(svg))

    def is_valid(self) -> bool:
        return self._renderer.isValid()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(_DISABLED_OPACITY)
        self._renderer.render(painter, QRectF(rect))
        painter.restore()

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(0, 0, pixmap.width(), pixmap.height()), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def clone(self) -> QIconEngine:
        return _SvgEngine(self._svg)


def icon(name: str) -> QIcon:
    """An icon from crisisdesk/resources/icons in the current scheme's colours (cached; needs a
    QGuiApplication)."""
    # the palette's cache key, not its colours: the inbox's badge delegate asks on every paint
    key = (name, theme.palette().cacheKey())
    found = _icons.get(key)
    if found is None:
        found = _load(name)
        _icons[key] = found
    return found


def _load(name: str) -> QIcon:
    try:
        svg = (paths.resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    except OSError:
        return QIcon()
    engine = _SvgEngine(theme.recolour_svg(svg).encode("utf-8"))
    return QIcon(engine) if engine.is_valid() else QIcon()


def sentiment_icon_name(sentiment: str, complaint: bool) -> str:
    """The icon of a mention's sentiment badge: the complaint icon wins over the sentiment."""
    return "complaint" if complaint else f"sentiment-{sentiment}"
