"""What telling a message's language costs, and how often it is right.

    .venv/bin/python -m bench.language_detection

Runs ``bot.language.detect.detect`` on every held-out message (the Danish
conversations' turns and questions, and the questions in the nine other
languages) and prints, per language of the writer, the share told right, the
share taken for another language, and the time per message (p50, p95, after
the model is loaded), beside the time of the folding every message already
gets (``bot.knowledge.text.fold``) measured in the same run; and what the
danger words of the other languages cost (``bot.nlp.danger_words.kind``, which
every message the Danish patterns find nothing in gets) beside the Danish and
English patterns (``bot.nlp.danger.PATTERNS``).
"""
import statistics
import time
from collections import defaultdict
from typing import Callable, Dict, List

from bench.conversations import SETS as CONVERSATION_SETS, conversations
from bench.heldout import examples
from bench.languages import SETS as LANGUAGE_SETS, languages, questions
from bench.report import percentile
from bot.knowledge.text import fold
from bot.language.detect import detect
from bot.nlp import danger_words
from bot.nlp.danger import KINDS, PATTERNS


def _danish_patterns(text: str) -> object:
    folded = fold(text)
    return next((kind for kind in KINDS if PATTERNS[kind].search(folded)), None)


def _timed(function: Callable[[str], object], texts: List[str]) -> List[float]:
    timings = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        timings.append((time.perf_counter() - start) * 1e6)
    return timings


def main() -> None:
    by_language: Dict[str, List[str]] = defaultdict(list)
    by_language["da"] = [e.text for e in examples()]
    by_language["da"] += [t.user for c in conversations(CONVERSATION_SETS) for t in c.turns]
    for language in languages():
        by_language[language] += [q.text for q in questions(language, LANGUAGE_SETS)]
    detect("varm op")  # loads the model
    print("| writer's language | messages | told right | taken for another language | not told |")
    print("|---|---|---|---|---|")
    for language, texts in sorted(by_language.items()):
        found = [detect(t) for t in texts]
        other = sum(f not in (language, None) for f in found)
        print(f"| {language} | {len(texts)} | {sum(f == language for f in found) / len(texts):.3f} | "
              f"{other / len(texts):.3f} | {sum(f is None for f in found) / len(texts):.3f} |")
    everything = [t for texts in by_language.values() for t in texts]
    detection, folding = _timed(detect, everything), _timed(fold, everything)
    print(f"\nPer message ({len(everything)} messages): detect p50 {statistics.median(detection):.0f} µs, "
          f"p95 {percentile(detection, 0.95):.0f} µs; fold (baseline, same run) p50 "
          f"{statistics.median(folding):.0f} µs, p95 {percentile(folding, 0.95):.0f} µs")
    danger_words.kind("varm op")  # compiles the words
    words, patterns = _timed(danger_words.kind, everything), _timed(_danish_patterns, everything)
    print(f"Danger words of the other languages p50 {statistics.median(words):.0f} µs, p95 "
          f"{percentile(words, 0.95):.0f} µs; the Danish and English patterns (same run) p50 "
          f"{statistics.median(patterns):.0f} µs, p95 {percentile(patterns, 0.95):.0f} µs")


if __name__ == "__main__":
    main()
