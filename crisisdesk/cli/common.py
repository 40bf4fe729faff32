"""What every command group shares: the run context (database, HTTP clients), the option
helpers and types, and how internet text is printed.

Nothing here touches the database or the network on import: the commands that need them
open them through :class:`Context` when they run.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from crisisdesk import paths

if TYPE_CHECKING:
    import sqlite_utils

#: builds an HTTP client for a connector (crisisdesk.sources.platforms.http.make_client)
ClientFactory = Callable[..., Any]

NO_ACCOUNTS_TEXT = "No accounts yet. Add one with: crisisdesk accounts add PLATFORM --name NAME"


@dataclass
class Context:
    """What a command runs with: the database named by ``--db`` (opened on first use and closed
    by :func:`crisisdesk.cli.main`) and the HTTP client factory for platform requests."""

    db_option: str | None = None
    client_factory: ClientFactory | None = None
    _db: sqlite_utils.Database | None = field(default=None, init=False, repr=False)

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            from crisisdesk.store import open_database

            self._db = open_database(paths.database_path(self.db_option))
        return self._db

    def db_path(self) -> str:
        """The database file named by ``--db`` (or the default), for messages."""
        return str(paths.database_path(self.db_option))

    def clients(self) -> ClientFactory:
        """The client factory given to main, or the real one."""
        if self.client_factory is not None:
            return self.client_factory
        from crisisdesk.sources.platforms.http import make_client

        return make_client

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


#: a command: parsed arguments and the run context in, exit code out
Handler = Callable[[argparse.Namespace, Context], int]


# --- option helpers: the same option means the same thing in every command ------------------


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per line")


def date_arg(value: str) -> str:
    """A date or time the user typed, as UTC ISO 8601 (argparse type)."""
    from crisisdesk.timeutil import normalise

    try:
        return normalise(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


#: the largest count an option takes: SQLite's LIMIT is a signed 64-bit number, and any larger
#: number means "all of them" to a person
MAX_COUNT = 2**63 - 1


def positive_int(value: str) -> int:
    """A whole number of 1 or more (argparse type); a huge one means "all" (capped)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{safe_text(value)}' is not a whole number of 1 or more")
    return min(number, MAX_COUNT)


# --- printing ----------------------------------------------------------------------------------

# terminal controls (escape sequences) and bidi overrides that could disguise what is shown
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# the same, but line breaks and tabs are kept (multi-line messages stay readable)
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """One line without control characters: internet text must not drive the terminal."""
    return " ".join(_CONTROLS.sub(" ", text).split())


def safe_text(text: str) -> str:
    """*text* with every terminal control (ESC, OSC, C1, bidi overrides...) shown escaped as
    ``\\u001b``; line breaks and tabs stay. The escape is also valid inside a JSON string."""
    if text.isascii() and text.isprintable():
        return text  # the usual case, fast
    text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say(text: str = "", *, err: bool = False, flush: bool = False) -> None:
    """Print one line on stdout (or stderr): the one way the CLI prints. Everything that came
    from outside (files, servers, the database) is made terminal-safe with :func:`safe_text`.

    When the reader of stdout went away (``crisisdesk mentions | head``) the rest of the
    output is dropped and the command finishes its work: stdout is pointed at the null device.
    """
    stream = sys.stderr if err else sys.stdout
    try:
        print(safe_text(text), file=stream, flush=flush)
    except BrokenPipeError:
        discard_stdout()


def discard_stdout() -> None:
    """After a broken pipe: send what is still printed (and the final flush) to the void."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test's capture)
        pass
    finally:
        os.close(devnull)
