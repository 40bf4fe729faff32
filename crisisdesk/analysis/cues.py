"""Complaint cues: explainable rules for what VADER misses in customer-service text.

A rule is a handful of regular expressions over a canonical form of the text, an optional
*guard* (phrases blanked out before the rule looks, e.g. "can't wait", "no complaints") and an
optional *requires* (a second pattern that must also appear, e.g. a failure word next to
"thanks a lot").

Canonical form: lower case, ASCII words separated by single spaces, with a space at both ends;
``!?.;:`` and line breaks become a "." word so patterns do not run across sentences; other
punctuation and non-ASCII characters become spaces; apostrophes inside words stay ("didn't").
In patterns, words are separated by one space and ``~`` stands for any one word.

Speed: the import runs this on every mention next to VADER, so it must add little. Each pattern
has *keys*, words at least one of which every match contains; a pattern only runs when one of
its keys is among the text's words. By default the keys are the literal words a pattern starts
with; patterns starting with a common word name rarer keys explicitly. ``detect(text,
prefilter=False)`` runs every pattern, so tests can check that the keys never hide a match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: cue id -> short phrase used in priority reasons and the UI ("Complaint (order never arrived)")
CUE_DESCRIPTIONS: dict[str, str] = {
    "health_safety": "health or safety problem",
    "escalation": "threatens a bad review or to report the business",
    "privacy": "personal data or privacy concern",
    "non_delivery": "order never arrived",
    "billing_error": "charged wrongly",
    "wrong_order": "wrong or incomplete order",
    "refund": "wants their money back",
    "rude_staff": "rude staff",
    "no_response": "no answer from the business",
    "apology": "expects an apology",
    "never_again": "says they will not come back",
    "quality": "poor quality",
    "sarcasm": "sarcastic about a failure",
    "contempt": "says it is unacceptable",
    "repeat_contact": "has had to chase more than once",
    "waiting": "kept waiting or late",
    "dissatisfied": "says they are unhappy",
}

#: cues that only make a complaint when VADER does not read the text as positive
#: ("third time this month, still the best cake in town!", "late but worth it, thank you")
WEAK_CUES = frozenset({"waiting", "repeat_contact", "dissatisfied"})

#: order of importance; ``Analysis.cues`` is sorted this way
CUE_ORDER: tuple[str, ...] = tuple(CUE_DESCRIPTIONS)
_RANK = {cue: i for i, cue in enumerate(CUE_ORDER)}

_WORD_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789'&/"


def _canon_table() -> bytes:
    table = bytearray(b" " * 256)  # everything else, non-ASCII bytes included, separates words
    for ch in _WORD_CHARS:
        table[ord(ch)] = ord(ch)
        table[ord(ch.upper())] = ord(ch)  # lower-cases ASCII; non-ASCII letters go anyway
    table[ord("`")] = ord("'")
    for ch in ".!?;:\n\r":
        table[ord(ch)] = ord(".")
    return bytes(table)


_TABLE = _canon_table()
# curly apostrophes (U+2018, U+2019, U+02BC) in UTF-8
_CURLY = ((b"\xe2\x80\x99", b"'"), (b"\xe2\x80\x98", b"'"), (b"\xca\xbc", b"'"))


def words(text: str) -> list[bytes]:
    """The canonical words of *text* ("." marks a sentence end)."""
    raw = f" {text} ".encode("utf-8", "ignore")
    if not raw.isascii():
        for curly, straight in _CURLY:
            raw = raw.replace(curly, straight)
    # "." becomes a word of its own; quote marks at word edges go ("'never again'")
    raw = raw.translate(_TABLE).replace(b".", b" . ")
    if b"'" in raw:
        raw = raw.replace(b" '", b" ").replace(b"' ", b" ")
    return raw.split()


def canonical(text: str) -> bytes:
    """The form every pattern is matched against: b" word word . word "."""
    return b" " + b" ".join(words(text)) + b" "


# --- how rules are written ----------------------------------------------------------------

_LITERAL_WORD = re.compile(r"[a-z0-9'&/]+")


def _compile(pattern: str) -> re.Pattern[bytes]:
    body = pattern.replace("~", r"[^ .]+")
    return re.compile(f" (?:{body})(?= )".encode("ascii"))


def _split_top(inner: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(inner[start:i])
            start = i + 1
    parts.append(inner[start:])
    return parts


def head_keys(pattern: str) -> frozenset[str] | None:
    """The literal words a pattern must start with, or None when it starts otherwise."""
    if not pattern.startswith("(?:"):
        first = pattern.split(" ", 1)[0]
        return frozenset({first}) if _LITERAL_WORD.fullmatch(first) else None
    depth, end = 0, 0
    while True:
        depth += (pattern[end] == "(") - (pattern[end] == ")")
        if depth == 0:
            break
        end += 1
    rest = pattern[end + 1 :]
    if rest and not rest.startswith(" "):  # "(?:a|b)?" is optional: no head
        return None
    keys: set[str] = set()
    for alt in _split_top(pattern[3:end]):
        found = head_keys(alt)
        if found is None:
            return None
        keys |= found
    return frozenset(keys)


Spec = str | tuple[str, str]  # a pattern, or (pattern, its keys separated by spaces)


@dataclass(frozen=True, slots=True)
class CuePattern:
    source: str
    keys: frozenset[bytes]
    regex: re.Pattern[bytes]


@dataclass(frozen=True, slots=True)
class CueRule:
    cue: str
    patterns: tuple[CuePattern, ...]
    guard: CuePattern | None = None  # all guard phrases in one pattern, with all their keys
    requires: re.Pattern[bytes] | None = None


def _pattern(spec: Spec) -> CuePattern:
    if isinstance(spec, tuple):
        source, explicit = spec
        keys = frozenset(explicit.split())
    else:
        source = spec
        found = head_keys(source)
        if found is None:
            raise ValueError(f"pattern needs explicit keys: {source!r}")
        keys = found
    return CuePattern(source, frozenset(k.encode("ascii") for k in keys), _compile(source))


def _rule(
    cue: str,
    patterns: Sequence[Spec],
    guard: Sequence[Spec] = (),
    requires: str | None = None,
) -> CueRule:
    if cue not in CUE_DESCRIPTIONS:
        raise ValueError(f"cue {cue!r} has no description")
    guards = [_pattern(g) for g in guard]
    return CueRule(
        cue=cue,
        patterns=tuple(_pattern(p) for p in patterns),
        guard=CuePattern(
            "|".join(f"(?:{g.source})" for g in guards),
            frozenset().union(*(g.keys for g in guards)),
            _compile("|".join(f"(?:{g.source})" for g in guards)),
        )
        if guards
        else None,
        requires=_compile(requires) if requires else None,
    )


# --- shared fragments ---------------------------------------------------------------------

_ORDER = (
    "(?:order|orders|parcel|package|delivery|cake|cakes|food|shipment|item|items|box|meal"
    "|pizza|goods|purchase|flowers|bread|groceries|takeaway|stuff)"
)
_NUM = "(?:[0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|few)"
_TIMES = "(?:[0-9]+|two|three|four|five|six|seven|eight|nine|ten|several|multiple|many|countless|numerous|dozens of|so many)"  # noqa: E501
_ORDINAL_KEYS = (
    "second 2nd third 3rd fourth 4th fifth 5th sixth 6th tenth 10th nth umpteenth hundredth "
    "millionth"
)
_ORDINAL = "(?:" + _ORDINAL_KEYS.replace(" ", "|") + ")"
_SPAN = "(?:hour|hours|hr|hrs|day|days|week|weeks|month|months|min|mins|minute|minutes)"
_POS = (
    "(?:great|brilliant|fantastic|perfect|awesome|wonderful|lovely|amazing|excellent|superb"
    "|terrific|nice|cool|marvellous|marvelous|super|stellar|outstanding|wow)"
)
_NEG_PAST = (
    "(?:didn't|didnt|did not|hasn't|hasnt|has not|haven't|havent|have not|never|yet to|not yet"
    "|still not|still hasn't|still hasnt|still haven't|still havent)"
)
_NOT = "(?:not|never|wasn't|wasnt|weren't|werent|isn't|isnt|aren't|arent)"
_FAIL = (
    "(?:lost|late|missing|wrong|nobody|no one|ignored|ignoring|cancelled|canceled|broken|burnt"
    "|stale|cold|delayed|overcharged|refund|rude|sick|again|still|no reply|no answer"
    "|no response|no show|never arrived|never came|never showed|never turned|never answered"
    "|never replied|never called|never got|waited|waiting|hours|forgot|forgotten|mess"
    "|disaster|ruined|not here|days|week|weeks|not our problem|not my problem"
    "|not their problem|your problem|is the problem|are the problem|wrong reasons|excuses)"
)

RULES: tuple[CueRule, ...] = (
    _rule(
        "non_delivery",
        [
            "never (?:arrived|came|showed up|turned up|got here|got delivered|was delivered"
            "|been delivered|delivered)",
            (
                f"{_NEG_PAST} (?:even |yet |actually )?(?:arrive|arrived|shown up|show up"
                "|showed up|turn up|turned up|been delivered|got delivered|delivered"
                "|be delivered)(?! late| early)",
                "arrive arrived shown show showed turn turned delivered",
            ),
            (  # "come" is in too many phrases ("didn't come with a receipt"): clause end only
                f"{_NEG_PAST} (?:even |yet |actually )?(?:come|came)(?: (?:today|yesterday"
                "|at all|on time|in the end|either|again)){0,2}(?= \\.| $)",
                "come came",
            ),
            (
                f"{_NEG_PAST} (?:received|receive|got|get|gotten) (?:my|our|the|a|an|any|this)"
                f" (?:~ )?{_ORDER}",
                "received receive got get gotten",
            ),
            (
                f"{_ORDER} (?:~ ){{0,3}}?(?:is|was|got|has been|have been|went|are|were)"
                " (?:~ )?(?:lost|missing|never delivered|not delivered)",
                "lost missing delivered",
            ),
            f"(?:lost|misplaced) (?:my|our|the|a|an) (?:~ )?{_ORDER}",
            f"(?:where's|wheres|where is|where the hell is|where on earth is|where) (?:my|our)"
            f" (?:~ )?{_ORDER}",
            (f"no sign of (?:my|our|the|any) (?:~ )?(?:{_ORDER}|driver|courier)", "sign"),
            "nothing (?:has )?(?:arrived|came|turned up|showed up)",
            "(?:delivered nothing|never delivered anything|didn't deliver anything"
            "|didnt deliver anything)",
        ],
    ),
    _rule(
        "waiting",
        [
            (
                "(?:been|still|keep|kept|left) (?:~ )?waiting",
                "waiting",
            ),
            f"(?:wait|waited|waiting) (?:for |on )?(?:my ~ |our ~ |it |them )?(?:for )?"
            f"(?:over |more than |almost |nearly |about |literally )?(?:{_NUM} |an extra )"
            f"{_SPAN}",
            "(?:wait|waited|waiting) (?:for )?(?:ages|forever|an eternity)",
            (
                f"(?:{_NUM}|over an|over a) {_SPAN} (?:late|overdue|delayed|behind)",
                "late overdue delayed behind",
            ),
            (
                "(?:arrived|came|showed up|turned up|delivered|was|were|is|are|running|always"
                "|so|very|really|extremely|again) (?:~ )?(?:late|delayed|overdue)",
                "late delayed overdue",
            ),
            (
                f"(?:{_ORDER}|refund|it) (?:~ )?(?:keeps getting |has been |got |is |was )?delayed",
                "delayed",
            ),
            (
                "(?:another|huge|long|massive|endless|constant|more|ridiculous) (?:delay|delays)",
                "delay delays",
            ),
            f"took (?:forever|ages|(?:over |almost |nearly |more than )?{_NUM} {_SPAN})",
            "still (?:nothing|not here|not ready|no sign)",
            (
                "how (?:much )?(?:long|longer) (?:do|does|will|must|should|am|are) (?:i|we)"
                " (?:have to |going to |gonna )?(?:wait|be waiting)",
                "long longer",
            ),
        ],
        guard=[
            "(?:can't|cant|cannot|couldn't|couldnt|won't|wont|no|not|without|no need to"
            "|don't have to|dont have to|didn't have to|didnt have to|did not have to"
            "|never have to|never had to) (?:~ )?(?:wait|waiting|waited)",
            "worth (?:the |every )?(?:~ )?(?:wait|waiting)",
            f"(?:{_NOT}|no) (?:~ )?(?:late|delayed|delay)",
            "late (?:night|nights|opening|hours|breakfast|lunch|afternoon|evening|shift)",
        ],
    ),
    _rule(
        "refund",
        [
            (
                "(?:want|wants|wanted|need|demand|demanding|asking for|asked for|requested"
                "|request|expect|deserve|deserves|deserved|owed|issue|give me|get|waiting for"
                "|waiting on|where's"
                "|wheres|where is|still no|no|never got|never received|didn't get|didnt get"
                "|haven't got|haven't had|haven't received|havent got|havent had"
                "|havent received|not got|not had|not received|promised|promised me"
                "|promised us) (?:a |an |my |the |our |any )*(?:full )?refund",
                "refund",
            ),
            "refund (?:me|us|now|asap|immediately|please)",
            (
                "(?:still|never|not|haven't|havent|hasn't|hasnt|wasn't|wasnt|yet to be)"
                " (?:been |got |get |be )?refunded",
                "refunded",
            ),
            "money back",
            "(?:chargeback|charge back|dispute (?:the|this|my) (?:charge|payment|transaction)"
            "|reverse (?:the|this) (?:charge|payment))",
        ],
    ),
    _rule(
        "repeat_contact",
        [
            (
                f"(?:for the {_ORDINAL} time|{_ORDINAL} time (?:i've|ive|i|we've|weve|we|i'm|im"
                "|i'd|we'd|this|that|in|today|now|asking|calling|emailing|messaging|writing"
                "|chasing|complaining|contacting|it's|its|it has|you've|youve|they've|running))",
                _ORDINAL_KEYS,
            ),
            (
                "(?:called|rang|phoned|emailed|messaged|written|wrote|dm'd|dmd|dmed|contacted"
                f"|tweeted|asked|chased|complained|tried) (?:~ ){{0,3}}?{_TIMES} times",
                "times",
            ),
            (
                f"{_TIMES} (?:phone )?(?:calls|emails|messages|dms|attempts|tweets|complaints)",
                "calls emails messages dms attempts tweets complaints",
            ),
            "still waiting",
            "still (?:no|not had a|not had an|haven't had a|haven't had an|havent had a"
            "|havent had an) (?:reply|response|answer|word|refund|update|news|sign|callback"
            "|call back)",
            ("(?:yet|here we go|not) again", "again"),
            (
                "(?:late|wrong|missing|lost|cancelled|canceled|broken|cold|stale|burnt|delayed"
                "|ignored|overcharged|charged|short|forgot|forgotten|failed|same thing"
                "|same problem|same issue)(?: ~)? again",
                "again",
            ),
            "keep (?:calling|emailing|messaging|asking|chasing|trying|getting)",
            ("how many (?:more )?times", "times"),
            "(?:follow up on|following up on|followed up on|chasing this|chasing up"
            "|chasing my|chasing our)",
            "already (?:called|emailed|messaged|complained|asked|contacted|told|explained"
            "|reported|sent)",
        ],
    ),
    _rule(
        "never_again",
        [
            "never (?:~ ){0,3}?again",
            (
                "(?:won't|wont|will not|not going to|never going to|not gonna|never gonna"
                "|will never|i'll never|ill never|would never|never will|wouldn't|wouldnt"
                "|would not|can't|cant|cannot|could not|couldn't|couldnt|do not|don't|dont)"
                " (?:~ ){0,2}?recommend",
                "recommend",
            ),
            "(?:won't|wont|will not|not going to|never going to|not gonna|never gonna"
            "|will never|i'll never|ill never|would never|never will) (?:~ ){0,2}?(?:be back"
            "|be returning|be ordering|be coming|be using|come back|go back|return|order|use"
            "|buy|shop|set foot|visit|eat)",
            "(?:lost|losing) (?:a|me as a|me as an|us as|another|one|a loyal|a regular) (?:~ )?"
            "(?:customer|customers)",
            (
                "(?:taking|take|took) (?:my|our) (?:business|custom|money) elsewhere",
                "elsewhere",
            ),
            "(?:last|final) time (?:i|we|i'll|we'll|i will|we will|i am|we are|i'm|we're)"
            " (?:ever )?(?:order|use|buy|visit|shop|come|eat|go)[a-z]*",
            (
                "(?:going|go|switching|switch|moving|gone) (?:~ )?(?:elsewhere|somewhere else"
                "|to a competitor)",
                "elsewhere somewhere competitor",
            ),
            "(?:avoid|stay away from) (?:this|these|them|it|at all costs|like the plague)",
            (
                "(?:never|won't|wont|will not|not) (?:~ )?(?:set|setting|step|stepping) foot",
                "foot",
            ),
            "(?:unfollowing|unfollowed|unfollow) (?:~|you|them)",
            "(?:cancelling|canceling|cancelled|canceled|cancel) (?:my|our) (?:subscription"
            "|membership|account|standing order)",
        ],
        guard=[
            "(?:won't|wont|will never|never|would never|not going to) (?:~ ){0,2}?(?:use|order"
            "|buy|shop|go|eat|visit) (?:~ )?(?:anywhere else|anyone else|any other|another"
            "|elsewhere|other)",
            "(?:can't|cant|cannot|couldn't|couldnt|could not) (?:~ )?recommend (?:~ ){0,3}?"
            "(?:enough|more|highly enough)",
            "never (?:~ )?again (?:will|would|shall) (?:i|we) (?:doubt|question|underestimate)",
        ],
    ),
    _rule(
        "sarcasm",
        [
            (
                f"{_POS} (?:\\. )?(?:yet )?(?:another|more|one more|again)(?: ~){{0,3}}?"
                " (?:lost|late|missing|wrong|cancelled|canceled|broken|delay|delays|delayed"
                "|mistake|mixup|mix up|error|excuse|excuses|disappointment|problem|issue"
                "|failure|no show|screw up|screwup|mess|hour|hours|day|days|week|weeks)",
                "another more again",
            ),
            (
                f"{_POS} (?:\\. )?(?:~ ){{0,2}}?(?:lost|forgot|forgotten|cancelled|canceled"
                "|ignored) (?:my|our|the|it)",
                "lost forgot forgotten cancelled canceled ignored",
            ),
            (
                "(?:thanks|thank you|thx|cheers) for (?:~ ){0,3}?(?:nothing|wasting|ruining"
                "|ignoring|the (?:~ )?(?:disappointment|headache|mess|runaround)"
                "|the food poisoning)",
                "nothing wasting ruining ignoring disappointment headache mess runaround poisoning",
            ),
            (
                "(?:i )?(?:just |really |absolutely |simply )?(?:love|loving) (?:waiting"
                "|being (?:ignored|overcharged|lied to|kept waiting|put on hold|hung up on"
                "|charged)|it when (?:~ ){0,4}?(?:late|wrong|never|lost|missing|ignore|ignored"
                "|cancel|cancelled|canceled))",
                "love loving",
            ),
            (
                "would (?:be )?(?:insulted|ignored|robbed|overcharged|let down|poisoned"
                "|disappointed|ghosted) again",
                "insulted ignored robbed overcharged let poisoned disappointed ghosted",
            ),
            (
                f"{_POS} (?:customer )?(?:service|job|work|communication) (?:\\. )?"
                "(?:as always |as usual |again )?(?:~ ){0,4}?(?:lost|late|wrong|missing|ignored"
                "|nobody|no one|no reply|no answer|no response|cancelled|canceled)",
                "service job work communication",
            ),
        ],
    ),
    _rule(
        "sarcasm",
        [
            (
                "(?:thanks a lot|thanks a bunch|thanks a million|cheers for that|way to go"
                "|well done|nice one|good job|great job|bravo|oh great|oh perfect|oh wonderful"
                "|oh fantastic|oh brilliant|oh joy|just great|just perfect|just wonderful"
                "|just fantastic|just brilliant|yeah right|so much for|slow clap|love how"
                "|loving how|oh good|good one|nothing says)",
                "lot bunch million cheers way done nice job bravo oh just yeah much clap how one "
                "says",
            ),
        ],
        requires=_FAIL,
    ),
    _rule(
        "billing_error",
        [
            (
                "(?:charged|billed|debited|taken|paid|charging|billing) (?:me |us |my card "
                "|my account |for it )?(?:twice|double|two times|three times|2x|3x"
                "|more than once)",
                "twice double times 2x 3x once",
            ),
            "(?:double (?:charged|billed|charge|payment)|doublecharged|doublebilled)",
            "(?:overcharged|overcharging|overbilled|overbilling|overcharge|over charged"
            "|over charging|over billed)",
            (
                "(?:wrong|incorrect|hidden|unexpected|unauthorised|unauthorized|mystery"
                "|duplicate|surprise|bogus|random|extra) (?:~ )?(?:charge|charges|fee|fees"
                "|amount|bill|invoice|payment|payments|transaction|transactions)",
                "charge charges fee fees amount bill invoice payment payments transaction "
                "transactions",
            ),
            "charged (?:me |us )?(?:for (?:~ ){0,3}?(?:i|we) (?:never|didn't|didnt|did not)"
            "|the wrong|wrong|an extra|extra|an additional|additional|full price"
            "|after (?:~ ){0,2}?cancel[a-z]*)",
            (
                "(?:still|keep|kept|keeps) (?:being |getting )?(?:charged|billed|charging me"
                "|billing me)",
                "charged billed charging billing",
            ),
            "(?:billing|payment) (?:error|mistake|issue|problem)",
            "(?:scam|scammed|scammers|fraud|fraudulent|ripoff|rip off|ripped (?:me |us )?off)",
        ],
        guard=[
            "(?:is there|are there|do you|does it|will there be|any) (?:an |any )?(?:extra"
            "|hidden) (?:~ )?(?:charge|charges|fee|fees)",
            "no (?:hidden |extra )(?:charge|charges|fee|fees)",
        ],
    ),
    _rule(
        "health_safety",
        [
            (
                "(?:food poisoning|food poisoned|foodpoisoning)",
                "poisoning poisoned foodpoisoning",
            ),
            "poisoned (?:me|us|my|our)",
            (
                "(?:got|get|gotten|made|making|makes|was|were|been|am|are|felt|feeling|fell|left)"
                " (?:me |us |my ~ |him |her |them |everyone |all |really |so |very )?(?:sick"
                "|ill|unwell|poorly|vomiting|throwing up)",
                "sick ill unwell poorly vomiting throwing",
            ),
            "(?:hair|hairs|glass|metal|bug|bugs|insect|insects|cockroach|cockroaches|roach"
            "|roaches|maggot|maggots|worm|worms|fly|flies|mouse|mice|rat|rats|rodent|rodents"
            "|droppings|bandage|plaster|fingernail) (?:~ ){0,2}?in (?:my|our|the|his|her)"
            " (?:~ )?(?:food|meal|sandwich|cake|bread|roll|pie|pastry|croissant|salad|soup"
            "|pizza|burger|drink|coffee|tea|cup|box|order|dish|plate|bowl|kitchen|shop|cafe"
            "|restaurant|store|bakery|bag|loaf|slice|muffin|doughnut|donut|cookie|biscuit"
            "|brownie|scone|bun|wrap|curry|rice|chips|fries|dessert|pudding|tart|quiche|bagel"
            "|toast|mouth)",
            "found (?:a |an |some |two |~ )?(?:hair|hairs|glass|plastic|metal|bug|bugs|insect"
            "|insects|cockroach|roach|maggot|maggots|worm|worms|fly|flies|mouse|rat|droppings"
            "|mould|mold)",
            "(?:mouldy|moldy|mould|mold|rotten|rancid|raw in the middle|undercooked"
            "|under cooked|uncooked|spoiled|spoilt)",
            (
                "(?:was|were|is|are) (?:~ )?(?:out of date|expired|past (?:its|the)"
                " (?:use by|best before|expiry))",
                "date expired expiry",
            ),
            "(?:allergic reaction|anaphylaxis|anaphylactic|epipen|epi pen|hives)",
            (
                f"(?:{_NOT}) (?:~ )?(?:nut|gluten|dairy|egg|lactose) free",
                "nut gluten dairy egg lactose",
            ),
            (
                "(?:ended up|end up|landed|rushed|taken|went|was|were|been) (?:~ ){0,2}?"
                "(?:in|to) (?:the )?(?:hospital|a&e|a and e|er|emergency room|urgent care)",
                "hospital a&e e er emergency urgent",
            ),
            "(?:dirty|filthy|unhygienic|unsanitary|unsafe|dangerous)",
            "(?:injured|injury|choked|choking|chipped a tooth|chipped my tooth|broke a tooth"
            "|broke my tooth|cut (?:my|his|her) (?:mouth|finger|lip|tongue|hand)"
            "|burned (?:my|his|her)|burnt (?:my|his|her) (?:mouth|tongue|hand))",
        ],
        guard=[
            "sick (?:of|and tired)",
            "(?:voucher|coupon|code|card|link|offer|promo|subscription|deal|certificate"
            "|passport|licence|license|discount|page|website|site|info|information)"
            " (?:~ ){0,2}?(?:was|is|were|are) (?:~ )?(?:out of date|expired)",
            "(?:not|never|no|nothing|wasn't|wasnt|isn't|isnt) (?:~ )?(?:dirty|filthy"
            "|unhygienic|unsafe|dangerous|undercooked|raw)",
            "(?:spoiled|spoilt) (?:for choice|me|us|rotten)",
            "dirty chai",
        ],
    ),
    _rule(
        "no_response",
        [
            (
                "(?:no one|noone|nobody|no body) (?:~ )?(?:answers|answer|answered|answering"
                "|picks up|pick up|picked up|picking up|replies|replied|replying|responds"
                "|respond|responded|responding|gets back|get back|got back|called back"
                "|calls back|call back|rang back|returns|returned|bothered|cares|care|helps"
                "|help|helped|reads|read)",
                "one noone nobody body",
            ),
            (
                "(?:no|zero|not|without|never|still no|haven't|havent|hasn't|hasnt|didn't"
                "|didnt|yet to) (?:(?:got|get|had|have|received|receive|even|a|an|any|single"
                "|one|proper|real) ){0,3}(?:reply|replies|response|responses|answer|answers"
                "|call back|callback|word|acknowledgement|acknowledgment|update|updates"
                "|feedback|confirmation)",
                "reply replies response responses answer answers call callback word "
                "acknowledgement acknowledgment update updates feedback confirmation",
            ),
            "(?:ignored|ignoring|ignore me|ignore us|ignore my|ignore our|ghosted|ghosting"
            "|hung up|hangs up|hanging up|unanswered)",
            "left on read",
            ("(?:put on hold|on hold for)", "hold"),
            ("(?:goes|go|went) (?:straight )?to voicemail", "voicemail"),
            "(?:rings|ring|rang) out",
            "never (?:answer|answered|answers|reply|replied|replies|respond|responded|responds"
            "|called back|call back|calls back|got back|get back|gets back|pick up|picks up"
            "|picked up)",
            (
                "(?:can't|cant|cannot|couldn't|couldnt|could not|unable to) (?:get through"
                "|get hold of|get a hold of|get an answer|get a reply|get a response"
                "|reach you|reach anyone|reach anybody|reach someone|reach them|reach a human"
                "|reach a person|contact you|contact anyone)",
                "through hold answer reply response reach contact",
            ),
            (
                "(?:don't|dont|doesn't|doesnt|didn't|didnt|won't|wont|not) (?:even )?(?:answer"
                "|reply|respond|pick up|call back|get back to|return (?:my|our)"
                " (?:call|calls|email|emails|message|messages))",
                "answer reply respond pick call back return",
            ),
        ],
        guard=["no (?:reply|response|answer) (?:needed|necessary|required)"],
    ),
    _rule(
        "apology",
        [
            (
                "(?:where's|wheres|where is|still waiting for|still no|no|not even|not a single"
                "|without|zero|owe|owes|demand|demanding|want|wants|deserve|deserves|expect"
                "|expected|expecting) (?:~ ){0,2}?apology",
                "apology",
            ),
            (
                "(?:non apology|nonapology|fake apology|pathetic apology|half hearted apology"
                "|halfhearted apology|not even sorry|didn't even apologise"
                "|didn't even apologize|never apologised|never apologized|refused to apologise"
                "|refused to apologize)",
                "apology sorry apologise apologize apologised apologized",  # "not even sorry"
            ),
        ],
        guard=["no (?:~ )?apology (?:needed|necessary|required)"],
    ),
    _rule(
        "rude_staff",
        [
            "(?:rude|rudely|rudest|impolite|disrespectful|condescending|patronising"
            "|patronizing|dismissive|arrogant|obnoxious|hostile|unprofessional|unhelpful"
            "|snotty|snooty|snarky|abusive|racist|sexist|yelled at|shouted at|screamed at"
            "|swore at|sneered|laughed at me|laughed at us|rolled her eyes|rolled his eyes"
            "|rolled their eyes)",
            (
                "(?:bad|terrible|awful|poor|horrible|stinking|such an|such a|what an|what a"
                "|nasty) attitude",
                "attitude",
            ),
            (
                "(?:staff|server|waiter|waitress|cashier|manager|driver|courier|owner|employee"
                "|barista|receptionist|girl|guy|lady|man|woman) (?:~ ){0,3}?(?:was|were|is"
                "|are|got|being) (?:~ )?(?:aggressive|mean|nasty|horrible|awful|snappy"
                "|short with)",
                "aggressive mean nasty horrible awful snappy short",
            ),
            "(?:treated me like|treated us like|spoke to me like|spoke to us like|talked down to)",
        ],
        guard=[
            f"(?:{_NOT}|nothing|no|nobody was) (?:~ )?(?:rude|unhelpful|unprofessional"
            "|dismissive|condescending|arrogant)",
        ],
    ),
    _rule(
        "quality",
        [
            "(?:stale|soggy|burnt|overcooked|rock hard|hard as a rock|tasteless|bland"
            "|flavourless|flavorless|inedible|lukewarm|watery|greasy|squashed|crushed|smashed"
            "|broken|damaged|cracked|leaking|leaked (?:everywhere|all over|out|through)|torn"
            "|ripped|faulty|defective|shoddy|cheaply made|falling apart|fell apart)",
            ("(?:poor|low|bad|terrible|awful|shocking|dreadful) quality", "quality"),
            ("(?:stone|arrived|came|delivered|completely|totally) (?:~ )?cold", "cold"),
            (
                f"(?:{_ORDER}|coffee|soup|fries|chips|burger|tea|it|everything) (?:was|were|is"
                "|arrived|came) (?:~ )?cold",
                "cold",
            ),
            (f"(?:{_NOT}|far from|anything but) (?:~ )?fresh", "fresh"),
            (
                "(?:not|nothing) (?:~ )?(?:as|like) (?:described|pictured|advertised|shown"
                "|the picture|the photo|the pic|the description|the pictures|the photos)",
                "described pictured advertised shown picture photo pic description pictures photos",
            ),
            (
                "(?:tiny|small|stingy|pathetic|measly) (?:portion|portions)",
                "portion portions",
            ),
        ],
        guard=[
            f"(?:{_NOT}|nothing|no|without|zero) (?:~ ){{0,2}}?(?:stale|soggy|burnt|overcooked"
            "|tasteless|bland|greasy|cold|broken|damaged|squashed|crushed|cracked|leaking"
            "|faulty|inedible)",
            "cold (?:brew|drinks|drink|coffee|beer|cuts|meat|meats|weather|day|snap|outside|water)",
            "(?:not|never|wasn't|wasnt) (?:~ )?(?:small|tiny|stingy) (?:portion|portions)",
            "ripped (?:~ )?off",
            "torn between",
        ],
    ),
    _rule(
        "wrong_order",
        [
            f"wrong (?:~ )?(?:{_ORDER}|size|colour|color|flavour|flavor|address|product|dish"
            "|drink|coffee|name|date|thing|one|topping|toppings|filling|change)",
            (
                "(?:got|received|sent|gave|given|delivered|brought|served) (?:me |us )?(?:the "
                "|a |an |someone else's |somebody else's )?(?:wrong|incorrect)",
                "wrong incorrect",
            ),
            f"(?:someone|somebody) (?:else's|elses) {_ORDER}",
            "(?:missing|forgot|forgotten|left out) (?:~ ){0,2}?(?:item|items|part|parts|piece"
            "|pieces|side|sides|drink|drinks|half|bits|topping|toppings|candle|candles|sauce)",
            "(?:missing|left out) (?:from|of) (?:my|our|the)",
            ("not what (?:i|we) (?:ordered|asked for|paid for)", "ordered asked paid"),
            (
                f"(?:mixed up (?:my|our|the) {_ORDER}|{_ORDER} (?:was |got )?mixed up"
                f"|(?:mix up|mixup) with (?:my|our|the) {_ORDER})",
                "mixed mix mixup",
            ),
        ],
        guard=[
            "(?:nothing|not|not ~|never|can't|cant|cannot|couldn't|couldnt|won't|wont)"
            " (?:go )?wrong",
        ],
    ),
    _rule(
        "privacy",
        [
            "(?:data breach|breach of my data|breach of our data|breach of data"
            "|breach of privacy|breach of my privacy|gdpr|data protection|privacy breach"
            "|privacy violation|privacy concern|privacy issue|invasion of privacy)",
            (
                "(?:my|our) (?:personal )?(?:data|details|information|info|address|email"
                "|number) (?:was |were |has been |have been |got )?(?:leaked|shared|sold"
                "|exposed|stolen|hacked|compromised|misused|passed on)",
                "leaked shared sold exposed stolen hacked compromised misused passed",
            ),
            "(?:leaked|sold|shared|exposed) (?:my|our) (?:personal )?(?:data|details"
            "|information|info|address|email|number)",
            "(?:spam|spamming|spammed) (?:me|us)",
            "(?:unsubscribe|unsubscribed) (?:~ ){0,3}?(?:still|but|and still)",
            (
                "(?:card|account) (?:was |got |has been )?(?:hacked|compromised|stolen|skimmed)",
                "hacked compromised stolen skimmed",
            ),
        ],
    ),
    _rule(
        "escalation",
        [
            "(?:reporting|reported|report) (?:you|this|them|it|your ~)(?: ~)? to",
            "(?:reporting you|report you)",
            (
                "(?:trading standards|bbb|better business bureau|ombudsman|consumer rights"
                "|consumer protection|consumer council|consumer affairs|small claims"
                "|legal action|lawsuit|environmental health|food standards|health inspector"
                "|health inspectors|health department|watchdog)",
                "standards bbb bureau ombudsman consumer claims legal lawsuit environmental "
                "inspector inspectors department watchdog",
            ),
            (
                "(?:my|a|see you in|take you to|taking you to) (?:lawyer|lawyers|solicitor"
                "|solicitors|attorney|court)",
                "lawyer lawyers solicitor solicitors attorney court",
            ),
            (
                "(?:going to|gonna|will|i'll|ill|might|could|about to|i'm|im) (?:~ )?(?:sue|suing)",
                "sue suing",
            ),
            (
                "take (?:this|it|you|them|things) (?:further|to court|legal)",
                "further court legal",
            ),
            (
                "(?:(?:1|one|zero|0|half a|minus|no) (?:star|stars)|1star|0star|onestar)",
                "star stars 1star 0star onestar",
            ),
            (
                "(?:1/5|1/10|0/5|0/10|(?:1|0) out of (?:5|10))",
                "1/5 1/10 0/5 0/10 5 10",
            ),
            (
                "(?:bad|negative|terrible|scathing|awful|horrible|poor) (?:review|reviews)",
                "review reviews",
            ),
            (
                "(?:tell|telling|contact|contacting|go to|going to|told|contacted) (?:the )?"
                "(?:local )?(?:press|papers|paper|news|media|newspaper|newspapers|journalist"
                "|journalists)",
                "press papers paper news media newspaper newspapers journalist journalists",
            ),
        ],
    ),
    _rule(
        "contempt",
        [
            (
                "(?:absolute|absolutely|complete|completely|total|totally|utter|utterly|such a"
                "|what a|a|an|bloody|fucking|effing) (?:joke|shambles|disgrace|farce"
                "|nightmare|scandal|circus|con|shambolic|disgraceful|scandalous|unacceptable)",
                "joke shambles disgrace farce nightmare scandal circus con shambolic "
                "disgraceful scandalous unacceptable",
            ),
            "(?:unacceptable|disgraceful|shambolic|scandalous|appalling|joke of a|joke of an"
            "|shambles|shameful|unforgivable|inexcusable|outrageous|not good enough)",
            ("(?:do|does) better", "better"),
            (
                "wasted (?:a |my |our |the |an )?(?:trip|journey|morning|afternoon|evening|day"
                "|time|money|drive|hour)",
                "wasted",
            ),
            ("(?:the )?audacity", "audacity"),
            ("delete your (?:account|page|business)", "delete"),
            (
                "(?:shocking|terrible|awful|appalling|horrendous|atrocious|abysmal|dreadful"
                "|worst|pathetic|disgusting|diabolical) (?:~ )?(?:customer )?(?:service"
                "|experience|company|business|bakery|shop|cafe|restaurant|management)",
                "shocking terrible awful appalling horrendous atrocious abysmal dreadful worst "
                "pathetic disgusting diabolical",
            ),
        ],
        guard=[
            f"(?:{_NOT}|no|nothing|far from) (?:~ )?(?:a |an )?(?:unacceptable|disgraceful"
            "|shambolic|appalling|shambles|joke|disgrace|shocking|terrible|awful|worst)",
            "(?:worst|terrible|awful) (?:~ )?(?:joke|jokes|pun|puns)",
            "(?:told|tell|telling|tells|heard|made|make|cracked|crack) (?:me |us |them )?(?:a|an"
            "|the) (?:~ )?joke",
            "(?:can't|cant|cannot|couldn't|couldnt|could not|won't|wont|never|we|we'll|i'll|i"
            "|we're|will|promise to|try to|trying to|determined to) (?:~ )?do better",
        ],
    ),
    _rule(
        "dissatisfied",
        [
            (
                "not (?:at all |very |too )?(?:happy|impressed|satisfied|acceptable|ok|okay"
                "|pleased)",
                "happy impressed satisfied acceptable ok okay pleased",
            ),
            "(?:disappointed|disappointing|disappointment|let me down|let us down|appalled"
            "|disgusted|disgusting|shocking|shocked|furious|fuming|livid|outraged|ridiculous"
            "|terrible|awful|horrible|horrendous|atrocious|dreadful|abysmal|pathetic|worst"
            "|useless|waste of money|waste of time)",
            ("not in a good way", "good"),
            (
                "(?:very|so|extremely|really|deeply|hugely|bitterly) (?:unhappy|upset)",
                "unhappy upset",
            ),
            "(?:complaint|complaints|complain|complaining|complained)",
        ],
        guard=[
            "(?:no|any|zero|without|not a single|never had any|never have any|never had a"
            "|never have a|can't|cant|cannot) (?:~ )?(?:complain|complaint|complaints)",
            "(?:not|never|wasn't|wasnt|weren't|werent|won't be|wont be|never be|didn't|didnt)"
            " (?:~ )?(?:disappointed|disappointing|let me down|let us down|disappoint)",
            f"(?:{_NOT}|nothing) (?:~ )?(?:that |so |too |the )?(?:terrible|awful|horrible|worst"
            "|ridiculous|useless|disappointing|dreadful|pathetic)",
        ],
    ),
)

# every pattern with what its rule needs, in rule order (so sorting groups a rule's patterns)
_FLAT: tuple[tuple[str, re.Pattern[bytes], CuePattern | None, re.Pattern[bytes] | None], ...] = (
    tuple((rule.cue, p.regex, rule.guard, rule.requires) for rule in RULES for p in rule.patterns)
)
_PATTERN_KEYS = tuple(p.keys for rule in RULES for p in rule.patterns)
# key word -> indexes into _FLAT
_KEY_INDEX: dict[bytes, frozenset[int]] = {}
for _n, _keys in enumerate(_PATTERN_KEYS):
    for _k in _keys:
        _KEY_INDEX[_k] = _KEY_INDEX.get(_k, frozenset()) | {_n}
_ALL_KEYS = frozenset(_KEY_INDEX)


_CANDIDATES: dict[frozenset[bytes], tuple[int, ...]] = {}
_CANDIDATES_MAX = 4096


def _candidates(present: frozenset[bytes]) -> tuple[int, ...]:
    """Patterns to run for these key words, in rule order. Word combinations repeat a lot."""
    found = _CANDIDATES.get(present)
    if found is None:
        found = tuple(sorted(frozenset().union(*map(_KEY_INDEX.__getitem__, present))))
        if len(_CANDIDATES) >= _CANDIDATES_MAX:
            _CANDIDATES.clear()
        _CANDIDATES[present] = found
    return found


def detect(text: str, *, prefilter: bool = True) -> tuple[str, ...]:
    """Cue ids that fire on *text*, most important first, each once.

    A pattern fires when it matches the text both before and after its rule's guard phrases
    are blanked out (the cheap unguarded search first, so guards rarely run).
    """
    tokens = words(text)
    candidates: Iterable[int]
    if prefilter:
        present = _ALL_KEYS.intersection(tokens)
        if not present:
            return ()
        candidates = _candidates(present)
    else:
        candidates = range(len(_FLAT))
    canon = b" " + b" ".join(tokens) + b" "
    fired: list[str] = []
    for n in candidates:
        cue, regex, guard, requires = _FLAT[n]
        if cue in fired or regex.search(canon) is None:
            continue
        target = canon
        if guard is not None and (not prefilter or not guard.keys.isdisjoint(tokens)):
            target = guard.regex.sub(b" ", canon)
            if regex.search(target) is None:
                continue
        if requires is None or requires.search(target) is not None:
            fired.append(cue)
    if len(fired) > 1:
        fired.sort(key=_RANK.__getitem__)
    return tuple(fired)


def is_complaint(cues: Sequence[str], compound: float) -> bool:
    """A strong cue makes a complaint; weak cues only when VADER does not read it as positive."""
    return bool(cues) and (compound < 0.05 or not WEAK_CUES.issuperset(cues))
