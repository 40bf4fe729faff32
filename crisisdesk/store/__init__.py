"""SQLite storage. No Qt here. Functions take a ``sqlite_utils.Database``."""

from crisisdesk.store.db import open_database

__all__ = ["open_database"]
