"""Rate limits as the platforms report them: whichever header family a response carries
(``X-RateLimit-*``, ``X-Rate-Limit-*``, IETF ``RateLimit``, Facebook's usage headers) read
into one :class:`RateLimit`, and ``Retry-After`` as seconds. Used by ``http.send``.
"""

from __future__ import annotations

import email.utils
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class RateLimit:
    """What a response said about the caller's rate limit, whichever header family it used."""

    family: str  # "x-ratelimit" (Mastodon, Reddit), "ratelimit" (IETF, Bluesky),
    # "x-rate-limit" (X), "facebook" (X-App-Usage / X-Business-Use-Case-Usage)
    limit: float | None = None
    remaining: float | None = None
    reset_at: datetime | None = None  # aware UTC
    used_percent: float | None = None  # Facebook reports usage, not counts

    @property
    def exhausted(self) -> bool:
        if self.remaining is not None and self.remaining <= 0:
            return True
        return self.used_percent is not None and self.used_percent >= 100

    def describe(self) -> str:
        """A short line for the sync report, e.g. '12/300 requests left until 14:05'."""
        until = f" until {local_hhmm(self.reset_at)}" if self.reset_at else ""
        if self.remaining is not None:
            limit = f"/{self.limit:g}" if self.limit is not None else ""
            return f"{self.remaining:g}{limit} requests left{until}"
        if self.used_percent is not None:
            return f"{self.used_percent:g}% of the hourly allowance used{until}"
        return "rate limit unknown"


def parse_rate_limit(
    headers: Mapping[str, str], *, now: datetime | None = None
) -> RateLimit | None:
    """Read whichever rate-limit header family *headers* carry (case-insensitive)."""
    h = {k.lower(): v for k, v in headers.items()}
    now = now or datetime.now(UTC)
    # Mastodon "x-ratelimit" (ISO 8601 reset) and Reddit (seconds until reset, floats); X
    # "x-rate-limit" (epoch seconds); IETF draft "ratelimit" (delta seconds; Bluesky's PDS
    # sends epoch seconds). _reset_time tells these reset forms apart.
    for family in ("x-ratelimit", "x-rate-limit", "ratelimit"):
        if f"{family}-remaining" in h or f"{family}-reset" in h:
            return RateLimit(
                family,
                limit=_num(h.get(f"{family}-limit")),
                remaining=_num(h.get(f"{family}-remaining")),
                reset_at=_reset_time(h.get(f"{family}-reset"), now),
            )
    if "ratelimit" in h:
        # newer IETF draft: RateLimit: "default";r=0;t=30
        params = dict(re.findall(r"\b([rt])=(\d+)", h["ratelimit"]))
        if params:
            return RateLimit(
                "ratelimit",
                remaining=_num(params.get("r")),
                reset_at=_reset_time(params.get("t"), now),
            )
    if "x-app-usage" in h or "x-business-use-case-usage" in h:
        return _facebook_usage(h, now)
    return None


def _num(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value.strip())
    except ValueError:
        return None


def _reset_time(value: str | None, now: datetime) -> datetime | None:
    if value is None or not value.strip():
        return None
    number = _num(value)
    if number is not None:
        if number > 1e9:  # an epoch timestamp
            return datetime.fromtimestamp(number, UTC)
        return now + timedelta(seconds=max(number, 0.0))
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _facebook_usage(h: Mapping[str, str], now: datetime) -> RateLimit | None:
    percents: list[float] = []
    regain_minutes = 0.0

    def collect(entry: Any) -> None:
        nonlocal regain_minutes
        if not isinstance(entry, dict):
            return
        for key in ("call_count", "total_time", "total_cputime"):
            value = entry.get(key)
            if isinstance(value, int | float):
                percents.append(float(value))
        regain = entry.get("estimated_time_to_regain_access")
        if isinstance(regain, int | float):
            regain_minutes = max(regain_minutes, float(regain))

    for name in ("x-app-usage", "x-business-use-case-usage"):
        try:
            data = json.loads(h.get(name, "null"))
        except ValueError:
            continue
        if name == "x-app-usage":
            collect(data)
        elif isinstance(data, dict):
            for entries in data.values():
                for entry in entries if isinstance(entries, list) else []:
                    collect(entry)
    if not percents:
        return None
    reset = now + timedelta(minutes=regain_minutes) if regain_minutes else None
    return RateLimit("facebook", used_percent=max(percents), reset_at=reset)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def local_hhmm(when: datetime) -> str:
    """*when* as hours:minutes in the local time zone (how waits are shown to the owner)."""
    return when.astimezone().strftime("%H:%M")
