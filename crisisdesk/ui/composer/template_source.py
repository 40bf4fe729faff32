"""Where the composer gets its templates: the template library of the templates work
(``list_templates`` and ``fill``), in one place so the pane does not care where it lives."""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType
from typing import Any

from crisisdesk.ui.tasks import TaskContext

LIBRARY = "crisisdesk.store.templates"


def _library() -> ModuleType | None:
    if importlib.util.find_spec(LIBRARY) is None:
        return None  # a build without the template library: the picker stays empty
    return importlib.import_module(LIBRARY)


def load(ctx: TaskContext) -> list[Any]:
    """Every template, by category and name (runs on a worker thread)."""
    library = _library()
    return list(library.list_templates(ctx.db, "", None)) if library else []


def fill(body: str, values: dict[str, str]) -> str:
    """*body* with its ``{variables}`` filled; unfilled ones stay for the tone check to flag."""
    library = _library()
    return str(library.fill(body, values).text) if library else body
