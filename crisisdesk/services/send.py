"""Post a reply to a mention through the account that fetched it.

Order of work, so that nothing is lost and nothing is posted twice:
1. checks that need no network (text, length limit, channel) — a failure stores nothing;
2. the reply row is stored as 'queued' with an idempotency key (or a failed/queued row with the
   same text is reused, keeping its key: that is what makes a retry after a timeout safe);
3. the connector posts it, passing the key (platforms that lack idempotency keys look for the
   already-posted reply first);
4. the row becomes 'sent' (platform id and link) and the mention 'replied' (or 'offline' for a
   private answer) in one transaction, or 'failed' with the reason. Every step is in the audit log.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlite_utils

from crisisdesk.errors import CrisisdeskError, SourceError
from crisisdesk.services import triage
from crisisdesk.services.sync import ClientFactory, open_connector
from crisisdesk.sources.platforms.base import ReplyTarget
from crisisdesk.sources.platforms.common import check_reply_length
from crisisdesk.sources.platforms.http import make_client
from crisisdesk.sources.platforms.registry import connector_class
from crisisdesk.store import accounts, drafts, mentions, replies
from crisisdesk.store.replies import Reply

log = logging.getLogger(__name__)


def reply_length(platform: str, body: str) -> int:
    """The length of *body* as *platform* counts it (characters, graphemes, weighted chars)."""
    return connector_class(platform).reply_length(body)


def check_length(platform: str, body: str) -> None:
    """Raise a clear error when *body* is empty or longer than the platform accepts."""
    if not body.strip():
        raise CrisisdeskError("The reply is empty.", hint="Write something before sending.")
    limit = connector_class(platform).reply_limit
    if limit is not None:
        check_reply_length(reply_length(platform, body), limit, platform, then=" and send again")


def send_reply(
    db: sqlite_utils.Database,
    mention_id: int,
    body: str,
    *,
    private: bool = False,
    client_factory: ClientFactory = make_client,
    tone_report: dict[str, Any] | None = None,
) -> Reply:
    """Post *body* as a reply to mention *mention_id*; returns the stored, sent reply.

    *tone_report* (``analysis.tone.report_json`` of the text sent) is stored with the reply.

    Raises a CrisisdeskError before storing anything when the reply cannot be sent at all, and
    after marking the stored reply 'failed' when the platform refused it or could not be reached
    (calling again with the same text retries with the same idempotency key).
    """
    mention = mentions.get(db, mention_id)
    if mention is None:
        raise CrisisdeskError(f"There is no mention #{mention_id}.")
    account = accounts.get_by_id(db, mention.account_id) if mention.account_id else None
    if account is None:
        raise CrisisdeskError(
            "This mention did not come from a connected account (it was imported from a file,"
            " or its account was removed), so crisisdesk cannot answer it there.",
            hint="Answer it on the platform itself, then mark it as replied.",
        )
    check_length(account.platform, body)
    channel = "private" if private else "public"
    target = ReplyTarget(
        external_id=mention.external_id,
        author_handle=mention.author_handle,
        thread_root=mention.thread_root,
        url=mention.url,
        raw=mentions.get_raw(db, mention_id),
    )
    with open_connector(account, client_factory) as connector:
        # platform rules that need no network (e.g. Facebook's 7-day window for private replies)
        connector.check_reply(target, body, private=private)
        existing = replies.find_unsent(db, mention_id, body, channel)
        if existing is not None:
            reply = replies.requeue(db, existing.id)
        else:
            reply = replies.queue(
                db, mention_id, body, channel=channel, account_id=account.id,
                tone_report=tone_report,
            )  # fmt: skip
        assert reply.idempotency_key is not None
        try:
            posted = connector.reply(
                target, body, private=private, idempotency_key=reply.idempotency_key
            )
        except CrisisdeskError as exc:
            replies.mark_failed(db, reply.id, exc.user_text())
            raise
        except Exception as exc:
            log.error("posting reply %s failed unexpectedly", reply.id, exc_info=exc)
            replies.mark_failed(db, reply.id, f"Unexpected problem ({type(exc).__name__}).")
            raise SourceError(
                f"The reply could not be posted ({type(exc).__name__}).",
                hint="It is saved as failed; try again later.",
            ) from None
    with db.atomic():
        replies.mark_sent(db, reply.id, external_id=posted.external_id, url=posted.url)
        triage.set_status(db, [mention_id], "offline" if private else "replied")
        drafts.discard(db, mention_id)  # only now: a failed send keeps the draft
    sent = replies.get(db, reply.id)
    assert sent is not None
    return sent


def mark_replied_manually(
    db: sqlite_utils.Database,
    mention_id: int,
    body: str,
    *,
    private: bool = False,
    tone_report: dict[str, Any] | None = None,
) -> Reply:
    """The owner posted *body* in the platform's own app ("Copy and mark replied"): store it
    as a sent reply (its reply time counts), move the mention to replied (or offline for a
    private answer) and drop the draft, in one transaction."""
    if not body.strip():
        raise CrisisdeskError("The reply is empty.", hint="Write something before sending.")
    if mentions.get(db, mention_id) is None:
        raise CrisisdeskError(f"There is no mention #{mention_id}.")
    channel = "private" if private else "public"
    with db.atomic():
        reply = replies.record_manual(
            db, mention_id, body, channel=channel, tone_report=tone_report
        )
        triage.set_status(db, [mention_id], "offline" if private else "replied")
        drafts.discard(db, mention_id)
    return reply


def retry_reply(
    db: sqlite_utils.Database, reply_id: int, *, client_factory: ClientFactory = make_client
) -> Reply:
    """Send a failed (or stuck queued) reply again with its original idempotency key."""
    reply = replies.get(db, reply_id)
    if reply is None:
        raise CrisisdeskError(f"There is no reply #{reply_id}.")
    if reply.state == "sent":
        return reply
    return send_reply(
        db, reply.mention_id, reply.body, private=reply.private, client_factory=client_factory
    )
