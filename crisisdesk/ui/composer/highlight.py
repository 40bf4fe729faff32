"""Colours for the tone findings, derived from the palette so they read in light and dark mode.

A finding's span gets a background *tint*: the severity's hue mixed into the editor's own base
colour (so a dark theme gets a dark tint and the text keeps its contrast), and a wavy underline
in the hue at the lightness of the palette's text colour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from crisisdesk.analysis.tone import Finding, utf16_index

#: hue per severity (degrees): red for what blocks sending, amber for warnings, blue for tips
HUES = {"block": 0, "warn": 38, "tip": 210}
#: how much of the hue goes into the base colour
TINT = 0.28


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """*amount* of *a* mixed into *b*."""
    return QColor.fromRgbF(
        a.redF() * amount + b.redF() * (1 - amount),
        a.greenF() * amount + b.greenF() * (1 - amount),
        a.blueF() * amount + b.blueF() * (1 - amount),
    )


def severity_colour(palette: QPalette, severity: str) -> QColor:
    """The severity's hue, as light as the palette's text (dark mode: a light hue)."""
    text = palette.color(QPalette.ColorRole.Text)
    lightness = 0.62 if text.lightnessF() > 0.5 else 0.40
    return QColor.fromHslF(HUES.get(severity, HUES["tip"]) / 360, 0.85, lightness)


def severity_tint(palette: QPalette, severity: str) -> QColor:
    """The background of a highlighted span: the hue mixed into the base colour."""
    base = palette.color(QPalette.ColorRole.Base)
    return _mix(severity_colour(palette, severity), base, TINT)


def span_format(palette: QPalette, severity: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(severity_tint(palette, severity))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    fmt.setUnderlineColor(severity_colour(palette, severity))
    return fmt


def utf16_positions(text: str) -> Callable[[int], int]:
    """Python index → Qt (UTF-16) position for *text*, computed once per text: the identity
    unless the text holds characters outside the BMP (most emoji)."""
    if all(ord(ch) <= 0xFFFF for ch in text):
        return lambda index: index
    return lambda index: utf16_index(text, index)


def finding_selections(
    editor: QPlainTextEdit, text: str, findings: Iterable[Finding]
) -> list[QTextEdit.ExtraSelection]:
    """One extra selection per finding with a span (Python indices → Qt's UTF-16 positions)."""
    palette = editor.palette()
    length = editor.document().characterCount() - 1
    qt_index = utf16_positions(text)
    selections: list[QTextEdit.ExtraSelection] = []
    # blocks drawn last, so the most serious colour wins where spans overlap
    order = {"tip": 0, "warn": 1, "block": 2}
    for finding in sorted(findings, key=lambda f: order.get(str(f.severity), 0)):
        if finding.start is None or finding.end is None or finding.end <= finding.start:
            continue
        start = min(qt_index(finding.start), length)
        end = min(qt_index(finding.end), length)
        cursor = QTextCursor(editor.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = span_format(palette, str(finding.severity))
        selections.append(selection)
    return selections
