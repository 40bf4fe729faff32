"""Complaint cues: a table of real-ish mentions with the cues each must (and must not) fire."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.analysis import cue_base, cues
from crisisdesk.analysis.sentiment import analyze

# (text, the cues that must fire, most important first)
HITS: list[tuple[str, tuple[str, ...]]] = [
    # the two examples from the issue, where VADER alone says 0.0 and +0.69
    (
        "Ordered a cake for my daughter's birthday and it never showed up. "
        "Nobody answers the phone.",
        ("non_delivery", "no_response"),
    ),
    ("Great, another order lost. Thanks a lot", ("sarcasm",)),
    # non-delivery
    ("My parcel still hasn't arrived and it's been 9 days", ("non_delivery",)),
    ("Where is my order?? It was due at noon", ("non_delivery",)),
    ("WHERE IS MY CAKE", ("non_delivery",)),
    ("The delivery never came, what is going on @rosebakery", ("non_delivery",)),
    ("You lost my order AGAIN", ("non_delivery",)),
    ("my order didn't come", ("non_delivery",)),
    ("I haven't received my order", ("non_delivery",)),
    ("They took my money and never delivered", ("non_delivery",)),
    ("Nothing has arrived yet", ("non_delivery",)),
    ("No sign of the driver", ("non_delivery",)),
    ("Didn\u2019t get my order and no one called back", ("non_delivery", "no_response")),
    ("<p>My order <b>never arrived</b></p>", ("non_delivery",)),
    # waiting and late
    ("Waited 40 minutes for a coffee", ("waiting",)),
    ("we were waiting for ages", ("waiting",)),
    ("Our order was 2 hours late", ("waiting",)),
    ("45 minutes late and no apology", ("apology", "waiting")),
    ("Took forever to get served", ("waiting",)),
    ("Still nothing from you", ("waiting",)),
    # refunds
    ("I want a full refund.", ("refund",)),
    ("Still no refund after 3 weeks", ("refund", "repeat_contact")),
    ("Give me my money back", ("refund",)),
    ("Where's my refund?", ("refund",)),
    ("I'll be filing a chargeback", ("refund",)),
    # repeat contact
    ("Third time I've called about this", ("repeat_contact",)),
    ("I've emailed you four times now", ("repeat_contact",)),
    ("How many times do I have to ask", ("repeat_contact",)),
    ("Late yet again", ("repeat_contact",)),
    ("Order delayed again", ("repeat_contact", "waiting")),
    # never again / lost a customer
    ("Never again. You've lost a customer.", ("never_again",)),
    ("Won't be back, taking my business elsewhere", ("never_again",)),
    ("Would not recommend to anyone", ("never_again",)),
    ("Last time I order from you", ("never_again",)),
    ("I'm cancelling my subscription", ("never_again",)),
    # sarcasm after a failure
    ("Thanks for nothing @rosebakery", ("sarcasm",)),
    ("I just love waiting an hour for a coffee", ("sarcasm", "waiting")),
    ("Oh great, the order is late again", ("sarcasm", "repeat_contact", "waiting")),
    ("So much for same day delivery, still not here", ("sarcasm", "waiting")),
    ("Yeah right, 'next day delivery'. It's been a week", ("sarcasm",)),
    # billing
    ("Charged twice for the same cake!", ("billing_error",)),
    ("You overcharged me by £20", ("billing_error",)),
    ("There's a hidden fee on my bill", ("billing_error",)),
    ("I was double charged", ("billing_error",)),
    ("Card was charged after I cancelled", ("billing_error",)),
    ("Totally ripped off", ("billing_error",)),
    # health and safety
    ("Got food poisoning from your quiche", ("health_safety",)),
    ("Found a hair in my sandwich, gross", ("health_safety",)),
    ("The bread was mouldy", ("health_safety",)),
    ("My son had an allergic reaction, it said nut free", ("health_safety",)),
    ("The 'gluten free' brownie was not gluten free", ("health_safety",)),
    ("My daughter ended up in A&E after eating here", ("health_safety",)),
    ("The kitchen looked filthy", ("health_safety",)),
    # rude staff
    ("The girl at the till was so rude to my mum", ("rude_staff",)),
    ("Staff were unhelpful and dismissive", ("rude_staff",)),
    ("She treated me like a criminal", ("rude_staff",)),
    ("The driver was aggressive", ("rude_staff",)),
    # quality
    ("The croissants were stale and the coffee was cold", ("quality",)),
    ("The cake arrived squashed and nothing like the picture", ("quality",)),
    ("Bread wasn't fresh", ("quality",)),
    ("Tiny portions for the price", ("quality",)),
    # wrong order
    ("Got the wrong order, this isn't what I ordered", ("wrong_order",)),
    ("Items missing from my delivery", ("wrong_order",)),
    ("Someone else's order turned up at my door", ("wrong_order",)),
    ("You forgot the candles", ("wrong_order",)),
    ("Sent it to the wrong address", ("wrong_order",)),
    # privacy
    ("My personal details were leaked", ("privacy",)),
    ("Stop spamming me, I unsubscribed weeks ago and still get emails", ("privacy",)),
    ("Is this GDPR compliant? You sold my email", ("privacy",)),
    # threats to review or escalate
    ("Reporting you to trading standards", ("escalation",)),
    ("1 star. Avoid.", ("escalation",)),
    ("Rated you 1/5", ("escalation",)),
    ("Filing a complaint with the BBB", ("escalation", "dissatisfied")),
    ("I'll be contacting my solicitor", ("escalation",)),
    ("I'm contacting the local paper", ("escalation",)),
    # no response
    ("Nobody replied to my email", ("no_response",)),
    ("Still no reply from customer service", ("no_response", "repeat_contact")),
    ("Rang three times, it just goes to voicemail", ("no_response", "repeat_contact")),
    ("You never answer your DMs", ("no_response",)),
    ("You keep ignoring my emails", ("no_response",)),
    ("The manager hung up on me", ("no_response",)),
    ("Ordered online two days ago and still no confirmation email?", ("no_response",)),
    # apology
    ("Where is the apology?", ("apology",)),
    ("Can't wait for the usual non-apology from @rosebakery", ("apology",)),
    # more sarcasm, never again, refunds
    ("Love how their idea of customer service is 'not our problem'", ("sarcasm",)),
    ("Five stars, would be insulted again", ("sarcasm",)),
    ("Nothing says 'happy birthday' like a cake that never turned up", ("non_delivery", "sarcasm")),
    ("Never setting foot in there again", ("never_again",)),
    ("Unfollowing @rosebakery", ("never_again",)),
    ("The bride deserves a full refund", ("refund",)),
    ("Charged £700 and delivered nothing", ("non_delivery",)),
    # contempt, unhappiness
    ("Do better.", ("contempt",)),
    ("Not good enough", ("contempt",)),
    ("Wasted trip. Shameful.", ("contempt",)),
    ("Been waiting 2 hours for a table, absolute joke", ("contempt", "waiting")),
    ("Worst customer service ever", ("contempt", "dissatisfied")),
    ("Very disappointed with the service today", ("dissatisfied",)),
    ("I want to make a complaint", ("dissatisfied",)),
    ("Not happy at all with my order", ("dissatisfied",)),
]

# things customers write that must fire no cue at all
MISSES = [
    "Delivery was fast, thanks!",
    "Never had a better croissant",
    "No complaints, lovely as always",
    "Do you deliver on Sundays?",
    "Can't wait to try the new sourdough",
    "Worth the wait, the cake was perfect",
    "Happy to wait, no rush",
    "Best bakery in town, the staff are lovely",
    "Is the chocolate cake gluten free?",
    "What time do you open tomorrow?",
    "Thanks a lot, the birthday cake was gorgeous",
    "Great job on the wedding cake, everyone loved it",
    "Will definitely order again!",
    "Can't recommend them enough",
    "I won't go anywhere else for bread now",
    "Nothing wrong with the cake, just wanted to say thank you",
    "The staff were not rude at all, very patient",
    "The cold brew is amazing",
    "Spoilt for choice at the counter today",
    "Open late on Fridays?",
    "You can't go wrong with their scones",
    "Any complaints, just let us know and we'll sort it",
    "Your voucher code was expired but staff sorted it straight away",
    "Is there an extra charge for delivery?",
    "No reply needed, just wanted to say thanks",
    "Not disappointed in the slightest, wonderful",
    "Not the worst coffee I've had",
    "Sick of people saying the new menu is worse, it's great",
    "Picked up a loaf on the way home",
    "RT @rosebakery: new opening hours from Monday",
    "Our second time here and it was lovely again",
    "I'm waiting for the new menu to drop!",
    "It didn't come with a receipt",
    "Didn't come back to the table",
    "Never again will I doubt their sourdough",
    "The barista told me a joke, made my day",
    "We couldn't do better than this cake",
    "No apology needed, it was lovely",
    "Thanks for the apology and the replacement cake",
    "Love how fresh everything is",
    "Oh good, they have croissants today",
    "Sorry not sorry, I ate it all",
    "Not in a good mood today but this cake helped",
    "",
    "   ",
    "🎂🎉🥐",
]


@pytest.mark.parametrize(("text", "expected"), HITS)
def test_complaint_cues_fire(text: str, expected: tuple[str, ...]) -> None:
    assert cues.detect(text) == expected
    result = analyze(text)
    # the cue rules' ids come first, then the recogniser's own reasons
    assert result.cues[: len(expected)] == expected
    assert result.complaint
    assert result.label == "negative"


#: ordinary wording the learned recogniser (issue 10) does flag, each close to its line: a
#: negation next to kind words, or a charge asked about, reads like a breached expectation to it
#: (the real questions customers send are complaints one time in five). No cue rule fires on
#: them; the owner's correction fixes such a flag (tests/unit/services/test_complaint_learning.py).
RECOGNISER_FLAGS = {
    "Is there an extra charge for delivery?",
    "Didn't come back to the table",
    "We couldn't do better than this cake",
    "Your voucher code was expired but staff sorted it straight away",
    "Never again will I doubt their sourdough",
    "Not in a good mood today but this cake helped",
}


@pytest.mark.parametrize("text", MISSES)
def test_ordinary_mentions_fire_no_cue(text: str) -> None:
    assert cues.detect(text) == ()
    assert analyze(text).complaint == (text in RECOGNISER_FLAGS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ok it's the third time this week I've been in and it's always lovely", "repeat_contact"),
        ("The cake was an hour late but worth every penny, thank you!", "waiting"),
        ("Disappointed they sold out, but the lemon tart was wonderful", "dissatisfied"),
    ],
)
def test_weak_cues_in_positive_text_are_not_complaints_by_the_rules(
    text: str, expected: str
) -> None:
    """The cue rules leave weak cues in warm text alone (``is_complaint``); the learned
    recogniser may still flag a breached expectation there ("an hour late but worth it" is a
    complaint by the data set's definition, a mismatch between reality and expectations)."""
    result = analyze(text)
    assert result.cues[:1] == (expected,)
    assert result.sentiment >= 0.05
    assert not cues.is_complaint(cues.detect(text), result.sentiment)
    assert result.label == ("negative" if result.complaint else "positive")


def test_weak_cue_in_a_text_vader_does_not_like_is_a_complaint() -> None:
    result = analyze("The cake was an hour late")
    assert result.cues[:1] == ("waiting",)
    assert result.sentiment < 0.05
    assert result.complaint


def test_is_complaint_rules() -> None:
    assert not cues.is_complaint((), -0.9)
    assert cues.is_complaint(("non_delivery",), 0.9)
    assert cues.is_complaint(("waiting",), 0.0)
    assert not cues.is_complaint(("waiting", "repeat_contact"), 0.5)
    assert cues.is_complaint(("waiting", "sarcasm"), 0.5)


# --- canonical form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Didn\u2019t ARRIVE!!", b" didn't arrive . . "),
        ("\u2018Never again\u2019", b" never again "),
        ("'quoted' words, and a comma", b" quoted words and a comma "),
        ("<b>cold</b> coffee", b" b cold /b coffee "),
        ("line one\nline two", b" line one . line two "),
        ("caf\u00e9 \U0001f621 1/5", b" caf 1/5 "),
        ("", b"  "),  # no words: just the two boundary spaces
    ],
)
def test_canonical_form(text: str, expected: bytes) -> None:
    assert cues.canonical(text) == expected


