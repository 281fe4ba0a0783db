"""Rasa component: mark the tokens that spell a known entity, for the CRF.

A CRF entity extractor learns from token features, so "ungementor",
"tlf." or "nr 3" are lost on it unless a training example used exactly that
word. The training data already knows these spellings: every annotated
entity and every synonym ("ungementor" → mentorindsats, "tlf." → telefon).
This component collects them per entity type at training time and, for each
message, marks the tokens inside a known spelling (folded, or one typo away
for longer words) with a ``gazetteer_<entity>`` pattern that the CRF's
``pattern`` feature reads, as it reads the RegexFeaturizer's patterns. No
hand-written lists: the data brings its own spellings.
"""
import json
import logging
from collections import defaultdict
from typing import Any, Dict, Iterable, List, Optional, Set, Text, Tuple

from rapidfuzz import fuzz, process
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ENTITIES, ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge.text import fold

logger = logging.getLogger(__name__)
GAZETTEER_FILE = "gazetteer.json"
PATTERN_PREFIX = "gazetteer_"
# Spellings shorter than this (joined) count only when exact: one typo in
# "ssp" or "tlf" is another word.
FUZZY_FROM_LENGTH = 5
SIMILARITY = 86.0  # one typo in a seven-letter word, as in bot.knowledge.search


class Gazetteer:
    """Known spellings per entity type, matched against windows of tokens."""

    def __init__(self, spellings: Dict[str, Iterable[str]]):
        self.spellings = {entity: sorted(set(forms)) for entity, forms in spellings.items()}
        self._types_by_form: Dict[str, Set[str]] = defaultdict(set)
        for entity, forms in self.spellings.items():
            for form in forms:
                self._types_by_form[_joined(form)].add(entity)
        self._long_forms = [form for form in self._types_by_form if len(form) >= FUZZY_FROM_LENGTH]
        self._longest = max((form.count(" ") + 1 for forms in self.spellings.values() for form in forms), default=1)

    @classmethod
    def from_training_data(cls, training_data: TrainingData) -> "Gazetteer":
        spellings: Dict[str, Set[str]] = defaultdict(set)
        types_by_value: Dict[str, Set[str]] = defaultdict(set)
        for example in training_data.entity_examples:
            text = example.get(TEXT) or ""
            for entity in example.get(ENTITIES) or []:
                entity_type = entity[ENTITY_ATTRIBUTE_TYPE]
                spellings[entity_type].add(fold(text[entity["start"] : entity["end"]]))
                value = str(entity.get(ENTITY_ATTRIBUTE_VALUE))
                # The annotated value, and what the synonym mapper turns it into.
                for known in (value, training_data.entity_synonyms.get(value, value)):
                    types_by_value[known].add(entity_type)
        for spelling, value in training_data.entity_synonyms.items():
            for entity_type in types_by_value.get(str(value), ()):
                spellings[entity_type].add(fold(spelling))
                spellings[entity_type].add(fold(str(value).replace("_", " ")))
        return cls({entity: {f for f in forms if f} for entity, forms in spellings.items()})

    def spans(self, words: List[str]) -> List[Tuple[int, int, str]]:
        """(first, last + 1, entity type) for the windows of ``words`` that spell an
        entity; of overlapping windows of one type only the closest spelling
        (then the longer window) counts, so "kan faellesfremtid" marks one word."""
        candidates = []
        for size in range(1, self._longest + 1):
            for start in range(0, len(words) - size + 1):
                if not (words[start] and words[start + size - 1]):  # punctuation at an edge
                    continue
                for entity, score in self._types_of(_joined(" ".join(words[start : start + size]))):
                    candidates.append((score, size, start, entity))
        taken: Dict[str, List[Tuple[int, int]]] = defaultdict(list)
        for score, size, start, entity in sorted(candidates, reverse=True):
            end = start + size
            if all(end <= first or start >= last for first, last in taken[entity]):
                taken[entity].append((start, end))
        return sorted((first, last, entity) for entity, spans in taken.items() for first, last in spans)

    def _types_of(self, window: str) -> List[Tuple[str, float]]:
        if not window:
            return []
        exact = self._types_by_form.get(window)
        if exact:
            return [(entity, 100.0) for entity in exact]
        if len(window) < FUZZY_FROM_LENGTH:
            return []
        match = process.extractOne(window, self._long_forms, scorer=fuzz.ratio, score_cutoff=SIMILARITY)
        return [(entity, match[1]) for entity in self._types_by_form[match[0]]] if match else []


def _joined(folded: str) -> str:
    return folded.replace(" ", "")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class GazetteerFeaturizer(GraphComponent):
    @classmethod
    def required_components(cls) -> List[type]:
        return [Tokenizer]

    def __init__(self, model_storage: ModelStorage, resource: Resource, gazetteer: Optional[Gazetteer] = None):
        self._model_storage = model_storage
        self._resource = resource
        self.gazetteer = gazetteer or Gazetteer({})

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "GazetteerFeaturizer":
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "GazetteerFeaturizer":
        try:
            with model_storage.read_from(resource) as directory:
                spellings = json.loads((directory / GAZETTEER_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("No trained gazetteer found; entity spellings are not marked.")
            spellings = {}
        return cls(model_storage, resource, Gazetteer(spellings))

    def train(self, training_data: TrainingData) -> Resource:
        self.gazetteer = Gazetteer.from_training_data(training_data)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / GAZETTEER_FILE).write_text(
                json.dumps(self.gazetteer.spellings, ensure_ascii=False), encoding="utf-8"
            )
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        names = [PATTERN_PREFIX + entity for entity in self.gazetteer.spellings]
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            marked: Dict[int, Set[str]] = defaultdict(set)
            for first, end, entity in self.gazetteer.spans([fold(token.text) for token in tokens]):
                for index in range(first, end):
                    marked[index].add(PATTERN_PREFIX + entity)
            for index, token in enumerate(tokens):
                patterns = dict(token.get("pattern", default={}))
                patterns.update({name: name in marked[index] for name in names})
                token.set("pattern", patterns)
        return messages
