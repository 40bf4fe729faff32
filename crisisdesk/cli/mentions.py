"""``crisisdesk mentions`` (list stored mentions) and ``crisisdesk analyze`` (score texts)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from crisisdesk.cli.common import Context, add_json_flag, date_arg, positive_int, printable, say
from crisisdesk.domain import Sentiment, Status

#: how wide the text column of the plain listing is
TEXT_WIDTH = 80


#: --status needs-reply: the GUI's "Needs reply" view (new and open)
NEEDS_REPLY = "needs-reply"
#: --since/--until words, as in the GUI's "Today" view (local calendar days)
DAY_WORDS = {"today": 0, "yesterday": 1}
HEADER = ("ID", "PRI", "SENTIMENT", "COMPLAINT", "STATUS", "POSTED (UTC)", "PLATFORM")


def day_arg(value: str) -> str:
    """``today``/``yesterday`` (local midnight) or any date or time ``date_arg`` takes."""
    days = DAY_WORDS.get(value.strip().lower())
    if days is None:
        return date_arg(value)
    from datetime import datetime, time, timedelta

    from crisisdesk.timeutil import to_iso

    day = datetime.now().astimezone().date() - timedelta(days=days)
    return to_iso(datetime.combine(day, time()).astimezone())


def glue_dash_values(argv: Sequence[str]) -> list[str]:
    """``--search -cake`` means the search "-cake" (argparse would take it for an option)."""
    out = list(argv)
    for i, token in enumerate(out[:-1]):
        if token == "--search" and out[i + 1].startswith("-") and out[i + 1] != "--":
            out[i : i + 2] = [f"--search={out[i + 1]}"]
            break
    return out


def _statuses(chosen: Sequence[str]) -> tuple[str, ...]:
    waiting = tuple(s.value for s in Status if s.unanswered)
    out: list[str] = []
    for status in chosen:
        out += waiting if status == NEEDS_REPLY else [status]
    return tuple(dict.fromkeys(out))


def cmd_mentions(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.store import mentions, overview

    flt = mentions.MentionFilter(
        search=args.search or "",
        label=args.label,
        complaints_only=args.complaints,
        statuses=_statuses(args.status or ()),
        sources=tuple(args.source or ()),
        since=args.since,
        until=args.until,
    )
    rows = mentions.query(ctx.db, flt, sort=args.sort, limit=args.limit)
    if args.json:
        owner = _owner_flags(ctx, rows)
        for m in rows:
            data = m.to_json()
            data["complaint_by"] = "owner" if m.id in owner else "recogniser"
            say(json.dumps(data, ensure_ascii=False))
        return 0
    if not rows:
        if overview.is_empty(ctx.db):
            say(
                "The database has no mentions yet. Try `crisisdesk demo` for a sample "
                "backlash, or `crisisdesk import FILE` for a CSV or JSON export.",
                err=True,
            )
        else:
            say("No mentions match.", err=True)
        return 0
    handles = [f"@{printable(m.author_handle)}" for m in rows]
    width = max(len("AUTHOR"), *(len(h) for h in handles))
    say(
        "{:>7} {:>3} {:<9} {:<9} {:<8} {:<16} {:<9} {:<{w}} {}".format(
            *HEADER, "AUTHOR", "TEXT", w=width
        )
    )
    for m, handle in zip(rows, handles, strict=True):
        text = printable(m.text)
        if len(text) > TEXT_WIDTH:
            text = text[: TEXT_WIDTH - 1] + "…"
        complaint = "complaint" if m.complaint else ""
        say(
            f"{m.id:>7} {m.priority:>3} {m.label:<9} {complaint:<9} {m.status:<8} "
            f"{m.created_at[:16]:<16} {m.source:<9} {handle:<{width}} {text}"
        )
    return 0


def _owner_flags(ctx: Context, rows: Sequence[Any]) -> dict[int, bool]:
    """Which listed mentions' complaint flag the owner set by hand (issue 10)."""
    from crisisdesk.services.complaint_learning import owner_flags

    return owner_flags(ctx.db, [m.id for m in rows])


def cmd_analyze(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.analysis import recogniser

    previous = recogniser.active()
    if not args.shipped_model and Path(ctx.db_path()).is_file():
        # judged as the inbox judges: with what the owner's corrections taught the recogniser
        from crisisdesk.services.complaint_learning import install

        install(ctx.db)
    try:
        return _analyze(args)
    finally:
        recogniser.use(previous)


def _analyze(args: argparse.Namespace) -> int:
    from crisisdesk.analysis.sentiment import analyze, explain

    if not args.text and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # a non-UTF-8 file piped in is still scored
    # stdin is read line by line as it comes: 100k lines stream in constant memory
    texts: Iterable[str] = args.text or (line.rstrip("\r\n") for line in sys.stdin)
    for text in texts:
        if not text.strip() and not args.text:
            continue
        result = analyze(text)
        data: dict[str, Any] = {
            # undecodable bytes (argv) print as "?" rather than a traceback
            "text": text.encode("utf-8", "replace").decode("utf-8"),
            "sentiment": result.sentiment,
            "label": result.label,
            "complaint": result.complaint,
            "cues": list(result.cues),
        }
        if args.explain:
            data["reasons"] = explain(text, result.cues) if result.complaint else []
        say(json.dumps(data, ensure_ascii=False), flush=not args.text)  # streams as it goes
    return 0


def register(sub: Any) -> None:
    """Add ``mentions`` and ``analyze`` to the CLI's subparsers."""
    from crisisdesk.store.mentions import SORTS

    p = sub.add_parser("mentions", help="list stored mentions")
    add_json_flag(p)
    p.add_argument("--search", metavar="Q", help='words, "phrases", OR, -exclude')
    p.add_argument("--label", choices=[s.value for s in Sentiment])
    p.add_argument("--complaints", action="store_true", help="complaints only")
    p.add_argument(
        "--status",
        action="append",
        choices=[NEEDS_REPLY, *(s.value for s in Status)],
        help=f"repeatable; {NEEDS_REPLY} = new or open",
    )
    p.add_argument("--source", action="append", metavar="P", help="platform (repeatable)")
    p.add_argument("--since", type=day_arg, metavar="DATE", help="a date, a time, or today")
    p.add_argument("--until", type=day_arg, metavar="DATE", help="a date, a time, or today")
    p.add_argument("--sort", choices=list(SORTS), default="priority")
    p.add_argument("--limit", type=positive_int, default=50, metavar="N")
    p.set_defaults(handler=cmd_mentions)

    p = sub.add_parser("analyze", help="score texts (arguments, or stdin lines)")
    p.add_argument("text", nargs="*", metavar="TEXT")
    p.add_argument(
        "--explain",
        action="store_true",
        help='with each complaint, why, in plain words ("says the order never arrived")',
    )
    p.add_argument(
        "--shipped-model",
        action="store_true",
        help="judge complaints as shipped, without what your corrections in the database taught",
    )
    p.set_defaults(handler=cmd_analyze)
