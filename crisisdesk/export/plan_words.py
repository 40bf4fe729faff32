"""What every form of an exported plan says the same way: paper sizes, the title block, the
small line of who / when due / who did it, and which role applies to each row. No Qt here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from crisisdesk.domain import PlanSectionRole
from crisisdesk.store.plans import Entry, PlanDoc, relative_minutes


class Paper(StrEnum):
    A4 = "a4"
    LETTER = "letter"


@dataclass(frozen=True)
class TitleBlock:
    """What the first page says above the plan."""

    business: str
    printed_at: datetime  # local time
    active_since: datetime | None = None  # local time; relative due times count from here

    def lines(self, plan_name: str) -> tuple[str, str, str]:
        business = " ".join(self.business.split())  # "" when the owner has not set it
        printed = f"Printed {self.printed_at:%-d %B %Y, %H:%M}"
        if self.active_since is not None:
            printed += f"  ·  Plan active since {self.active_since:%-d %B %Y, %H:%M}"
        return business, plan_name, printed


def default_paper(locale_country: str = "") -> Paper:
    """Letter in the US and Canada (and a few others), A4 everywhere else."""
    return Paper.LETTER if locale_country.upper() in {"US", "CA", "MX", "PH", "CL"} else Paper.A4


def _local(iso: str) -> datetime:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone()


def meta_text(entry: Entry, active_since: datetime | None) -> str:
    """Who, when due and who did it, in one small line under the item."""
    parts = []
    if entry.owner:
        parts.append(f"Who: {entry.owner}")
    if entry.due:
        due = entry.due
        minutes = relative_minutes(due)
        if minutes is not None and active_since is not None:
            due = f"{due} ({active_since + timedelta(minutes=minutes):%-d %b %H:%M})"
        elif minutes is not None:
            due = f"{due} after the start"
        elif "T" in due:
            due = f"{_local(due):%-d %b %Y %H:%M}"
        parts.append(f"Due: {due}")
    if entry.done_at:
        parts.append(f"Done by {entry.done_by or 'someone'}, {_local(entry.done_at):%-d %b %H:%M}")
    return "   ·   ".join(parts)


def section_roles(doc: PlanDoc) -> list[PlanSectionRole]:
    """The role that applies to each entry (its section's; steps for an item on its own)."""
    roles, current = [], PlanSectionRole.STEPS
    for entry in doc.entries:
        if entry.is_section:
            current = entry.role
            roles.append(current)
        else:
            roles.append(current if entry.level == 1 else PlanSectionRole.STEPS)
    return roles
