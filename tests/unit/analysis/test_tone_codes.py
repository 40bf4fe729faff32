"""Every finding code and strength of the tone check, each with texts that must trigger it and
texts that must not (a near miss where one is easy to make)."""

from __future__ import annotations

import pytest

from crisisdesk.analysis.tone import check
from crisisdesk.domain import Platform, ToneSeverity

OWN = ("hello@bakery.example", "+44 161 555 0100", "12 Mill Lane")

#: code → (texts with the finding, texts without it); every text is a public reply to a complaint
CASES: dict[str, tuple[list[str], list[str]]] = {
    "defensive": (
        [
            "We did nothing wrong.",
            "That's not our fault.",
            "That is simply not true.",
            "We followed our policy.",
            "With all due respect, you are mistaken.",
            "We are not responsible for the delay.",
            "We've never had a complaint about this before.",
            "We were very busy that day.",
            "That is not what happened. Our CCTV shows you were served on time.",
        ],
        [
            "We got this wrong and I'm sorry.",
            "I'm sorry, that should never happen.",
            "Is it true the box was open? I'm sorry if so.",
        ],
    ),
    "blame": (
        [
            "You should have read the policy.",
            "It was the courier's fault.",
            "It's clearly stated on our website.",
            "If you had checked the menu you would have seen it.",
            "You forgot to mention the allergy.",
        ],
        [
            "We should have checked with you.",
            "You should have received an e-mail from us by now; if not, please DM us.",
            "The courier was late and that's on us, not them.",
        ],
    ),
    "dismissive": (
        [
            "Calm down.",
            "As we already said, the shop opens at 9.",
            "We're sorry you feel that way.",
            "Sorry if anyone was offended.",
            "We apologise for any inconvenience.",
            "It's not a big deal.",
            "Nobody else has complained.",
            "Sorry, but you should have asked.",
            "If that's how you feel, maybe we're not the bakery for you.",
            "Dear customer, we regret any inconvenience caused.",
        ],
        [
            "I'm sorry we kept you waiting.",
            "We are sorry you had to wait so long.",
            "Thank you for your patience.",
        ],
    ),
    "shouting": (
        [
            "We did NOT do that.",
            "PLEASE READ OUR HOURS",
            "This is UNACCEPTABLE behaviour.",
        ],
        [
            "Please DM us your order ID, it's ASAP for us.",
            "Our FAQ and the NHS page explain it; the BBQ menu is online.",
            "OK, I see.",
        ],
    ),
    "exclamation": (
        ["Sorry!!", "Thanks! See you soon!", "Really?!!"],
        ["Thank you!", "Sorry about that.", "Is that right?", "Really?!"],
    ),
    "no-empathy": (
        ["Your refund will arrive Monday.", "Noted."],
        [
            "Thanks for telling us.",
            "I understand, and I'm sorry.",
            "We apologise for the wait.",
            "Sorry! We'll fix it.",
        ],
    ),
    "no-next-step": (
        ["I'm sorry.", "That must have been frustrating."],
        [
            "Sorry! We'll send a replacement today.",
            "I'm sorry. Please DM us.",
            "Sorry, we've fixed the oven since.",
            "I'm sorry, that should never have happened.",
        ],
    ),
    "take-offline": (
        [
            "Sorry, your card was charged twice; the refund will show on your card soon.",
            "Sorry about your allergy reaction, we'll look into your account.",
        ],
        [
            "Sorry about the double charge; please DM us and we'll refund it.",
            "Sorry about the wait, we'll do better.",
        ],
    ),
    "private-data": (
        [
            "Sorry Sam, we'll e-mail sam.jones@gmail.com today.",
            "We'll call you on 07700 900123 tomorrow.",
            "The refund went to 4111 1111 1111 1111.",
            "Your Visa ending in 4242 was refunded.",
            "Order #483920 is on its way.",
            "We'll deliver to 221 Baker Street again.",
        ],
        [
            "Please e-mail us at hello@bakery.example.",
            "Call us on +44 161 555 0100, or visit 12 Mill Lane.",
            "We open at 9:30 on 12.05.2026 and the cake was £12.50.",
            "Please DM us your {order} number.",  # a placeholder, not an order number
        ],
    ),
    "too-long": (
        ["Sorry. " + "a" * 300],
        ["Sorry. " + "a" * 200],
    ),
    "placeholder": (
        ["Hi {name}, sorry!", "Hi [NAME], sorry.", "Sorry, TBD."],
        ["Hi Sam, sorry.", "We'll check (and reply) soon [update: done]."],
    ),
    "negative-tone": (
        [
            "This complaint is ridiculous.",
            "Stop spreading lies, we will contact a lawyer.",
            "Unfortunately there is no way to change it.",
            "Sorry but that is ridiculous.",
            "Your review is rude and we will not be bullied.",
            "Please stop posting lies about our business.",
        ],
        [
            "I'm sorry, that was an awful experience and unfortunately our fault.",
            "That sounds disappointing, and I'm sorry.",
            "I'm so sorry our staff were rude to you.",
            "We'll make sure it never happens again.",
        ],
    ),
}


