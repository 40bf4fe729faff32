"""People mentions were assigned to, for the "Assign to" suggestions.

Every assignment goes through ``mentions.set_assignee``, which writes an audit event, so the
audit log is the complete list of names ever used.
"""

from __future__ import annotations

import sqlite_utils


def recent(db: sqlite_utils.Database, limit: int = 50) -> list[str]:
    """Names used in assignments, most recently used first."""
    rows = db.execute(
        "SELECT new FROM events WHERE entity = 'mention' AND action = 'assign'"
        " AND new IS NOT NULL AND new != '' GROUP BY new ORDER BY max(id) DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [str(r[0]) for r in rows]
