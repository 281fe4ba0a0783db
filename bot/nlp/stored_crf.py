"""Rasa component: Rasa's CRF entity extractor, stored trained.

Rasa 3.6's ``CRFEntityExtractor`` stores its training data, not its model,
and trains the CRF again every time the model is loaded: about ten seconds
of every Rasa server start, and more with every training example. A server
killed under load must be back within 30 s (issue 22), so this subclass
stores what crfsuite trained (one model file per tag) and loads that. It
extracts exactly as Rasa's does; only storing and loading differ.
"""
import logging
import shutil
from collections import OrderedDict
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

logger = logging.getLogger(__name__)
ORDER_FILE = "crf_order.json"


def _model_file(tag_name: str) -> str:
    return f"crf_{tag_name}.crfsuite"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class StoredCRFEntityExtractor(CRFEntityExtractor):
    @property
    def name(self) -> Text:
        # The entities' "extractor": `rasa test` and the reports treat it as Rasa's CRF.
        return CRFEntityExtractor.__name__

    def persist(self, dataset: List[List[CRFToken]]) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            dump_obj_as_json_to_file(directory / ORDER_FILE, self.crf_order)
            for tag_name, tagger in self.entity_taggers.items():
                shutil.copyfile(tagger.modelfile.name, directory / _model_file(tag_name))

    @classmethod
    def load(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "StoredCRFEntityExtractor":
        import sklearn_crfsuite

        try:
            with model_storage.read_from(resource) as directory:
                crf_order = read_json_file(directory / ORDER_FILE)
                taggers = OrderedDict()
                for tag_name in crf_order:
                    tagger = sklearn_crfsuite.CRF()
                    # The model directory is temporary: the model goes into the
                    # CRF's own temporary file, as when a CRF is unpickled.
                    tagger.modelfile.refresh()
                    shutil.copyfile(directory / _model_file(tag_name), tagger.modelfile.name)
                    taggers[tag_name] = tagger
        except (ValueError, FileNotFoundError):
            logger.warning("StoredCRFEntityExtractor found no trained model; it will not extract entities.")
            return cls(config, model_storage, resource)
        extractor = cls(config, model_storage, resource, taggers)
        extractor.crf_order = crf_order
        return extractor