@pytest.mark.parametrize(("code", "text"), [(c, t) for c, (yes, _) in CASES.items() for t in yes])
def test_code_found(code: str, text: str) -> None:
    report = check(text, platform=Platform.X, own_contacts=OWN)
    assert code in {f.code for f in report.findings}, report.findings


@pytest.mark.parametrize(("code", "text"), [(c, t) for c, (_, no) in CASES.items() for t in no])
def test_code_not_found(code: str, text: str) -> None:
    report = check(text, platform=Platform.X, own_contacts=OWN)
    assert code not in {f.code for f in report.findings}, report.findings


def test_every_code_is_tested() -> None:
    from crisisdesk.analysis.tone import FindingCode

    assert set(CASES) == {str(c) for c in FindingCode}


@pytest.mark.parametrize(
    ("code", "severity"),
    [
        ("private-data", ToneSeverity.BLOCK),
        ("too-long", ToneSeverity.BLOCK),
        ("placeholder", ToneSeverity.BLOCK),
        ("defensive", ToneSeverity.WARN),
        ("no-next-step", ToneSeverity.TIP),
    ],
)
def test_severity_of_codes(code: str, severity: ToneSeverity) -> None:
    text = next(iter(CASES[code][0]))
    found = [f for f in check(text, platform=Platform.X).findings if f.code == code]
    assert found and all(f.severity == severity for f in found)


def test_exclamation_run_warns_scattered_marks_are_a_tip() -> None:
    (run,) = [f for f in check("Sorry!!!").findings if f.code == "exclamation"]
    assert run.severity == ToneSeverity.WARN
    (tip,) = [f for f in check("Sorry! See you!").findings if f.code == "exclamation"]
    assert tip.severity == ToneSeverity.TIP


def test_private_reply_is_not_checked_for_personal_data_or_take_offline() -> None:
    text = "Sorry! We'll refund your card ending in 4242 today."
    public = {f.code for f in check(text).findings}
    private = {f.code for f in check(text, public=False).findings}
    assert {"private-data", "take-offline"} <= public
    assert not {"private-data", "take-offline"} & private


def test_take_offline_tip_when_the_complaint_is_about_payment() -> None:
    report = check(
        "I'm sorry, we'll refund it today.", in_reply_to="You charged my card twice! Awful."
    )
    (found,) = [f for f in report.findings if f.code == "take-offline"]
    assert found.severity == ToneSeverity.TIP and found.start is None


def test_too_long_span_starts_where_the_limit_is_passed() -> None:
    text = "Sorry. " + "a" * 300
    (found,) = [f for f in check(text, platform=Platform.X).findings if f.code == "too-long"]
    assert (found.start, found.end) == (280, len(text))
    assert "307" in found.message and "280" in found.message


def test_limit_overrides_the_platform_limit() -> None:
    text = "Sorry, we'll fix it. " + "a" * 600
    assert "too-long" in {f.code for f in check(text, platform=Platform.MASTODON).findings}
    report = check(text, platform=Platform.MASTODON, limit=1000)
    assert "too-long" not in {f.code for f in report.findings}
    assert report.length.limit == 1000


def test_without_a_platform_nothing_limits_the_length() -> None:
    report = check("Sorry, we'll fix it. " + "a" * 20_000)
    assert report.length.limit == 0
    assert "too-long" not in {f.code for f in report.findings}


STRENGTHS = {
    "empathy": ("I'm so sorry about that.", "Noted, the shop opens at 9."),
    "accountability": ("That was our mistake.", "I'm sorry you waited."),
    "next-step": ("We'll send a new cake today.", "I'm sorry you waited."),
    "private-channel": ("Please send us a DM.", "Please come back soon."),
    "follow-up": ("I'll check in with you on Friday.", "Enjoy your weekend."),
    "personal": ("Hi Priya, sorry about that.", "Hi there, sorry about that."),
}


@pytest.mark.parametrize(("code", "yes", "no"), [(c, y, n) for c, (y, n) in STRENGTHS.items()])
def test_strengths(code: str, yes: str, no: str) -> None:
    assert code in {s.code for s in check(yes).strengths}
    assert code not in {s.code for s in check(no).strengths}


def test_a_non_apology_is_no_empathy() -> None:
    report = check("We're sorry you feel that way.")
    assert "empathy" not in {s.code for s in report.strengths}
    assert "no-empathy" in {f.code for f in report.findings}


def test_sign_off_with_a_name_is_personal() -> None:
    report = check("Sorry about the wait, we'll fix it.\n– Maria")
    assert "personal" in {s.code for s in report.strengths}


def test_one_contact_setting_may_hold_several_details() -> None:
    own = ("hello@bakery.example or +44 161 555 0100; 12 Mill Lane",)
    text = "Sorry! E-mail hello@bakery.example, call 0161 555 0100 or visit 12 Mill Lane."
    assert "private-data" not in {f.code for f in check(text, own_contacts=own).findings}
    other = "Sorry! We'll call you on 07700 900123."
    assert "private-data" in {f.code for f in check(other, own_contacts=own).findings}
