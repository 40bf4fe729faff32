"""What the reply composer needs to know about one mention, read in one go on a worker thread.

:func:`reply_context` answers: who wrote what and when, which account would answer and whether
crisisdesk can post there (:class:`~crisisdesk.domain.ReplyRoute`), the saved draft, the
pending follow-up and the replies already sent. :func:`template_values` fills a template's
``{variables}`` from the mention and the owner's business details.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlite_utils

from crisisdesk.domain import Platform, ReplyRoute
from crisisdesk.errors import CrisisdeskError
from crisisdesk.sources.platforms.registry import PLATFORMS
from crisisdesk.store import accounts, drafts, follow_ups, mentions, replies
from crisisdesk.store.drafts import Draft
from crisisdesk.store.follow_ups import FollowUp
from crisisdesk.store.mentions import Mention
from crisisdesk.store.replies import Reply

#: an order number as customers write it: "order #A1234", "order number 55012", "#55012"
_ORDER = re.compile(
    r"(?:\border\s*(?:no\.?|number|num|#)?\s*:?\s*#?|(?<![\w#])#)([A-Z]{0,3}-?\d[\w-]{2,})",
    re.IGNORECASE,
)


#: a username that starts with a name: "Leah_coffee484", "Yusuf.2k", "Marta99"
_USERNAME_NAME = re.compile(r"([A-Z][a-z]+)(?:[_.\-]|\d)")


@dataclass(frozen=True)
class ReplyContext:
    mention: Mention
    platform: str  # the platform the reply goes to ("" for an imported mention)
    account_name: str | None
    route: ReplyRoute
    #: why the reply cannot be posted from here (route COPY), in the owner's words
    why_copy: str
    #: X: the owner may sign in to post from here
    can_sign_in: bool
    #: a private reply can be posted from here (DM / direct visibility / private message)
    private_possible: bool
    draft: Draft | None
    follow_up: FollowUp | None
    sent: tuple[Reply, ...]


def _x_signed_in(account_name: str) -> bool:
    from crisisdesk.sources.platforms import x_oauth

    return x_oauth.load_tokens(account_name) is not None


def reply_context(db: sqlite_utils.Database, mention_id: int) -> ReplyContext:
    """Everything the composer shows for *mention_id*. Reads the keyring for X sign-ins."""
    mention = mentions.get(db, mention_id)
    if mention is None:
        raise CrisisdeskError(f"There is no mention #{mention_id}.")
    account = accounts.get_by_id(db, mention.account_id) if mention.account_id else None
    route, why, sign_in = ReplyRoute.SEND, "", False
    private_possible = True
    if account is None:
        route = ReplyRoute.COPY
        why = "This mention was imported (or its account removed): answer it on the platform."
    elif account.platform == Platform.FEEDS:
        route, why = ReplyRoute.COPY, "Feeds are read-only: answer on the site itself."
    elif account.platform == Platform.X:
        private_possible = False  # X direct messages are not supported
        if not _x_signed_in(account.name):
            route, sign_in = ReplyRoute.COPY, True
            why = "Sign in to X to reply from here; until then, copy the reply into X."
    sent = tuple(r for r in replies.for_mention(db, mention_id) if r.state == "sent")
    return ReplyContext(
        mention=mention,
        platform=account.platform if account else "",
        account_name=account.name if account else None,
        route=route,
        why_copy=why,
        can_sign_in=sign_in,
        private_possible=private_possible or route is ReplyRoute.COPY,
        draft=drafts.get(db, mention_id),
        follow_up=follow_ups.pending(db, mention_id),
        sent=sent,
    )


def first_name(mention: Mention) -> str:
    """How to greet the author: the first word of their display name; for a bare username
    ("Leah_coffee484") its leading capitalised name; else the handle itself."""
    handle = mention.author_handle.lstrip("@").split("@")[0]
    name = mention.author_name.strip()
    if name and name.lstrip("@") != handle:
        words = name.split()
        if any(ch.isalpha() for ch in words[0]):
            return words[0].strip(".,;:!?")
    found = _USERNAME_NAME.match(handle)
    return found.group(1) if found else handle


def order_number(text: str) -> str:
    """The first order number the customer wrote, or ''."""
    found = _ORDER.search(text)
    return found.group(1) if found else ""


def template_values(
    mention: Mention, *, business: str = "", contact: str = "", signature: str = ""
) -> dict[str, str]:
    """Values for a template's ``{variables}``; empty ones are left for the owner to fill."""
    handle = mention.author_handle.strip()
    values = {
        "name": first_name(mention),
        "handle": f"@{handle.lstrip('@')}" if handle else "",
        "business": business.strip(),
        "contact": contact.strip(),
        "order": order_number(mention.text),
        "signature": signature.strip(),
        "platform": PLATFORMS[mention.source].label if mention.source in PLATFORMS else "",
    }
    return {key: value for key, value in values.items() if value}
