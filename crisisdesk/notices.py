"""The third-party notices the About dialog shows: bundled components, their licences, and the
data anything shipped was learned from (with its citation).

Kept in ``resources/notices.json``; ``tests/unit/test_notices.py`` checks that every package the
app depends on at run time is listed, so a new dependency cannot ship unmentioned.
"""

from __future__ import annotations

import json
from typing import NamedTuple

from crisisdesk import paths


class Component(NamedTuple):
    name: str
    licence: str
    url: str


class DataNotice(NamedTuple):
    name: str
    use: str
    citation: str


class Notices(NamedTuple):
    about: str
    components: tuple[Component, ...]
    data: tuple[DataNotice, ...]


def load() -> Notices:
    """The shipped notices (``resources/notices.json``)."""
    raw = json.loads((paths.resources_dir() / "notices.json").read_text(encoding="utf-8"))
    return Notices(
        about=raw["about"],
        components=tuple(Component(c["name"], c["licence"], c["url"]) for c in raw["components"]),
        data=tuple(DataNotice(d["name"], d["use"], d["citation"]) for d in raw["data"]),
    )
