"""``crisisdesk import FILE...``: mentions from CSV, JSON or NDJSON files.

Exit codes: 0 every file fully imported, 1 some rows or files skipped, 2 no file imported.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from crisisdesk.cli.common import Context, say
from crisisdesk.errors import CrisisdeskError


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.services.importing import import_file

    db = ctx.db
    failed = partial = 0
    for name in args.files:
        try:
            report = import_file(db, Path(name), source_default=args.source)
        except CrisisdeskError as exc:
            failed += 1
            say(f"{name}: {exc.user_text()}", err=True)
            continue
        say(report.summary_text())
        for warning in report.warnings:
            say(f"  warning: {warning}")
        for problem in report.problems:
            say(f"  line {problem.line}: {problem.reason}")
        if report.skipped:
            partial += 1
    if failed == len(args.files):
        return 2
    return 1 if (failed or partial) else 0


def register(sub: Any) -> None:
    """Add ``import`` to the CLI's subparsers."""
    p = sub.add_parser("import", help="import mentions from CSV, JSON or NDJSON files")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "--source",
        default="import",
        help="platform name for rows that do not say (default: import)",
    )
    p.set_defaults(handler=cmd_import)
