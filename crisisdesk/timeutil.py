"""Timestamps: stored as UTC ISO 8601 (``2026-11-23T15:04:05Z``), shown in local time."""

from __future__ import annotations

from datetime import UTC, datetime

from dateutil import parser as _dateparser

_ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_iso(dt: datetime) -> str:
    """Format as the stored form. Naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime(_ISO_FORMAT)


def now_iso() -> str:
    return to_iso(now_utc())


def parse_iso(value: str) -> datetime:
    """Parse a stored timestamp back to an aware UTC datetime."""
    return datetime.strptime(value, _ISO_FORMAT).replace(tzinfo=UTC)


def parse_timestamp(value: str | int | float) -> datetime:
    """Parse what people and platforms write: ISO 8601, RFC 2822, '2026-01-02 10:00', epoch.

    Values without a zone are taken as UTC. Raises ``ValueError`` with a readable message.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(float(value))
    text = str(value).strip()
    if not text:
        raise ValueError("the date is empty")
    if text.replace(".", "", 1).isdigit():
        return _from_epoch(float(text))
    try:
        dt = _dateparser.parse(text)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"'{text[:40]}' is not a date crisisdesk understands") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _from_epoch(seconds: float) -> datetime:
    if seconds > 1e11:  # milliseconds, as many exports write them
        seconds /= 1000.0
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise ValueError(f"'{seconds}' is not a plausible time") from exc


def normalise(value: str | int | float) -> str:
    """Any accepted timestamp → the stored UTC ISO form."""
    return to_iso(parse_timestamp(value))
