"""Command line: ``crisisdesk [--db PATH] COMMAND``. No command starts the GUI.

One module per command group, each adding its subcommands with ``register(sub)``:
``importing`` (import), ``mentions`` (mentions, analyze), ``demo`` (demo), ``accounts``
(accounts ..., sync), ``plan`` (plan list/export/import) and ``tone`` (tone). They
parse arguments, prompt and print; what they do lives in ``crisisdesk.services``
(changes), the store's queries (listings), ``crisisdesk.export`` (plan files and
documents) and ``crisisdesk.analysis`` (the tone check).

User errors print one clear message on stderr and exit 2; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sqlite3
import sys
from collections.abc import Sequence

from crisisdesk import __version__, paths
from crisisdesk.cli import accounts, demo, importing, insight, mentions, plan, tone
from crisisdesk.cli.common import ClientFactory, Context, Handler, discard_stdout, say
from crisisdesk.errors import CrisisdeskError

__all__ = ["build_parser", "main"]


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
    for group in (importing, mentions, demo, accounts, plan, tone, insight):  # `--help` order
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, client_factory: ClientFactory | None = None) -> int:
    """Run the command in *argv* (default: the process arguments); returns the exit code.

    *client_factory* builds the HTTP clients of platform requests (default: the real one).
    """
    # a frozen app (PyInstaller) re-runs its executable for import scoring workers: this runs
    # the worker and exits there; elsewhere it does nothing
    multiprocessing.freeze_support()
    parser = build_parser()
    args = parser.parse_args(mentions.glue_dash_values(sys.argv[1:] if argv is None else argv))
    handler: Handler | None = getattr(args, "handler", None)
    ctx = Context(args.db, client_factory)
    try:
        if handler is None:
            from crisisdesk.app import run_gui

            return int(run_gui(paths.database_path(args.db)))
        code = handler(args, ctx)
        _flush_stdout()
        return code
    except CrisisdeskError as exc:
        _error(exc)
        return 2
    except sqlite3.DatabaseError as exc:
        from crisisdesk.store.db import explain_error

        known = explain_error(exc, ctx.db_path())
        if known is None:
            raise
        _error(known)
        return 2
    except BrokenPipeError:  # a write to stdout outside say() (a library's print)
        discard_stdout()
        return 0
    except KeyboardInterrupt:
        say("crisisdesk: interrupted", err=True)
        return 130
    finally:
        ctx.close()


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        discard_stdout()


def _error(exc: CrisisdeskError) -> None:
    text = exc.user_text()
    # "crisisdesk could not understand..." after the "crisisdesk: " prefix names it only once
    if text.startswith("crisisdesk "):
        text = text[len("crisisdesk ") :]
    say(f"crisisdesk: {text}", err=True)
