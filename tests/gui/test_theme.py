"""Every colour the app draws keeps WCAG contrast in the light and in the dark scheme, and the
icons are drawn in the scheme's colours (issue 15: dark mode, contrast)."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QStyleFactory

from crisisdesk import paths
from crisisdesk.ui import icons, theme
from crisisdesk.ui.inbox.delegates import BADGE_TONES

Role = QPalette.ColorRole


def light_palette() -> QPalette:
    style = QStyleFactory.create("Fusion")
    assert style is not None
    return style.standardPalette()


def dark_palette() -> QPalette:
    """A dark system palette as desktops ship it (greys near #2b2b2b, light text)."""
    pal = QPalette()
    for role, colour in (
        (Role.Window, "#2b2b2b"), (Role.WindowText, "#f0f0f0"), (Role.Base, "#1f1f1f"),
        (Role.AlternateBase, "#262626"), (Role.Text, "#f0f0f0"), (Role.Button, "#353535"),
        (Role.ButtonText, "#f0f0f0"), (Role.Highlight, "#3d7cc9"),
        (Role.HighlightedText, "#ffffff"), (Role.PlaceholderText, "#8a8a8a"),
        (Role.ToolTipBase, "#353535"), (Role.ToolTipText, "#f0f0f0"), (Role.Link, "#2a82da"),
        (Role.Mid, "#444444"),
    ):  # fmt: skip
        pal.setColor(role, QColor(colour))
    return pal


SCHEMES = {"light": light_palette, "dark": dark_palette}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_the_palette_pairs_reach_aa_after_adjusting(qapp, scheme: str) -> None:
    pal = theme.accessible_palette(SCHEMES[scheme]())
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for text, background in (
            (Role.WindowText, Role.Window), (Role.Text, Role.Base),
            (Role.ButtonText, Role.Button), (Role.PlaceholderText, Role.Base),
            (Role.HighlightedText, Role.Highlight), (Role.Link, Role.Base),
            (Role.Text, Role.AlternateBase), (Role.ToolTipText, Role.ToolTipBase),
        ):  # fmt: skip
            ratio = theme.contrast(pal.color(group, text), pal.color(group, background))
            assert ratio >= 4.5, (scheme, group, text, background, round(ratio, 2))


def test_adjusting_changes_only_what_fails(qapp) -> None:
    pal = light_palette()
    pal.setColor(Role.PlaceholderText, QColor("#a0a0a0"))  # 2.6:1 on white
    pal.setColor(Role.Highlight, QColor("#308cc6"))  # white on it: 3.7:1
    fixed = theme.accessible_palette(pal)
    assert fixed.color(Role.WindowText) == pal.color(Role.WindowText)
    assert fixed.color(Role.Base) == pal.color(Role.Base)
    assert fixed.color(Role.PlaceholderText) != pal.color(Role.PlaceholderText)
    assert fixed.color(Role.HighlightedText) == pal.color(Role.HighlightedText)
    assert fixed.color(Role.Highlight).hue() == pytest.approx(
        pal.color(Role.Highlight).hue(), abs=3
    )


@pytest.mark.parametrize("scheme", SCHEMES)
def test_badges_errors_and_muted_text_keep_aa(qapp, scheme: str) -> None:
    pal = theme.accessible_palette(SCHEMES[scheme]())
    assert theme.is_dark(pal) == (scheme == "dark")
    for name in set(BADGE_TONES.values()):
        ratio = theme.contrast(theme.tone(f"{name}-text", pal), theme.tone(f"{name}-badge", pal))
        assert ratio >= 4.5, (scheme, name, round(ratio, 2))
    pairs = [
        ("error-text", theme.tone("error-background", pal)),
        ("error-text", pal.color(Role.Window)),
        ("muted-text", pal.color(Role.Base)),
        ("muted-text", pal.color(Role.Window)),
        ("success-text", pal.color(Role.Window)),
    ]
    for name, background in pairs:
        ratio = theme.contrast(theme.tone(name, pal), background)
        assert ratio >= 4.5, (scheme, name, round(ratio, 2))
    # the invalid-search border is a focus-like mark: 3:1 against the field
    assert theme.contrast(theme.tone("error-border", pal), pal.color(Role.Base)) >= 3


def test_style_sheet_has_no_fixed_colours_or_font_sizes(qapp) -> None:
    template = (paths.resources_dir() / "style.qss").read_text(encoding="utf-8")
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", template)
    assert not re.search(r"font-size", template)
    filled = theme.style_sheet(template, dark_palette())
    assert "@" not in filled
    assert theme.tone("error-text", dark_palette()).name() in filled


def test_no_fixed_colour_outside_the_theme_module() -> None:
    ui = paths.resources_dir().parent / "ui"
    for source in ui.rglob("*.py"):
        if source.name == "theme.py":
            continue
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"[\"']#[0-9a-fA-F]{6}[\"']", text), source


def drawn_colours(image: QImage) -> list[QColor]:
    colours = []
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() == 255:
                colours.append(pixel)
    return colours


@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_icon_draws_with_contrast_on_the_window(qapp, monkeypatch, scheme: str) -> None:
    pal = theme.accessible_palette(SCHEMES[scheme]())
    monkeypatch.setattr(theme, "palette", lambda: pal)
    window = pal.color(Role.Window)
    for svg in sorted((paths.resources_dir() / "icons").glob("*.svg")):
        drawn = icons.icon(svg.stem)
        assert not drawn.isNull(), svg.name
        image = drawn.pixmap(48, 48).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        solid = drawn_colours(image)
        assert solid, f"{svg.name} draws nothing"
        # the strongest stroke of the icon stands out from the window (non-text: 3:1)
        best = max(theme.contrast(c, window) for c in solid)
        assert best >= 3, (scheme, svg.name, round(best, 2))


def test_icons_follow_a_change_of_scheme(qapp, monkeypatch) -> None:
    monkeypatch.setattr(theme, "palette", light_palette)
    light = icons.icon("inbox").pixmap(24, 24).toImage()
    monkeypatch.setattr(theme, "palette", dark_palette)
    dark = icons.icon("inbox").pixmap(24, 24).toImage()
    assert light != dark
    assert max(c.lightness() for c in drawn_colours(dark)) > 200


def test_a_disabled_icon_is_fainter(qapp) -> None:
    drawn = icons.icon("inbox")
    from PySide6.QtGui import QIcon

    normal = drawn.pixmap(24, 24, QIcon.Mode.Normal).toImage()
    disabled = drawn.pixmap(24, 24, QIcon.Mode.Disabled).toImage()
    alpha = lambda image: sum(  # noqa: E731
        image.pixelColor(x, y).alpha() for y in range(24) for x in range(24)
    )
    assert alpha(disabled) < alpha(normal)
    assert Qt.GlobalColor.transparent  # pixmaps start transparent
