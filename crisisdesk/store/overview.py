"""Instant questions about the database as a whole (answered from an index, never a scan)."""

from __future__ import annotations

import sqlite_utils


def is_empty(db: sqlite_utils.Database) -> bool:
    """True when no mention is stored yet (the app then offers the demo and import)."""
    return db.execute("SELECT 1 FROM mentions LIMIT 1").fetchone() is None
