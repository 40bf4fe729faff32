"""``crisisdesk mentions`` (list stored mentions) and ``crisisdesk analyze`` (score texts)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from crisisdesk.cli.common import Context, add_json_flag, date_arg, positive_int, printable, say
from crisisdesk.domain import Sentiment, Status

#: how wide the text column of the plain listing is
TEXT_WIDTH = 80


def cmd_mentions(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.store import mentions

    flt = mentions.MentionFilter(
        search=args.search or "",
        label=args.label,
        complaints_only=args.complaints,
        statuses=tuple(args.status or ()),
        sources=tuple(args.source or ()),
        since=args.since,
        until=args.until,
    )
    rows = mentions.query(ctx.db, flt, sort=args.sort, limit=args.limit)
    for m in rows:
        if args.json:
            say(json.dumps(m.to_json(), ensure_ascii=False))
            continue
        flag = "!" if m.complaint else " "
        text = printable(m.text)
        if len(text) > TEXT_WIDTH:
            text = text[: TEXT_WIDTH - 1] + "…"
        say(
            f"{m.id:>7} {m.priority:>3}{flag} {m.label[:3]} {m.status:<8} "
            f"{m.created_at[:16]} {m.source:<9} @{printable(m.author_handle)[:18]:<18} {text}"
        )
    if not args.json and not rows:
        say("No mentions match.", err=True)
    return 0


def cmd_analyze(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.analysis.sentiment import analyze

    if not args.text and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # a non-UTF-8 file piped in is still scored
    texts: Sequence[str] = args.text or [line.rstrip("\r\n") for line in sys.stdin]
    for text in texts:
        if not text.strip() and not args.text:
            continue
        result = analyze(text)
        say(
            json.dumps(
                {
                    # undecodable bytes (argv) print as "?" rather than a traceback
                    "text": text.encode("utf-8", "replace").decode("utf-8"),
                    "sentiment": result.sentiment,
                    "label": result.label,
                    "complaint": result.complaint,
                    "cues": list(result.cues),
                },
                ensure_ascii=False,
            )
        )
    return 0


def register(sub: Any) -> None:
    """Add ``mentions`` and ``analyze`` to the CLI's subparsers."""
    from crisisdesk.store.mentions import SORTS

    p = sub.add_parser("mentions", help="list stored mentions")
    add_json_flag(p)
    p.add_argument("--search", metavar="Q", help='words, "phrases", OR, -exclude')
    p.add_argument("--label", choices=[s.value for s in Sentiment])
    p.add_argument("--complaints", action="store_true", help="complaints only")
    p.add_argument("--status", action="append", choices=[s.value for s in Status])
    p.add_argument("--source", action="append", metavar="P", help="platform (repeatable)")
    p.add_argument("--since", type=date_arg, metavar="DATE")
    p.add_argument("--until", type=date_arg, metavar="DATE")
    p.add_argument("--sort", choices=list(SORTS), default="priority")
    p.add_argument("--limit", type=positive_int, default=50, metavar="N")
    p.set_defaults(handler=cmd_mentions)

    p = sub.add_parser("analyze", help="score texts (arguments, or stdin lines)")
    p.add_argument("text", nargs="*", metavar="TEXT")
    p.set_defaults(handler=cmd_analyze)