def test_sentence_end_stops_a_pattern() -> None:
    # "never ... again" must be within one sentence
    assert cues.detect("I never eat cake. Bought it again today, lovely") == ()
    assert cues.detect("I will never eat here again") == ("never_again",)


# --- the rules themselves -----------------------------------------------------------------


def test_every_cue_has_a_description_and_a_rule() -> None:
    assert {rule.cue for rule in cues.RULES} == set(cues.CUE_DESCRIPTIONS)
    assert set(cues.CUE_ORDER) == set(cues.CUE_DESCRIPTIONS)
    assert set(cues.CUE_DESCRIPTIONS) >= cues.WEAK_CUES


def test_explicit_keys_are_words_of_their_pattern() -> None:
    """A key spelled wrong would silently switch its pattern off."""
    for rule in cues.RULES:
        for pattern in rule.patterns:
            assert pattern.keys, pattern.source
            for key in pattern.keys:
                word = re.escape(key.decode())
                assert re.search(rf"(?<![a-z0-9']){word}(?![a-z0-9'])", pattern.source), (
                    rule.cue,
                    key,
                    pattern.source,
                )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("never (?:arrived|came)", {"never"}),
        ("(?:lost|misplaced) (?:my|our) order", {"lost", "misplaced"}),
        ("(?:(?:not|never)|no) (?:~ )?late", {"not", "never", "no"}),
        ("(?:did not|didn't) come", {"did", "didn't"}),
        ("(?:i )?love waiting", None),
        ("refund(?:s|ed)? now", None),
        ("(?:lost|missing)? order", None),
        ("~ missing", None),
    ],
)
def test_head_keys(pattern: str, expected: set[str] | None) -> None:
    found = cues.head_keys(pattern)
    assert (None if found is None else set(found)) == expected


