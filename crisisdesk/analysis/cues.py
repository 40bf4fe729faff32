"""Complaint cues: explainable rules for what VADER misses in customer-service text.

Each rule is a regular expression over the lower-cased text (word boundaries throughout), an
optional *guard* (phrases blanked out before the rule looks, e.g. "can't wait", "no complaints")
and an optional *requires* (a second pattern that must also appear, e.g. a failure word next to
"thanks a lot").

Speed: the import runs this on every mention next to VADER, so it must add little. The text is
lower-cased once and split into a set of words; a rule's regex only runs when one of its *keys*
(words every match of the rule must contain) is present. Most texts therefore run two or three
small regexes, not all of them. ``detect(text, prefilter=False)`` runs every rule and exists so
tests can check that the keys never hide a match.
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
    "never_again": "says they will not come back",
    "quality": "poor quality",
    "sarcasm": "sarcastic about a failure",
    "repeat_contact": "has had to chase more than once",
    "waiting": "kept waiting or late",
    "dissatisfied": "says they are unhappy",
}

#: cues that only make a complaint when VADER does not read the text as positive
#: ("once again, fantastic service!", "late delivery but worth it, thank you")
WEAK_CUES = frozenset({"waiting", "repeat_contact", "dissatisfied"})

#: order of importance; ``Analysis.cues`` is sorted this way
CUE_ORDER: tuple[str, ...] = tuple(CUE_DESCRIPTIONS)
_RANK = {cue: i for i, cue in enumerate(CUE_ORDER)}

_TOKEN = re.compile(r"[a-z0-9]+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})

# --- shared fragments (all lower case; "'?" accepts "didnt" as well as "didn't") ----------
_ORDER = (
    r"(?:order|orders|parcel|package|delivery|cake|cakes|food|shipment|items?|box|meal|pizza"
    r"|goods|purchase|flowers|bread|groceries|takeaway|stuff)"
)
_NUM = r"(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|few)"
_SPAN = r"(?:hours?|hrs?|days?|weeks?|months?|mins?|minutes)"
_POS = (
    r"(?:great|brilliant|fantastic|perfect|awesome|wonderful|lovely|amazing|excellent|superb"
    r"|terrific|nice|cool|marvell?ous|super|stellar|outstanding)"
)
_FAIL = (
    r"\b(?:lost|late|missing|wrong|nobody|no one|ignored|ignoring|cancell?ed|broken|burnt|stale"
    r"|cold|delayed|overcharged|refund|rude|sick|again|still|no (?:reply|answer|response|show)"
    r"|never (?:arrived|came|showed|turned|answered|replied|called|got)|waited|waiting"
    r"|hours|forgot|forgotten|mess|disaster|ruined|not here)\b"
)


@dataclass(frozen=True, slots=True)
class CueRule:
    cue: str
    keys: frozenset[str]
    pattern: re.Pattern[str]
    guard: re.Pattern[str] | None = None
    requires: re.Pattern[str] | None = None

    def matches(self, low: str) -> bool:
        if self.guard is not None:
            low = self.guard.sub(" ", low)
        if self.pattern.search(low) is None:
            return False
        return self.requires is None or self.requires.search(low) is not None


def _alt(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _rule(
    cue: str,
    keys: str,
    patterns: Sequence[str],
    guard: Sequence[str] = (),
    requires: str | None = None,
) -> CueRule:
    if cue not in CUE_DESCRIPTIONS:
        raise ValueError(f"cue {cue!r} has no description")
    return CueRule(
        cue=cue,
        keys=frozenset(keys.split()),
        pattern=_alt(patterns),
        guard=_alt(guard) if guard else None,
        requires=re.compile(requires) if requires else None,
    )


_NEG_KEYS = "not never no didn didnt hasn hasnt haven havent yet still"

RULES: tuple[CueRule, ...] = (
    _rule(
        "non_delivery",
        "never arrived came showed turned delivered received got lost missing sign where nothing "
        + _NEG_KEYS,
        [
            r"\bnever (?:arrived|came|showed up|turned up|got here|got delivered|was delivered"
            r"|been delivered|delivered)\b",
            r"\b(?:didn'?t|did not|hasn'?t|has not|haven'?t|have not|never|yet to|not yet"
            r"|still not) (?:even |yet |actually )?(?:arrived?|come|came|shown up|show(?:ed)? up"
            r"|turn(?:ed)? up|been delivered|got delivered|delivered|be delivered)\b"
            r"(?! back| over| in\b| out| to\b| across| late)",
            rf"\b(?:never|didn'?t|did not|haven'?t|have not|hasn'?t|has not|still not|not yet"
            rf"|yet to) (?:received|receive|got|get|gotten) (?:my|our|the|an?|any|this)"
            rf" (?:\w+ )?{_ORDER}\b",
            rf"\b{_ORDER} (?:\w+ ){{0,3}}?(?:is|was|got|has been|have been|went|are|were) "
            r"(?:\w+ )?(?:lost|missing|never delivered|not delivered)\b",
            rf"\b(?:lost|misplaced) (?:my|our|the|an?) (?:\w+ )?{_ORDER}\b",
            rf"\bwhere(?:'s| is| the hell is| on earth is| tf is)? (?:my|our) (?:\w+ )?{_ORDER}\b",
            rf"\bno sign of (?:my|our|the|any) (?:\w+ )?(?:{_ORDER}|driver|courier)\b",
            r"\bnothing (?:has )?(?:arrived|came|turned up|showed up)\b",
        ],
    ),
    _rule(
        "waiting",
        "wait waiting waited late delayed delay delays took still long",
        [
            r"\b(?:been|still|keep|kept|left|am|are|were|was|is|currently|now) waiting\b",
            rf"\bwait(?:ed|ing)? (?:for |on )?(?:my \w+ |our \w+ |it |them )?(?:for )?"
            rf"(?:over |more than |almost |nearly |about |literally )?(?:{_NUM} |an? extra )"
            rf"{_SPAN}\b",
            r"\bwait(?:ed|ing)? (?:for )?(?:ages|forever|an eternity)\b",
            rf"\b(?:{_NUM}|over an?) {_SPAN} (?:late|overdue|delayed|behind)\b",
            r"\b(?:arrived|came|showed up|turned up|delivered|was|were|is|are|running|always|so"
            r"|very|really|extremely|again) (?:\w+ )?(?:late|delayed|overdue)\b",
            rf"\b(?:{_ORDER}|refund|it) (?:\w+ )?(?:keeps getting |has been |got |is |was )?"
            r"delayed\b",
            r"\b(?:another|huge|long|massive|endless|constant|more|ridiculous) delays?\b",
            rf"\btook (?:forever|ages|(?:over |almost |nearly |more than )?{_NUM} {_SPAN})\b",
            r"\bstill (?:nothing|not here|not ready|no sign)\b",
            r"\bhow (?:much )?long(?:er)? (?:do|does|will|must|should|am|are) (?:i|we) "
            r"(?:have to |going to |gonna )?(?:wait|be waiting)\b",
        ],
        guard=[
            r"\b(?:can'?t|cannot|couldn'?t|won'?t|no|not|never|without|didn'?t have to"
            r"|did not have to|don'?t have to|no need to) (?:\w+ )?wait(?:ing|ed)?\b",
            r"\bworth (?:the |every )?(?:\w+ )?wait(?:ing)?\b",
            r"\b(?:not|never|wasn'?t|weren'?t|isn'?t|aren'?t|no) (?:\w+ )?(?:late|delayed|delay)\b",
            r"\blate (?:night|nights|opening|hours|breakfast|lunch|afternoon|evening|shift)\b",
        ],
    ),
    _rule(
        "refund",
        "refund refunded money charge chargeback dispute reverse",
        [
            r"\b(?:want|wants|wanted|need|demand|demanding|asking for|asked for|requested|request"
            r"|expect|deserve|owed|issue|give me|get|waiting for|waiting on|where(?:'s| is)"
            r"|still no|no|never got|never received|didn'?t get|haven'?t (?:got|had|received)"
            r"|not (?:got|had|received)|promised(?: me| us)?) (?:a |an |my |the |our |any )*"
            r"(?:full )?refund\b",
            r"\brefund (?:me|us|now|asap|immediately|please)\b",
            r"\b(?:still|never|not|haven'?t|hasn'?t|wasn'?t|yet to be) (?:been |got |get |be )?"
            r"refunded\b",
            r"\bmoney back\b",
            r"\b(?:charge ?back|dispute (?:the|this|my) (?:charge|payment|transaction)"
            r"|reverse (?:the|this) (?:charge|payment))\b",
        ],
    ),
    _rule(
        "repeat_contact",
        "time times calls emails messages dms attempts tweets complaints again still keep many "
        "follow following followed chasing already",
        [
            r"\b(?:second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|tenth|nth|umpteenth"
            r"|hundredth|\d+th) time\b",
            r"\b(?:called|rang|phoned|emailed|messaged|written|wrote|dm'?d|dmed|contacted"
            r"|tweeted|asked|chased|complained|tried) (?:\w+ ){0,3}?(?:\d+|two|three|four|five"
            r"|six|seven|eight|nine|ten|several|multiple|many|countless|numerous|dozens of"
            r"|so many) times\b",
            r"\b(?:\d+|two|three|four|five|several|multiple|many|countless|numerous) (?:phone )?"
            r"(?:calls|emails|messages|dms|attempts|tweets|complaints)\b",
            r"\bstill waiting\b",
            r"\bstill (?:no|not had an?|haven'?t had an?) (?:reply|response|answer|word|refund"
            r"|update|news|sign|callback|call back)\b",
            r"\b(?:yet|here we go|not) again\b",
            r"\bagain[!?]{2,}",
            r"\b(?:late|wrong|missing|lost|cancell?ed|broken|cold|stale|burnt|delayed|ignored"
            r"|overcharged|charged|short|forgot|forgotten|failed|same (?:thing|problem|issue))"
            r"(?: \w+)? again\b",
            r"\bkeep (?:calling|emailing|messaging|asking|chasing|trying|getting)\b",
            r"\bhow many (?:more )?times\b",
            r"\b(?:follow(?:ing)?[- ]up on|followed up on|chasing (?:this|up|my|our))\b",
            r"\balready (?:called|emailed|messaged|complained|asked|contacted|told|explained"
            r"|reported|sent)\b",
        ],
    ),
    _rule(
        "never_again",
        "never won wont will not gonna lost losing taking take last final elsewhere avoid away "
        "cancel cancelling canceling cancelled canceled",
        [
            r"\bnever (?:\w+ ){0,3}?again\b",
            r"\b(?:won'?t|will not|not going to|never going to|not gonna|never gonna|will never"
            r"|i'?ll never|would never|never will) (?:\w+ ){0,2}?(?:be (?:back|returning"
            r"|ordering|coming|using|going)|come back|go back|return|order|use|buy|shop"
            r"|recommend|set foot|visit|eat)\b",
            r"\b(?:lost|losing) (?:a|me as an?|us as|another|one|a loyal|a regular) (?:\w+ )?"
            r"customers?\b",
            r"\b(?:taking|take|took) (?:my|our) (?:business|custom|money) elsewhere\b",
            r"\b(?:last|final) time (?:i|we)(?:'ll| will| am| are|'m|'re)? (?:ever )?(?:order"
            r"|use|buy|visit|shop|come|eat|go)\w*\b",
            r"\b(?:going|go|switching|switch|moving|gone) (?:\w+ )?(?:elsewhere|somewhere else"
            r"|to a competitor)\b",
            r"\b(?:avoid|stay away from) (?:this|these|them|it|at all costs|like the plague)\b",
            r"\bcancell?(?:ing|ed)? (?:my|our) (?:subscription|membership|account"
            r"|standing order)\b",
        ],
        guard=[
            r"\b(?:won'?t|will never|never|would never|not going to) (?:\w+ ){0,2}?(?:use|order"
            r"|buy|shop|go|eat|visit) (?:\w+ )?(?:anywhere else|anyone else|any other|another"
            r"|elsewhere|other)\b",
            r"\b(?:won'?t|will not) (?:\w+ )?(?:be )?(?:disappointed|regret)\b",
        ],
    ),
    _rule(
        "sarcasm",
        "great brilliant fantastic perfect awesome wonderful lovely amazing excellent superb "
        "terrific nice cool marvelous marvellous super stellar outstanding thanks thank thx "
        "love loving",
        [
            rf"\b{_POS}[,.!]* (?:yet )?(?:another|more|one more|again)\b(?: \w+){{0,3}}?"
            rf" (?:lost|late|missing|wrong|cancell?ed|broken|delay|delays|delayed|mistake|mix-?up"
            r"|error|excuse|excuses|disappointment|problem|issue|failure|no-?show|screw-?up|mess"
            r"|hour|hours|day|days|week|weeks)\b",
            rf"\b{_POS}[,.!]* (?:\w+ ){{0,2}}?(?:lost|forgot|forgotten|cancell?ed|ignored)"
            r" (?:my|our|the|it)\b",
            r"\bthanks? (?:you )?for (?:\w+ ){0,3}?(?:nothing|wasting|ruining|ignoring"
            r"|the (?:\w+ )?(?:disappointment|headache|mess|food poisoning|runaround))\b",
            r"\b(?:i )?(?:just |really |absolutely |simply )?lov(?:e|ing) (?:waiting|being "
            r"(?:ignored|overcharged|lied to|kept waiting|put on hold|hung up on|charged)"
            r"|it when (?:\w+ ){0,4}?(?:late|wrong|never|lost|missing|ignore|cancel\w*))\b",
            rf"\b{_POS} (?:customer )?(?:service|job|work|communication)[.!, ]+(?:\w+ ){{0,4}}?"
            r"(?:lost|late|wrong|missing|ignored|nobody|no one|no reply|no answer|no response"
            r"|cancell?ed)\b",
        ],
    ),
    _rule(
        "sarcasm",
        "thanks thank cheers way well nice good great bravo oh just yeah much joke clap",
        [
            r"\b(?:thanks a (?:lot|bunch|million)|cheers for that|way to go|well done|nice one"
            r"|good job|great job|bravo|oh (?:great|perfect|wonderful|fantastic|brilliant|joy)"
            r"|just (?:great|perfect|wonderful|fantastic|brilliant))\b",
            r"\b(?:yeah right|so much for|what a joke|slow clap)\b",
        ],
        requires=_FAIL,
    ),
    _rule(
        "billing_error",
        "charged billed debited taken paid double overcharged overcharging overbilled over "
        "charges charge fees fee amount bill invoice payment transaction charging billing "
        "scam scammed fraud fraudulent rip ripoff ripped",
        [
            r"\b(?:charged|billed|debited|taken|paid|charging|billing) (?:me |us |my card "
            r"|my account |for it )?(?:twice|double|two times|three times|2x|3x|more than once)\b",
            r"\bdouble[- ]?(?:charged|billed|charge|payment)\b",
            r"\bover-?(?:charged|charging|billed|billing|charge)\b",
            r"\b(?:wrong|incorrect|hidden|unexpected|unauthori[sz]ed|mystery|duplicate|surprise"
            r"|bogus|random|extra) (?:\w+ )?(?:charges?|fees?|amount|bill|invoice|payments?"
            r"|transactions?)\b",
            r"\bcharged (?:me |us )?(?:for (?:\w+ ){0,3}?(?:i|we) (?:never|didn'?t|did not)"
            r"|(?:the )?wrong|(?:an? )?(?:extra|additional)|full price|after (?:\w+ )?cancel\w*)\b",
            r"\b(?:still|keep|kept|keeps) (?:being |getting )?(?:charged|billed|charging me"
            r"|billing me)\b",
            r"\b(?:billing|payment) (?:error|mistake|issue|problem)\b",
            r"\b(?:scam|scammed|scammers|fraud|fraudulent|rip[- ]?off|ripped (?:me|us) off)\b",
        ],
        guard=[
            r"\b(?:is there|are there|do you|does it|will there be|any) (?:an? |any )?"
            r"(?:extra|hidden) (?:\w+ )?(?:charges?|fees?)\b",
            r"\bno (?:hidden |extra )(?:charges?|fees?)\b",
        ],
    ),
    _rule(
        "health_safety",
        "food foodpoisoning poisoning poisoned sick ill unwell poorly vomiting throwing hair hairs "
        "glass plastic metal bug bugs insect insects cockroach cockroaches roach roaches maggot "
        "maggots worm worms fly flies mouse mice rat rats rodent droppings bandage plaster "
        "fingernail found mould mold mouldy moldy rotten rancid raw undercooked uncooked spoiled "
        "spoilt date expired past allergic anaphylaxis anaphylactic epipen epi hives free "
        "hospital dirty filthy unhygienic unsanitary unsafe dangerous injured injury burned "
        "cut chipped broke choked choking",
        [
            r"\bfood ?poison(?:ing|ed)\b",
            r"\bpoisoned (?:me|us|my|our)\b",
            r"\b(?:got|get|gotten|made|making|makes|was|were|been|am|are|felt|feeling|fell|left)"
            r" (?:me |us |my \w+ |him |her |them |everyone |all |really |so |very )?(?:sick|ill"
            r"|unwell|poorly|vomiting|throwing up)\b",
            r"\b(?:hairs?|glass|plastic|metal|bugs?|insects?|cockroach(?:es)?|roach(?:es)?"
            r"|maggots?|worms?|fly|flies|mouse|mice|rats?|rodents?|droppings|bandage|plaster"
            r"|fingernail) (?:\w+ ){0,2}?in (?:my|our|the|his|her) (?:\w+ )?\w+",
            r"\bfound (?:an? |some |two |\w+ )?(?:hairs?|glass|plastic|metal|bugs?|insects?"
            r"|cockroach|roach|maggots?|worms?|fly|flies|mouse|rat|droppings|mou?ld)\b",
            r"\b(?:mou?ldy|mou?ld|rotten|rancid|raw in the middle|undercooked|under-cooked"
            r"|uncooked|spoiled|spoilt)\b",
            r"\b(?:was|were|is|are) (?:\w+ )?(?:out of date|expired|past (?:its|the) "
            r"(?:use[- ]by|best[- ]before|expiry)(?: date)?)\b",
            r"\b(?:allergic reaction|anaphyla(?:xis|ctic)|epi-?pen|hives)\b",
            r"\b(?:not|wasn'?t|isn'?t|weren'?t|never) (?:\w+ )?(?:nut|gluten|dairy|egg|lactose)"
            r"[- ]free\b",
            r"\b(?:ended up|end up|landed|rushed|taken|went|was|were|been) (?:\w+ ){0,2}?"
            r"(?:in|to) (?:the )?(?:hospital|a&e|a and e|er|emergency room|urgent care)\b",
            r"\b(?:dirty|filthy|unhygienic|unsanitary|unsafe|dangerous)\b",
            r"\b(?:injured|injury|choked|choking|chipped (?:a|my) tooth|broke (?:a|my) tooth"
            r"|cut (?:my|his|her) (?:mouth|finger|lip|tongue|hand)|burned (?:my|his|her))\b",
        ],
        guard=[
            r"\bsick (?:of|and tired)\b",
            r"\b(?:voucher|coupon|code|card|link|offer|promo|subscription|deal|certificate"
            r"|passport|licen[cs]e|discount|page|website|site|info|information) (?:\w+ ){0,2}?"
            r"(?:was|is|were|are) (?:\w+ )?(?:out of date|expired)\b",
            r"\b(?:not|never|no|nothing|wasn'?t|isn'?t) (?:\w+ )?(?:dirty|filthy|unhygienic"
            r"|unsafe|dangerous|undercooked|raw)\b",
        ],
    ),
    _rule(
        "no_response",
        "nobody noone one body no zero not without never still haven havent didn didnt yet "
        "ignored ignoring ignore ghosted ghosting read hung hangs hanging hold voicemail rings "
        "rang unanswered can cant cannot couldn couldnt unable don dont doesn doesnt won wont",
        [
            r"\b(?:no ?one|nobody|no body) (?:\w+ )?(?:answers?|answered|answering|picks? up"
            r"|picked up|picking up|replies|replied|replying|responds?|responded|responding"
            r"|gets? back|got back|called back|calls? back|rang back|returns?|returned|bothered"
            r"|cares?|helps?|helped|reads?|read)\b",
            r"\b(?:no|zero|not an?|not one|not a single|without an?|never (?:got|had|received)"
            r" an?|still no|haven'?t (?:had|got|received) an?|didn'?t (?:get|receive) an?"
            r"|yet to (?:get|receive|have) an?) (?:\w+ )?(?:reply|replies|response|responses"
            r"|answer|answers|call ?back|callback|word|acknowledg(?:e)?ment|update|updates"
            r"|feedback)\b",
            r"\b(?:ignored|ignoring|ignore (?:me|us|my|our)|ghosted|ghosting|left on read"
            r"|hung up|hangs up|hanging up|put on hold|on hold for|go(?:es)? (?:straight )?to"
            r" voicemail|went (?:straight )?to voicemail|rings? out|rang out|unanswered)\b",
            r"\bnever (?:answer|answered|answers|reply|replied|replies|respond|responded|called"
            r" back|call back|got back|get back|pick up|picks up|picked up)\b",
            r"\b(?:can'?t|cannot|couldn'?t|unable to) (?:get (?:through|hold of|an? (?:answer"
            r"|reply|response))|reach (?:you|anyone|anybody|someone|them|a human|a person)"
            r"|contact (?:you|anyone))\b",
            r"\b(?:don'?t|doesn'?t|didn'?t|won'?t|not) (?:even )?(?:answer|reply|respond|pick up"
            r"|call back|get back to|return (?:my|our) (?:calls?|emails?|messages?))\b",
        ],
        guard=[r"\bno (?:reply|response|answer) (?:needed|necessary|required)\b"],
    ),
    _rule(
        "rude_staff",
        "rude impolite disrespectful condescending patronising patronizing dismissive arrogant "
        "obnoxious aggressive hostile unprofessional unhelpful snotty snooty snarky abusive "
        "racist sexist yelled shouted screamed swore sneered laughed rolled eye attitude "
        "treated spoke talked staff server waiter waitress cashier manager driver courier owner "
        "employee barista receptionist",
        [
            r"\b(?:rude|rudely|rudest|impolite|disrespectful|condescending|patroni[sz]ing"
            r"|dismissive|arrogant|obnoxious|hostile|unprofessional|unhelpful|snotty|snooty"
            r"|snarky|abusive|racist|sexist|yelled at|shouted at|screamed at|swore at|sneered"
            r"|laughed at (?:me|us)|rolled (?:her|his|their) eyes)\b",
            r"\b(?:bad|terrible|awful|poor|horrible|stinking|such an?|what an?|nasty) attitude\b",
            r"\b(?:staff|server|waiter|waitress|cashier|manager|driver|courier|owner|employee"
            r"|barista|receptionist) (?:\w+ ){0,3}?(?:was|were|is|are|got|being) (?:\w+ )?"
            r"(?:aggressive|mean|nasty|horrible|awful|snappy|short with)\b",
            r"\b(?:treated (?:me|us) like|spoke to (?:me|us) like|talked down to)\b",
        ],
        guard=[
            r"\b(?:not|never|wasn'?t|weren'?t|isn'?t|aren'?t|nothing|no|nobody was)"
            r" (?:\w+ )?(?:rude|unhelpful|unprofessional|dismissive|condescending|arrogant)\b",
        ],
    ),
    _rule(
        "quality",
        "stale soggy burnt overcooked rock hard tasteless bland flavourless flavorless inedible "
        "cold lukewarm watery greasy squashed crushed smashed broken damaged cracked leaking "
        "leaked torn ripped faulty defective shoddy cheaply quality falling fell fresh "
        "described pictured advertised shown picture photo pic description portion portions",
        [
            r"\b(?:stale|soggy|burnt|overcooked|rock hard|hard as a rock|tasteless|bland"
            r"|flavou?rless|inedible|lukewarm|watery|greasy|squashed|crushed|smashed|broken"
            r"|damaged|cracked|leaking|leaked|torn|ripped|faulty|defective|shoddy|cheaply made"
            r"|falling apart|fell apart)\b",
            r"\b(?:poor|low|bad|terrible|awful|shocking|dreadful) quality\b",
            r"\b(?:stone|arrived|came|delivered|completely|totally) (?:\w+ )?cold\b",
            rf"\b(?:{_ORDER}|coffee|soup|fries|chips|burger|tea|it|everything) (?:was|were|is"
            r"|arrived|came) (?:\w+ )?cold\b",
            r"\b(?:not|wasn'?t|weren'?t|isn'?t|aren'?t|far from|anything but) (?:\w+ )?fresh\b",
            r"\b(?:not|nothing) (?:\w+ )?(?:as|like) (?:described|pictured|advertised|shown"
            r"|the (?:picture|photo|pic|description|pictures|photos))\b",
            r"\b(?:tiny|small|stingy|pathetic|measly) portions?\b",
        ],
        guard=[
            r"\b(?:not|never|wasn'?t|weren'?t|isn'?t|aren'?t|nothing|no|without|zero)"
            r" (?:\w+ ){0,2}?(?:stale|soggy|burnt|overcooked|tasteless|bland|greasy|cold"
            r"|broken|damaged|squashed|crushed|cracked|leaking|faulty|inedible)\b",
            r"\bcold (?:brew|drinks?|coffee|beer|cuts|meats?|weather|day|snap|outside)\b",
            r"\b(?:not|never|wasn'?t) (?:\w+ )?(?:small|tiny|stingy) portions?\b",
        ],
    ),
    _rule(
        "wrong_order",
        "wrong incorrect someone somebody else missing forgot forgotten left ordered mixed mix "
        "mixup",
        [
            rf"\bwrong (?:\w+ )?(?:{_ORDER}|size|colou?r|flavou?r|address|product|dish|drink"
            r"|coffee|name|date|thing|one|toppings?|filling|change)\b",
            r"\b(?:got|received|sent|gave|given|delivered|brought|served) (?:me |us )?(?:the |a"
            r" |an |someone else'?s |somebody else'?s )?(?:wrong|incorrect)\b",
            rf"\b(?:someone|somebody) else'?s {_ORDER}\b",
            r"\b(?:missing|forgot|forgotten|left out) (?:\w+ ){0,2}?(?:items?|parts?|pieces?"
            r"|sides?|drinks?|half|bits|toppings?|candles?|sauce)\b",
            r"\b(?:\w+) (?:were |was |are |is )?(?:missing|left out) (?:from|of) (?:my|our|the)\b",
            r"\bnot what (?:i|we) (?:ordered|asked for|paid for)\b",
            rf"\b(?:mixed up (?:my|our|the) {_ORDER}|{_ORDER} (?:was |got )?mixed up"
            rf"|mix-?up with (?:my|our|the) {_ORDER})\b",
        ],
        guard=[
            r"\b(?:nothing|not(?: \w+)?|never|can'?t|cannot|couldn'?t|won'?t) (?:go )?wrong\b",
        ],
    ),
    _rule(
        "privacy",
        "data breach privacy personal details information info leaked gdpr protection invasion "
        "sold spam spamming spammed unsubscribe unsubscribed card account hacked email number",
        [
            r"\b(?:data breach|breach of (?:my |our )?(?:data|privacy)|gdpr|data protection"
            r"|privacy (?:breach|violation|concern|issue)|invasion of privacy)\b",
            r"\b(?:my|our) (?:personal )?(?:data|details|information|info|address|email|number)"
            r" (?:was |were |has been |have been |got )?(?:leaked|shared|sold|exposed|stolen"
            r"|hacked|compromised|misused|passed on)\b",
            r"\b(?:leaked|sold|shared|exposed) (?:my|our) (?:personal )?(?:data|details"
            r"|information|info|address|email|number)\b",
            r"\bspam(?:ming|med)? (?:me|us)\b",
            r"\bunsubscribed? (?:\w+ ){0,3}?(?:still|but|and still)\b",
            r"\b(?:card|account) (?:was |got |has been )?(?:hacked|compromised|stolen|skimmed)\b",
        ],
    ),
    _rule(
        "escalation",
        "report reporting reported trading standards bbb better ombudsman consumer small lawyer "
        "solicitor attorney court legal sue suing lawsuit further star stars 1star 0star "
        "1 0 one zero half minus review reviews press papers paper news media newspaper "
        "newspapers journalist environmental food health inspector watchdog",
        [
            r"\b(?:report(?:ing|ed)? (?:you|this|them|it|your \w+)(?: \w+)? to|reporting you"
            r"|report you)\b",
            r"\b(?:trading standards|bbb|better business bureau|ombudsman|consumer (?:rights"
            r"|protection|council|affairs)|small claims|legal action|lawsuit|environmental"
            r" health|food standards|health inspector|health department|watchdog)\b",
            r"\b(?:my|a|see you in|take you to|taking you to) (?:lawyer|solicitor|attorney"
            r"|court)\b",
            r"\b(?:going to|gonna|will|i'?ll|might|could|about to|i'?m) (?:\w+ )?su(?:e|ing)\b",
            r"\btake (?:this|it|you|them|things) (?:further|to court|legal)\b",
            r"\b(?:1|one|zero|0|half a|minus)[- ]?stars?\b",
            r"\b[01](?:\.\d)? ?(?:/|out of) ?(?:5|10)\b",
            r"\b(?:bad|negative|terrible|scathing|awful|horrible|poor|honest) reviews?\b",
            r"\b(?:tell|telling|contact|contacting|go to|going to|told|contacted) (?:the )?"
            r"(?:local )?(?:press|papers?|news|media|newspapers?|journalists?)\b",
        ],
    ),
    _rule(
        "dissatisfied",
        "not unacceptable disappointed disappointing disappointment let appalling appalled "
        "disgusted disgusting shocking shocked furious fuming livid outraged ridiculous terrible "
        "awful horrible horrendous atrocious dreadful abysmal pathetic worst useless shambles "
        "joke waste very so extremely really deeply hugely bitterly complaint complaints "
        "complain complaining complained",
        [
            r"\bnot (?:at all |very |too )?(?:happy|impressed|satisfied|acceptable|good enough"
            r"|ok|okay|pleased)\b",
            r"\b(?:unacceptable|disappoint(?:ed|ing|ment)|let (?:me|us) down|appall?(?:ing|ed)"
            r"|disgust(?:ed|ing)|shock(?:ing|ed)|furious|fuming|livid|outraged|ridiculous"
            r"|terrible|awful|horrible|horrendous|atrocious|dreadful|abysmal|pathetic|worst"
            r"|useless|shambles|joke of an?|waste of (?:money|time))\b",
            r"\b(?:very|so|extremely|really|deeply|hugely|bitterly) (?:unhappy|upset)\b",
            r"\bcomplain(?:t|ts|ing|ed)?\b",
        ],
        guard=[
            r"\b(?:no|any|zero|without|not a single|never (?:had|have) (?:any|a)|can'?t)"
            r" (?:\w+ )?complain(?:ts?)?\b",
            r"\b(?:not|never|wasn'?t|weren'?t|won'?t be|never be) (?:\w+ )?"
            r"(?:disappoint(?:ed|ing)|let (?:me|us) down)\b",
        ],
    ),
)

_KEY_INDEX: dict[str, tuple[int, ...]] = {}
for _i, _r in enumerate(RULES):
    for _k in _r.keys:
        _KEY_INDEX[_k] = (*_KEY_INDEX.get(_k, ()), _i)
_ALL_KEYS = frozenset(_KEY_INDEX)


def normalise(text: str) -> str:
    """Lower-case and straighten apostrophes; what every rule looks at."""
    low = text.lower()
    if "\u2019" in low or "\u2018" in low or "\u02bc" in low or "`" in low:
        low = low.translate(_APOSTROPHES)
    return low


def detect(text: str, *, prefilter: bool = True) -> tuple[str, ...]:
    """Cue ids that fire on *text*, most important first, each once."""
    low = normalise(text)
    if prefilter:
        present = _ALL_KEYS.intersection(_TOKEN.findall(low))
        if not present:
            return ()
        candidates: Iterable[int] = sorted({i for k in present for i in _KEY_INDEX[k]})
    else:
        candidates = range(len(RULES))
    fired: set[str] = set()
    for i in candidates:
        rule = RULES[i]
        if rule.cue not in fired and rule.matches(low):
            fired.add(rule.cue)
    if len(fired) > 1:
        return tuple(sorted(fired, key=_RANK.__getitem__))
    return tuple(fired)


def is_complaint(cues: Sequence[str], compound: float) -> bool:
    """A strong cue makes a complaint; weak cues only when VADER does not read it as positive."""
    return any(cue not in WEAK_CUES or compound < 0.05 for cue in cues)
