"""``crisisdesk accounts ...`` and ``crisisdesk sync`` subcommands.

The token is read from a hidden prompt (or stdin when piped), stored in the OS keyring first,
and the account row is written only if that worked. Exit codes: 0 done, 1 some account failed
(sync) or the platform refused the credential (test), 2 a user error (the message says why).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from crisisdesk import secrets
from crisisdesk.cli.common import NO_ACCOUNTS_TEXT, Context, Handler, add_json_flag, say
from crisisdesk.errors import CrisisdeskError, OfflineError, SourceError
from crisisdesk.services import accounts as account_setup
from crisisdesk.sources.platforms.registry import PLATFORMS, PlatformInfo
from crisisdesk.store import accounts

OFFLINE_ADVICE = (
    "You seem to be offline: no account could be reached. "
    "crisisdesk still works on the mentions it has stored; sync again when you are back online."
)


def _read_secret_values(info: PlatformInfo) -> dict[str, str]:
    """Hidden prompts on a terminal; otherwise one line of stdin per value, in order."""
    fields = info.secret_fields
    if sys.stdin is not None and sys.stdin.isatty():
        return {f.key: getpass.getpass(f"{f.prompt} (hidden): ") for f in fields}
    if sys.stdin is None:
        lines: list[str] = []
    else:  # bytes: a UTF-16 or non-UTF-8 token file gets its own message, not a traceback
        data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read()
        if isinstance(data, bytes):
            data = secrets.decode_input(data, "value given on standard input")
        lines = data.splitlines()
    return account_setup.secret_values_from_lines(info, lines)


def cmd_accounts_add(args: argparse.Namespace, ctx: Context) -> int:
    draft = account_setup.prepare(
        args.platform,
        args.name,
        base_url=args.base_url,
        handle=args.handle,
        queries=args.query or (),
        hashtags=args.hashtag or (),
        subreddit=args.subreddit,
        page_id=args.page_id,
    )
    info = draft.info
    if info.secret_fields:
        secrets.require_keyring()  # before asking for the token or touching the database
    db = ctx.db
    account_setup.ensure_new(db, draft.name)
    values = _read_secret_values(info) if info.secret_fields else {}
    account = account_setup.add_account(db, draft, values)
    where = account.handle or account.base_url or ""
    say(f"Added {info.label} account '{account.name}' {where}".rstrip() + ".")
    if info.secret_fields:
        say("Its credential is in your system keyring. Check it with:")
        say(f"  crisisdesk accounts test {account.name}")
    return 0


def cmd_accounts_list(args: argparse.Namespace, ctx: Context) -> int:
    rows = accounts.list_all(ctx.db)
    if args.json:
        for a in rows:
            say(
                json.dumps(
                    {
                        "name": a.name,
                        "platform": a.platform,
                        "base_url": a.base_url,
                        "handle": a.handle,
                        "options": a.options,
                        "last_sync_at": a.last_sync_at,
                        "last_error": a.last_error,
                    },
                    ensure_ascii=False,
                )
            )
        return 0
    if not rows:
        say(NO_ACCOUNTS_TEXT, err=True)
        return 0
    for a in rows:
        where = a.handle or a.base_url or ""
        synced = f"last sync {a.last_sync_at}" if a.last_sync_at else "never synced"
        say(f"{a.name:<20} {a.platform:<9} {where:<32} {synced}")
        if a.last_error:
            say(f"{'':<20} last error: {' '.join(a.last_error.split())}")
    return 0


def _confirm(question: str) -> bool:
    if sys.stdin is None or not sys.stdin.isatty():
        raise CrisisdeskError(
            "crisisdesk needs your confirmation, but cannot ask here.",
            hint="Add --yes to confirm.",
        )
    answer = input(f"{question} [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def cmd_accounts_remove(args: argparse.Namespace, ctx: Context) -> int:
    db = ctx.db
    account = accounts.get(db, args.name)
    if not args.yes and not _confirm(
        f"Remove the {account.platform} account '{account.name}' and its stored credential?"
        " Its mentions stay."
    ):
        say("Nothing removed.")
        return 0
    removal = account_setup.remove_account(db, account.name)
    say(f"Removed account '{account.name}'. Its mentions are still in the inbox.")
    if removal.keyring_warning:
        say(
            "warning: the credential could not be removed from the system keyring: "
            f"{removal.keyring_warning}",
            err=True,
        )
    return 0


def cmd_accounts_test(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.services.sync import check_account

    db = ctx.db
    account = accounts.get(db, args.name)
    try:
        who = check_account(db, account.name, client_factory=ctx.clients())
    except OfflineError:
        say(f"{account.name}: {OFFLINE_ADVICE}", err=True)
        return 1
    except SourceError as exc:
        say(f"{account.name}: the check failed. {exc.user_text()}", err=True)
        return 1
    say(f"{account.name}: OK, signed in as {who}.")
    return 0


def cmd_sync(args: argparse.Namespace, ctx: Context) -> int:
    from crisisdesk.services.sync import sync_accounts

    db = ctx.db
    if not args.names and not accounts.list_all(db):
        say(NO_ACCOUNTS_TEXT, err=True)
        return 0
    results = sync_accounts(db, args.names or None, client_factory=ctx.clients())
    for r in results:
        if r.error is None:
            say(f"{r.name} ({r.platform}): {r.new} new, {r.updated} updated")
            for note in (*r.notes, r.warning):
                if note:
                    say(f"{r.name} ({r.platform}): {note}", err=True)
        elif r.offline:
            say(f"{r.name} ({r.platform}): offline", err=True)
        else:
            say(f"{r.name} ({r.platform}): failed. {r.error}", err=True)
    if results and all(r.offline for r in results):
        say(OFFLINE_ADVICE, err=True)
    return 1 if any(r.error for r in results) else 0


def _on_one_account(
    sub: Any, action: str, help_text: str, handler: Handler
) -> argparse.ArgumentParser:
    """An ``accounts ACTION NAME`` subcommand."""
    p: argparse.ArgumentParser = sub.add_parser(action, help=help_text)
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=handler)
    return p


def register(sub: Any) -> None:
    """Add ``accounts ...`` and ``sync`` to the CLI's subparsers."""
    acc = sub.add_parser("accounts", help="connect platform accounts (tokens go to the keyring)")
    asub = acc.add_subparsers(dest="accounts_command", metavar="ACTION", required=True)

    p = asub.add_parser(
        "add",
        help="add an account; the token is read from a hidden prompt or stdin",
        description="Add a platform account. The token or password is asked for with a hidden "
        "prompt (or read from standard input, one value per line) and kept only in the "
        "system keyring.",
    )
    p.add_argument("platform", metavar="PLATFORM", help="one of: " + ", ".join(PLATFORMS))
    p.add_argument("--name", required=True, help="a short name for this account")
    p.add_argument("--base-url", metavar="URL", help="server or feed address")
    p.add_argument("--handle", metavar="H", help="your handle / username on the platform")
    p.add_argument("--query", action="append", metavar="TERM", help="search term (repeatable)")
    p.add_argument("--hashtag", action="append", metavar="TAG", help="hashtag (repeatable)")
    p.add_argument("--subreddit", metavar="NAME", help="Reddit: search only this subreddit")
    p.add_argument("--page-id", metavar="ID", help="Facebook: the Page id")
    p.set_defaults(handler=cmd_accounts_add)

    p = asub.add_parser("list", help="list accounts and their last sync")
    add_json_flag(p)
    p.set_defaults(handler=cmd_accounts_list)

    p = _on_one_account(
        asub, "remove", "remove an account and its credential (mentions stay)", cmd_accounts_remove
    )
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    _on_one_account(
        asub, "test", "check an account's credential against the platform", cmd_accounts_test
    )

    p = sub.add_parser("sync", help="fetch new mentions from connected accounts")
    p.add_argument("names", nargs="*", metavar="NAME", help="accounts to sync (default: all)")
    p.set_defaults(handler=cmd_sync)
