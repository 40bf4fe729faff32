"""Plan exports: the PDF's text read back with pypdf, its pages, and escaping in HTML/Markdown."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any

import pypdf
import pytest

from crisisdesk.export import plan_json, plan_pdf, plan_text
from crisisdesk.export.plan_words import Paper, TitleBlock
from crisisdesk.store.plans import PlanDoc
from tests.helpers.plans import item, long_doc, section, small_doc

TITLE = TitleBlock("Maple Street Bakery", datetime(2026, 11, 28, 9, 30))
EVIL = '<script>alert("x")</script> & [click](javascript:alert(1)) *bold* # not a heading'


def pdf_pages(doc: PlanDoc, paper: Paper = Paper.A4, title: TitleBlock = TITLE) -> list[str]:
    data, count = plan_pdf.pdf_bytes(doc, title, paper)
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == count
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def in_order(haystack: str, needles: list[str]) -> bool:
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        if found < 0:
            return False
        at = found + len(needle)
    return True


def test_every_row_of_the_default_plan_is_printed_in_order(qapp: Any) -> None:
    doc = plan_json.default_plan()
    pages = pdf_pages(doc)
    assert in_order(" ".join(pages), [e.text for e in doc.entries])
    assert 2 <= len(pages) <= 6
    assert "MAPLE STREET BAKERY" in pages[0] and "Printed 28 November 2026, 09:30" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Social media crisis plan" in text  # every footer names the plan


@pytest.mark.parametrize("paper", list(Paper))
def test_a_long_plan_breaks_between_items_only(qapp: Any, paper: Paper) -> None:
    doc = long_doc(sections=12, per_section=15)  # 192 rows, a quarter with 3 lines of notes
    pages = pdf_pages(doc, paper)
    assert 7 <= len(pages) <= 16, len(pages)
    items = [e for e in doc.entries if not e.is_section]
    for entry in items:
        # the item's text and the whole of its notes sit on one page
        whole = entry.text + (" " + entry.notes if entry.notes else "")
        holders = [n for n, text in enumerate(pages) if entry.text in text]
        assert len(holders) == 1, entry.text
        assert " ".join(whole.split()) in pages[holders[0]].replace(" Who: Ana", ""), entry.text
    # a heading never stays alone at the bottom: each page's last text is an item's
    for text in pages[:-1]:
        body = text.rsplit("Maple Street Bakery — Long plan", 1)[0].strip()
        assert body.endswith(("Who: Ana", "several lines."))
        assert re.search(r"Section \d\d$", body) is None


def test_letter_and_a4_pages_have_their_sizes(qapp: Any) -> None:
    for paper, width_pt in ((Paper.A4, 595), (Paper.LETTER, 612)):
        data, _ = plan_pdf.pdf_bytes(small_doc(), TITLE, paper)
        page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
        assert round(float(page.mediabox.width)) == width_pt


def test_done_items_say_who_and_when_and_the_active_start(qapp: Any) -> None:
    start = datetime(2026, 11, 28, 10, 0).astimezone()
    doc = PlanDoc(
        "P",
        (
            section("First hour"),
            item("Pause promotions", owner="Ana", due="+90 min",
                 done_at="2026-11-28T10:05:00Z", done_by="Ana"),
        ),
    )  # fmt: skip
    text = pdf_pages(doc, title=TitleBlock("B", datetime(2026, 11, 28, 12, 0), start))[0]
    assert "Plan active since 28 November 2026, 10:00" in text
    assert f"({start:%-d %b} 11:30)" in text  # +90 min after the start
    assert "Done by Ana" in text


def test_user_text_stays_text_in_html(qapp: Any) -> None:
    doc = PlanDoc(EVIL, (section(EVIL), item(EVIL, owner=EVIL, notes=EVIL)))
    page = plan_text.to_html(doc, TitleBlock(EVIL, datetime(2026, 11, 28)))
    assert "<script" not in page and "javascript:alert(1)" in page  # as text, not a link
    assert "<a " not in page
    # the window title, business, plan name, heading, item, who, notes
    assert page.count("&lt;script&gt;") == 7
    assert page.count('class="box"') == 1


def test_user_text_stays_text_in_markdown() -> None:
    doc = PlanDoc("Plan", (section(EVIL), item(EVIL, notes="- not a list\n1. not numbered")))
    md = plan_text.to_markdown(doc, TITLE)
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\\[click\\](javascript:alert(1))" in md  # brackets escaped: no link
    assert "\\*bold\\*" in md and "## &lt;script&gt;" in md
    assert "  > \\- not a list" in md and "  > 1\\. not numbered" in md
    assert "- [ ] &lt;script&gt;" in md


def test_markdown_and_html_list_every_row(qapp: Any) -> None:
    doc = plan_json.default_plan()
    md, page = plan_text.to_markdown(doc, TITLE), plan_text.to_html(doc, TITLE)
    assert in_order(md, [plan_text.md_escape(e.text) for e in doc.entries])
    assert in_order(page, [plan_text.html.escape(e.text) for e in doc.entries])
    assert md.count("- [ ]") == 20  # the steps and review questions; not contacts or rules
