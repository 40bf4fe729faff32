"""Command line: ``crisisdesk [--db PATH] SUBCOMMAND``. No subcommand starts the GUI.

User errors print one clear message on stderr and exit 2; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from crisisdesk import __version__, paths
from crisisdesk.errors import CrisisdeskError

Handler = Callable[[argparse.Namespace], int]


def _db(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from crisisdesk.store import open_database

    return open_database(paths.database_path(args.db))


def _date(value: str) -> str:
    from crisisdesk.timeutil import normalise

    try:
        return normalise(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of 1 or more")
    return number


# terminal controls (escape sequences) and bidi overrides that could disguise what is shown
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _printable(text: str) -> str:
    """One line without control characters: internet text must not drive the terminal."""
    return " ".join(_CONTROLS.sub(" ", text).split())


# --- import -------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from crisisdesk.services.importing import import_file

    db = _db(args)
    out: TextIO = sys.stdout
    failed = partial = 0
    for name in args.files:
        try:
            report = import_file(db, Path(name), source_default=args.source)
        except CrisisdeskError as exc:
            failed += 1
            print(f"{name}: {exc.user_text()}", file=sys.stderr)
            continue
        print(report.summary_text(), file=out)
        for warning in report.warnings:
            print(f"  warning: {warning}", file=out)
        for problem in report.problems:
            print(f"  line {problem.line}: {problem.reason}", file=out)
        if report.skipped:
            partial += 1
    if failed == len(args.files):
        return 2
    return 1 if (failed or partial) else 0


# --- mentions -----------------------------------------------------------------------------


def cmd_mentions(args: argparse.Namespace) -> int:
    from crisisdesk.store import mentions

    db = _db(args)
    flt = mentions.MentionFilter(
        search=args.search or "",
        label=args.label,
        complaints_only=args.complaints,
        statuses=tuple(args.status or ()),
        sources=tuple(args.source or ()),
        since=args.since,
        until=args.until,
    )
    rows = mentions.query(db, flt, sort=args.sort, limit=args.limit)
    for m in rows:
        if args.json:
            data = m.to_json()
            print(json.dumps(data, ensure_ascii=False))
        else:
            flag = "!" if m.complaint else " "
            text = _printable(m.text)
            if len(text) > 80:
                text = text[:79] + "…"
            print(
                f"{m.id:>7} {m.priority:>3}{flag} {m.label[:3]} {m.status:<8} "
                f"{m.created_at[:16]} {m.source:<9} @{_printable(m.author_handle)[:18]:<18} {text}"
            )
    if not args.json and not rows:
        print("No mentions match.", file=sys.stderr)
    return 0


# --- analyze ------------------------------------------------------------------------------


def cmd_analyze(args: argparse.Namespace) -> int:
    from crisisdesk.analysis.sentiment import analyze

    if not args.text and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # a non-UTF-8 file piped in is still scored
    texts: Sequence[str] = args.text or [line.rstrip("\r\n") for line in sys.stdin]
    for text in texts:
        if not text.strip() and not args.text:
            continue
        result = analyze(text)
        print(
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


# --- demo ---------------------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from crisisdesk.demo import load_demo

    db = _db(args)
    report = load_demo(db, count=args.count, seed=args.seed)
    print(report.summary_text())
    return 0


# --- parser -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crisisdesk",
        description="Notice a social-media backlash early, answer well, follow a plan. "
        "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"crisisdesk {__version__}")
    parser.add_argument(
        "--db",
        metavar="PATH",
        help=f"database file (default: ${paths.DB_ENV} or {paths.database_path(None)})",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import mentions from CSV, JSON or NDJSON files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "--source",
        default="import",
        help="platform name for rows that do not say (default: import)",
    )
    p.set_defaults(handler=cmd_import)

    from crisisdesk.store.mentions import LABELS, SORTS
    from crisisdesk.store.migrations import MENTION_STATUSES

    p = sub.add_parser("mentions", help="list stored mentions")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--search", metavar="Q", help='words, "phrases", OR, -exclude')
    p.add_argument("--label", choices=LABELS)
    p.add_argument("--complaints", action="store_true", help="complaints only")
    p.add_argument("--status", action="append", choices=MENTION_STATUSES)
    p.add_argument("--source", action="append", metavar="P", help="platform (repeatable)")
    p.add_argument("--since", type=_date, metavar="DATE")
    p.add_argument("--until", type=_date, metavar="DATE")
    p.add_argument("--sort", choices=list(SORTS), default="priority")
    p.add_argument("--limit", type=_positive, default=50, metavar="N")
    p.set_defaults(handler=cmd_mentions)

    p = sub.add_parser("analyze", help="score texts (arguments, or stdin lines)")
    p.add_argument("text", nargs="*", metavar="TEXT")
    p.set_defaults(handler=cmd_analyze)

    p = sub.add_parser("demo", help="add a generated demo dataset for a small bakery")
    p.add_argument("--count", type=int, default=3000, metavar="N")
    p.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_demo)

    from crisisdesk.cli.accounts import register as register_sources  # accounts, sync

    register_sources(sub, _db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # a frozen app (PyInstaller) re-runs its executable for import scoring workers: this runs
    # the worker and exits there; elsewhere it does nothing
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    try:
        if handler is None:
            from crisisdesk.app import run_gui

            return int(run_gui(paths.database_path(args.db)))
        return handler(args)
    except CrisisdeskError as exc:
        print(f"crisisdesk: {exc.user_text()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("crisisdesk: interrupted", file=sys.stderr)
        return 130
