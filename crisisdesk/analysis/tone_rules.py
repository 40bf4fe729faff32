"""The wording rules of the tone check (``analysis/tone.py``): what each code looks for.

Every rule is a regular expression with the message an owner reads and a suggestion. They are
deliberately plain word patterns, not a sentiment score: VADER rates "CALM DOWN!!! We did
nothing wrong" +0.76 and a good apology negative, so the compound score gets crisis replies
backwards. Patterns are case-insensitive; ``'`` matches straight and curly apostrophes.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Rule(NamedTuple):
    """One pattern of a finding code, with what to tell the owner when it matches."""

    code: str
    pattern: re.Pattern[str]
    message: str
    suggestion: str


def _words(*alternatives: str) -> re.Pattern[str]:
    """A case-insensitive pattern of whole-word alternatives (``'`` = either apostrophe)."""
    body = "|".join(a.replace("'", "['’]") for a in alternatives)
    return re.compile(rf"(?<![\w'’])(?:{body})(?![\w])", re.IGNORECASE)


_WE = r"(?:we|i|our (?:team|staff|kitchen|store|shop))"
_WE_ARE = r"(?:we're|we are|i'm|i am)"

DEFENSIVE = (
    Rule(
        "defensive",
        _words(
            rf"{_WE} (?:did|have done|were) (?:nothing|not do anything) wrong",
            rf"{_WE} (?:did not|didn't|never) do (?:anything|that|this)",
            r"(?:it|that|this) (?:is|was|'s) not (?:our|my) (?:fault|problem|responsibility|issue)",
            r"(?:it|that|this)(?: is|'s| was) not on us",
            r"not our (?:fault|problem)",
            rf"{_WE_ARE} not (?:responsible|to blame|at fault|liable)",
            r"(?:that|this|it)(?: is|'s) (?:simply |just |completely )?"
            r"(?:not true|untrue|false|a lie)",
            r"that never happened",
            rf"{_WE} stand by",
            rf"{_WE} followed (?:the|our|all) (?:rules|policy|procedures?|protocol)",
            r"with (?:all )?due respect",
            r"you(?: are|'re) (?:wrong|mistaken|incorrect|misinformed)",
            r"there(?: is|'s) nothing (?:wrong|we can do|more we can do)",
            r"we have nothing to apologi[sz]e for",
            r"(?:that|this|it)(?: is|'s| was|isn't|wasn't)(?: not)? what happened",
            r"our (?:records|cctv|cameras?|footage|system|logs|receipts?) (?:show|shows|say|says"
            r"|indicate|prove|proves)",
            r"(?:we|i) (?:have |'ve )?passed every (?:inspection|check|audit)",
            r"we(?:'ve| have) never (?:had|received) (?:a |any |this )?(?:complaints?|problems?"
            r"|issues?)",
            r"(?:we're|we are|we were) (?:very |so |really |extremely )?(?:busy|short-staffed"
            r"|understaffed)",
        ),
        "This sounds defensive: it argues with the customer or denies any fault.",
        "Acknowledge how they feel first; explain facts later, calmly, if they matter.",
    ),
)

BLAME = (
    Rule(
        "blame",
        _words(
            r"you should(?:'ve| have)(?: just)? (?!received|got|gotten|been|heard)\w+",
            r"you (?:should|need to|needed to) (?:read|check|look at|follow)\w*",
            r"you (?:failed to|forgot to|neglected to|didn't bother to|did not bother to) \w+",
            r"you (?:didn't|did not|never) "
            r"(?:read|check|follow|look at|tell us|ask|mention|specify)",
            r"(?:it|that|this) (?:is|was|'s) your (?:fault|problem|mistake|responsibility)",
            r"your (?:own )?fault",
            r"if you had (?:read|checked|looked|followed|told|asked|paid attention)",
            r"(?:read|check) (?:the|our) (?:policy|terms|menu|sign|website|small print|fine print)",
            r"(?:as|it was|it is|it's) (?:clearly )?(?:stated|written|posted|marked|shown) "
            r"(?:on|in) (?:our|the)",
            r"user error",
            r"(?:the|our) (?:courier|supplier|delivery (?:company|driver|service)|driver"
            r"|post office|manufacturer|landlord|bank|payment provider|intern"
            r"|new (?:hire|guy|girl|staff)"
            r"|temp|agency)(?:'s)? (?:fault|mistake|error|problem|responsibility)",
            r"(?:blame|blamed) (?:the|our) \w+",
            r"(?:that|this|it)(?: is|'s| was) (?:on them|down to (?:the|them|him|her)\b ?\w*)",
        ),
        "This puts the blame on the customer or on someone else.",
        "Own what happened on your side; customers forgive a business that takes responsibility.",
    ),
)

DISMISSIVE = (
    Rule(
        "dismissive",
        _words(
            r"calm down",
            r"relax",
            r"chill(?: out)?",
            r"get over it",
            r"whatever",
            r"you(?: are|'re) (?:overreacting|being dramatic|too sensitive)",
            r"(?:it|this|that)(?: is|'s) (?:not|no) (?:a )?big deal",
            r"as (?:we|i) (?:have )?(?:already|previously) "
            r"(?:said|stated|mentioned|explained|told you)",
            r"as (?:already|previously) (?:said|stated|mentioned|explained)",
            r"per (?:my|our) (?:last|previous) (?:message|reply|post|comment)",
            r"we can't please everyone",
            r"not sure what you expected",
            r"take it or leave it",
            r"if you don't like it",
            r"you people",
            r"some people",
            r"no offen[cs]e",
            r"lol",
            r"obviously",
            r"(?:ok(?:ay)?,? )?we get it(?= *[.,!;]| *$)",
            r"(?:no one|nobody|no-one) else (?:has|have|had) (?:complained|had|mentioned)",
            r"(?:we|i) (?:don't|do not) know what you(?:'re| are) talking about",
            r"if that's how you feel",
            r"(?:shop|go|eat|order) elsewhere",
            r"(?:maybe|perhaps) (?:we're|we are) not (?:the|a|an) \w+ for you",
        ),
        "This brushes the customer off: it tells them how to feel or that they repeat themselves.",
        "Take the complaint seriously: say you understand why they are upset.",
    ),
    Rule(
        "dismissive",
        _words(
            r"(?:we're|we are|i'm|i am)? ?sorry (?:that |if )?you (?:feel|felt|see it|think|were "
            r"offended|took it)(?: that way| this way| so)?",
            r"sorry if (?:anyone|you|this|that|it) (?:was|were|felt|feel|caused|offended|upset)\w*",
            r"sorry for any (?:inconvenience|misunderstanding)"
            r"(?: (?:this|that|it) may have caused)?",
            r"we apologi[sz]e for any (?:inconvenience|misunderstanding)",
            r"(?:we|i) regret any (?:inconvenience|misunderstanding)",
            r"sorry you're upset",
            r"(?:sorry|apologi[sz]e),? but",
        ),
        "This is a non-apology: it regrets the customer's feelings, not what happened.",
        'Apologise for what went wrong: "I\'m sorry your order arrived late."',
    ),
)

NEGATIVE = (
    Rule(
        "negative-tone",
        _words(
            r"stupid",
            r"idiot\w*",
            r"liars?",
            r"lying",
            r"lies",
            r"shut up",
            r"whin(?:e|ing|er)",
            r"troll\w*",
            r"fake review\w*",
            r"sue you",
            r"lawyers?",
            r"legal action",
            r"defamation",
            r"slander",
            r"don't come back",
            r"never come back",
            r"not welcome",
            r"good riddance",
            r"banned",
            r"how dare you",
            r"shame on you",
            r"grow up",
            r"get a life",
            r"entitled",
            r"clearly (?:can't|cannot)",
        ),
        "This word reads as hostile; in public it makes the business look worse than the "
        "complaint.",
        "Leave it out, or say the same thing in neutral words.",
    ),
)

#: harsh words: hostile about the customer, but fine in an apology ("sorry our staff were rude")
HARSH = Rule(
    "negative-tone",
    _words(
        r"ridiculous",
        r"absurd",
        r"pathetic",
        r"nonsense",
        r"rubbish",
        r"disgusting",
        r"crazy",
        r"insane",
        r"ignorant",
        r"rude",
        r"hate",
        r"unreasonable",
        r"outrageous",
    ),
    "This word reads as hostile; in public it makes the business look worse than the complaint.",
    "Leave it out, or say the same thing in neutral words.",
)

#: gloomy words: only a finding in a sentence that does not apologise or empathise
GLOOMY = Rule(
    "negative-tone",
    _words(
        r"unfortunately",
        r"sadly",
        r"impossible",
        r"hopeless",
        r"nothing (?:we|i) can do",
        r"can't help",
        r"cannot help",
        r"won't be able",
        r"no way",
    ),
    "This sounds gloomy or closes the door, with no apology or way forward beside it.",
    "Say what you *can* do instead of what you cannot.",
)

#: an apology taken back: "sorry, but..." does not excuse the harsh words after it
APOLOGY_TAKEN_BACK = re.compile(r"(?:sorry|apologi[sz]e),? but\b", re.IGNORECASE)
#: apology / empathy words: a sentence with one of these may name bad things ("awful") freely
APOLOGY_WORDS = re.compile(
    r"sorry|apolog|regret|understand|frustrat|disappoint|should (?:never|not) (?:have )?happen",
    re.IGNORECASE,
)

# --- strengths ---------------------------------------------------------------------------------

EMPATHY = _words(
    r"(?:i'm|i am|we're|we are|so|really|truly|very) (?:so |really |truly |very )?sorry",
    r"sorry (?:about|for|that|to hear)",
    r"sorry(?= *[.!,;:—–-]| *$)",  # a plain "Sorry!" or "Sorry, Sam."
    r"(?:my|our) (?:sincere |deepest )?apologies",
    r"(?:i|we) (?:sincerely |truly )?apologi[sz]e",
    r"(?:i|we) (?:completely |totally )?understand",
    r"(?:i|we) hear you",
    r"(?:i|we) can (?:only )?imagine",
    r"that must (?:have been|be) \w+",
    r"thank you",
    r"thanks",
    r"(?:i|we) appreciate",
    r"(?:how|so|really) (?:frustrating|"
    r"disappointing|upsetting)",
    r"understandably",
    r"you(?:'re| are) (?:right|absolutely right)",
    r"(?:i|we) regret",
)
ACCOUNTABILITY = _words(
    r"(?:we|i) (?:made|got it|got this|got that) (?:a )?(?:mistake|wrong)",
    r"(?:our|my) (?:mistake|fault|error|bad)",
    r"(?:we|i) messed up",
    r"(?:we|i) (?:really )?"
    r"(?:dropped the ball|let you down|got it wrong|were wrong|was wrong|failed you)",
    r"(?:that|this)(?:'s| is) on (?:us|me)",
    r"(?:we|i) should(?:'ve| have) \w+",
    r"should (?:never|not) (?:have )?happen(?:ed)?",
    r"(?:we|i) take (?:full )?responsibility",
    r"not (?:the|our) standard",
    r"not good enough",
    r"(?:that|this) (?:was|is) (?:not ok|"
    r"unacceptable|wrong)",
    r"no excuse",
    r"(?:we|i) own (?:this|that|it)",
    r"(?:we|i) (?:did|didn't|did not) (?:get|handle) (?:it|this|that|your \w+) right",
)
NEXT_STEP = _words(
    r"(?:we|i)(?:'ll| will| would like to|'d like to| want to|'re going to| are going to| am "
    r"going to) \w+",
    r"(?:we|i)(?:'ve| have) (?:already )?(?:fixed|changed|updated|refunded|issued|sent|spoken|"
    r"talked|retrained|added|removed|corrected|arranged|booked|replaced|credited|asked)",
    r"(?:we're|we are|i'm|i am) (?:looking into|investigating|fixing|working on|checking|"
    r"refunding|replacing|sending|arranging|retraining|updating)",
    r"refund\w*",
    r"replacement",
    r"re-?send",
    r"voucher",
    r"credit",
    r"(?:it's|it is|will be|one's) on (?:us|the house)",
    r"on the house",
    r"make (?:it|this|that|things) right",
    r"make it up to you",
    r"here(?:'s| is) what",
    r"please (?:dm|message|email|e-mail|call|contact|send|reach|get in touch|let us know|"
    r"come back|ask)",
    r"(?:dm|message|email|e-mail|call|contact) (?:us|me)",
    r"get in touch",
    r"reach out",
    r"let (?:us|me) know",
    r"could you (?:dm|send|tell|share|message|reach|contact|call|ring|e-?mail)",
    r"(?:happy|glad|here) to (?:help|talk|chat|explain|refund|replace|answer)",
    r"next (?:week|time|step)",
    r"(?:by|this) (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|tomorrow|tonight|weekend)",
)
PRIVATE_CHANNEL = _words(
    r"dm",
    r"dms",
    r"direct message",
    r"private(?:ly| message)",
    r"message us",
    r"inbox",
    r"(?:email|e-mail|call|phone|ring|text) (?:us|me)",
    r"(?:email|e-mail|call|phone) (?:on|at)",
    r"(?:send|drop) (?:us|me) (?:a|an) (?:dm|message|email|e-mail|note|line)",
    r"by (?:email|e-mail|phone)",
    r"(?:contact|reach|write to) (?:us|me)",
    r"\{contact\}",
    r"offline",
)
FOLLOW_UP = _words(
    r"follow(?:ing)? up",
    r"(?:i|we)(?:'ll| will) (?:check|get back|update|let you know|"
    r"be in touch|keep you|circle back|come back|report back|confirm)",
    r"keep you (?:posted|updated|informed)",
    r"update you",
    r"check back",
    r"(?:how|did) (?:is|was|did) (?:everything|it|the \w+)(?: go)?",
    r"(?:just )?(?:checking|wanted to check) in",
    r"(?:is|was) everything (?:ok|okay|alright|sorted)",
)
PERSONAL_GREETING = re.compile(
    r"^\s*(?:(?i:hi|hello|hey|dear|good (?:morning|afternoon|evening)|thanks|thank you)[ ,]+"
    r"(?!(?i:there|all|everyone|folks|for|so|again|you|guys|team)\b)@?[A-Z][\w'’-]*|@\w[\w.@-]*)"
)
PERSONAL_SIGNOFF = re.compile(
    # "— Maria" (on its own line or after a sentence), "Best,\nMaria", "I'm Maria, the owner"
    r"(?:^|\n|[.!?)] )\s*(?:[-–—~^]\s*[A-Z][\w'’-]+|(?:best|cheers|thanks|warmly|regards"
    r"|kind regards),?\s*\n?\s*[A-Z][\w'’-]+)[^\n]*\s*$"
    r"|(?:i'm|i am|this is) [A-Z][a-z]+,? (?:the )?(?:owner|manager|founder|head|chef)",
)

#: the topics that belong in a private channel: accounts, payments, orders, health, addresses
SENSITIVE_TOPIC = _words(
    r"your (?:account|card|payment|bank(?: details)?|order number|booking (?:number|reference)|"
    r"reservation number|home address|address|password|invoice|billing|insurance|medical|"
    r"prescription|diagnosis|doctor|allerg(?:y|ies)|health|date of birth|postcode|zip code)",
    r"card (?:ending|number)",
    r"(?:charged|billed) (?:you|your card)",
    r"allergic reaction",
    r"hospital",
    r"account (?:number|details)",
    r"(?:order|booking) (?:number|no\.?|#)",
)
COMPLAINT_SENSITIVE = re.compile(
    r"charged|refund|card|payment|paid|bank|account|password|order (?:number|#|no)|allerg|"
    r"hospital|sick|ill\b|poison|doctor|address|deliver",
    re.IGNORECASE,
)

# --- shouting ------------------------------------------------------------------------------------

#: capitalised words that are names of things, not raised voices
ACRONYMS = frozenset(
    [
        "OK",
        "FAQ",
        "USA",
        "UK",
        "EU",
        "DM",
        "DMS",
        "PM",
        "AM",
        "ASAP",
        "TV",
        "CEO",
        "ID",
        "URL",
        "FYI",
        "NYC",
        "LA",
        "UPS",
        "DHL",
        "BBQ",
        "GPS",
        "PDF",
        "VAT",
        "GST",
        "HST",
        "ATM",
        "PIN",
        "SMS",
        "NHS",
        "FDA",
        "USDA",
        "ISO",
        "IT",
        "HR",
        "PR",
        "BLT",
        "ETA",
        "RSVP",
        "XL",
        "XXL",
        "LOL",
        "COVID",
        "IKEA",
        "NASA",
        "SUV",
    ]
)
#: common words: in capitals, even one of them is a raised voice
LOUD_WORDS = frozenset(
    [
        "NOT",
        "NO",
        "NEVER",
        "YOU",
        "YOUR",
        "WE",
        "OUR",
        "DID",
        "DO",
        "DOES",
        "IS",
        "ARE",
        "WAS",
        "WERE",
        "THE",
        "AND",
        "BUT",
        "ALL",
        "NOTHING",
        "WRONG",
        "STOP",
        "CALM",
        "DOWN",
        "READ",
        "WHAT",
        "WHY",
        "HOW",
        "THIS",
        "THAT",
        "THAT'S",
        "IT'S",
        "ONLY",
        "EVER",
        "AGAIN",
        "LISTEN",
        "NOW",
        "ACTUALLY",
        "CLEARLY",
        "REALLY",
        "VERY",
        "SO",
        "SAID",
        "TOLD",
        "FAULT",
    ]
)
CAPS_WORD = re.compile(r"(?<![\w'’])[A-Z][A-Z'’]*[A-Z](?![\w'’])")
EXCLAMATIONS = re.compile(r"[!?]*![!?]*")
PLACEHOLDER = re.compile(
    r"\{\{?\s*[A-Za-z_][\w ]*\}?\}|\[(?:[A-Z][A-Z _-]*|name|your name|insert[^\]]*)\]|<[A-Z_]+>"
    r"|\b(?:XXX+|TBD|TODO)\b"
)
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
