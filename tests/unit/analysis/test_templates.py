"""Filling template variables, and the shipped library passing crisisdesk's own tone check."""

from __future__ import annotations

import pytest

from crisisdesk.analysis.templates import VARIABLES, fill, variables_in
from crisisdesk.analysis.tone import check
from crisisdesk.domain import Platform
from crisisdesk.store.templates import Shipped, shipped

SAMPLE = {
    "name": "Sam",
    "handle": "@sam",
    "business": "Crumb & Co",
    "contact": "hello@crumb.example",
    "signature": "Maria, owner",
    "platform": "Mastodon",
    "order": "4821",
    "facts": "our flour comes from a local mill, not the supplier in the news",
}
PRAISE = "You are the best bakery in town, thank you!"


def test_fill_replaces_known_values_and_reports_the_rest_in_order() -> None:
    filled = fill("Hi {name} ({handle}) from {business}, {name}! {x}", {"name": "Sam", "x": " "})
    assert filled.text == "Hi Sam ({handle}) from {business}, Sam! {x}"
    assert filled.unfilled == ("handle", "business", "x")


def test_fill_keeps_literal_braces_and_never_fills_twice() -> None:
    filled = fill("{{name}} is {name}", {"name": "{business}", "business": "Crumb"})
    assert filled == ("{name} is {business}", ())


def test_unfilled_variables_are_flagged_by_the_tone_check() -> None:
    filled = fill("Hi {name}, I'm sorry. Please DM us. — {signature}", {"name": "Sam"})
    found = [f for f in check(filled.text).findings if f.code == "placeholder"]
    assert [filled.text[f.start : f.end] for f in found if f.start is not None] == ["{signature}"]


def test_variables_in() -> None:
    assert variables_in("{a} {{b}} {c} {a}") == ("a", "c")


def test_every_shipped_variable_is_known_or_asks_for_the_owner() -> None:
    used = {v for t in shipped() for v in variables_in(t.body)}
    assert used - set(VARIABLES) == {"facts"}  # the facts of a correction: the owner writes them


def test_library_covers_every_situation_several_times() -> None:
    per_category: dict[str, int] = {}
    for item in shipped():
        per_category[item.category] = per_category.get(item.category, 0) + 1
    assert set(per_category) == {
        "Apology and make-good", "Take it offline", "Holding statement", "Thank a fan",
        "Correct misinformation", "Follow-up after resolution",
    }  # fmt: skip
    assert min(per_category.values()) >= 3
    assert len({t.key for t in shipped()}) == len(shipped())
    assert len({t.name.casefold() for t in shipped()}) == len(shipped())


@pytest.mark.parametrize("item", shipped(), ids=lambda t: t.key)
def test_every_shipped_template_passes_the_tone_check_on_x(item: Shipped) -> None:
    filled = fill(item.body, SAMPLE)
    assert filled.unfilled == ()
    private = "{order}" in item.body  # only private messages may name an order number
    report = check(
        filled.text,
        platform=Platform.X,
        in_reply_to=PRAISE if item.category == "Thank a fan" else None,
        own_contacts=(SAMPLE["contact"],),
        public=not private,
    )
    assert report.findings == (), report.findings
    assert report.score >= 80
    assert "empathy" in {s.code for s in report.strengths}
