"""Colours that follow the system's light or dark scheme, and the contrast they must keep.

Every fixed colour of the app lives here, as a pair: one for light windows, one for dark. The
rest comes from the palette. ``tests/gui/test_theme.py`` computes the WCAG contrast of every pair
against the palette it is drawn on (4.5:1 for text, 3:1 for icons and focus marks).

- :func:`is_dark` — whether the current palette is a dark one.
- :func:`tone` — a semantic colour (``"error-text"``, ``"complaint-badge"``...) for this scheme.
- :func:`style_sheet` — the app's style sheet with its ``@name@`` colours filled in.
- :func:`icon_colours` — how the icons' drawing colours map onto this scheme.
"""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

#: (light, dark) per semantic colour. Text colours keep >= 4.5:1 on their background and on the
#: window; badge backgrounds pair with the badge text of the same kind.
TONES: dict[str, tuple[str, str]] = {
    "error-text": ("#8a1c14", "#ffb4ab"),
    "error-background": ("#fde2e1", "#5c1f1b"),
    "error-border": ("#b3261e", "#ffb4ab"),
    "complaint-text": ("#8a1c14", "#ffdad6"),
    "complaint-badge": ("#fde2e1", "#5c1f1b"),
    "negative-text": ("#7a4100", "#ffdcbe"),
    "negative-badge": ("#fdebd3", "#553000"),
    "neutral-text": ("#3c4043", "#e8eaed"),
    "neutral-badge": ("#e8eaed", "#3c4043"),
    "positive-text": ("#1e5b2e", "#c4eed0"),
    "positive-badge": ("#dcefe0", "#1f3d27"),
    "success-text": ("#1e5b2e", "#a6e3b4"),
    "muted-text": ("#4d5156", "#bdc1c6"),
}

#: the drawing colours of resources/icons/*.svg → the tone they stand for. Greys become the
#: palette's text colour; the accents get a lighter twin on dark windows.
ICON_COLOURS: dict[str, tuple[str, str]] = {
    "#3c4043": ("text", "text"),
    "#5f6368": ("text", "text"),
    "currentColor": ("text", "text"),
    "#1a5fb4": ("#1a5fb4", "#99c1f1"),
    "#1e6b34": ("#1e6b34", "#8ff0a4"),
    "#1e7b34": ("#1e7b34", "#8ff0a4"),
    "#9a5200": ("#9a5200", "#ffbe6f"),
    "#8a5a00": ("#8a5a00", "#ffcf7a"),
    "#fdf0d5": ("#fdf0d5", "#4a3a10"),
    "#b3261e": ("#b3261e", "#f2b8b5"),
    "#cf222e": ("#cf222e", "#ff8182"),
    "#dbe7fb": ("#dbe7fb", "#1c3a5e"),
    "#dcf1e1": ("#dcf1e1", "#1e3a26"),
    "#fde2e1": ("#fde2e1", "#4a1c1a"),
}


def palette() -> QPalette:
    return QGuiApplication.palette()


def is_dark(pal: QPalette | None = None) -> bool:
    """True when the window background is darker than its text (a dark scheme)."""
    pal = pal or palette()
    window = pal.color(QPalette.ColorRole.Window)
    text = pal.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def tone(name: str, pal: QPalette | None = None) -> QColor:
    """The colour *name* of :data:`TONES` for the scheme of *pal* (default: the app's)."""
    light, dark = TONES[name]
    return QColor(dark if is_dark(pal) else light)


def icon_colours(pal: QPalette | None = None) -> dict[str, str]:
    """Each drawing colour of the shipped icons → the colour to draw it in on *pal*."""
    pal = pal or palette()
    dark = is_dark(pal)
    text = pal.color(QPalette.ColorRole.WindowText).name()
    mapped: dict[str, str] = {}
    for source, (light_colour, dark_colour) in ICON_COLOURS.items():
        chosen = dark_colour if dark else light_colour
        mapped[source] = text if chosen == "text" else chosen
    return mapped


def recolour_svg(svg: str, pal: QPalette | None = None) -> str:
    """*svg* with its drawing colours mapped onto *pal* (see :data:`ICON_COLOURS`)."""
    mapping = icon_colours(pal)
    pattern = re.compile("|".join(re.escape(c) for c in mapping), re.IGNORECASE)
    lowered = {k.lower(): v for k, v in mapping.items()}
    return pattern.sub(lambda m: lowered[m.group(0).lower()], svg)


def style_sheet(template: str, pal: QPalette | None = None) -> str:
    """*template* with every ``@tone-name@`` replaced by that tone for *pal*'s scheme."""

    def fill(match: re.Match[str]) -> str:
        return tone(match.group(1), pal).name()

    return re.sub(r"@([a-z-]+)@", fill, template)


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG 2 contrast ratio of two opaque colours (1.0 to 21.0)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


#: (text role, background role, minimum ratio, move the background rather than the text)
_PALETTE_PAIRS = (
    (QPalette.ColorRole.WindowText, QPalette.ColorRole.Window, 4.5, False),
    (QPalette.ColorRole.Text, QPalette.ColorRole.Base, 4.5, False),
    (QPalette.ColorRole.Text, QPalette.ColorRole.AlternateBase, 4.5, False),
    (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button, 4.5, False),
    (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base, 4.5, False),
    (QPalette.ColorRole.ToolTipText, QPalette.ColorRole.ToolTipBase, 4.5, False),
    (QPalette.ColorRole.Link, QPalette.ColorRole.Base, 4.5, False),
    (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight, 4.5, True),
)
#: the pairs are checked in these groups; disabled text is exempt (WCAG 1.4.3)
_GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive)


def accessible_palette(pal: QPalette) -> QPalette:
    """*pal* with every text/background pair brought to at least 4.5:1 (WCAG AA), changing
    as little as it can: the text moves away from its background (for the selection, the
    highlight moves away from its text), so a system palette keeps its character."""
    fixed = QPalette(pal)
    for group in _GROUPS:
        for text_role, background_role, ratio, move_background in _PALETTE_PAIRS:
            text = fixed.color(group, text_role)
            background = fixed.color(group, background_role)
            if contrast(text, background) >= ratio:
                continue
            if move_background:
                fixed.setColor(group, background_role, _away_from(background, text, ratio))
            else:
                fixed.setColor(group, text_role, _away_from(text, background, ratio))
    return fixed


def _away_from(colour: QColor, other: QColor, ratio: float) -> QColor:
    """*colour* blended towards black or white (whichever is further from *other*) in small
    steps until it reaches *ratio* against *other*; keeps the hue as long as it can."""
    target = QColor("#000000") if other.lightnessF() >= 0.5 else QColor("#ffffff")
    for step in range(1, 21):
        share = step / 20
        moved = QColor.fromRgbF(
            colour.redF() + (target.redF() - colour.redF()) * share,
            colour.greenF() + (target.greenF() - colour.greenF()) * share,
            colour.blueF() + (target.blueF() - colour.blueF()) * share,
        )
        if contrast(moved, other) >= ratio:
            return moved
    return target


def scale_font(font: QFont, factor: float, *, bold: bool = False) -> QFont:
    """*font* made *factor* times larger (headings follow the user's chosen font size)."""
    scaled = QFont(font)
    if scaled.pointSizeF() > 0:
        scaled.setPointSizeF(scaled.pointSizeF() * factor)
    else:
        scaled.setPixelSize(round(scaled.pixelSize() * factor))
    scaled.setBold(bold)
    return scaled
