"""The PyInstaller build's inputs agree with the code (the build itself: ``dev.py package
--check``, see packaging/README.md)."""

from __future__ import annotations

import ast
import configparser
import importlib
import importlib.util
import re
from pathlib import Path

from crisisdesk import notices, paths
from crisisdesk.sources.platforms.registry import PLATFORMS

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def build_support():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_support", PACKAGING / "build_support.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_connector_the_registry_imports_by_name_is_named_to_pyinstaller() -> None:
    named = build_support().connector_modules()
    assert sorted({p.module for p in PLATFORMS.values()}) == named
    for module in named:
        importlib.import_module(module)


def test_no_qt_module_the_app_imports_is_left_out_of_the_bundle() -> None:
    used = set()
    for source in (ROOT / "crisisdesk").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", source.read_text(encoding="utf-8")))
    excluded = {name.removeprefix("PySide6.") for name in build_support().QT_EXCLUDES}
    assert used, "the app imports Qt modules"
    assert not used & excluded


def test_trimming_keeps_what_the_app_loads_and_drops_the_gtk_stack() -> None:
    support = build_support()
    for kept in (
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libfontconfig.so.1",
        "libglib-2.0.so.0",
        "PySide6/Qt/lib/libicudata.so.73",
    ):
        assert support.keep_binary(kept), kept
    for dropped in ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "libgtk-3.so.0"):
        assert not support.keep_binary(dropped), dropped
    assert support.keep_data("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf")
    assert support.keep_data("crisisdesk/resources/icons/crisisdesk.svg")
    assert not support.keep_data("matplotlib/mpl-data/sample_data/goog.npz")


def test_windows_version_resource_carries_the_version(tmp_path: Path) -> None:
    from crisisdesk import __version__

    written = Path(build_support().write_windows_version_file(tmp_path / "v.txt"))
    text = written.read_text(encoding="utf-8")
    ast.parse(text)  # PyInstaller evaluates it as a Python expression
    assert f"'FileVersion', '{__version__}'" in text
    assert "filevers=(" in text


def test_spec_and_smoke_script_are_valid_python() -> None:
    for name in ("crisisdesk.spec", "smoke.py", "entry.py"):
        ast.parse((PACKAGING / name).read_text(encoding="utf-8"), name)


def test_linux_desktop_entry_and_icons_exist() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(PACKAGING / "linux" / "crisisdesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"] == "crisisdesk" and desktop["Icon"] == "crisisdesk"
    assert desktop["Categories"].endswith(";")
    assert (PACKAGING / "icons" / "crisisdesk.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (PACKAGING / "icons" / "crisisdesk.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (paths.resources_dir() / "icons" / "crisisdesk.svg").exists()


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_about_notices_list_every_bundled_package_with_a_licence() -> None:
    shown = notices.load()
    listed = [normalise(c.name) for c in shown.components]
    assert len(listed) == len(set(listed)), "a component is listed twice"
    missing = set(build_support().runtime_distributions()) - set(listed)
    assert not missing, f"add these to resources/notices.json: {sorted(missing)}"
    assert all(c.licence and c.url.startswith("https://") for c in shown.components)
    assert {"python", "qt", "sqlite"} <= set(listed)  # in the bundle, not Python packages


def test_the_bundle_carries_licence_texts_for_qt_and_the_packages() -> None:
    folders = {folder for _source, folder in build_support().licence_files()}
    assert "licenses/pyside6-essentials" in folders
    assert "licenses/httpx" in folders
    for source, _folder in build_support().licence_files():
        assert Path(source).is_file(), source
