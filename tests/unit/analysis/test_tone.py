"""The tone check of an owner's reply: the VADER traps, replies that must come back clean, the
score and the --json shape. Per-code examples are in test_tone_codes.py."""

from __future__ import annotations

import pytest

from crisisdesk.analysis.tone import FindingCode, ToneReport, check, report_json, utf16_index
from crisisdesk.domain import Platform

GOOD_APOLOGY = (
    "I'm sorry the staff didn't handle your gluten-free request. That should never happen."
)


def codes(report: ToneReport) -> set[str]:
    return {f.code for f in report.findings}


def strengths(report: ToneReport) -> set[str]:
    return {s.code for s in report.strengths}


def test_shouting_defence_is_caught_although_vader_rates_it_positive() -> None:
    text = "CALM DOWN!!! We did nothing wrong"
    report = check(text)
    assert {"shouting", "exclamation", "defensive", "dismissive"} <= codes(report)
    spans = {f.code: text[f.start : f.end] for f in report.findings if f.start is not None}
    assert spans["shouting"] == "CALM DOWN"
    assert spans["exclamation"] == "!!!"
    assert spans["defensive"] == "We did nothing wrong"
    assert report.score < 20


def test_policy_blame_is_caught_although_vader_rates_it_positive() -> None:
    text = "That's not our fault, you should have read the policy."
    report = check(text)
    assert {"defensive", "blame", "no-empathy"} <= codes(report)
    assert report.score < 40


def test_the_good_gluten_free_apology_comes_back_clean() -> None:
    report = check(GOOD_APOLOGY)
    assert strengths(report) == {"empathy", "accountability"}
    assert report.findings == ()
    # a next step would make it better still: it raises the score
    better = check(GOOD_APOLOGY + " We'll retrain the team this week.")
    assert better.findings == () and better.score > report.score


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam, I'm so sorry your cake arrived late. That's on us. Please DM us your order "
        "details and we'll refund it today. – Maria",
        "Thank you for telling us, and I'm sorry. We got this wrong. I've spoken to the team "
        "and we'll be in touch by Friday with a fix.",
        "We're really sorry about the wait on Saturday. That's not the standard we hold "
        "ourselves to. Please email us at hello@bakery.example so we can make it right.",
    ],
)
def test_good_replies_come_back_clean(text: str) -> None:
    report = check(text, own_contacts=("hello@bakery.example",))
    assert report.findings == ()
    assert report.score >= 85


def test_a_thank_you_to_a_fan_needs_no_apology_or_next_step() -> None:
    report = check(
        "Thank you so much, that made our day!",
        in_reply_to="Best croissants in town, I love this place!",
    )
    assert report.findings == ()
    assert "empathy" in strengths(report)


def test_without_in_reply_to_the_reply_answers_a_complaint() -> None:
    assert {"no-empathy", "no-next-step"} <= codes(check("Noted."))
    praise = "The cake was wonderful, thank you!"
    assert codes(check("Noted.", in_reply_to=praise)) == set()


def test_report_json_has_the_documented_shape() -> None:
    data = report_json(check("CALM DOWN", platform=Platform.X))
    assert set(data) == {"score", "findings", "strengths", "length"}
    assert data["length"] == {"used": 9, "limit": 280}
    findings = data["findings"]
    assert isinstance(findings, list)
    for item in findings:
        assert set(item) == {"code", "severity", "message", "start", "end", "suggestion"}
        assert type(item["code"]) is str and type(item["severity"]) is str
    assert any(item["code"] == FindingCode.SHOUTING for item in findings)


def test_utf16_index_counts_astral_characters_twice() -> None:
    text = "🎂 CALM"
    assert utf16_index(text, text.index("C")) == 3
