"""ui/format.py: one rule for each thing the UI writes (pure functions, no widgets)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crisisdesk.domain import Sentiment, Status
from crisisdesk.sources.platforms.registry import PLATFORMS
from crisisdesk.ui import format as fmt

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_relative_text_full_and_short_forms() -> None:
    def both(**delta: float) -> tuple[str, str]:
        when = NOW - timedelta(**delta)
        return fmt.relative_text(when, NOW), fmt.relative_text(when, NOW, short=True)

    assert both(seconds=30) == ("just now", "just now")
    assert both(minutes=5) == ("5 min ago", "5 min ago")
    assert both(hours=2) == ("2 h ago", "2 h ago")
    assert both(days=3) == ("3 days ago", "3 d ago")
    assert both(days=1) == ("1 day ago", "24 h ago")
    old = NOW - timedelta(days=400)
    assert fmt.relative_text(old, NOW, short=True) == old.astimezone().strftime("%d %b %Y")
    assert fmt.relative_text(NOW + timedelta(days=2), NOW) == "in 2 days"
    # a stored ISO string reads the same as a datetime
    assert fmt.relative_text("2026-11-20T11:55:00Z", NOW) == "5 min ago"


def test_times_are_local_and_one_format_each() -> None:
    when = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    local = when.astimezone()
    assert fmt.local_time_text(when) == local.strftime("%a %d %b %Y, %H:%M")
    assert fmt.local_time_text("2026-11-20T11:00:00Z") == fmt.local_time_text(when)
    assert fmt.short_time_text(when, NOW) == f"{local.day} " + local.strftime("%b, %H:%M")
    assert fmt.duration_text(90 * 86400) == "3 mo"


def test_counts_and_excerpts() -> None:
    assert fmt.count_text(12_345) == "12k" and fmt.plural_text(1, "like") == "1 like"
    assert fmt.plural_text(1250, "like") == "1.2k likes"
    assert fmt.one_line("two\nlines  here") == "two lines here"
    assert fmt.one_line("x" * 10, 5) == "xxxx…"
    assert fmt.these_mentions(1) == "this mention" and fmt.these_mentions(3) == "these 3 mentions"
    assert "&lt;b&gt;" in fmt.plain_tooltip("<b>")


def test_domain_words_come_from_one_table_each() -> None:
    assert fmt.status_text(Status.OFFLINE) == "Taken offline"
    assert fmt.status_text("something-old") == "something-old"
    assert fmt.sentiment_badge_text(Sentiment.NEGATIVE, True) == "Complaint"
    assert fmt.sentiment_description("negative", True) == "Complaint, negative sentiment"
    # platform names: the registry's, short where its label is long; aliases; non-platforms
    assert [fmt.platform_text(p) for p in PLATFORMS] == [i.short_label for i in PLATFORMS.values()]
    assert fmt.platform_text("x") == fmt.platform_text("Twitter") == "X"
    assert fmt.platform_text("rss") == "Feed"
    assert fmt.platform_text("facebook") == "Facebook"
    assert fmt.platform_text("import") == "Imported"
    assert fmt.platform_text("something-new") == "Something-new"
