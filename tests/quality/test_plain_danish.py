"""Plain Danish: residents read Danish as a second language or with short
schooling, so the answer data is written in short sentences and everyday
words. Gated on LIX (bot/language/lix.py), over every summary and details text
and the sentences that frame them; bench.conversations measures the replies."""
import yaml

from bot.config import PROJECT_ROOT
from bot.knowledge import load_directory
from bot.language.lix import lix, summary

# The targets for replies: median LIX at most 30, 90th percentile at most 40.
MEDIAN, P90 = 30, 40
PHRASE_FILES = ["bot/knowledge/phrases.yml", "actions/phrases.yml", "bot/privacy/phrases.yml"]


def _answer_texts():
    kb = load_directory(PROJECT_ROOT / "data" / "knowledge")
    return {f"{e.id}.{field}": text for e in kb.entries.values()
            for field, text in (("summary", e.summary), ("details", e.details)) if text}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def test_the_answer_data_is_plain_danish():
    texts = _answer_texts()
    figures = summary(texts.values())
    hardest = sorted(((round(lix(t)), k) for k, t in texts.items()), reverse=True)[:5]
    assert figures["median"] <= MEDIAN and figures["p90"] <= P90, (figures, hardest)


def test_the_sentences_around_the_facts_are_plain_danish():
    texts = [s for path in PHRASE_FILES
             for s in _strings(yaml.safe_load((PROJECT_ROOT / path).read_text(encoding="utf-8")))
             if len(s.split()) >= 5]
    figures = summary(texts)
    assert figures["median"] <= MEDIAN and figures["p90"] <= P90, figures


def test_lix_counts_words_per_sentence_and_long_words():
    assert lix("Jeg bor i Køge. Du bor her.") == 3.5  # 7 words, 2 sentences, no long word
    assert lix("Helhedsplanen administreres af Boligselskabet Sjælland.") == 85  # 5 words, 4 long
    assert lix("Ring på tlf. 56 67 67 67 eller skriv til raadhus@koege.dk.") < 20  # numbers and mail are not words
