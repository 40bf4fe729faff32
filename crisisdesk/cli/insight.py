"""``crisisdesk spikes`` (crisis alerts found in the stored mentions) and ``crisisdesk report``
(a post-crisis report as PDF)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from crisisdesk.cli.common import Context, add_json_flag, date_arg, say
from crisisdesk.errors import CrisisdeskError


def _utc(value: str | None) -> datetime | None:
    from crisisdesk.timeutil import parse_iso

    return parse_iso(value) if value else None


def cmd_spikes(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.services import insight

    found = insight.find_spikes(ctx.db, since=_utc(args.since))
    for spike in found:
        if args.json:
            say(json.dumps(insight.spike_detail(spike)))
            continue
        ids = ", ".join(f"#{i}" for i in spike.mention_ids[:8])
        more = len(spike.mention_ids) - 8
        say(f"{spike.metric.heading}: {insight.spike_summary(spike)}")
        say(
            f"    score {spike.score:g}; driven by {ids}"
            + (f" and {more} more" if more > 0 else "")
        )
    if not found and not args.json:
        say("No spikes: nothing rose faster than usual.", err=True)
    return 0


def cmd_report(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.export.report import write_report
    from crisisdesk.services import insight

    since, until = _utc(args.since), _utc(args.until)
    assert since is not None and until is not None  # required options
    if until <= since:
        raise CrisisdeskError(
            "The report's end is not after its start.",
            hint="Give --until a later date than --since.",
        )
    output = Path(args.output)
    if output.suffix.lower() != ".pdf":
        raise CrisisdeskError(
            f"'{output.name}' is not a PDF file name.", hint="Name the report file *.pdf."
        )
    data = insight.report_data(ctx.db, since, until)
    write_report(data, output)
    say(f"Wrote the post-crisis report to {output}")
    return 0


def register(sub: Any) -> None:
    """Add ``spikes`` and ``report`` to the CLI's subparsers."""
    p = sub.add_parser(
        "spikes", help="list crisis alerts: rises in complaints, negativity or engagement"
    )
    add_json_flag(p)
    p.add_argument(
        "--since",
        type=date_arg,
        metavar="DATE",
        help="alerts ending after DATE (default: the last 90 days)",
    )
    p.set_defaults(handler=cmd_spikes)

    p = sub.add_parser("report", help="write a post-crisis report (PDF)")
    p.add_argument(
        "--since", type=date_arg, metavar="DATE", required=True, help="when the incident started"
    )
    p.add_argument("--until", type=date_arg, metavar="DATE", required=True, help="when it was over")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the PDF to write")
    p.set_defaults(handler=cmd_report)
