"""Reply lengths counted the platform's way: the one definition connectors and the composer use."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisdesk.analysis import lengths
from crisisdesk.domain import Platform
from crisisdesk.sources.platforms.registry import connector_class


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("see https://example.com/a/very/long/path/indeed?x=1 ok", 4 + 23 + 3),
        ("see bakery.example.com/menu.", 4 + 23 + 1),  # a bare domain is a link; "." is not
        ("www.example.org", 23),
        ("e.g. fine", 9),
        ("日本語", 6),
        ("ok 👍🏽", 5),
        ("👨‍👩‍👧", 2),
        ("🇫🇷🇩🇪", 4),
        ("1️⃣", 2),
        ("❤️", 2),
        ("café", 4),
        ("cafe\u0301", 4),  # NFC first: e + combining accent is one é
        ("“quotes” – dash…", 17),  # quotes and dashes count 1, "…" (U+2026) 2
        ("€", 2),  # outside X's light ranges
    ],
)
def test_x_counts_as_twitter_text_does(text: str, length: int) -> None:
    assert lengths.x_weighted_length(text) == length
    assert lengths.reply_length(Platform.X, text) == length


def test_mastodon_counts_graphemes_links_as_23_and_remote_mentions_by_name() -> None:
    count = lengths.mastodon_length
    assert count("@dave@far.example hi") == len("@dave hi")
    assert count("see https://example.com/" + "a" * 200) == len("see ") + 23
    assert count("👍🏽 ok") == 4


def test_bluesky_counts_graphemes_others_characters() -> None:
    text = "👨‍👩‍👧 e\u0301"
    assert lengths.reply_length(Platform.BLUESKY, text) == 3
    assert lengths.reply_length(Platform.FACEBOOK, text) == len(text)
    assert lengths.reply_length(None, text) == len(text)
    assert lengths.grapheme_count("a\r\nb") == 3


def test_limits() -> None:
    assert lengths.reply_limit(Platform.X) == 280
    assert lengths.reply_limit(Platform.BLUESKY) == 300
    assert lengths.reply_limit(Platform.MASTODON) == 500
    assert lengths.reply_limit(Platform.MASTODON, 5000) == 5000
    assert lengths.reply_limit(Platform.REDDIT) == 10_000
    assert lengths.reply_limit(Platform.FACEBOOK) == 8_000
    assert lengths.reply_limit(Platform.FEEDS) is None
    assert lengths.reply_limit(None) is None


@pytest.mark.parametrize("platform", list(Platform))
def test_connectors_count_with_the_one_definition(platform: Platform) -> None:
    text = "Sorry @dave@far.example 👨‍👩‍👧 https://example.com/" + "a" * 50 + " 日本"
    connector = connector_class(platform)
    assert connector.reply_length(text) == lengths.reply_length(platform, text)
    assert connector.reply_limit == lengths.reply_limit(platform)


@pytest.mark.parametrize(
    ("platform", "text", "limit", "start"),
    [
        (Platform.X, "a" * 300, 280, 280),
        (Platform.X, "日" * 200, 280, 140),
        (Platform.X, "https://example.com/" + "a" * 300 + " tail", 25, 322),
        (Platform.BLUESKY, "👍🏽" * 301, 300, 600),
        (Platform.FACEBOOK, "a" * 8001, 8000, 8000),
        (Platform.X, "fits", 280, None),
    ],
)
def test_overflow_start(platform: Platform, text: str, limit: int, start: int | None) -> None:
    assert lengths.overflow_start(platform, text, limit) == start
    if start is not None:
        assert lengths.reply_length(platform, text[:start]) <= limit
        assert lengths.reply_length(platform, text[: start + 1]) > limit


PIECES = st.sampled_from(
    ["a", " ", "日", "👍🏽", "🇫🇷", "https://example.com/x", "x.com", "é", "€", "…", "1️⃣", "©"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(PIECES | st.text(max_size=3)).map("".join),
    st.sampled_from([Platform.X, Platform.MASTODON, Platform.BLUESKY, Platform.REDDIT]),
    st.integers(0, 60),
)
def test_overflow_start_is_the_longest_prefix_that_fits(
    text: str, platform: Platform, limit: int
) -> None:
    start = lengths.overflow_start(platform, text, limit)
    if start is None:
        assert lengths.reply_length(platform, text) <= limit
    else:
        assert 0 <= start <= len(text)
        assert lengths.reply_length(platform, text[:start]) <= limit
