"""The app's icons, by name: one place for every page, dialog and delegate.

Icons are the SVG files in ``crisisdesk/resources/icons``; a missing file gives a null icon
(Qt draws nothing) rather than an error, so a renamed file never stops the app.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from crisisdesk import paths

_icons: dict[str, QIcon] = {}


def icon(name: str) -> QIcon:
    """An icon from crisisdesk/resources/icons (cached; needs a QGuiApplication)."""
    found = _icons.get(name)
    if found is None:
        found = QIcon(str(paths.resources_dir() / "icons" / f"{name}.svg"))
        _icons[name] = found
    return found


def sentiment_icon_name(sentiment: str, complaint: bool) -> str:
    """The icon of a mention's sentiment badge: the complaint icon wins over the sentiment."""
    return "complaint" if complaint else f"sentiment-{sentiment}"
