"""Bluesky records that need no network: TID record keys, the strong refs of a reply,
rich-text facets with UTF-8 byte offsets, and a post's ``sortAt``. Used by ``bluesky.py``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from crisisdesk.timeutil import normalise

_HANDLE = re.compile(
    r"(?<![\w@.])@((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+"
    r"[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)"
)
_LINK = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_TID_EPOCH_US = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
_YEAR_US = 365 * 24 * 3600 * 1_000_000


def tid_from_key(key: str) -> str:
    """A valid, deterministic TID record key for *key* (13 chars, base32-sortable).

    The timestamp part is drawn from the key's hash within 2023, so the same idempotency key
    always names the same record and can never be posted twice.
    """
    h = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")
    value = ((_TID_EPOCH_US + h % _YEAR_US) << 10) | ((h >> 53) & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def rkey(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


class StrongRef(NamedTuple):
    """A post named by its URI and content hash, as reply refs need it."""

    uri: str
    cid: str


class ReplyParent(NamedTuple):
    """What a reply needs of the post it answers."""

    ref: StrongRef
    root: StrongRef  # the thread's first post: the parent's own root, or the parent itself
    author_did: str
    author_handle: str

    @classmethod
    def of(cls, view: dict[str, Any]) -> ReplyParent | None:
        """From a postView (what ``getPosts`` answers and what a mention keeps as ``raw``)."""
        uri, cid, record = view.get("uri"), view.get("cid"), view.get("record")
        if not isinstance(uri, str) or not isinstance(cid, str) or not cid:
            return None
        if not isinstance(record, dict):
            return None
        ref = StrongRef(uri, cid)
        root = (record.get("reply") or {}).get("root")
        if isinstance(root, dict) and isinstance(root.get("uri"), str) and root.get("cid"):
            root_ref = StrongRef(root["uri"], str(root["cid"]))
        else:
            root_ref = ref
        author = view.get("author") or {}
        return cls(ref, root_ref, str(author.get("did") or ""), str(author.get("handle") or ""))


def facets(
    text: str, parent: ReplyParent, resolve: Callable[[str], str | None]
) -> list[dict[str, Any]]:
    """Mention and link facets with UTF-8 byte offsets, as the richtext lexicon wants.

    A mention of the parent's author uses the DID already known; *resolve* finds the others
    (``None``: not a real handle, left as plain text).
    """
    facets: list[dict[str, Any]] = []

    def span(start: int, end: int) -> dict[str, int]:
        return {
            "byteStart": len(text[:start].encode("utf-8")),
            "byteEnd": len(text[:end].encode("utf-8")),
        }

    for match in _HANDLE.finditer(text):
        handle = match.group(1).lower()
        known = parent.author_did if handle == parent.author_handle.lower() else None
        did = known or resolve(handle)
        if did:
            facets.append({
                "index": span(match.start(), match.end()),
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
            })  # fmt: skip
    for match in _LINK.finditer(text):
        facets.append({
            "index": span(match.start(), match.end()),
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}],
        })  # fmt: skip
    return sorted(facets, key=lambda f: f["index"]["byteStart"])


def sort_at(post: dict[str, Any]) -> str:
    """Bluesky's sortAt: the earlier of the record's createdAt and indexedAt."""
    created = (post.get("record") or {}).get("createdAt")
    indexed = post.get("indexedAt")
    values = [normalise(v) for v in (created, indexed) if isinstance(v, str) and v]
    return min(values) if values else ""
