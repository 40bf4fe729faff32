"""How long a mention has waited: one definition, for the list, the detail pane and scoring."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crisisdesk.analysis import scoring, waiting
from crisisdesk.domain import Status

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_hours_since_counts_hours_and_never_goes_negative() -> None:
    assert waiting.hours_since(NOW - timedelta(hours=30), NOW) == pytest.approx(30)
    assert waiting.hours_since(NOW - timedelta(minutes=90), NOW) == pytest.approx(1.5)
    assert waiting.hours_since(NOW + timedelta(hours=2), NOW) == 0.0  # a clock ahead of ours


@pytest.mark.parametrize("status", list(Status))
def test_only_new_and_open_mentions_wait(status: Status) -> None:
    hours = waiting.waiting_hours("2026-11-20T09:00:00Z", status, NOW)
    if status in (Status.NEW, Status.OPEN):
        assert hours == pytest.approx(3)
    else:
        assert hours is None


def test_a_naive_now_is_utc_and_an_unreadable_time_has_just_arrived() -> None:
    assert waiting.waiting_hours("2026-11-20T09:00:00Z", "new", NOW.replace(tzinfo=None)) == (
        pytest.approx(3)
    )
    assert waiting.waiting_hours("yesterday-ish", "new", NOW) == 0.0


def test_the_scoring_path_uses_the_same_definition() -> None:
    assert scoring.waiting_hours is waiting.waiting_hours
    assert scoring.hours_since is waiting.hours_since
