"""One-click fixes of tone findings (ui/composer/fixes.py is pure text work)."""

from __future__ import annotations

import pytest

from crisisdesk.analysis import tone
from crisisdesk.ui.composer.fixes import EMPATHY_OPENING, fix_for


def apply(text: str, code: str) -> str:
    report = tone.check(text, platform="mastodon")
    (finding,) = [f for f in report.findings if f.code == code][:1]
    edit = fix_for(text, finding)
    assert edit is not None, code
    return text[: edit.start] + edit.text + text[edit.end :]


@pytest.mark.parametrize(
    ("text", "code", "fixed_has", "gone"),
    [
        ("We are SO SORRY about that.", "shouting", "We are so sorry", True),
        ("Sorry!!! We'll refund you today.", "exclamation", "Sorry. We'll", True),
        ("Your cake was late, we'll refund it today.", "no-empathy", EMPATHY_OPENING, True),
        (
            "Sorry Sam, I understand how frustrating that is.",
            "no-next-step",
            "direct message",
            True,
        ),
    ],
)
def test_fixes_remove_their_finding(text: str, code: str, fixed_has: str, gone: bool) -> None:
    fixed = apply(text, code)
    assert fixed_has in fixed
    codes = {f.code for f in tone.check(fixed, platform="mastodon").findings}
    assert (code not in codes) is gone


def test_private_data_is_removed() -> None:
    text = "Sorry Sam, we'll call you on 07700 900123 today."
    report = tone.check(text, platform="mastodon")
    found = [f for f in report.findings if f.code == "private-data"]
    if not found:
        pytest.skip("the rubric does not see this number as private")
    fixed = apply(text, "private-data")
    assert "07700" not in fixed


def test_words_only_the_owner_can_rewrite_have_no_fix() -> None:
    text = "That's not our fault, you should have read the policy."
    report = tone.check(text, platform="mastodon")
    for finding in report.findings:
        if finding.code in ("defensive", "blame"):
            assert fix_for(text, finding) is None
