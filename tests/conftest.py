"""Shared fixtures: Qt offscreen, an in-memory keyring backend, SQLite as a real file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("CRISISDESK_DB", None)

_GUI_FIXTURES = {"qtbot", "qapp", "qtmodeltester"}

# the loopback platform server fixture (`platform_server`) for connector tests
pytest_plugins = ["tests.helpers.platform_server"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches Qt as ``gui`` so ``-m 'not gui'`` runs pure logic alone."""
    for item in items:
        if _GUI_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crisisdesk.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[object]:
    from crisisdesk.store import open_database

    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def memory_keyring() -> Iterator[object]:
    """Install the in-memory keyring backend for the test, restore the previous one after."""
    import keyring

    from tests.helpers.keyring_backend import MemoryKeyring

    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the developer's real data/config dirs or QSettings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
