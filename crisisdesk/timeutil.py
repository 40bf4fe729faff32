"""Timestamps: stored as UTC ISO 8601 (``2026-11-23T15:04:05Z``), shown in local time."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

from dateutil import parser as _dateparser

_ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# epoch seconds (>= 9 digits, i.e. after 1973) or milliseconds; shorter numbers are years/dates
_EPOCH = re.compile(r"[0-9]{9,}(\.[0-9]*)?")
# zone names RFC 2822 allows (mail, RSS); dateutil only knows UTC/GMT and the machine's own
_NAMED_ZONES = {
    name: timezone(timedelta(hours=hours), name)
    for name, hours in {
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0,
        "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    }.items()
}  # fmt: skip


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_iso(dt: datetime) -> str:
    """Format as the stored form. Naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    dt = dt.astimezone(UTC)
    # not strftime: it does not zero-pad years before 1000, which would break sorting
    return (
        f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d}T{dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}Z"
    )


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
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text))
    try:
        dt = _dateparser.parse(text, tzinfos=_zone)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        return dt.astimezone(UTC)
    except _UnknownZoneError:
        raise
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"'{text[:40]}' is not a date crisisdesk understands") from exc


class _UnknownZoneError(ValueError):
    pass


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's zone hook: numeric offsets, RFC 2822 names; an unknown name is an error
    rather than a silent guess (dateutil would otherwise ignore it and shift the time)."""
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    if name is None:
        return None
    zone = _NAMED_ZONES.get(name.upper())
    if zone is None:
        raise _UnknownZoneError(
            f"the time zone '{name[:20]}' is not known; write it as an offset like +01:00"
        )
    return zone


#: the zone hook for dateutil (offsets and RFC 2822 names; an unknown name is an error)
zone_of = _zone


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
