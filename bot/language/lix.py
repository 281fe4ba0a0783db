"""LIX, the Scandinavian readability index: words per sentence plus the
percentage of long words (more than six letters). Below 30 is easy reading,
30-40 everyday text, above 40 the style of public documents.

Links, e-mail addresses and phone numbers are left out: a resident does not
read them as words.
"""
import re
import statistics
from typing import Dict, Iterable, List

_NOT_WORDS = re.compile(r"https?://\S+|\S+@\S+|\b[\w.-]+\.(?:dk|com|org|net)\b\S*", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
# A sentence ends at . ! ? : or a line break; "fx." and "tlf." do not end one.
_SENTENCE_END = re.compile(r"(?<!\bfx)(?<!\btlf)[.!?:]+(?=\s|$)|\n+")
LONG_WORD = 6


def lix(text: str) -> float:
    text = _NOT_WORDS.sub(" ", text)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    long_words = sum(len(w) > LONG_WORD for w in words)
    return len(words) / sentences + 100 * long_words / len(words)


def summary(texts: Iterable[str]) -> Dict[str, float]:
    """Median, 90th percentile and share above 40 of the texts' LIX."""
    values: List[float] = sorted(lix(t) for t in texts if t.strip())
    if not values:
        return {"count": 0, "median": 0.0, "p90": 0.0, "above_40": 0.0}
    p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
    return {"count": len(values), "median": statistics.median(values), "p90": p90,
            "above_40": sum(v > 40 for v in values) / len(values)}
