"""What every platform connector offers. Connectors turn platform payloads into
:class:`~crisisdesk.domain.NewMention` objects.

A connector never writes to the database itself: ``services/sync.py`` runs it, scores what it
found and stores it, so one failing account never touches what others stored.

Who fills what in a NewMention: the connector fills every field. ``fetched_at`` is the time
the connector started reading (one UTC timestamp per ``fetch``) and ``account_id`` is the id of
the :class:`AccountConfig` it was made with; sync stores both as given. ``raw`` is the payload
as JSON text, for the detail view and for the ids a later reply needs.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import httpx

from crisisdesk.domain import NewMention
from crisisdesk.errors import AuthError, OfflineError, SourceError


@dataclass(frozen=True)
class AccountConfig:
    """Non-secret settings of one account (the secret comes from ``secrets.py``)."""

    id: int
    platform: str
    name: str
    base_url: str | None = None
    handle: str | None = None
    options: dict[str, Any] = field(default_factory=dict)  # e.g. {"queries": ["#bakery"]}


@dataclass(frozen=True)
class PartFailure:
    """One part of a fetch (a search term, a next page) that failed while the rest was kept."""

    part: str  # what failed, in the owner's words: "the search for #bakery"
    error: SourceError

    def text(self) -> str:
        if isinstance(self.error, OfflineError):  # the rest answered: not "you are offline"
            return f"{self.part}: its address could not be reached"
        return f"{self.part}: {self.error}"


@dataclass
class FetchResult:
    """New or refreshed mentions, and the cursor state to remember for the next sync.

    *failed* lists the parts that could not be read (their cursors did not move, so the next
    sync tries them again); *notes* say what the owner should know about a fetch that worked
    (e.g. a cursor X no longer accepts was dropped).
    """

    mentions: list[NewMention]
    state: dict[str, Any]
    failed: list[PartFailure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Parts:
    """Runs the parts of one fetch so that one failing part keeps what the others fetched.

    ::

        parts = Parts()
        for term in terms:
            with parts.attempt(f"the search for {term}"):
                ...                        # may raise SourceError
        return parts.result(mentions, state)

    A part that raises a ``SourceError`` is recorded and the fetch goes on; the part must only
    move its cursor in *state* once it has finished. An ``AuthError`` (the credential itself)
    is raised at once, and when every part failed the first failure is raised, so an account
    whose network is gone is still reported offline as a whole.
    """

    def __init__(self) -> None:
        self.failed: list[PartFailure] = []
        self.notes: list[str] = []
        self.done = 0

    @contextmanager
    def attempt(self, part: str, *, auth: bool = True) -> Iterator[None]:
        """Run one part; *auth* False counts a refused credential as this part's failure
        (a feed's next page on another site) instead of the account's."""
        try:
            yield
        except SourceError as exc:
            if auth and isinstance(exc, AuthError):
                raise
            self.failed.append(PartFailure(part, exc))
        else:
            self.done += 1

    def result(self, mentions: list[NewMention], state: dict[str, Any]) -> FetchResult:
        if self.failed and not self.done:
            raise self.failed[0].error
        return FetchResult(mentions, state, list(self.failed), list(self.notes))


@dataclass(frozen=True)
class ReplyTarget:
    """The mention being answered, as stored."""

    external_id: str
    author_handle: str
    thread_root: str | None
    url: str | None
    raw: str | None  # the payload the connector stored (NewMention.raw), as JSON text


@dataclass(frozen=True)
class ReplyResult:
    external_id: str
    url: str | None


class SessionStore(Protocol):
    """Where a connector may keep session tokens between runs (the keyring, never the DB)."""

    def get(self) -> str | None: ...
    def set(self, value: str | None) -> None: ...


class Connector(ABC):
    """What every platform connector is: made from an account, its secret and an HTTP client
    (and, for connectors that keep sessions, a :class:`SessionStore`); it checks the credential,
    fetches what is new and posts replies.

    A connector reads its credential and settings in :meth:`setup` (raising ``SourceError`` for
    what is missing). The defaults: replies counted in characters, nothing to check before
    sending.
    """

    platform: ClassVar[str]
    #: the longest reply the platform accepts, in its own unit (characters or graphemes)
    reply_limit: ClassVar[int | None] = None

    def __init__(
        self,
        account: AccountConfig,
        secret: str | None,
        client: httpx.Client,
        *,
        session_store: SessionStore | None = None,
    ) -> None:
        self.account = account
        self.client = client
        #: where session tokens may be kept between runs; None keeps them in memory
        self.session_store = session_store
        self.setup(secret)

    def setup(self, secret: str | None) -> None:
        """Read *secret* and the account's settings (called once, by the constructor)."""
        return None  # by default: nothing to read

    @staticmethod
    def reply_length(body: str) -> int:
        """The length of *body* as the platform counts it against ``reply_limit``."""
        return len(body)

    @abstractmethod
    def check(self) -> str:
        """Verify the credential; return who we are (e.g. '@bakery@mastodon.social')."""

    @abstractmethod
    def fetch(self, state: dict[str, Any]) -> FetchResult:
        """Fetch what is new since *state* (empty on the first sync)."""

    def check_reply(self, target: ReplyTarget, body: str, *, private: bool) -> None:
        """Refuse, before anything is stored or sent, a reply the platform would not take."""
        return None  # by default: nothing to check without the network

    @abstractmethod
    def reply(
        self, target: ReplyTarget, body: str, *, private: bool, idempotency_key: str
    ) -> ReplyResult:
        """Post a reply. Must not post twice for the same *idempotency_key*."""
