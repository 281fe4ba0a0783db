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
