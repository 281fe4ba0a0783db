"""Search all answer data by the words of a question.

Used when the model is unsure what the resident wants. Every entry is a
small document (name and aliases weigh more than the texts); a question word
counts when an entry has the same word or a close spelling of it, weighted by
how rare the word is across the answer data, so "og", "er" and "helhedsplanen"
count little and "fritidsjob" or "mentor" count a lot. Built from the
current answer data, so an entry staff added a minute ago is found by its
name and by words from its description.
"""
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List

from rapidfuzz import fuzz, process

from bot.knowledge.text import danish_stop_words, fold

NAME_WEIGHT = 3.0
TEXT_WEIGHT = 1.0
MIN_WORD_LENGTH = 3
# Two spellings are the same word from this similarity on (one typo in a
# seven-letter word); shorter words must match exactly.
SIMILAR_WORD = 86.0
EXACT_BELOW_LENGTH = 5


@dataclass(frozen=True)
class Hit:
    entry_id: str
    score: float


class AnswerSearch:
    def __init__(self, entries: Iterable):
        self._weights: Dict[str, Dict[str, float]] = defaultdict(dict)  # word → entry → weight
        documents = 0
        for entry in entries:
            documents += 1
            words: Dict[str, float] = {}
            for text, weight in _fields(entry):
                for word in fold(text).split():
                    if _counts(word):
                        words[word] = max(words.get(word, 0.0), weight)
            for word, weight in words.items():
                self._weights[word][entry.id] = weight
        self._words = list(self._weights)
        self._idf = {
            word: math.log(1 + documents / len(postings)) for word, postings in self._weights.items()
        }

    def search(self, text: str, limit: int = 3) -> List[Hit]:
        scores: Counter = Counter()
        for query_word in set(fold(text).split()):
            if not _counts(query_word):
                continue
            for word, similarity in self._similar_words(query_word):
                for entry_id, weight in self._weights[word].items():
                    contribution = weight * self._idf[word] * similarity
                    # A question word counts once per entry, by its best match.
                    key = (entry_id, query_word)
                    scores[key] = max(scores[key], contribution)
        totals: Counter = Counter()
        for (entry_id, _), value in scores.items():
            totals[entry_id] += value
        return [Hit(entry_id, score) for entry_id, score in totals.most_common(limit)]

    def _similar_words(self, query_word: str):
        if len(query_word) < EXACT_BELOW_LENGTH:
            return [(query_word, 1.0)] if query_word in self._weights else []
        matches = process.extract(query_word, self._words, scorer=fuzz.ratio, score_cutoff=SIMILAR_WORD, limit=5)
        return [(word, score / 100.0) for word, score, _ in matches]


def _counts(word: str) -> bool:
    return len(word) >= MIN_WORD_LENGTH and word not in danish_stop_words()


def _fields(entry):
    for text in (entry.name, *entry.aliases):
        yield text, NAME_WEIGHT
    for text in (entry.summary, entry.details or ""):
        yield text, TEXT_WEIGHT
