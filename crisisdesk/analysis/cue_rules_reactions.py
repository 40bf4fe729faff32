"""Complaint cue rules about how the customer reacts or was treated: chasing again, never
again, sarcasm, no answer, no apology, rude staff, threats to escalate, contempt, unhappiness.
How rules are written: ``cue_base``."""

from __future__ import annotations

from crisisdesk.analysis.cue_base import (
    _FAIL,
    _NOT,
    _ORDINAL,
    _ORDINAL_KEYS,
    _POS,
    _TIMES,
    CueRule,
    rule,
)

REACTION_RULES: tuple[CueRule, ...] = (
    rule(
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
    rule(
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
    rule(
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
    rule(
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
    rule(
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
    rule(
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
    rule(
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
    rule(
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
    rule(
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
            (
                "(?:is this|this is|thats|that's|so this is) how (?:you|u|your ~) (?:treat|treats"
                "|look after|looks after|reward|rewards|repay|repays)",
                "treat treats look looks reward rewards repay repays",
            ),
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
    rule(
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
