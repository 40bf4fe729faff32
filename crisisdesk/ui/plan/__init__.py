"""The crisis plan in the GUI: the Plan page (ui/plan/page.py), its model and undo commands,
and :func:`attach_plan`, which adds it to the main window through the extension API."""

from crisisdesk.ui.plan.attach import PlanFeature, attach_plan

__all__ = ["PlanFeature", "attach_plan"]
