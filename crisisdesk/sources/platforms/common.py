"""What several connectors do the same way: reading list options, keeping a payload as JSON
text, comparing a reply already posted with the one about to be posted, refusing a reply that
is too long, and reading a platform's credential fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from crisisdesk.errors import SourceError
from crisisdesk.sources.platforms.registry import decode_secret, platform_info


def clean_list(value: Any) -> list[str]:
    """An account option as a list of non-empty, stripped strings (one string counts as one)."""
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value or [] if str(v).strip()]


def search_terms(options: Mapping[str, Any]) -> list[str]:
    """The ``queries`` option, then each of the ``hashtags`` option as ``#tag``."""
    return clean_list(options.get("queries")) + [
        f"#{t}" for t in clean_list(options.get("hashtags"))
    ]


def payload_json(payload: Any) -> str:
    """*payload* as the JSON text a mention keeps in ``raw`` (anything unusual as text)."""
    return json.dumps(payload, ensure_ascii=False, default=str)


def stored_payload(raw: str | None) -> dict[str, Any]:
    """The JSON object a mention keeps in ``raw``; empty when there is none or it is unreadable."""
    try:
        data = json.loads(raw) if raw else {}
    except ValueError:
        data = {}
    return data if isinstance(data, dict) else {}


def json_or_none(response: httpx.Response) -> Any:
    """The response's JSON, or None when it is not JSON (for reading error answers)."""
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


def same_words(posted: Any, body: str) -> bool:
    """Whether a reply found on the platform says what *body* says (whitespace aside)."""
    return " ".join(str(posted or "").split()) == " ".join(body.split())


def check_reply_length(
    length: int, limit: int | None, platform: str, *, counting: str = "", then: str = ""
) -> None:
    """Refuse a reply of *length* (in the platform's own unit) over *limit*.

    *counting* says what the length includes (" with the @mention"), *then* what to do after
    shortening (" and send again").
    """
    if limit is None or length <= limit:
        return
    raise SourceError(
        f"The reply is {length} characters long{counting}; {platform} accepts at most {limit}.",
        f"Shorten it by {length - limit} characters{then}.",
    )


def credential(platform: str, secret: str | None) -> dict[str, str]:
    """The credential fields of *platform* in the stored *secret*; CredentialError if unusable."""
    return decode_secret(platform_info(platform), secret)
