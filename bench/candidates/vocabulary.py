"""Spelling repair driven by the words the assistant knows.

Residents write "soeparken", "faelles", "bornene", "kvindenetvark",
"karlemose parken". The vocabulary (every word of the training examples and of
the answer data) decides what each should be: a word that is not known is
replaced by the known word it folds to (ae/oe/aa, or æ/ø/å dropped to
a/o/a), else by a known word one edit away, and two words whose join is known
are joined. No hand-written lists: new answer data brings its own words.
"""
import re
from collections import Counter
from typing import Dict, Iterable, List, Optional

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.knowledge.text import fold

WORD = re.compile(r"\w+", re.UNICODE)
_STRIP = str.maketrans({"æ": "a", "ø": "o", "å": "a"})
# Typo repair only for words long enough that one edit rarely makes another
# Danish word ("stiger"/"siger", "planer"/"player" are both real words).
MIN_TYPO_LENGTH = 7
TWO_TYPOS_FROM_LENGTH = 10
MIN_STRIP_LENGTH = 3  # "so" is English, not a "sø" without its ø


def words_of(texts: Iterable[str]) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        counts.update(w for w in WORD.findall(text.lower()) if not w.isdigit())
    return counts


class Vocabulary:
    def __init__(self, counts: Dict[str, int]):
        self.counts = dict(counts)
        self._by_fold = self._index(fold)
        self._by_strip = self._index(lambda w: w.translate(_STRIP))
        self._long_words = [w for w in self.counts if len(w) >= MIN_TYPO_LENGTH - 2]

    def _index(self, key) -> Dict[str, str]:
        index: Dict[str, str] = {}
        for word in sorted(self.counts, key=lambda w: -self.counts[w]):  # most frequent wins
            index.setdefault(key(word).replace(" ", ""), word)
        return index

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def repair_word(self, word: str) -> str:
        lower = word.lower()
        if lower in self.counts or lower.isdigit():
            return word
        known = self._by_fold.get(fold(lower).replace(" ", ""))
        if known is None and len(lower) >= MIN_STRIP_LENGTH:
            known = self._by_strip.get(lower)
        if known:
            return known
        if len(lower) >= MIN_TYPO_LENGTH:
            limit = 1 if len(lower) < TWO_TYPOS_FROM_LENGTH else 2
            for candidate, _, _ in process.extract(
                lower, self._long_words, scorer=Levenshtein.distance, score_cutoff=limit, limit=3
            ):
                # A longer or shorter form of the same word is an inflection
                # ("perioden"), which the lemmatizer handles better than we do.
                if not (candidate.startswith(lower) or lower.startswith(candidate)):
                    return candidate
        return word

    def repair(self, text: str) -> str:
        tokens: List[str] = WORD.findall(text)
        if not tokens:
            return text
        repaired: List[str] = []
        i = 0
        while i < len(tokens):
            joined = self._join(tokens[i], tokens[i + 1]) if i + 1 < len(tokens) else None
            if joined:
                repaired.append(joined)
                i += 2
            else:
                repaired.append(self.repair_word(tokens[i]))
                i += 1
        return " ".join(repaired)

    def _join(self, first: str, second: str) -> Optional[str]:
        # "karlemose parken" → "karlemoseparken", only when the parts are not
        # both ordinary words on their own ("hvad er" must stay two words).
        if first.lower() in self.counts and second.lower() in self.counts:
            return None
        candidate = (first + second).lower()
        if candidate in self.counts:
            return candidate
        known = self._by_fold.get(fold(candidate))
        return known if known and len(candidate) >= 8 else None
