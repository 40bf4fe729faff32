"""Where crisisdesk keeps its files. The one place that decides paths.

The database defaults to the per-user data directory; ``--db PATH`` or the ``CRISISDESK_DB``
environment variable override it (tests and portable installs use that).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from crisisdesk import APP_NAME

DB_ENV = "CRISISDESK_DB"
DB_FILENAME = "crisisdesk.sqlite3"


def data_dir() -> Path:
    """Per-user data directory (created on demand by callers that write)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def database_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The database to use: explicit override, then ``$CRISISDESK_DB``, then the data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def resources_dir() -> Path:
    """Shipped resources: inside the package so wheels, editable installs and PyInstaller agree."""
    return Path(__file__).resolve().parent / "resources"
