"""Where the composer gets its templates: the library in ``store/templates.py`` (read on a
worker thread) and ``analysis/templates.fill``, in one place so the pane does not care."""

from __future__ import annotations

from crisisdesk.analysis.templates import fill as fill_variables
from crisisdesk.store import templates
from crisisdesk.store.templates import Template
from crisisdesk.ui.tasks import TaskContext


def load(ctx: TaskContext) -> list[Template]:
    """Every template, by category and name (the shipped ones are added on first use)."""
    return templates.list_templates(ctx.db)


def fill(body: str, values: dict[str, str]) -> str:
    """*body* with its ``{variables}`` filled; unfilled ones stay for the tone check to flag."""
    return fill_variables(body, values).text
