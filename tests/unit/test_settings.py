"""Typed settings: declared once, typos fail loudly, stored values are read back safely."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import crisisdesk
from crisisdesk import settings as settings_mod
from crisisdesk.settings import DECLARED, DictStorage, Setting, Settings, UnknownSettingError

PACKAGE = Path(crisisdesk.__file__).parent
ACCESSORS = {"get", "set", "reset"}


def _settings_keys_used(package: Path = PACKAGE) -> list[tuple[str, int, str, bool]]:
    """(file, line, key, is_prefix) for every settings.get/set/reset call in the package.

    A receiver counts when its name ends in "settings" (``settings``, ``self._settings``,
    ``self._geometry_settings``). f-strings contribute their literal prefix.
    """
    found: list[tuple[str, int, str, bool]] = []
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ACCESSORS
                and node.args
            ):
                continue
            receiver = node.func.value
            name = (
                receiver.attr
                if isinstance(receiver, ast.Attribute)
                else getattr(receiver, "id", "")
            )
            if not name.lower().endswith("settings"):
                continue
            arg = node.args[0]
            rel = str(path.relative_to(package))
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((rel, node.lineno, arg.value, False))
            elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                found.append((rel, node.lineno, str(arg.values[0].value), True))
            elif isinstance(arg, ast.Attribute | ast.Name):
                continue  # a variable holding a key built elsewhere (checked at runtime)
            else:
                found.append((rel, node.lineno, ast.unparse(arg), False))
    return found


def test_every_settings_key_used_in_the_code_is_declared() -> None:
    used = _settings_keys_used()
    # the scan must actually find the window and inbox settings, or it proves nothing
    assert {"window/geometry", "inbox/filter", "inbox/header"} <= {k for _, _, k, _ in used}
    families = {s.name[:-1] for s in DECLARED if s.is_family}
    undeclared = []
    for file, line, key, is_prefix in used:
        if is_prefix:
            ok = key in families
        else:
            try:
                settings_mod.lookup(key)
                ok = True
            except UnknownSettingError:
                ok = False
        if not ok:
            undeclared.append(f"{file}:{line}: {key!r}")
    assert undeclared == []


def test_the_scan_catches_a_typo(tmp_path: Path) -> None:
    (tmp_path / "mod.py").write_text(
        'def f(settings):\n    return settings.get("window/geomtry")\n'
    )
    used = _settings_keys_used(tmp_path)
    assert used == [("mod.py", 2, "window/geomtry", False)]
    with pytest.raises(UnknownSettingError):
        settings_mod.lookup("window/geomtry")


def test_a_typo_fails_loudly_on_get_set_and_reset() -> None:
    settings = Settings(DictStorage())
    for call in (
        lambda: settings.get("inbox/filtre"),
        lambda: settings.set("inbox/filtre", "{}"),
        lambda: settings.reset("inbox/filtre"),
        lambda: settings.get("geometry/*"),
        lambda: settings.get("geometry"),
    ):
        with pytest.raises(UnknownSettingError, match="not declared"):
            call()


def test_defaults_then_round_trip_through_storage() -> None:
    storage = DictStorage()
    settings = Settings(storage)
    assert settings.get("inbox/sort") == "priority"
    assert settings.get("window/geometry") == b""
    settings.set("inbox/sort", "newest")
    settings.set("window/geometry", b"\x01\x02")
    settings.set("geometry/shortcuts", b"\x03")
    reopened = Settings(DictStorage(storage.data))
    assert reopened.get("inbox/sort") == "newest"
    assert reopened.get("window/geometry") == b"\x01\x02"
    assert reopened.get("geometry/shortcuts") == b"\x03"
    reopened.reset("inbox/sort")
    assert reopened.get("inbox/sort") == "priority"


def test_writing_the_wrong_type_is_a_bug_and_raises() -> None:
    settings = Settings(DictStorage())
    with pytest.raises(TypeError, match="inbox/sort"):
        settings.set("inbox/sort", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        settings.set("window/geometry", "not bytes")
    assert settings.storage.value("inbox/sort") is None  # nothing was stored


def test_an_unreadable_stored_value_gives_the_default(caplog: pytest.LogCaptureFixture) -> None:
    storage = DictStorage({"inbox/sort": 42, "window/geometry": "text, not bytes"})
    settings = Settings(storage)
    assert settings.get("inbox/sort") == "priority"
    assert settings.get("window/geometry") == b""
    assert "inbox/sort" in caplog.text


def test_values_read_back_from_ini_strings_take_their_declared_type() -> None:
    # QSettings ini files hand back every scalar as a string
    flag = Setting("test/flag", bool, False)
    number = Setting("test/number", int, 0)
    assert settings_mod._coerce(flag, "true") is True
    assert settings_mod._coerce(flag, "false") is False
    assert settings_mod._coerce(number, " 12 ") == 12
    with pytest.raises(ValueError):
        settings_mod._coerce(number, "twelve")
    with pytest.raises(ValueError):
        settings_mod._coerce(flag, "maybe")
    assert settings_mod._coerce(Setting("test/b", bytes, b""), bytearray(b"ab")) == b"ab"


def test_declarations_are_unique_and_defaults_match_their_type() -> None:
    names = [s.name for s in DECLARED]
    assert len(names) == len(set(names))
    with pytest.raises(TypeError, match="default"):
        Setting("test/bad", int, "zero")
    with pytest.raises(TypeError):
        Setting("test/bool_as_int", int, True)
    assert {s.name for s in Settings(DictStorage())} == set(names)


# --- upgrades ---------------------------------------------------------------------------------


def test_upgrade_renames_the_remembered_filters_sentiment_key() -> None:
    old = '{"complaints_only": true, "label": "negative", "search": "refund"}'
    settings = Settings(DictStorage({"inbox/filter": old}))
    assert settings.upgrade() == [step.version for step in settings_mod.UPGRADES]
    upgraded = json.loads(settings.get("inbox/filter"))
    assert upgraded == {"complaints_only": True, "sentiment": "negative", "search": "refund"}
    assert settings.get("settings/version") == settings_mod.UPGRADES[-1].version
    assert settings.upgrade() == []  # each step runs once


def test_upgrade_keeps_unreadable_and_new_settings_as_they_are() -> None:
    broken = Settings(DictStorage({"inbox/filter": "{not json"}))
    broken.upgrade()
    assert broken.get("inbox/filter") == "{not json"
    newer = Settings(DictStorage({"settings/version": 99, "inbox/filter": '{"label": "x"}'}))
    assert newer.upgrade() == []
    assert newer.get("inbox/filter") == '{"label": "x"}'
