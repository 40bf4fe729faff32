"""Complaint cue rules about what went wrong: delivery, waiting, refunds, billing, health and
safety, quality, wrong orders, personal data. How rules are written: ``cue_base``."""

from __future__ import annotations

from crisisdesk.analysis.cue_base import (
    _NEG_PAST,
    _NOT,
    _NUM,
    _ORDER,
    _SPAN,
    CueRule,
    rule,
)

PROBLEM_RULES: tuple[CueRule, ...] = (
    rule(
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
    rule(
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
            (f"{_NUM} {_SPAN} and counting", "counting"),
            (
                f"{_NUM} {_SPAN} later (?:and )?(?:still|yet|nothing|no|not)",
                "later",
            ),
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
    rule(
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
    rule(
        "billing_error",
        [
            (
                "(?:charged|billed|debited|taken|paid|charging|billing) (?:me |us |my card "
                "|my account |for it )?(?:twice|double|two times|three times|2x|3x"
                "|more than once)",
                "twice double times 2x 3x once",
            ),
            "(?:double (?:charged|billed|charge|payment)|doublecharged|doublebilled)",
            (
                "(?:took|taken|takes|kept|keep|keeps|keeping) (?:my|our) money (?:anyway|and ran"
                "|regardless)",
                "took taken takes kept keep keeps keeping",
            ),
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
    rule(
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
    rule(
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
            # bad workmanship: a haircut, a paint job, a repair
            "(?:uneven|wonky|crooked|patchy|lopsided|botched|butchered|streaky)",
            # what a courier's handling does to a parcel
            "(?:soaked|soaking wet|drenched|dented|water damaged|waterlogged)",
            (
                "(?:threw|thrown|throws|chucked|tossed|dumped|left) (?:it|them|my ~|our ~|the ~)"
                " (?:over|in|into|under) (?:the|a|my|our) (?:~ )?(?:fence|gate|hedge|bush|bushes"
                "|rain|puddle|bin|bins|wall)",
                "threw thrown throws chucked tossed dumped left",
            ),
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
            "(?:soaked|drenched) in",
            "patchy (?:rain|fog|cloud|clouds|sun|sunshine|showers|wifi signal)",
            f"(?:{_NOT}|never|no longer) (?:~ )?(?:uneven|wonky|crooked|patchy|lopsided|streaky)",
        ],
    ),
    rule(
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
    rule(
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
)
