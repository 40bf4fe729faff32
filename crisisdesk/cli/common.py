"""What every command group shares: the run context (database, HTTP clients), the option
helpers and types, and how internet text is printed.

Nothing here touches the database or the network on import: the commands that need them
open them through :class:`Context` when they run.
"""

from __future__ import annotations

import argparse
import re
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


def positive_int(value: str) -> int:
    """A whole number of 1 or more (argparse type)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number of 1 or more")
    return number


# --- printing ----------------------------------------------------------------------------------

# terminal controls (escape sequences) and bidi overrides that could disguise what is shown
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """One line without control characters: internet text must not drive the terminal."""
    return " ".join(_CONTROLS.sub(" ", text).split())
