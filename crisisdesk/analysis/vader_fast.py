"""VADER's compound score computed in fewer passes, with the same result to the last bit.

``SentimentIntensityAnalyzer.polarity_scores`` (vaderSentiment 3.3.2) lower-cases the whole
word list again for every negation and idiom check, i.e. quadratic work per text, and looks
words up in lists. :class:`FastCompound` follows the same rules in the same order, with every
arithmetic step done the same way (so the floats agree exactly), but it lower-cases each word
once, looks words up in dicts and sets, and only runs the rules around lexicon words.

It reads the lexicon, booster words, negations and idioms from the installed library, so it
never holds a second copy of VADER's data. :mod:`crisisdesk.analysis.sentiment` checks it
against the library at start-up and uses the library itself if they ever disagree.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from itertools import compress, pairwise
from typing import Any

__all__ = ["FastCompound"]

_PUNCTUATION = string.punctuation
_SO_THIS = frozenset({"so", "this"})
_OR_NOR = frozenset({"or", "nor"})
_AT_VERY = frozenset({"at", "very"})


#: distinct tokens :class:`_Lowered` remembers before it starts over
TOKEN_CACHE_LIMIT = 200_000


class _Lowered(dict[str, str]):
    """Token -> its word as VADER's rules read it, lower-cased: punctuation stripped off
    unless that leaves two characters or fewer (":)" and "ok!" keep theirs)."""

    def __missing__(self, token: str) -> str:
        stripped = token.strip(_PUNCTUATION)
        word = (token if len(stripped) <= 2 else stripped).lower()
        if len(self) >= TOKEN_CACHE_LIMIT:
            self.clear()
        self[token] = word
        return word


class FastCompound:
    """``polarity_scores(text)["compound"]`` for text whose emoji are already swapped for words
    and which is already stripped (what ``polarity_scores`` does before it splits)."""

    def __init__(self, vader: Any, lexicon: Mapping[str, float]) -> None:
        self._lexicon = dict(lexicon)
        self._booster: dict[str, float] = dict(vader.BOOSTER_DICT)
        self._negate = frozenset(vader.NEGATE)
        self._special: dict[str, float] = dict(vader.SPECIAL_CASES)
        self._n_scalar: float = vader.N_SCALAR
        self._c_incr: float = vader.C_INCR
        # words that occur in some idiom or multi-word booster: the idiom check can only change
        # a valence when one of the words it looks at is one of these
        idiom_words: set[str] = set()
        for phrase in (*self._special, *(k for k in self._booster if " " in k)):
            idiom_words.update(phrase.split(" "))
        self._idiom_words = frozenset(idiom_words)
        # neighbouring words of those phrases: a text none of whose neighbouring words are one
        # of these pairs contains no idiom or multi-word booster (every phrase has two words
        # or more), so the idiom check can change nothing in it
        self._idiom_pairs = frozenset(
            pair
            for phrase in (*self._special, *(k for k in self._booster if " " in k))
            for pair in pairwise(phrase.split(" "))
        )
        self._normalize = vader.normalize
        self._lowered = _Lowered()

    def _scalar(self, word: str, lowered: str, valence: float, cap_diff: bool) -> float:
        """VADER's ``scalar_inc_dec``: what a booster word before a lexicon word adds."""
        scalar = self._booster.get(lowered)
        if scalar is None:
            return 0.0
        if valence < 0:
            scalar *= -1
        if cap_diff and word.isupper():
            if valence > 0:
                scalar += self._c_incr
            else:
                scalar -= self._c_incr
        return scalar

    def _idioms(self, valence: float, low: list[str], i: int) -> float:
        """VADER's ``_special_idioms_check`` (only reached with i >= 3)."""
        n = len(low)
        w0, w1, w2, w3 = low[i], low[i - 1], low[i - 2], low[i - 3]
        words = self._idiom_words
        after1 = low[i + 1] if n - 1 > i else None
        after2 = low[i + 2] if n - 1 > i + 1 else None
        if not (
            w0 in words
            or w1 in words
            or w2 in words
            or w3 in words
            or (after1 is not None and after1 in words)
        ):
            return valence
        special = self._special
        one_zero = f"{w1} {w0}"
        two_one_zero = f"{w2} {w1} {w0}"
        two_one = f"{w2} {w1}"
        three_two_one = f"{w3} {w2} {w1}"
        three_two = f"{w3} {w2}"
        for seq in (one_zero, two_one_zero, two_one, three_two_one, three_two):
            found = special.get(seq)
            if found is not None:
                valence = found
                break
        if after1 is not None:
            found = special.get(f"{w0} {after1}")
            if found is not None:
                valence = found
            if after2 is not None:
                found = special.get(f"{w0} {after1} {after2}")
                if found is not None:
                    valence = found
        booster = self._booster
        for n_gram in (three_two_one, three_two, two_one):
            boost = booster.get(n_gram)
            if boost is not None:
                valence = valence + boost
        return valence

    def __call__(self, text: str) -> float:
        tokens = text.split()
        n = len(tokens)
        if n == 0:
            return 0.0
        # each token's word, lower-cased, from a cache (most words recur across mentions)
        low = list(map(self._lowered.__getitem__, tokens))
        # a token and its word have the same cased characters (only punctuation is stripped),
        # so they are upper case alike
        uppers = sum(map(str.isupper, tokens))
        cap_diff = 0 < n - uppers < n
        lexicon = self._lexicon
        booster = self._booster
        n_scalar = self._n_scalar
        c_incr = self._c_incr
        negate = self._negate
        sentiments: list[float] = [0] * n
        idioms = not self._idiom_pairs.isdisjoint(pairwise(low))
        # only lexicon words get a score: their positions, found in C
        for i in compress(range(n), map(lexicon.__contains__, low)):
            lw = low[i]
            valence = lexicon[lw]
            if lw in booster or (lw == "kind" and i < n - 1 and low[i + 1] == "of"):
                continue
            if lw == "no" and i != n - 1 and low[i + 1] in lexicon:
                valence = 0.0
            if (
                (i > 0 and low[i - 1] == "no")
                or (i > 1 and low[i - 2] == "no")
                or (i > 2 and low[i - 3] == "no" and low[i - 1] in _OR_NOR)
            ):
                valence = lexicon[lw] * n_scalar
            if cap_diff and tokens[i].isupper():
                if valence > 0:
                    valence += c_incr
                else:
                    valence -= c_incr
            # up to three words before: boosters, negations, idioms (skipping lexicon words);
            # a word that is no booster adds 0.0, which changes no score
            if i > 0 and (w1 := low[i - 1]) not in lexicon:
                if w1 in booster:
                    valence = valence + self._scalar(tokens[i - 1], w1, valence, cap_diff)
                if w1 in negate or "n't" in w1:
                    valence = valence * n_scalar
            if i > 1 and (w2 := low[i - 2]) not in lexicon:
                if w2 in booster:
                    s = self._scalar(tokens[i - 2], w2, valence, cap_diff)
                    if s != 0:
                        s = s * 0.95
                    valence = valence + s
                if w2 == "never" and low[i - 1] in _SO_THIS:
                    valence = valence * 1.25
                elif w2 == "without" and low[i - 1] == "doubt":
                    pass
                elif w2 in negate or "n't" in w2:
                    valence = valence * n_scalar
            if i > 2 and (w3 := low[i - 3]) not in lexicon:
                if w3 in booster:
                    s = self._scalar(tokens[i - 3], w3, valence, cap_diff)
                    if s != 0:
                        s = s * 0.9
                    valence = valence + s
                if (w3 == "never" and low[i - 2] in _SO_THIS) or low[i - 1] in _SO_THIS:
                    valence = valence * 1.25
                elif w3 == "without" and (low[i - 2] == "doubt" or low[i - 1] == "doubt"):
                    pass
                elif w3 in negate or "n't" in w3:
                    valence = valence * n_scalar
                if idioms:
                    valence = self._idioms(valence, low, i)
            # "least" before the word negates it, unless "at least" / "very least"
            if (
                i > 0
                and low[i - 1] == "least"
                and "least" not in lexicon
                and (i == 1 or low[i - 2] not in _AT_VERY)
            ):
                valence = valence * n_scalar
            sentiments[i] = valence
        if "but" in low:
            but = low.index("but")
            # VADER finds each score's position with list.index (the first equal score), so
            # equal scores on both sides of "but" are weighted as VADER weights them
            for sentiment in sentiments:
                at = sentiments.index(sentiment)
                if at < but:
                    sentiments[at] = sentiment * 0.5
                elif at > but:
                    sentiments[at] = sentiment * 1.5
        total = float(sum(sentiments))
        if total == 0:
            return round(float(self._normalize(total)), 4)
        exclamations = min(text.count("!"), 4)
        emphasis = exclamations * 0.292
        questions = text.count("?")
        if questions > 1:
            emphasis += questions * 0.18 if questions <= 3 else 0.96
        total = total + emphasis if total > 0 else total - emphasis
        return round(float(self._normalize(total)), 4)
