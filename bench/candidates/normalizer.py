"""Rasa component: repair residents' spelling before the model sees the text.

Runs first in the pipeline. It learns the vocabulary from the training
examples at training time and adds the answer data's words when the model is
loaded (so a name staff added yesterday is already known), then rewrites
each incoming message with ``Vocabulary.repair``. Training examples are left
as written: their entity annotations point at character offsets.
"""
import json
import logging
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.config import Settings
from bot.knowledge import KnowledgeError, load_directory
from bench.candidates.vocabulary import Vocabulary, words_of

logger = logging.getLogger(__name__)
VOCABULARY_FILE = "vocabulary.json"


def answer_data_words() -> Dict[str, int]:
    try:
        kb = load_directory(Settings.from_env().knowledge_dir)
    except KnowledgeError as error:
        logger.warning("Spelling repair without answer-data words: %s", error)
        return {}
    texts = []
    for entry in kb.entries.values():
        texts += [entry.name, entry.summary, entry.details or "", *entry.aliases]
    return words_of(texts)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class DanishSpellingNormalizer(GraphComponent):
    def __init__(self, model_storage: ModelStorage, resource: Resource, counts: Optional[Dict[str, int]] = None):
        self._model_storage = model_storage
        self._resource = resource
        self._trained_counts = dict(counts or {})
        merged = dict(self._trained_counts)
        for word, count in answer_data_words().items():
            merged[word] = merged.get(word, 0) + count
        self.vocabulary = Vocabulary(merged)

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "DanishSpellingNormalizer":
        return cls(model_storage, resource)

    @classmethod
    def load(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "DanishSpellingNormalizer":
        try:
            with model_storage.read_from(resource) as directory:
                counts = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            logger.warning("No trained vocabulary found; spelling repair uses answer data only.")
            counts = {}
        return cls(model_storage, resource, counts)

    def train(self, training_data: TrainingData) -> Resource:
        counts = words_of(m.get(TEXT) or "" for m in training_data.training_examples)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(counts, ensure_ascii=False), encoding="utf-8")
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text and not text.startswith("/"):  # "/intent{...}" are button payloads
                message.set(TEXT, self.vocabulary.repair(text))
        return messages
