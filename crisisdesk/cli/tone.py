"""``crisisdesk tone [--platform P] [--in-reply-to TEXT] [--json] TEXT``: check a reply's tone.

Prints the score, each finding (severity, code, the words it is about, what is wrong and what
to do) and the strengths; ``--json`` prints ``analysis.tone.report_json``'s object instead.
TEXT ``-`` reads the reply from standard input. Without ``--in-reply-to`` the reply is judged
as the answer to a complaint. The exit code is 0 whatever the findings (2 for unusable input).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from crisisdesk.cli.common import Context, positive_int, printable, say
from crisisdesk.domain import Platform
from crisisdesk.errors import CrisisdeskError

_ALIASES = {"twitter": Platform.X, "fb": Platform.FACEBOOK, "bsky": Platform.BLUESKY}


def platform_arg(value: str | None) -> Platform | None:
    """The platform the user named (any case; "twitter" is X); a clear error otherwise."""
    if value is None:
        return None
    name = value.strip().lower()
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        return Platform(name)
    except ValueError:
        known = ", ".join(p.value for p in Platform)
        raise CrisisdeskError(
            f"'{value}' is not a platform crisisdesk knows.", f"Use one of: {known}."
        ) from None


def _reply_text(args: argparse.Namespace) -> str:
    text: str = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise CrisisdeskError(
            "There is no reply to check: the text is empty.",
            "Give the reply in quotes, or '-' to read it from standard input.",
        )
    return text


def _quote(text: str, start: int | None, end: int | None) -> str:
    if start is None or end is None:
        return "(the whole reply)"
    words = printable(text[start:end])
    return f"“{words[:57] + '…' if len(words) > 60 else words}”"


def cmd_tone(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.analysis.tone import check, report_json

    platform = platform_arg(args.platform)
    text = _reply_text(args)
    report = check(
        text, platform=platform, in_reply_to=args.in_reply_to, limit=args.limit,
        own_contacts=tuple(args.contact or ()),
    )  # fmt: skip
    if args.json:
        say(json.dumps(report_json(report), ensure_ascii=False))
        return 0
    limit = f"/{report.length.limit}" if report.length.limit else ""
    say(f"Score {report.score}/100 · length {report.length.used}{limit}")
    if not report.findings:
        say("No findings.")
    for f in report.findings:
        say(f"{f.severity:<5}  {f.code:<14} {_quote(text, f.start, f.end)}")
        say(f"       {f.message}")
        say(f"       → {f.suggestion}")
    if report.strengths:
        say("Strengths:")
        for s in report.strengths:
            say(f"  {s.code:<16} {_quote(text, s.start, s.end)}  {s.message}")
    return 0


def register(sub: Any) -> None:
    """Add ``tone`` to the CLI's subparsers."""
    p = sub.add_parser(
        "tone",
        help="check the tone of a reply before you post it",
        description="Check a reply for defensive, dismissive or risky wording, personal data "
        "and length, with suggestions. Judged as an answer to a complaint unless "
        "--in-reply-to says otherwise.",
    )
    p.add_argument("text", metavar="TEXT", help="the reply ('-' reads standard input)")
    p.add_argument(
        "--platform", metavar="P",
        help="count the length as this platform does: " + ", ".join(p.value for p in Platform),
    )  # fmt: skip
    p.add_argument("--in-reply-to", metavar="TEXT", help="the message the reply answers")
    p.add_argument(
        "--limit", type=positive_int, metavar="N",
        help="the platform's length limit, if not the usual one (a Mastodon instance's own)",
    )  # fmt: skip
    p.add_argument(
        "--contact", action="append", metavar="TEXT",
        help="your business's own e-mail, phone or address (not flagged; repeatable)",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.set_defaults(handler=cmd_tone)