def test_a_pattern_without_derivable_keys_is_refused() -> None:
    with pytest.raises(ValueError, match="explicit keys"):
        cue_base.rule("waiting", ["(?:i )?love waiting"])
    with pytest.raises(ValueError, match="no description"):
        cue_base.rule("made_up", ["never again"])


# --- the key prefilter never hides a match --------------------------------------------------

_TABLE_TEXTS = [text for text, _ in HITS] + MISSES


@pytest.mark.parametrize("text", _TABLE_TEXTS)
def test_prefilter_agrees_with_running_every_pattern(text: str) -> None:
    assert cues.detect(text) == cues.detect(text, prefilter=False)


_FRAGMENTS = st.sampled_from(
    [w for text in _TABLE_TEXTS for w in text.split()]
    + ["not", "never", "no", "again", ".", ",", "!", "the", "my", "order", "was", "'", "\u2019"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=25).map(" ".join))
def test_prefilter_agrees_on_shuffled_fragments(text: str) -> None:
    assert cues.detect(text) == cues.detect(text, prefilter=False)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_detect_never_raises_and_returns_known_cues(text: str) -> None:
    found = cues.detect(text)
    assert set(found) <= set(cues.CUE_DESCRIPTIONS)
    assert len(set(found)) == len(found)
    assert list(found) == sorted(found, key=cues.CUE_ORDER.index)
    assert found == cues.detect(text, prefilter=False)
