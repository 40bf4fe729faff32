"""A generated demo dataset: one small bakery, 60 days of mentions and one backlash.

"Maple & Rye Bakery" (@mapleandrye) gets ordinary attention (praise, questions, chatter, the
odd complaint; busier by day and on Saturdays) until, three weeks before *now*, a wedding cake
never arrives and the business answers rudely. The post goes viral: complaints, sarcasm and
pile-ons for a few days, high-follower accounts, threads on X and Reddit. The owner apologises
in public and in private (rows in ``replies``, statuses and events in the audit log), and
praise returns. The last days hold unanswered mentions so the inbox has work.

Texts are composed from fragments in ``resources/demo/fragments.json``; everything is made
up. The data depends only on ``seed``, ``count`` and ``now``; external ids depend only on
``seed`` and the row, so loading twice adds nothing.
"""

from crisisdesk.demo.data import (
    DAYS,
    INCIDENT_DAYS_AGO,
    INCIDENT_KINDS,
    MAX_COUNT,
    SOURCES,
    DemoData,
    DemoReply,
    DemoReport,
    DemoStatusChange,
    fragments,
)
from crisisdesk.demo.generate import generate
from crisisdesk.demo.load import load_demo

__all__ = [
    "DAYS",
    "INCIDENT_DAYS_AGO",
    "INCIDENT_KINDS",
    "MAX_COUNT",
    "SOURCES",
    "DemoData",
    "DemoReply",
    "DemoReport",
    "DemoStatusChange",
    "fragments",
    "generate",
    "load_demo",
]
