"""Where the composer gets its templates: the library in ``store/templates.py`` (read on a
worker thread), the holding statements of the crisis plan (``store/plan_views.py``), and
``analysis/templates.fill``, in one place so the pane does not care."""

from __future__ import annotations

from crisisdesk.analysis.templates import fill as fill_variables
from crisisdesk.store import plan_views, templates
from crisisdesk.store.templates import Template
from crisisdesk.ui.tasks import TaskContext

#: the category the plan's prepared statements are listed under, first in the picker
PLAN_CATEGORY = "From your crisis plan"


def load(ctx: TaskContext) -> list[Template]:
    """The plan's holding statements (first: in an incident they are what was agreed), then
    every library template by category and name (the shipped ones are added on first use).

    A statement has no library id (it is edited on the Plan page): its id is negative."""
    from_plan = [
        Template(-number, name, PLAN_CATEGORY, body, builtin=False)
        for number, (name, body) in enumerate(plan_views.holding_statements(ctx.db), start=1)
    ]
    return from_plan + templates.list_templates(ctx.db)


def fill(body: str, values: dict[str, str]) -> str:
    """*body* with its ``{variables}`` filled; unfilled ones stay for the tone check to flag."""
    return fill_variables(body, values).text
