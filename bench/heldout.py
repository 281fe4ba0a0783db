"""The held-out questions with their gold intent and canonical entities."""
from dataclasses import dataclass
from typing import Dict, List

from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.loading import load_data

from bot.config import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "heldout" / "nlu.yml"
TRAINING = PROJECT_ROOT / "data" / "nlu"


@dataclass
class Example:
    text: str
    intent: str
    entities: Dict[str, List[str]]  # entity type → canonical values


def examples() -> List[Example]:
    synonyms = load_data(str(TRAINING)).entity_synonyms
    result = []
    for message in load_data(str(HELDOUT)).intent_examples:
        entities: Dict[str, List[str]] = {}
        for entity in message.get(ENTITIES) or []:
            value = str(entity["value"])
            entities.setdefault(entity["entity"], []).append(synonyms.get(value.lower(), value))
        result.append(Example(message.get(TEXT), message.get(INTENT), entities))
    return result
