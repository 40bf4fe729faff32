"""Typed user settings, declared once: name, type, default.

The GUI stores them through QSettings (the adapter lives in ``crisisdesk.app``, because this
module never imports Qt); tests use :class:`DictStorage`. Reading or writing a name that is not
declared raises :class:`UnknownSettingError` at once, so a typo in a key fails loudly instead of
silently remembering nothing. ``tests/unit/test_settings.py`` also checks that every literal key
used in the code base is declared.

When a stored setting changes meaning or shape, add a step to :data:`UPGRADES` instead of
breaking the owner's saved values: :meth:`Settings.upgrade` runs the steps a settings file has
not seen yet, in order, and records the version it reached in ``settings/version``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

SettingValue = bool | int | str | bytes


class UnknownSettingError(KeyError):
    """A setting name that was never declared (almost always a typo in the code)."""


@dataclass(frozen=True)
class Setting:
    """One declared setting. A name ending in ``/*`` declares a family (``geometry/*``)."""

    name: str
    type: type[SettingValue]
    default: SettingValue
    doc: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.default, self.type) or (
            self.type is int and isinstance(self.default, bool)
        ):
            raise TypeError(f"default of setting {self.name!r} is not a {self.type.__name__}")

    @property
    def is_family(self) -> bool:
        return self.name.endswith("/*")


#: every setting crisisdesk remembers; add new ones here, nowhere else
DECLARED: tuple[Setting, ...] = (
    Setting("window/geometry", bytes, b"", "main window size and position (Qt saveGeometry)"),
    Setting("window/state", bytes, b"", "main window toolbars and docks (Qt saveState)"),
    Setting("window/page", str, "inbox", "navigation page shown last"),
    Setting("inbox/splitter", bytes, b"", "list / detail splitter positions"),
    Setting("inbox/splitter_stacked", bytes, b"", "list above detail: splitter positions"),
    Setting("inbox/header", bytes, b"", "inbox column widths and order (Qt header state)"),
    Setting("inbox/filter", str, "", "last inbox filter, as JSON"),
    Setting("inbox/sort", str, "priority", "last inbox sort order (a store sort key)"),
    Setting("inbox/columns_kept", str, "", "columns shown from the header menu, never hidden"),
    Setting("inbox/single_keys", bool, True, "single-letter triage keys in the list (WCAG 2.1.4)"),
    Setting("import/columns/*", str, "", "import column mapping (JSON) per set of column names"),
    Setting("import/last_folder", str, "", "the folder File → Import opens in (the last one used)"),
    Setting("geometry/*", bytes, b"", "size and position of a dialog, keyed by dialog name"),
    Setting("sync/interval", int, 0, "minutes between automatic syncs; 0 = off (5, 15, 30, 60)"),
    Setting("settings/version", int, 0, "the last upgrade step run on these settings"),
    Setting("business/name", str, "", "the business name: printed plans, replies ({business})"),
    Setting("plan/current", int, 0, "the plan shown last on the Plan page (its id)"),
    Setting("plan/your_name", str, "", "who ticks plan items on this computer"),
    Setting("plan/paper", str, "", "paper size of printed plans: a4 or letter ('' = locale)"),
    Setting("plan/splitter", bytes, b"", "Plan page list / details splitter positions"),
    Setting("plan/header", bytes, b"", "Plan page column widths (Qt header state)"),
    Setting("business/contact", str, "", "the business's own contact, {contact}; never flagged"),
    Setting("business/signature", str, "", "how replies are signed, {signature}"),
    Setting("composer/right_splitter", bytes, b"", "inbox: mention details / composer split"),
    Setting("composer/x_client_id", str, "", "the owner's X app OAuth 2.0 Client ID (public)"),
    Setting("composer/x_port", int, 8723, "loopback port of the X sign-in callback URL"),
    # insight (issue 13): the Charts page and the crisis alerts
    Setting("insight/range", str, "30d", "Charts page range: 7d, 30d, 90d or custom"),
    Setting("insight/custom_from", str, "", "Charts page custom range start, local YYYY-MM-DD"),
    Setting("insight/custom_to", str, "", "Charts page custom range end, local YYYY-MM-DD"),
    Setting("insight/min_score", int, 6, "alert when a rise is this unlikely: 1 in 10^N"),
    Setting("insight/min_count", int, 3, "alert only from this many complaints in a window"),
    Setting("insight/min_ratio_percent", int, 250, "alert only at this % of the usual volume"),
    Setting("insight/tray", bool, True, "announce new crisis alerts in the system tray too"),
)


def _declared_by_name() -> dict[str, Setting]:
    names: dict[str, Setting] = {}
    for setting in DECLARED:
        if setting.name in names:
            raise RuntimeError(f"setting {setting.name!r} is declared twice")
        names[setting.name] = setting
    return names


_BY_NAME = _declared_by_name()


def lookup(name: str) -> Setting:
    """The declaration for *name*; raises :class:`UnknownSettingError` for an undeclared name."""
    found = _BY_NAME.get(name)
    if found is not None and not found.is_family:
        return found
    if "/" in name:
        family = _BY_NAME.get(name.rsplit("/", 1)[0] + "/*")
        if family is not None and not name.endswith("/*"):
            return family
    raise UnknownSettingError(f"setting {name!r} is not declared in crisisdesk.settings")


class SettingsStorage(Protocol):
    """Where values live: QSettings in the app, a dict in tests."""

    def value(self, key: str) -> object | None:
        """The stored value, or ``None`` when nothing is stored under *key*."""

    def set_value(self, key: str, value: SettingValue) -> None: ...

    def remove(self, key: str) -> None: ...

    def sync(self) -> None:
        """Flush to disk where the backend buffers."""


class DictStorage:
    """In-memory storage for tests and for running without a writable config dir."""

    def __init__(self, data: dict[str, object] | None = None) -> None:
        self.data: dict[str, object] = dict(data or {})

    def value(self, key: str) -> object | None:
        return self.data.get(key)

    def set_value(self, key: str, value: SettingValue) -> None:
        self.data[key] = value

    def remove(self, key: str) -> None:
        self.data.pop(key, None)

    def sync(self) -> None:
        return None


def _coerce(setting: Setting, raw: object) -> SettingValue:
    """Stored value → declared type. QSettings ini files hand back strings for everything."""
    kind = setting.type
    if kind is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in {"true", "false", "1", "0"}:
            return raw.lower() in {"true", "1"}
        if isinstance(raw, int):
            return bool(raw)
    elif kind is int:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            return int(raw.strip())
    elif kind is str and isinstance(raw, str):
        return raw
    elif kind is bytes and isinstance(raw, bytes | bytearray | memoryview):
        return bytes(raw)
    raise ValueError(f"{raw!r} is not a {kind.__name__}")


class Settings:
    """Typed access to declared settings over a :class:`SettingsStorage`."""

    def __init__(self, storage: SettingsStorage) -> None:
        self.storage = storage

    def get(self, name: str) -> Any:
        """The stored value of *name* in its declared type, or the default.

        A stored value that cannot be read as the declared type (edited by hand, written by an
        older version) is ignored with a log line: the default is better than a crash.
        """
        setting = lookup(name)
        raw = self.storage.value(name)
        if raw is None:
            return setting.default
        try:
            return _coerce(setting, raw)
        except ValueError:
            log.warning("ignoring unreadable stored value for setting %s", name)
            return setting.default

    def set(self, name: str, value: SettingValue) -> None:
        """Store *value*; a value of the wrong type is a bug and raises ``TypeError``."""
        setting = lookup(name)
        if not isinstance(value, setting.type) or (setting.type is int and isinstance(value, bool)):
            raise TypeError(f"setting {name!r} takes a {setting.type.__name__}, not {value!r}")
        self.storage.set_value(name, value)

    def reset(self, name: str) -> None:
        lookup(name)
        self.storage.remove(name)

    def sync(self) -> None:
        self.storage.sync()

    def __iter__(self) -> Iterator[Setting]:
        return iter(DECLARED)

    def upgrade(self) -> list[int]:
        """Run the :data:`UPGRADES` steps these settings have not had yet; returns their
        versions. Settings from a newer crisisdesk are left as they are."""
        done = self.get("settings/version")
        ran: list[int] = []
        for step in UPGRADES:
            if step.version <= done:
                continue
            log.info("upgrading settings to version %d: %s", step.version, step.why)
            step.run(self)
            self.set("settings/version", step.version)
            ran.append(step.version)
        return ran


# --- upgrades -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    """One step: settings older than *version* are changed by *run*."""

    version: int
    why: str
    run: Callable[[Settings], None]


def _filter_sentiment_key(settings: Settings) -> None:
    """The remembered inbox filter said "label" for the sentiment; it now says "sentiment"."""
    text = settings.get("inbox/filter")
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return  # unreadable: the inbox falls back to the default filter anyway
    if isinstance(data, dict) and "label" in data:
        data.setdefault("sentiment", data.pop("label"))
        settings.set("inbox/filter", json.dumps(data, sort_keys=True))


#: in version order; the last one is the version new settings are written at
UPGRADES: tuple[Upgrade, ...] = (
    Upgrade(1, "the inbox filter's sentiment key", _filter_sentiment_key),
)
