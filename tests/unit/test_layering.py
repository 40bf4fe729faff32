"""Layering rules that import-linter cannot express: only ui/ (and app.py) import QtWidgets;
export/ uses QtCore and QtGui only."""

from __future__ import annotations

import ast
from pathlib import Path

import crisisdesk

PACKAGE = Path(crisisdesk.__file__).parent
WIDGET_MODULES = ("PySide6.QtWidgets",)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_ui_and_app_import_qtwidgets() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "ui" or rel == Path("app.py"):
            continue
        if any(name.startswith(WIDGET_MODULES) for name in _imports(path)):
            offenders.append(str(rel))
    assert offenders == []


#: export/ paints printable documents with QtGui (QPdfWriter, QPainter) and nothing more of Qt
EXPORT_QT_MODULES = ("PySide6.QtCore", "PySide6.QtGui")


def test_export_uses_qtgui_only() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            n
            for n in _imports(path)
            if n.startswith("PySide6.") and not n.startswith(EXPORT_QT_MODULES)
        )
        for path in (PACKAGE / "export").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_a_qtwidgets_import_outside_ui_is_caught(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtWidgets import QLabel\n", encoding="utf-8")
    assert any(n.startswith(WIDGET_MODULES) for n in _imports(bad))


#: the size rule of docs/ARCHITECTURE.md: split a module by responsibility before it passes this
MAX_MODULE_LINES = 500


def test_no_module_grows_past_the_size_rule() -> None:
    too_long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert too_long == {}


def test_the_docs_state_the_same_size_rule() -> None:
    text = (PACKAGE.parent / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert f"longer than **{MAX_MODULE_LINES} lines**" in text


def test_export_may_use_qtgui_but_never_widgets() -> None:
    """export/ paints PDFs with QtGui (headless in the CLI); widgets stay in ui/."""
    for path in (PACKAGE / "export").rglob("*.py"):
        names = _imports(path)
        assert not any(n.startswith(WIDGET_MODULES) for n in names), path
        assert not any(n.startswith("crisisdesk.ui") for n in names), path
