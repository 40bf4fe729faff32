"""The tone check of an owner's reply: an explainable, local rubric (no network, no model).

API (the composer and ``crisisdesk tone`` use these)::

    report = check(text, platform=Platform.X, in_reply_to=mention_text, own_contacts=(...))
    report.score            # 0..100
    report.findings         # Finding(code, severity, message, start, end, suggestion), by position
    report.strengths        # Strength(code, message, start, end)
    report.length           # Length(used, limit): in the platform's own unit; limit 0 = no limit
    report_json(report)     # the ``--json`` shape: {"score", "findings", "strengths", "length"}

Spans are Python string indices (code points) into *text*, ``end`` exclusive, or ``None`` for a
finding about the reply as a whole; Qt text positions count UTF-16 units: convert with
:func:`utf16_index`. ``severity`` is a :class:`~crisisdesk.domain.ToneSeverity` (a ``str``):
``block`` (the platform refuses it, or it exposes a customer: fix before sending), ``warn``
(hurts the business in public), ``tip`` (would make a good reply better).

Finding codes: ``defensive``, ``blame``, ``dismissive``, ``shouting``, ``exclamation``,
``no-empathy``, ``no-next-step``, ``take-offline``, ``private-data``, ``too-long``,
``placeholder``, ``negative-tone``. Strengths: ``empathy``, ``accountability``, ``next-step``,
``private-channel``, ``follow-up``, ``personal``. A reply is judged as the answer to a complaint
unless *in_reply_to* is given and is not one (then empathy and a next step are not required);
a reply that takes responsibility is not asked for a next step as well.
The word rules live in ``tone_rules.py``, personal data in ``tone_private.py``, counting in
``lengths.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from crisisdesk.analysis import lengths, tone_private, tone_rules
from crisisdesk.analysis.tone_rules import Rule
from crisisdesk.domain import Platform, Sentiment, ToneSeverity

__all__ = [
    "Finding", "FindingCode", "Length", "Strength", "StrengthCode", "ToneReport", "check",
    "report_json", "utf16_index",
]  # fmt: skip


class FindingCode(StrEnum):
    """What a finding is about (stable: stored with replies, used in ``--json``)."""

    DEFENSIVE = "defensive"
    BLAME = "blame"
    DISMISSIVE = "dismissive"
    SHOUTING = "shouting"
    EXCLAMATION = "exclamation"
    NO_EMPATHY = "no-empathy"
    NO_NEXT_STEP = "no-next-step"
    TAKE_OFFLINE = "take-offline"
    PRIVATE_DATA = "private-data"
    TOO_LONG = "too-long"
    PLACEHOLDER = "placeholder"
    NEGATIVE_TONE = "negative-tone"


class StrengthCode(StrEnum):
    """What a reply does well."""

    EMPATHY = "empathy"
    ACCOUNTABILITY = "accountability"
    NEXT_STEP = "next-step"
    PRIVATE_CHANNEL = "private-channel"
    FOLLOW_UP = "follow-up"
    PERSONAL = "personal"


class Finding(NamedTuple):
    code: str  # a FindingCode
    severity: str  # a ToneSeverity: "block" | "warn" | "tip"
    message: str
    start: int | None
    end: int | None
    suggestion: str


class Strength(NamedTuple):
    code: str  # a StrengthCode
    message: str
    start: int | None
    end: int | None


class Length(NamedTuple):
    used: int  # in the platform's own unit (lengths.reply_length)
    limit: int  # 0: nothing limits a reply here


class ToneReport(NamedTuple):
    score: int  # 0..100
    findings: tuple[Finding, ...]
    strengths: tuple[Strength, ...]
    length: Length


BLOCK, WARN, TIP = ToneSeverity.BLOCK, ToneSeverity.WARN, ToneSeverity.TIP

SEVERITY_OF: dict[str, ToneSeverity] = {
    FindingCode.DEFENSIVE: WARN,
    FindingCode.BLAME: WARN,
    FindingCode.DISMISSIVE: WARN,
    FindingCode.SHOUTING: WARN,
    FindingCode.EXCLAMATION: TIP,  # a run like "!!!" is a warning (see _exclamations)
    FindingCode.NO_EMPATHY: WARN,
    FindingCode.NO_NEXT_STEP: TIP,
    FindingCode.TAKE_OFFLINE: WARN,
    FindingCode.PRIVATE_DATA: BLOCK,
    FindingCode.TOO_LONG: BLOCK,
    FindingCode.PLACEHOLDER: BLOCK,
    FindingCode.NEGATIVE_TONE: WARN,  # gloomy words without an apology beside them: a tip
}

STRENGTH_MESSAGES: dict[str, str] = {
    StrengthCode.EMPATHY: "Acknowledges how the customer feels (an apology or thanks).",
    StrengthCode.ACCOUNTABILITY: "Takes responsibility for what went wrong.",
    StrengthCode.NEXT_STEP: "Offers a concrete next step or solution.",
    StrengthCode.PRIVATE_CHANNEL: "Invites the customer to a private channel.",
    StrengthCode.FOLLOW_UP: "Promises to follow up.",
    StrengthCode.PERSONAL: "Personal: greets the customer by name or signs with a name.",
}

_PENALTY = {BLOCK: 35, WARN: 15, TIP: 5}
_BASE_SCORE = 70  # a reply with no findings and no strengths
_STRENGTH_BONUS = 6  # five strengths or more reach 100


def utf16_index(text: str, index: int) -> int:
    """*index* (a Python string index into *text*) as a UTF-16 position, the way Qt counts."""
    prefix = text[:index]
    return index + sum(1 for ch in prefix if ord(ch) > 0xFFFF)


# --- the rules -----------------------------------------------------------------------------------


def _rule_findings(text: str, rules: Iterable[Rule]) -> list[Finding]:
    found: list[Finding] = []
    for rule in rules:
        for m in rule.pattern.finditer(text):
            found.append(
                Finding(
                    FindingCode(rule.code),
                    SEVERITY_OF[rule.code],
                    rule.message,
                    m.start(),
                    m.end(),
                    rule.suggestion,
                )
            )
    return found


def _shouting(text: str) -> list[Finding]:
    """Runs of capitalised words: one common word in capitals, a long one, or three in a row."""
    found: list[Finding] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        loud = [m for m in run if m.group().replace("’", "'") not in tone_rules.ACRONYMS]
        if loud and (
            len(loud) >= 3
            or any(m.group().replace("’", "'") in tone_rules.LOUD_WORDS for m in loud)
            or any(len(m.group()) >= 6 for m in loud)
        ):
            found.append(
                Finding(
                    FindingCode.SHOUTING,
                    WARN,
                    "Words in capitals read as shouting.",
                    loud[0].start(),
                    loud[-1].end(),
                    "Write it in normal case; calm words carry more weight.",
                )
            )
        run.clear()

    for m in tone_rules.CAPS_WORD.finditer(text):
        if run and text[run[-1].end() : m.start()].strip(" ,.!?-") != "":
            close()
        run.append(m)
    if run:
        close()
    return found


def _exclamations(text: str) -> list[Finding]:
    """More than one "!": a run ("!!!", "?!") is a warning, scattered ones a tip."""
    marks = [m for m in tone_rules.EXCLAMATIONS.finditer(text) if m.group()]
    if sum(m.group().count("!") for m in marks) < 2:
        return []
    runs = [m for m in marks if len(m.group()) > 1]
    message = "Several exclamation marks read as agitated or sarcastic in a crisis."
    suggestion = "Keep at most one, or none: end sentences with a full stop."
    if runs:
        return [
            Finding(FindingCode.EXCLAMATION, WARN, message, m.start(), m.end(), suggestion)
            for m in runs
        ]
    second = marks[1]
    return [
        Finding(FindingCode.EXCLAMATION, TIP, message, second.start(), second.end(), suggestion)
    ]


def _outside_apologies(text: str) -> list[Finding]:
    """Harsh words (a warning) and gloomy ones (a tip), in sentences that do not apologise
    or empathise: "I'm sorry our staff were rude" is an apology, not hostility."""
    found: list[Finding] = []
    for sentence in tone_rules.SENTENCE.finditer(text):
        words = sentence.group()
        if tone_rules.APOLOGY_WORDS.search(words) and not tone_rules.APOLOGY_TAKEN_BACK.search(
            words
        ):
            continue
        for rule, severity in ((tone_rules.HARSH, WARN), (tone_rules.GLOOMY, TIP)):
            for m in rule.pattern.finditer(sentence.group()):
                start = sentence.start() + m.start()
                found.append(
                    Finding(FindingCode(rule.code), severity, rule.message, start,
                            start + len(m.group()), rule.suggestion)
                )  # fmt: skip
    return found


def _placeholders(text: str) -> list[Finding]:
    return [
        Finding(
            FindingCode.PLACEHOLDER,
            BLOCK,
            f"“{m.group()}” is a blank left to fill in; the customer would see it as it is.",
            m.start(),
            m.end(),
            "Replace it with the real value, or delete it.",
        )
        for m in tone_rules.PLACEHOLDER.finditer(text)
    ]


_KIND_WORDS = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "card": "card details",
    "order": "an order or account number",
    "address": "a street address",
}


def _private_data(text: str, own_contacts: Sequence[str]) -> list[Finding]:
    return [
        Finding(
            FindingCode.PRIVATE_DATA,
            BLOCK,
            f"This public reply shows {_KIND_WORDS[p.kind]}; everyone can read it.",
            p.start,
            p.end,
            "Remove it and ask the customer to send it to you privately.",
        )
        for p in tone_private.find(text, own_contacts)
    ]


def _strengths(text: str, excluded: Sequence[tuple[int, int]]) -> list[Strength]:
    found: list[Strength] = []

    def first(code: str, pattern: re.Pattern[str]) -> None:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in excluded):
                continue  # inside a non-apology or a blame: not a strength
            found.append(Strength(code, STRENGTH_MESSAGES[code], m.start(), m.end()))
            return

    first(StrengthCode.EMPATHY, tone_rules.EMPATHY)
    first(StrengthCode.ACCOUNTABILITY, tone_rules.ACCOUNTABILITY)
    first(StrengthCode.NEXT_STEP, tone_rules.NEXT_STEP)
    first(StrengthCode.PRIVATE_CHANNEL, tone_rules.PRIVATE_CHANNEL)
    first(StrengthCode.FOLLOW_UP, tone_rules.FOLLOW_UP)
    first(StrengthCode.PERSONAL, tone_rules.PERSONAL_GREETING)
    if not any(s.code == StrengthCode.PERSONAL for s in found):
        first(StrengthCode.PERSONAL, tone_rules.PERSONAL_SIGNOFF)
    return found


@lru_cache(maxsize=64)
def _is_complaint(in_reply_to: str | None) -> tuple[bool, bool]:
    """(answering a complaint, the complaint touches private matters). Cached: the composer
    checks the same mention on every keystroke pause."""
    if in_reply_to is None:
        return True, False
    from crisisdesk.analysis.sentiment import analyze  # VADER loads on first use only

    analysis = analyze(in_reply_to)
    complaint = analysis.complaint or analysis.label == Sentiment.NEGATIVE
    return complaint, bool(tone_rules.COMPLAINT_SENSITIVE.search(in_reply_to))


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """In text order (whole-reply findings first); a span inside an earlier one of the same
    code goes (overlapping patterns of one rule)."""
    findings.sort(key=lambda f: (-1, 0) if f.start is None else (f.start, -(f.end or 0)))
    kept: list[Finding] = []
    reach: dict[str, int] = {}  # per code: the furthest end of a kept span
    for f in findings:
        if f.start is not None and f.end is not None:
            if f.end <= reach.get(f.code, -1):
                continue  # sorted by start: an earlier span of this code covers it
            reach[f.code] = f.end
        kept.append(f)
    return kept


def _score(findings: Sequence[Finding], strengths: Sequence[Strength]) -> int:
    penalty = 0
    seen: dict[str, int] = {}
    for f in findings:
        times = seen.get(f.code, 0)
        seen[f.code] = times + 1
        weight = _PENALTY[ToneSeverity(f.severity)]
        penalty += weight if times == 0 else weight // 3  # repeats count, but less
    bonus = _STRENGTH_BONUS * len({s.code for s in strengths})
    return max(0, min(100, _BASE_SCORE + bonus - penalty))


def check(
    text: str,
    *,
    platform: Platform | str | None = None,
    in_reply_to: str | None = None,
    limit: int | None = None,
    own_contacts: Sequence[str] = (),
    public: bool = True,
) -> ToneReport:
    """Check the tone of reply *text* (see the module text). Never raises on any string.

    *limit* overrides the platform's limit (a Mastodon instance's own); *own_contacts* are the
    business's configured contact details (not flagged as personal data); a private reply
    (*public* False) is not checked for personal data or for matters to take offline.
    """
    complaint, sensitive_complaint = _is_complaint(in_reply_to)
    findings: list[Finding] = []
    findings += _rule_findings(text, tone_rules.DEFENSIVE)
    findings += _rule_findings(text, tone_rules.BLAME)
    findings += _rule_findings(text, tone_rules.DISMISSIVE)
    findings += _rule_findings(text, tone_rules.NEGATIVE)
    findings += _outside_apologies(text)
    findings += _shouting(text)
    findings += _exclamations(text)
    findings += _placeholders(text)
    if public:
        findings += _private_data(text, own_contacts)

    excluded = [
        (f.start, f.end)
        for f in findings
        if f.code in (FindingCode.DISMISSIVE, FindingCode.BLAME, FindingCode.DEFENSIVE)
        and f.start is not None
        and f.end is not None
    ]
    strengths = _strengths(text, excluded)
    has = {s.code for s in strengths}
    if complaint and StrengthCode.EMPATHY not in has:
        findings.append(
            Finding(
                FindingCode.NO_EMPATHY,
                WARN,
                "The reply does not acknowledge the customer: no apology, thanks or understanding.",
                None,
                None,
                'Start by acknowledging them: "I\'m sorry your order was late" or '
                '"Thank you for telling us."',
            )
        )
    # owning the failure is an answer in itself ("That should never happen."): a next step
    # then adds to the score instead of being missed
    if complaint and not has & {
        StrengthCode.NEXT_STEP, StrengthCode.PRIVATE_CHANNEL, StrengthCode.ACCOUNTABILITY,
    }:  # fmt: skip
        findings.append(
            Finding(
                FindingCode.NO_NEXT_STEP,
                TIP,
                "The reply offers no next step: no solution, action or way to reach you.",
                None,
                None,
                'Say what you will do, or how they can reach you: "Please DM us your '
                "order details and we'll make it right.\"",
            )
        )
    if public and StrengthCode.PRIVATE_CHANNEL not in has:
        topic = tone_rules.SENSITIVE_TOPIC.search(text)
        if topic is not None or sensitive_complaint:
            findings.append(
                Finding(
                    FindingCode.TAKE_OFFLINE,
                    WARN if topic is not None else TIP,
                    "Account, payment, order, health or address matters are better handled "
                    "in private than in a public reply.",
                    topic.start() if topic else None,
                    topic.end() if topic else None,
                    'Invite them to a private channel: "Please send us a DM or e-mail '
                    "and we'll sort it out.\"",
                )
            )

    used = lengths.reply_length(platform, text)
    most = limit if limit is not None else lengths.reply_limit(platform)
    if most is not None and used > most:
        start = lengths.overflow_start(platform, text, most)
        findings.append(
            Finding(
                FindingCode.TOO_LONG,
                BLOCK,
                f"The reply is {used} characters long as {_platform_name(platform)} counts; "
                f"it accepts at most {most}.",
                start,
                len(text) if start is not None else None,
                f"Shorten it by {used - most} characters, or move details to a private message.",
            )
        )
    findings = _dedupe(findings)
    return ToneReport(
        _score(findings, strengths), tuple(findings), tuple(strengths), Length(used, most or 0)
    )


def _platform_name(platform: Platform | str | None) -> str:
    names: dict[str, str] = {
        Platform.X: "X", Platform.BLUESKY: "Bluesky", Platform.MASTODON: "Mastodon",
        Platform.REDDIT: "Reddit", Platform.FACEBOOK: "Facebook",
    }  # fmt: skip
    return names.get(str(platform or ""), str(platform or "the platform"))


def report_json(report: ToneReport) -> dict[str, object]:
    """*report* in the ``crisisdesk tone --json`` shape (plain strings, ints and nulls)."""
    return {
        "score": report.score,
        "findings": [
            {
                "code": str(f.code),
                "severity": str(f.severity),
                "message": f.message,
                "start": f.start,
                "end": f.end,
                "suggestion": f.suggestion,
            }
            for f in report.findings
        ],
        "strengths": [
            {"code": str(s.code), "message": s.message, "start": s.start, "end": s.end}
            for s in report.strengths
        ],
        "length": {"used": report.length.used, "limit": report.length.limit},
    }
