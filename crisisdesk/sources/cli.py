"""``crisisdesk accounts ...`` and ``crisisdesk sync`` subcommands (filled by the connectors work)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def register(sub: Any, open_db: Callable[[argparse.Namespace], Any]) -> None:
    """Add the accounts/sync subcommands to the CLI's subparsers."""
