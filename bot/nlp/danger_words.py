"""Danger in the residents' other languages, found by precise words.

The words live in ``danger_words.yml`` beside this module (what each class
means and how an entry matches is written there). ``kind`` says which kind of
danger a message is about, ``names_a_child`` whether it names a child; both
are asked by ``bot.nlp.danger`` after its Danish and English patterns.
"""
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional

import yaml

from bot.knowledge.text import fold
from bot.language.detect import DANISH, SUPPORTED, detect, mostly_latin

WORDS_FILE = Path(__file__).with_name("danger_words.yml")
CLASSES = ("suicidal", "harm", "danger", "home", "close", "fear", "child", "police", "the_police", "reach", "drill",
           "prevention")
# Words at most two words apart: "kocam beni her gün dövüyor" is still husband + beating.
_GAP = r"(?:\s+\S+){0,2}\s+"
_AGE = r"(?:1[0-7]|[1-9])(?!\d)"

# Spellings that mean the same letter: residents type on the keyboard they have.
_SAME_LETTER = str.maketrans({
    # Before folding: Danish folds ö/ü/ä to oe/ue/ae, Turkish is typed with o/u too.
    "ł": "l", "ı": "i", "ö": "o", "ü": "u", "ä": "a", "ʼ": " ", "ہ": "ه", "ۃ": "ه",
    "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه", "ە": "ه",
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian/Urdu digits
})


def normalise(text: str) -> str:
    """A message or a word as the words are compared."""
    return fold(text.translate(_SAME_LETTER)).translate(_SAME_LETTER)


def _word_pattern(word: str, clitics: str, first: bool) -> str:
    """A word of an entry; the first one without its word start, which the
    class's pattern puts once in front of all its entries (far quicker)."""
    if word == "{age}":
        return _AGE
    whole = word.endswith("$") or (first and len(word) <= 2)
    stem = re.escape(normalise(word.rstrip("$")))
    return ("" if first else rf"(?<!\w){clitics}") + stem + (r"(?!\w)" if whole else r"\w*")


def _entry_pattern(entry: str, clitics: str) -> str:
    words = entry.replace("{age}", " {age} ").split()
    return _GAP.join(_word_pattern(w, clitics, first=i == 0) for i, w in enumerate(words))


def _class_pattern(entries: List[str], clitics: str) -> "re.Pattern[str]":
    return re.compile(rf"(?<!\w){clitics}(?:" + "|".join(_entry_pattern(e, clitics) for e in entries) + ")")


@dataclass(frozen=True)
class Language:
    words: Dict[str, "re.Pattern[str]"]  # one pattern per class of words
    latin: bool  # written in Latin letters: not looked for in a Danish message


@functools.lru_cache(maxsize=1)
def languages() -> Dict[str, Language]:
    """The words of ``danger_words.yml``, per language."""
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    result: Dict[str, Language] = {}
    for language, classes in data.items():
        unknown = set(classes) - set(CLASSES) - {"clitics"}
        if unknown:
            raise ValueError(f"{WORDS_FILE.name}: unknown classes {sorted(unknown)} for {language!r}")
        clitic_list = sorted((normalise(c) for c in classes.get("clitics") or []), key=len, reverse=True)
        clitics = "(?:" + "|".join(map(re.escape, clitic_list)) + ")?" if clitic_list else ""
        entries = {name: [str(e) for e in found] for name, found in classes.items() if name != "clitics" and found}
        result[language] = Language(
            words={name: _class_pattern(found, clitics) for name, found in entries.items()},
            latin=mostly_latin(" ".join(e for found in entries.values() for e in found)),
        )
    return result


@functools.lru_cache(maxsize=256)
def _found(text: str) -> FrozenSet[str]:
    """The classes of words the message holds, in any language. Words in
    Latin letters are not looked for in a Danish message ("bil", "mama", "is").
    Kept for the last messages: the detector, the answer's kind and the safety
    mode all ask about the same one."""
    normalised = normalise(text)
    danish = detect(text) == DANISH
    return frozenset(name for language in languages().values() if not (danish and language.latin)
            for name, pattern in language.words.items() if pattern.search(normalised))


def kind(text: str) -> Optional[str]:
    """The kind of danger (as in ``bot.nlp.danger``) the words find, or None.
    Suicide comes first, then violence (in the home when a close person or the
    home is named, or fear of them: "I'm afraid to go home"), then the police."""
    found = _found(text)
    if "suicidal" in found:
        return "suicidal"
    if "home" in found or {"harm", "close"} <= found or {"fear", "close"} <= found:
        return "home"
    if ("harm" in found and "prevention" not in found) or ("danger" in found and "drill" not in found):
        return "acute"
    if "police" in found or {"the_police", "reach"} <= found:
        return "police"
    return None


# The classes that speak of danger, not of who is in it.
_DANGER_CLASSES = ("suicidal", "harm", "danger", "home", "fear", "police", "the_police")


def language(text: str) -> Optional[str]:
    """The one language whose danger words the message holds, if exactly one
    does: a short crisis message the language detector cannot place ("maz mnie
    bije") is answered in the language its words are in."""
    normalised = normalise(text)
    found = {code for code, lang in languages().items() if code in SUPPORTED
             and any(pattern.search(normalised) for name, pattern in lang.words.items() if name in _DANGER_CLASSES)}
    return found.pop() if len(found) == 1 else None


def names_a_child(text: str) -> bool:
    return "child" in _found(text)
