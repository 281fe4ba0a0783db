"""Which answer-data entries the trained model knows by name.

The model learnt entry names as entity synonyms (``data/nlu/*.yml``) and whole
topics as intents. An entry staff add later is neither: the model cannot
recognise it and will pick the nearest topic it knows, so a question that
names such an entry is answered about that entry instead.
"""
import functools
from typing import FrozenSet

import yaml

from bot.config import PROJECT_ROOT

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


@functools.lru_cache(maxsize=1)
def plan_words() -> FrozenSet[str]:
    """The words residents' questions about the plan use (folded), from every
    training example of the plan's intents: "arbejde", "sport", "skolen"."""
    from rasa.shared.nlu.training_data.loading import load_data

    from bot.knowledge.text import fold

    words = set()
    for message in load_data(str(NLU_DIR)).intent_examples:
        if message.get("intent") not in NOT_THE_PLAN:
            words.update(fold(message.get("text") or "").split())
    return frozenset(words)
