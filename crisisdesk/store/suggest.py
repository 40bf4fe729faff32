""" "Did you mean": the indexed words nearest to a search word that found nothing.

The full-text index's own vocabulary (an ``fts5vocab`` table, created per connection in the
``temp`` schema, so no migration) lists every stemmed term with the number of mentions holding
it. A typo ("refnud") is compared with the terms that share its first letter; the closest
frequent ones come back as words people actually wrote (the stem "arriv" as "arrived").
"""

from __future__ import annotations

import difflib
import re

import sqlite_utils

VOCAB = "temp.crisisdesk_vocab"
#: how alike a term must be (difflib ratio) to be offered
CUTOFF = 0.7


def _vocab(db: sqlite_utils.Database) -> None:
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCAB} USING fts5vocab(main, mentions_fts, row)"
    )


def nearest_words(db: sqlite_utils.Database, word: str, limit: int = 3) -> list[str]:
    """Up to *limit* indexed words close to *word*, most alike (then most common) first."""
    word = word.casefold().strip()
    if len(word) < 3 or not word.isalpha():
        return []
    _vocab(db)
    first = word[0]
    rows = db.execute(
        f"SELECT term, doc FROM {VOCAB} WHERE term >= ? AND term < ?",
        [first, first + "\U0010ffff"],
    ).fetchall()
    docs = {str(term): int(doc) for term, doc in rows if str(term) != word}
    close = difflib.get_close_matches(word, docs, n=limit * 3, cutoff=CUTOFF)
    ranked = sorted(
        close,
        key=lambda t: (-round(difflib.SequenceMatcher(None, word, t).ratio(), 1), -docs[t]),
    )
    words: list[str] = []
    for term in ranked:
        shown = _written_form(db, term)
        if shown and shown not in words and shown != word:
            words.append(shown)
        if len(words) == limit:
            break
    return words


def _written_form(db: sqlite_utils.Database, stem: str) -> str | None:
    """A word as written in a mention that holds the (stemmed) *stem*."""
    row = db.execute(
        "SELECT text FROM mentions WHERE id IN"
        " (SELECT rowid FROM mentions_fts WHERE mentions_fts MATCH ? LIMIT 1)",
        ['"' + stem.replace('"', '""') + '"*'],
    ).fetchone()
    if row is None:
        return None
    words: list[str] = re.findall(r"\w+", str(row[0]).casefold())
    return next((w for w in words if w.startswith(stem)), stem)
