"""Fuzzy lookup of entry names and aliases inside free text.

A resident's "faeles fremtid", "kvindenetvaerk" or "karlemose parken" must
still find the right entry, so names and text are folded (see ``text.fold``)
and compared window by window with an edit-distance ratio.
"""
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence, Tuple

from rapidfuzz import fuzz

from bot.knowledge.text import fold

# Short names ("ssp", "sfo", "rikke") only count on an exact word match: one typo in a
# five-letter word is a different word ("ikke" is not "rikke").
EXACT_ONLY_BELOW = 6
DEFAULT_THRESHOLD = 86.0


@dataclass(frozen=True)
class Match:
    entry_id: str
    score: float
    alias: str


class NameIndex:
    def __init__(self, entries: Iterable):
        self._names: List[Tuple[str, str, str]] = []  # (folded alias, joined alias, entry id)
        for entry in entries:
            for alias in {entry.name, entry.id.replace("_", " "), *entry.aliases}:
                folded = fold(alias)
                if folded:
                    self._names.append((folded, folded.replace(" ", ""), entry.id))

    def find(
        self,
        text: str,
        threshold: float = DEFAULT_THRESHOLD,
        kinds_filter=None,
        min_alias_length: int = 1,
    ) -> List[Match]:
        """All entries named in ``text``, best first, at most one match per entry."""
        words = fold(text).split()
        if not words:
            return []
        best = {}
        for folded, joined, entry_id in self._names:
            if len(joined) < min_alias_length or (kinds_filter and not kinds_filter(entry_id)):
                continue
            score = _best_window_score(folded, joined, words)
            if score >= threshold and score > best.get(entry_id, Match(entry_id, 0, "")).score:
                best[entry_id] = Match(entry_id, score, folded)
        return sorted(best.values(), key=lambda m: (m.score, len(m.alias)), reverse=True)

    def best(self, text: str, **kwargs) -> Optional[str]:
        matches = self.find(text, **kwargs)
        return matches[0].entry_id if matches else None


def _best_window_score(folded: str, joined: str, words: Sequence[str]) -> float:
    size = folded.count(" ") + 1
    if len(joined) < EXACT_ONLY_BELOW:
        return 100.0 if folded in _windows(words, size, size) else 0.0
    best = 0.0
    for window in _windows(words, max(1, size - 1), size + 1):
        score = max(fuzz.ratio(folded, window), fuzz.ratio(joined, window.replace(" ", "")))
        if score > best:
            best = score
            if best == 100.0:
                break
    return best


def _windows(words: Sequence[str], smallest: int, largest: int):
    for size in range(smallest, largest + 1):
        for start in range(0, len(words) - size + 1):
            yield " ".join(words[start : start + size])
