"""Which answer-data entries the trained model knows by name.

The model learnt entry names as entity synonyms (``data/nlu/*.yml``) and whole
topics as intents. An entry staff add later is neither: the model cannot
recognise it and will pick the nearest topic it knows, so a question that
names such an entry is answered about that entry instead. The words of its
questions about the plan tell a request the plan speaks of from one it does not.
"""
import functools
import re
from typing import FrozenSet

import yaml

from bot.config import PROJECT_ROOT
from bot.knowledge.text import fold

NLU_DIR = PROJECT_ROOT / "data" / "nlu"


@functools.lru_cache(maxsize=1)
def synonym_targets() -> FrozenSet[str]:
    targets = set()
    for path in sorted(NLU_DIR.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "synonym" in item:
                targets.add(str(item["synonym"]))
    return frozenset(targets)


def known_to_the_model(entry) -> bool:
    return bool(entry.intent) or entry.id in synonym_targets()


# Intents whose examples are not questions about the plan.
NOT_THE_PLAN = {"out_of_scope", "emergency", "suicidal", "distress"}


# "[Get2Sport](initiative)", "[tlf]{"entity": ...}": the words as written.
_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@functools.lru_cache(maxsize=1)
def plan_words() -> FrozenSet[str]:
    """The words residents' questions about the plan use (folded), from every
    training example of the plan's intents: "arbejde", "sport", "skolen".
    Read from the YAML directly: Rasa's loader takes seconds, which the first
    resident would wait for."""
    words = set()
    for path in sorted(NLU_DIR.glob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            if "intent" in item and item["intent"] not in NOT_THE_PLAN:
                for line in str(item.get("examples") or "").splitlines():
                    words.update(fold(_ANNOTATION.sub(r"\1", line.strip().removeprefix("- "))).split())
    return frozenset(words)
