"""``crisisdesk demo``: add a generated demo dataset (a small bakery's bad week)."""

from __future__ import annotations

import argparse
from typing import Any

from crisisdesk.cli.common import Context, say


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.demo import load_demo

    report = load_demo(ctx.db, count=args.count, seed=args.seed)
    say(report.summary_text())
    return 0


def register(sub: Any) -> None:
    """Add ``demo`` to the CLI's subparsers."""
    p = sub.add_parser("demo", help="add a generated demo dataset for a small bakery")
    p.add_argument("--count", type=int, default=3000, metavar="N")
    p.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_demo)
