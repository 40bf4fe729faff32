"""Several connections in one process (the GUI's and its background tasks') must keep SQLite's
file locks: if any code closes its own handle on the database file, POSIX drops *all* of the
process's locks on it, another process then believes it is the last user, deletes the WAL on
close, and later writes of this process vanish. Seen for real; this test keeps it gone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crisisdesk.store import open_database
from tests.helpers.builders import insert_mentions, mention_row

COUNT_SQL = "SELECT count(*) FROM mentions"


def _count_from_another_process(path: Path) -> int:
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        f"print(c.execute({COUNT_SQL!r}).fetchone()[0])\n"
        "c.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


def test_a_second_connection_keeps_the_first_ones_writes_safe(db_path: Path) -> None:
    gui = open_database(db_path)
    insert_mentions(gui, [mention_row()])
    task = open_database(db_path)  # what every background task does
    task.close()

    assert _count_from_another_process(db_path) == 1
    assert db_path.with_name(db_path.name + "-wal").exists()  # not deleted under our feet

    insert_mentions(gui, [mention_row()])  # a later write of the GUI connection
    assert _count_from_another_process(db_path) == 2
    gui.close()
