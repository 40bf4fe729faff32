"""Search as an owner types it, run through FTS5 on a real database."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crisisdesk.errors import SearchSyntaxError
from crisisdesk.store import mentions, open_database
from crisisdesk.store.mentions import MentionFilter
from crisisdesk.store.search import build_fts_query, plan_search
from tests.helpers.builders import insert_mentions, mention_row

CORPUS = {
    "cake": "The wedding cake never arrived and nobody answers the phone",
    "refund": "Still waiting for my refund after three weeks",
    "croissant": "Best croissants in town, thank you @mapleandrye! #breakfast",
    "emoji": "Birthday cake was perfect 🎂❤️ so happy",
    "emoji_glued": "thank you😍 lovely staff",
    "html": "They called it <b>worst</b> service &amp; I agree",
    "near": "Is there a bakery NEAR the station? text:me ^_^",
    "quote": 'He said "never again" and left',
    "handle": "Ordered from @maple_and_rye_fan about the sourdough",
    "money": "Paid €40 for a sad loaf",
}


@pytest.fixture
def corpus(db: Any) -> dict[str, int]:
    rows = [
        mention_row(text=text, author_name="Jo Bloggs" if key != "handle" else "Baker 🥐")
        for key, text in CORPUS.items()
    ]
    return dict(zip(CORPUS, insert_mentions(db, rows), strict=True))


def _search(db: Any, corpus: dict[str, int], text: str) -> set[str]:
    by_id = {v: k for k, v in corpus.items()}
    found = mentions.query(db, MentionFilter(search=text), limit=100)
    assert mentions.count(db, MentionFilter(search=text)) == len(found)
    return {by_id[m.id] for m in found}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cake", {"cake", "emoji"}),
        ("CAKE", {"cake", "emoji"}),
        ("wedding cake", {"cake"}),  # all words must appear
        ("croi", {"croissant"}),  # prefix while typing
        ("croissant", {"croissant"}),  # stemmed: matches "croissants"
        ("wait", {"refund"}),  # stemmed: "waiting"
        ('"never arrived"', {"cake"}),
        ('"arrived never"', set()),  # phrase order matters
        ("refund OR croissant", {"refund", "croissant"}),
        ("cake -wedding", {"emoji"}),
        ("cake -wedding -birthday", set()),
        ("@mapleandrye", {"croissant"}),
        ("#breakfast", {"croissant"}),
        ("🎂", {"emoji"}),
        ("❤️", {"emoji"}),  # with or without the variation selector
        ("❤", {"emoji"}),
        ("🎂 happy", {"emoji"}),
        ("cake -🎂", {"cake"}),
        ("🎂 -cake", set()),
        ("🥐", {"handle"}),  # emoji in the author's name
        ("😍", {"emoji_glued"}),
        ("€", {"money"}),
        ("<b>worst</b>", {"html"}),  # HTML typed in the box is just words
        ("&amp;", {"html"}),
        ("NEAR(bakery station)", {"near"}),  # FTS operators are plain text
        ("bakery NEAR", {"near"}),
        ("text:me", {"near"}),
        ("^bakery", {"near"}),
        ("bakery*", {"near"}),
        ("station AND bakery", set()),  # AND is a word here, and no text holds it
        ("(bakery)", {"near"}),
        ("sourdough {", {"handle"}),
        ("sourdough NOT", set()),
        ('"never again"', {"quote"}),
        ("jo bloggs", set(CORPUS) - {"handle"}),  # the author's name is searched too
    ],
)
def test_search_finds(db: Any, corpus: dict[str, int], text: str, expected: set[str]) -> None:
    assert _search(db, corpus, text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "   ", "(", ")", "*", "^", '""', '" "', "-", "--", "@", "#", "'", ".", "\x00"],
)
def test_nothing_to_search_shows_everything(db: Any, corpus: dict[str, int], text: str) -> None:
    assert plan_search(text) is None
    assert _search(db, corpus, text) == set(CORPUS)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"never arrived', "quote mark that is not closed"),
        ('cake "', "quote mark that is not closed"),
        ("cake OR", "OR needs a word on each side"),
        ("OR cake", "OR needs a word on each side"),
        ("OR", "OR needs a word on each side"),
        ("cake OR OR refund", "OR needs a word on each side"),
        ("cake OR -refund", "OR cannot be followed by an excluded word"),
        ("-cake", "not only excluded words"),
        ("-cake -refund", "not only excluded words"),
        ("-🎂", "not only excluded words"),
        ("🎂 OR cake", "not emoji"),
        ("cake OR 🎂", "not emoji"),
    ],
)
def test_malformed_search_is_a_clear_error(
    db: Any, corpus: dict[str, int], text: str, message: str
) -> None:
    with pytest.raises(SearchSyntaxError, match=message) as info:
        mentions.query(db, MentionFilter(search=text))
    assert "\n" not in str(info.value)


def test_build_fts_query_quotes_every_term() -> None:
    assert build_fts_query("cake") == '"cake"*'
    assert build_fts_query("cake", prefix_last=False) == '"cake"'
    assert build_fts_query('NEAR(a b) "x y"') == '("NEAR" AND "a") AND "b" AND "x y"'
    assert build_fts_query("a -b") == '"a" NOT "b"'
    assert build_fts_query("-b a") == '"a"* NOT "b"'  # positive terms first
    assert build_fts_query("a OR b c") == '("a" OR "b") AND "c"*'
    assert build_fts_query('say "hi ""there"""') is not None


def test_plan_for_symbol_only_search_excludes_through_fts() -> None:
    plan = plan_search("🎂 -cake -pie")
    assert plan is not None
    assert plan.match is None
    assert plan.exclude == '"cake" OR "pie"'
    assert plan.contains == ("🎂",)


# every character FTS5 or our parser could trip on, plus ordinary words
_ALPHABET = [
    *"\"'()*^:+-{}[],.@#\\/&<>~ \t\n\x00😀🎂é",
    "OR", "AND", "NOT", "NEAR", "NEAR(", "cake", "refund", " OR ", "-cake", '"', "❤️",
    '"\x00', "🎂 OR", "-🎂",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example('"\x00"')  # a NUL inside quotes once reached SQLite as "unterminated string"
@example('NEAR("a" "b", 2) ^c* d:e')
@given(
    st.one_of(
        st.text(max_size=40),
        st.lists(st.sampled_from(_ALPHABET), max_size=12).map("".join),
        st.lists(st.sampled_from(_ALPHABET), max_size=8).map(" ".join),
    )
)
def test_any_search_returns_results_or_a_search_error(tmp_path_factory: Any, text: str) -> None:
    db = _shared_db(tmp_path_factory)
    try:
        found = mentions.query(db, MentionFilter(search=text), limit=5)
    except SearchSyntaxError as exc:
        assert str(exc)
    else:
        assert len(found) <= 5


_DB_CACHE: dict[str, Any] = {}


def _shared_db(tmp_path_factory: Any) -> Any:
    """One database for all hypothesis examples (function fixtures do not reset per example)."""
    if "db" not in _DB_CACHE:
        db = open_database(tmp_path_factory.mktemp("search") / "fuzz.sqlite3")
        insert_mentions(db, [mention_row(text=t) for t in CORPUS.values()])
        _DB_CACHE["db"] = db
    return _DB_CACHE["db"]
