"""``crisisdesk plan list | export | import``: crisis plans without the window.

``plan export --format pdf`` paints the PDF with QtGui like the app's print does; without a
display (a server, a terminal over SSH) it uses Qt's offscreen platform by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from crisisdesk.cli.common import Context, add_json_flag, printable, say
from crisisdesk.errors import CrisisdeskError

FORMATS = ("pdf", "html", "md", "json")
_QT_APP: Any = None  # the QGuiApplication a PDF export made (fonts need one)


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def ensure_qt_gui() -> None:
    """A QGuiApplication for painting text; offscreen when there is no display."""
    global _QT_APP
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    if not _has_display():
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _QT_APP = QGuiApplication(["crisisdesk"])


def business_name(option: str | None) -> str:
    """The business's name: ``--business``, else the app's setting ``business/name``.

    At merge this should read the shared business settings of the tone/composer work.
    """
    if option is not None:
        return option.strip()
    from crisisdesk import paths
    from crisisdesk.app import SETTINGS_FILE, ini_settings

    path = paths.config_dir() / SETTINGS_FILE
    if not path.exists():
        return ""
    return str(ini_settings(path).get("business/name"))


def _choose(ctx: Context, name: str | None) -> tuple[Any, Any]:
    """(plan or None, PlanDoc): the named plan, else the active one, else the first one, else
    the shipped default plan (not stored)."""
    from crisisdesk.export import plan_json
    from crisisdesk.store import plans

    if name is not None:
        plan = plans.find_plan(ctx.db, name)
        if plan is None:
            known = ", ".join(f'"{p.name}"' for p in plans.list_plans(ctx.db)) or "none yet"
            raise CrisisdeskError(
                f'There is no plan called "{printable(name)}".', hint=f"Plans: {known}."
            )
    else:
        all_plans = plans.list_plans(ctx.db)
        plan = plans.active_plan(ctx.db) or (all_plans[0] if all_plans else None)
    if plan is None:
        return None, plan_json.default_plan()
    return plan, plans.document(ctx.db, plan.id)


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.store import plan_views, plans

    found = plans.list_plans(ctx.db)
    if not found and not args.json:
        say("No plans yet. The app's Plan page starts you with a default plan, or import one:")
        say("  crisisdesk plan import FILE.json")
        return 0
    for plan in found:
        progress = plan_views.plan_progress(ctx.db, plan.id)
        assert progress is not None
        if args.json:
            row = {
                "name": plan.name,
                "active": plan.active,
                "activated_at": plan.activated_at,
                "done": progress.done,
                "total": progress.total,
                "updated_at": plan.updated_at,
            }
            say(json.dumps(row, ensure_ascii=False))
        else:
            mark = "* " if plan.active else "  "
            state = "  (active)" if plan.active else ""
            say(f"{mark}{printable(plan.name)}  {progress.text()}{state}")
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.export import plan_json
    from crisisdesk.export.plan_words import Paper, TitleBlock

    plan, doc = _choose(ctx, args.plan)
    output = Path(args.output)
    if args.format == "json":
        plan_json.write_file(doc, output)
        say(f'Saved "{printable(doc.name)}" to {output}.')
        return 0
    active_since = None
    if plan is not None and plan.activated_at:
        active_since = datetime.fromisoformat(plan.activated_at.replace("Z", "+00:00")).astimezone()
    title = TitleBlock(business_name(args.business), datetime.now().astimezone(), active_since)
    if args.format == "pdf":
        ensure_qt_gui()
        from crisisdesk.export import plan_pdf

        pages = plan_pdf.write_pdf(doc, output, title, Paper(args.paper))
        say(f'Saved "{printable(doc.name)}" to {output} ({pages} pages, {args.paper.upper()}).')
        return 0
    from crisisdesk.export import plan_text

    text = (plan_text.to_html if args.format == "html" else plan_text.to_markdown)(doc, title)
    plan_json.write_text(output, text)
    say(f'Saved "{printable(doc.name)}" to {output}.')
    return 0


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.export import plan_json
    from crisisdesk.store import plans

    plan_id = plan_json.import_file(ctx.db, Path(args.file))
    plan = plans.get_plan(ctx.db, plan_id)
    assert plan is not None
    count = len(plans.items(ctx.db, plan_id))
    say(f'Imported the plan "{printable(plan.name)}" ({count} rows).')
    return 0


def register(sub: Any) -> None:
    """Add ``plan list/export/import`` to the CLI's subparsers."""
    p = sub.add_parser(
        "plan", help="crisis plans: list, export (PDF, HTML, Markdown, JSON), import"
    )
    plan_sub = p.add_subparsers(dest="plan_command", metavar="ACTION", required=True)

    ls = plan_sub.add_parser("list", help="the plans, which one is active, how far along")
    add_json_flag(ls)
    ls.set_defaults(handler=cmd_list)

    ex = plan_sub.add_parser("export", help="save a plan as PDF, HTML, Markdown or JSON")
    ex.add_argument("--plan", metavar="NAME", help="which plan (default: the active one)")
    ex.add_argument("--format", choices=FORMATS, required=True)
    ex.add_argument("-o", "--output", metavar="FILE", required=True)
    ex.add_argument("--paper", choices=("a4", "letter"), default="a4", help="PDF paper size")
    ex.add_argument(
        "--business", metavar="NAME", help="name in the title block (default: the app's setting)"
    )
    ex.set_defaults(handler=cmd_export)

    im = plan_sub.add_parser("import", help="add a plan from a JSON file exported before")
    im.add_argument("file", metavar="FILE.json")
    im.set_defaults(handler=cmd_import)
