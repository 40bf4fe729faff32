"""What every platform connector offers. Connectors turn platform payloads into mention rows.

A connector never writes to the database itself: ``sources/sync.py`` runs it, analyses the rows
and stores them, so one failing account never touches what others stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import httpx


@dataclass(frozen=True)
class AccountConfig:
    """Non-secret settings of one account (the secret comes from ``secrets.py``)."""

    id: int
    platform: str
    name: str
    base_url: str | None = None
    handle: str | None = None
    options: dict[str, Any] = field(default_factory=dict)  # e.g. {"queries": ["#bakery"]}


@dataclass
class FetchResult:
    """New or refreshed mentions, and the cursor state to remember for the next sync.

    ``mentions`` are row dicts with the keys of ``store.mentions.INSERT_COLUMNS`` except the
    analysis fields (sentiment, label, complaint, cues, priority), which sync adds.
    """

    mentions: list[dict[str, Any]]
    state: dict[str, Any]


@dataclass(frozen=True)
class ReplyTarget:
    """The mention being answered, as stored."""

    external_id: str
    author_handle: str
    thread_root: str | None
    url: str | None
    raw: str | None  # the platform payload as JSON text (some platforms need ids from it)


@dataclass(frozen=True)
class ReplyResult:
    external_id: str
    url: str | None


class Connector(Protocol):
    platform: ClassVar[str]
    #: the longest reply the platform accepts, in its own unit (characters or graphemes)
    reply_limit: ClassVar[int | None]

    def __init__(
        self, account: AccountConfig, secret: str | None, client: httpx.Client
    ) -> None: ...

    def check(self) -> str:
        """Verify the credential; return who we are (e.g. '@bakery@mastodon.social')."""
        ...

    def fetch(self, state: dict[str, Any]) -> FetchResult:
        """Fetch what is new since *state* (empty on the first sync)."""
        ...

    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        """Post a reply. Must not post twice for the same *idempotency_key*."""
        ...
