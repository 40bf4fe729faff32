"""Timestamps: stored as UTC 'YYYY-MM-DDTHH:MM:SSZ'; anything people write is parsed or refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisdesk.timeutil import (
    normalise,
    now_iso,
    now_utc,
    parse_iso,
    parse_timestamp,
    to_iso,
)

STORED = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2026-01-02T10:00:00Z", "2026-01-02T10:00:00Z"),
        ("2026-01-02T10:00:00+00:00", "2026-01-02T10:00:00Z"),
        ("2026-01-02T10:00:00.987654Z", "2026-01-02T10:00:00Z"),
        ("2026-01-02T10:00:00+05:30", "2026-01-02T04:30:00Z"),
        ("2026-01-02T01:00:00-03:00", "2026-01-02T04:00:00Z"),
        ("2026-01-02 10:00", "2026-01-02T10:00:00Z"),  # no zone: UTC
        ("2026-01-02", "2026-01-02T00:00:00Z"),
        ("20260102", "2026-01-02T00:00:00Z"),  # a compact date, not an epoch
        ("2026/01/02 10:00:05", "2026-01-02T10:00:05Z"),
        ("March 5 2026 3pm", "2026-03-05T15:00:00Z"),
        ("Tue, 03 Nov 2026 10:00:00 +0100", "2026-11-03T09:00:00Z"),  # RFC 2822 (RSS, mail)
        ("Tue, 03 Nov 2026 10:00:00 GMT", "2026-11-03T10:00:00Z"),
        ("Tue, 03 Nov 2026 10:00:00 EST", "2026-11-03T15:00:00Z"),
        ("Tue, 03 Nov 2026 10:00:00 PDT", "2026-11-03T17:00:00Z"),
        ("2026-01-02 10:00 UTC", "2026-01-02T10:00:00Z"),
        ("  2026-01-02T10:00:00Z\n", "2026-01-02T10:00:00Z"),
        ("1700000000", "2023-11-14T22:13:20Z"),  # epoch seconds
        ("1700000000.75", "2023-11-14T22:13:20Z"),
        ("1700000000000", "2023-11-14T22:13:20Z"),  # epoch milliseconds
        ("0050-06-01", "0050-06-01T00:00:00Z"),  # zero-padded so stored strings sort
    ],
)
def test_normalise_accepts_common_forms(written: str, stored: str) -> None:
    assert normalise(written) == stored


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (1_700_000_000, "2023-11-14T22:13:20Z"),
        (1_700_000_000_000, "2023-11-14T22:13:20Z"),
        (1_700_000_000.5, "2023-11-14T22:13:20Z"),
        (0, "1970-01-01T00:00:00Z"),
    ],
)
def test_numbers_are_epoch_seconds_or_milliseconds(value: float, stored: str) -> None:
    assert normalise(value) == stored


def test_a_year_alone_is_a_year_not_an_epoch() -> None:
    assert parse_timestamp("2026").year == 2026


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "yesterday-ish",
        "not a date",
        "2026-02-30",
        "2026-13-01",
        "1e5",
        "nan",
        "inf",
        "²",
        "99999999999999999999",
        "9999-12-31T23:59:59-05:00",  # overflows when turned into UTC
        "10:00 CET",  # a zone name we cannot place; refusing beats shifting hours silently
    ],
)
def test_garbage_is_a_readable_value_error(garbage: str) -> None:
    with pytest.raises(ValueError) as info:
        normalise(garbage)
    message = str(info.value)
    assert message and "Traceback" not in message
    assert len(message) < 120


def test_unknown_zone_says_what_to_write() -> None:
    with pytest.raises(ValueError, match=r"time zone 'CET'.*\+01:00"):
        parse_timestamp("2026-01-02 10:00 CET")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e300, -1e300])
def test_implausible_numbers_are_value_errors(value: float) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(value)


def test_to_iso_treats_naive_as_utc_and_converts_aware() -> None:
    assert to_iso(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"
    plus_two = timezone(timedelta(hours=2))
    assert to_iso(datetime(2026, 1, 2, 3, 4, 5, tzinfo=plus_two)) == "2026-01-02T01:04:05Z"
    assert to_iso(datetime(2026, 1, 2, 3, 4, 5, 999_999, tzinfo=UTC)) == "2026-01-02T03:04:05Z"


def test_parse_iso_round_trips_the_stored_form() -> None:
    dt = parse_iso("2026-11-23T15:04:05Z")
    assert dt == datetime(2026, 11, 23, 15, 4, 5, tzinfo=UTC)
    assert to_iso(dt) == "2026-11-23T15:04:05Z"
    with pytest.raises(ValueError):
        parse_iso("2026-11-23 15:04:05")


def test_now_is_aware_utc_and_stored_form() -> None:
    assert now_utc().tzinfo is not None
    assert now_utc().utcoffset() == timedelta(0)
    assert STORED.fullmatch(now_iso())


@given(st.datetimes(timezones=st.just(UTC)))
def test_stored_form_round_trips_and_sorts(dt: datetime) -> None:
    stored = to_iso(dt)
    assert STORED.fullmatch(stored)
    assert parse_iso(stored) == dt.replace(microsecond=0)
    assert normalise(stored) == stored


@given(st.datetimes(), st.datetimes())
def test_stored_strings_sort_like_times(a: datetime, b: datetime) -> None:
    assert (to_iso(a) < to_iso(b)) == (a.replace(microsecond=0) < b.replace(microsecond=0))


@given(st.one_of(st.text(max_size=40), st.integers(), st.floats()))
def test_parse_timestamp_returns_utc_or_raises_value_error(value: str | int | float) -> None:
    try:
        dt = parse_timestamp(value)
    except ValueError:
        return
    assert dt.tzinfo is not None
    assert dt.utcoffset() == timedelta(0)
