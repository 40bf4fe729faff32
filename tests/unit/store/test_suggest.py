"""store.suggest: the nearest indexed words for a typo (issue 9.18)."""

from __future__ import annotations

from crisisdesk.store.suggest import nearest_words
from tests.helpers.builders import insert_mentions, mention_row


def test_a_typo_gets_the_written_word_back(db) -> None:
    insert_mentions(
        db,
        [
            mention_row(text="The cake arrived late, I want a refund"),
            mention_row(text="Refunds take too long"),
            mention_row(text="Reading about recipes"),
        ],
    )
    assert nearest_words(db, "refnud")[0] == "refund"
    assert nearest_words(db, "arived") == ["arrived"]
    assert nearest_words(db, "zzzzzz") == []
    assert nearest_words(db, "ab") == []  # too short to guess
