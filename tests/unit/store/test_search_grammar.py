"""Issue 8, defect 14: every search the README's syntax allows works, long ones included.

The README: plain words, "a phrase", ``refund OR money``, ``-exclude``. The property test builds
queries from that grammar (words beside an OR, 100+ alternatives, phrases, exclusions, emoji)
and runs each through ``mentions.query`` on a real database that holds a text made to match.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisdesk.errors import SearchSyntaxError
from crisisdesk.store import mentions, open_database
from crisisdesk.store.mentions import MentionFilter
from crisisdesk.store.search import MAX_TERMS
from tests.helpers.builders import insert_mentions, mention_row

_WORDS = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéüß0123456789"), min_size=2, max_size=8
).filter(lambda w: w not in ("or", "and", "not") and not w.startswith("zz"))


@st.composite
def readme_queries(draw: Any) -> tuple[str, list[str], list[str]]:
    """A query, the words a matching text needs, and the excluded words."""
    clauses: list[str] = []
    needed: list[str] = []
    excluded: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["word", "phrase", "or", "exclude"]))
        if kind == "word":
            word = draw(_WORDS)
            clauses.append(word)
            needed.append(word)
        elif kind == "phrase":
            words = draw(st.lists(_WORDS, min_size=1, max_size=3))
            clauses.append('"' + " ".join(words) + '"')
            needed.append(" ".join(words))
        elif kind == "or":
            words = draw(st.lists(_WORDS, min_size=2, max_size=120))
            clauses.append(" OR ".join(words))
            needed.append(words[draw(st.integers(0, len(words) - 1))])
        else:
            excluded.append("zz" + draw(_WORDS))
            clauses.append("-" + excluded[-1])
    if not needed:
        word = draw(_WORDS)
        clauses.append(word)
        needed.append(word)
    return " ".join(draw(st.permutations(clauses))), needed, excluded


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    db = open_database(Path(tmp_path_factory.mktemp("grammar")) / "db.sqlite3")
    yield db
    db.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(readme_queries())
def test_every_query_of_the_readme_grammar_works_and_finds_its_text(
    database: Any, query: tuple[str, list[str], list[str]]
) -> None:
    text, needed, excluded = query
    if len(text.split()) - text.split().count("OR") > MAX_TERMS:
        with pytest.raises(SearchSyntaxError, match="at most"):
            mentions.query(database, MentionFilter(search=text))
        return
    with database.atomic():
        database.execute("DELETE FROM mentions")
        insert_mentions(database, [mention_row(text="post: " + " ".join(needed))])
        insert_mentions(database, [mention_row(text="other " + " ".join(needed + excluded))])
    found = [m.text for m in mentions.query(database, MentionFilter(search=text), limit=5)]
    assert found == ["post: " + " ".join(needed)] if excluded else len(found) == 2


@pytest.mark.parametrize(
    "text",
    [
        "never came OR refund",
        " OR ".join(f"word{n}" for n in range(150)),
        "a OR b OR c d -e f OR g",
        '"late delivery" OR refund cake',
    ],
)
def test_words_beside_an_or_and_long_or_chains_work(db: Any, text: str) -> None:
    insert_mentions(db, [mention_row(text="never came, refund word7 a d f cake")])
    mentions.query(db, MentionFilter(search=text))  # no SearchSyntaxError


def test_a_search_of_1000_emoji_gets_a_clear_limit_not_a_traceback(db: Any) -> None:
    with pytest.raises(SearchSyntaxError, match=f"at most {MAX_TERMS}"):
        mentions.query(db, MentionFilter(search=" ".join(["🎂"] * 1000)))
    assert mentions.query(db, MentionFilter(search=" ".join(["🎂"] * 100))) == []
