"""The crisis plan as a document to print or pin to the wall: painted with QtGui on a page.

:func:`paint_plan` lays the plan out on any paged device — a :class:`QPdfWriter` here, the
GUI's ``QPrinter`` in the print preview — so the PDF and the printout are the same document:

- a title block on the first page: the business, the plan, when it was printed (and since
  when it is active);
- sections with their items; a step has a box to tick (ticked, with who and when, once done),
  rules a bullet, contacts a line to write the name on, holding statements their words in a
  framed block, review questions lines to write the answers on;
- "Page N of M" and the plan's name in every footer;
- page breaks only between items: an item (with its notes) never starts on one page and ends
  on the next, and a section heading never stays alone at the bottom of a page.

Nothing here imports QtWidgets. A QGuiApplication must exist (fonts); the CLI makes one with
the offscreen platform when there is no display.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextOption,
)

from crisisdesk.domain import PlanSectionRole
from crisisdesk.errors import CrisisdeskError
from crisisdesk.export.plan_json import write_text
from crisisdesk.export.plan_words import Paper, TitleBlock, meta_text
from crisisdesk.store.plans import REFERENCE_ROLES, Entry, PlanDoc

PAGE_SIZES = {Paper.A4: QPageSize.PageSizeId.A4, Paper.LETTER: QPageSize.PageSizeId.Letter}
#: page margins in millimetres (left, top, right, bottom): room for a hole punch and a pin
MARGINS_MM = (18.0, 15.0, 18.0, 14.0)
PDF_DPI = 300
INK = QColor(20, 20, 20)
GREY = QColor(95, 95, 95)
LIGHT = QColor(170, 170, 170)
TINT = QColor(243, 243, 243)


# --- blocks: something with a height that can draw itself at a place ------------------------


@dataclass
class _Block:
    height: float
    draw: Callable[[float], None]  # draws with its top at y
    keep_with_next: bool = False


class _Layout:
    """Measures and draws text in the device's units (millimetres → pixels through its dpi)."""

    def __init__(self, painter: QPainter, device: QPagedPaintDevice) -> None:
        self.p = painter
        self.px_per_mm = device.logicalDpiY() / 25.4
        self.width = float(device.width())
        self.height = float(device.height())
        self.wrap = QTextOption()
        self.wrap.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)

    def mm(self, value: float) -> float:
        return value * self.px_per_mm

    def font(self, points: float, *, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont("DejaVu Sans")
        font.setStyleHint(QFont.StyleHint.SansSerif)
        font.setPointSizeF(points)
        font.setBold(bold)
        font.setItalic(italic)
        # no "ff"/"fi" ligatures: the PDF's text stays searchable and copyable as typed
        for tag in ("liga", "clig"):
            font.setFeature(QFont.Tag(tag), 0)
        return font

    def text_height(self, text: str, font: QFont, width: float) -> float:
        self.p.setFont(font)
        return self.p.boundingRect(QRectF(0, 0, width, 1e7), text, self.wrap).height()

    def text(
        self, text: str, font: QFont, x: float, y: float, width: float, color: QColor
    ) -> float:
        """Draw wrapped text; returns its height."""
        height = self.text_height(text, font, width)
        self.p.setPen(color)
        self.p.drawText(QRectF(x, y, width, height + 1), text, self.wrap)
        return height

    def line(self, x1: float, y: float, x2: float, color: QColor, width_mm: float = 0.2) -> None:
        self.p.setPen(QPen(color, self.mm(width_mm)))
        self.p.drawLine(QPointF(x1, y), QPointF(x2, y))


def _section_block(lay: _Layout, entry: Entry, first: bool) -> _Block:
    font = lay.font(13, bold=True)
    space = 0.0 if first else lay.mm(5)
    text_h = lay.text_height(entry.text, font, lay.width)

    def draw(y: float) -> None:
        lay.text(entry.text, font, 0, y + space, lay.width, INK)
        lay.line(0, y + space + text_h + lay.mm(1), lay.width, INK, 0.35)

    return _Block(space + text_h + lay.mm(3.2), draw, keep_with_next=True)


def _item_block(
    lay: _Layout, entry: Entry, role: PlanSectionRole, active_since: datetime | None
) -> _Block:
    indent = lay.mm(4) if entry.level == 1 else 0.0
    gutter = lay.mm(7)
    x = indent + gutter
    width = lay.width - x
    body = lay.font(10.5, bold=role in (PlanSectionRole.CONTACTS, PlanSectionRole.STATEMENTS))
    small = lay.font(8.5)
    notes_font = lay.font(9.5, italic=role is PlanSectionRole.STATEMENTS)
    meta = "" if role in REFERENCE_ROLES else meta_text(entry, active_since)
    if role is PlanSectionRole.CONTACTS:
        meta = f"Name: {entry.owner}" if entry.owner else "Name:"
    text_h = lay.text_height(entry.text, body, width)
    meta_h = lay.text_height(meta, small, width) if meta else 0.0
    pad = lay.mm(2.5) if role is PlanSectionRole.STATEMENTS else 0.0
    notes_h = lay.text_height(entry.notes, notes_font, width - 2 * pad) if entry.notes else 0.0
    write_lines = 3 if role is PlanSectionRole.REVIEW and not entry.notes else 0
    gap = lay.mm(1)
    height = text_h + (gap + meta_h if meta else 0) + (gap + notes_h + 2 * pad if notes_h else 0)
    height += write_lines * lay.mm(7.5) + (lay.mm(2.5) if write_lines else 0)
    box = lay.mm(3.8)

    def draw(y: float) -> None:
        top = y + lay.mm(0.6)
        if role in REFERENCE_ROLES:
            lay.p.setPen(INK)
            lay.p.setBrush(INK)
            r = lay.mm(0.7)
            lay.p.drawEllipse(QPointF(indent + lay.mm(1.6), top + lay.mm(1.6)), r, r)
            lay.p.setBrush(Qt.BrushStyle.NoBrush)
        else:
            lay.p.setPen(QPen(INK, lay.mm(0.3)))
            lay.p.setBrush(Qt.BrushStyle.NoBrush)
            lay.p.drawRect(QRectF(indent, top, box, box))
            if entry.done:
                lay.p.setPen(QPen(INK, lay.mm(0.5)))
                lay.p.drawPolyline(
                    [
                        QPointF(indent + box * 0.18, top + box * 0.52),
                        QPointF(indent + box * 0.42, top + box * 0.78),
                        QPointF(indent + box * 0.85, top + box * 0.2),
                    ]
                )
        cursor = y + lay.text(entry.text, body, x, y, width, INK)
        if meta:
            cursor += gap
            used = lay.text(meta, small, x, cursor, width, GREY)
            if role is PlanSectionRole.CONTACTS and not entry.owner:
                start = x + lay.mm(11)
                lay.line(
                    start, cursor + used - lay.mm(0.3), min(start + lay.mm(70), lay.width), LIGHT
                )
            cursor += used
        if notes_h:
            cursor += gap
            if pad:
                frame = QRectF(x, cursor, width, notes_h + 2 * pad)
                lay.p.fillRect(frame, TINT)
                lay.p.fillRect(QRectF(x, cursor, lay.mm(0.8), frame.height()), GREY)
            lay.text(entry.notes, notes_font, x + pad * 1.6, cursor + pad, width - 2 * pad, INK)
            cursor += notes_h + 2 * pad
        for n in range(1, write_lines + 1):
            lay.line(x, cursor + n * lay.mm(7.5), lay.width, LIGHT)

    return _Block(height + lay.mm(2.6), draw)


def _title_block(lay: _Layout, title: TitleBlock, plan_name: str) -> _Block:
    business, name, printed = title.lines(plan_name)
    hint = "Tick each box when it is done and write who did it and when."
    rows = [
        (business.upper(), lay.font(10, bold=True), GREY),
        (name, lay.font(20, bold=True), INK),
        (printed, lay.font(9), INK),
        (hint, lay.font(9, italic=True), GREY),
    ]
    rows = [row for row in rows if row[0]]
    gap = lay.mm(1)
    heights = [lay.text_height(text, font, lay.width) + gap for text, font, _ in rows]

    def draw(y: float) -> None:
        cursor = y
        for text, font, color in rows:
            cursor += lay.text(text, font, 0, cursor, lay.width, color) + gap
        lay.line(0, cursor + lay.mm(1.5), lay.width, INK, 0.6)

    return _Block(sum(heights) + lay.mm(10), draw)


def _blocks(lay: _Layout, doc: PlanDoc, title: TitleBlock) -> list[_Block]:
    blocks = [_title_block(lay, title, doc.name)]
    role = PlanSectionRole.STEPS
    first = True
    for entry in doc.entries:
        if entry.is_section:
            blocks.append(_section_block(lay, entry, first))
            role = entry.role
        else:
            item_role = role if entry.level == 1 else PlanSectionRole.STEPS
            blocks.append(_item_block(lay, entry, item_role, title.active_since))
        first = False
    return blocks


def _paginate(blocks: list[_Block], page_height: float) -> list[list[tuple[float, _Block]]]:
    pages: list[list[tuple[float, _Block]]] = [[]]
    y = 0.0
    for index, block in enumerate(blocks):
        needed = block.height
        if block.keep_with_next:  # a heading goes with (up to) the next two of its items
            for follower in blocks[index + 1 : index + 3]:
                if follower.keep_with_next:
                    break
                needed += follower.height
        if y > 0 and y + needed > page_height:
            pages.append([])
            y = 0.0
        pages[-1].append((y, block))
        y += block.height
    return pages


def paint_plan(device: QPagedPaintDevice, doc: PlanDoc, title: TitleBlock) -> int:
    """Paint *doc* on *device* page by page; returns the number of pages."""
    painter = QPainter()
    if not painter.begin(device):
        raise CrisisdeskError(
            "The plan cannot be printed to this printer or file.", hint="Try another one."
        )
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        lay = _Layout(painter, device)
        footer_h = lay.mm(7)
        pages = _paginate(_blocks(lay, doc, title), lay.height - footer_h)
        business = title.business.strip()
        footer_left = f"{business}  —  {doc.name}" if business else doc.name
        for number, page in enumerate(pages, start=1):
            if number > 1:
                device.newPage()
            for y, block in page:
                block.draw(y)
            top = lay.height - lay.mm(4.5)
            lay.line(0, top, lay.width, LIGHT)
            font = lay.font(8)
            lay.text(footer_left, font, 0, top + lay.mm(1), lay.width * 0.7, GREY)
            right = f"Page {number} of {len(pages)}"
            painter.setFont(font)
            painter.drawText(
                QRectF(0, top + lay.mm(1), lay.width, lay.mm(4)),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop),
                right,
            )
        return len(pages)
    finally:
        painter.end()


def setup_pdf_writer(writer: QPdfWriter, paper: Paper, doc_title: str) -> None:
    writer.setPageSize(QPageSize(PAGE_SIZES[paper]))
    left, top, right, bottom = MARGINS_MM
    writer.setPageMargins(QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter)
    writer.setResolution(PDF_DPI)
    writer.setTitle(doc_title)
    writer.setCreator("crisisdesk")


def pdf_bytes(doc: PlanDoc, title: TitleBlock, paper: Paper = Paper.A4) -> tuple[bytes, int]:
    """The plan as PDF data, and its number of pages."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    setup_pdf_writer(writer, paper, doc.name)
    count = paint_plan(writer, doc, title)
    del writer  # finishes the document in the buffer
    buffer.close()
    return bytes(data.data()), count


def write_pdf(doc: PlanDoc, path: Path, title: TitleBlock, paper: Paper = Paper.A4) -> int:
    """Write the plan as a PDF at *path* (atomically); returns the number of pages."""
    data, count = pdf_bytes(doc, title, paper)
    write_text(path, data)
    return count
