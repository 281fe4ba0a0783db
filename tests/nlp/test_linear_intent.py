"""The intent classifier learns from examples, survives a save and load, and
asks for the sentence vector only for messages its n-grams are unsure of."""
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.linear_intent import LinearIntentClassifier
from bot.nlp.sentence_embeddings import SentenceEncoder

EXAMPLES = {
    "ask_job_help": ["hjælp til at finde job", "jeg søger arbejde", "hvordan skriver jeg et cv",
                     "kan i hjælpe med jobansøgning", "jeg vil have et fritidsjob"],
    "ask_family_support": ["hjælp til min familie", "mit barn har det svært", "støtte til forældre",
                           "min søn vil ikke i skole", "familierådgivning"],
    "greet": ["hej", "hejsa", "godmorgen", "goddag", "hallo"],
}


def message(text: str, intent: str = None) -> Message:
    return Message(data={TEXT: text, **({"intent": intent} if intent else {})})


def training_data() -> TrainingData:
    return TrainingData([message(text, intent) for intent, texts in EXAMPLES.items() for text in texts])


class DirectionEncoder:
    """Stands in for e5 so a test can decide what a text means: one direction
    per intent for the texts it knows, nothing for the rest. Counts its calls."""

    def __init__(self, meanings):
        self.meanings = meanings
        self.texts_seen = []

    def vectors(self, texts):
        self.texts_seen += texts
        directions = {intent: np.eye(len(EXAMPLES))[i] for i, intent in enumerate(EXAMPLES)}
        return np.vstack([directions.get(self.meanings.get(t), np.zeros(len(EXAMPLES))) for t in texts])


def meaning_of_every_example():
    return {text: intent for intent, texts in EXAMPLES.items() for text in texts}


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def context():
    return ExecutionContext(graph_schema=None, node_name="linear_intent")


def trained(storage, data, encoder=None, **config):
    resource = Resource("linear_intent")
    config = {**LinearIntentClassifier.get_default_config(), "sentence_vectors": encoder is not None, **config}
    classifier = LinearIntentClassifier(config, storage, resource, encoder=encoder)
    classifier.train(data)
    return classifier, resource


def predict(classifier, text):
    m = message(text)
    classifier.process([m])
    return m


def test_unseen_spellings_get_the_right_intent(storage):
    classifier, _ = trained(storage, training_data())
    assert predict(classifier, "jeg soeger et job").get("intent")["name"] == "ask_job_help"
    assert predict(classifier, "min soen har det svaert i skolen").get("intent")["name"] == "ask_family_support"
    assert predict(classifier, "hejsaa").get("intent")["name"] == "greet"


def test_ranking_is_sorted_probabilities_and_bounded(storage):
    classifier, _ = trained(storage, training_data(), ranking_length=2)
    ranking = predict(classifier, "hjælp til cv").get("intent_ranking")
    assert len(ranking) == 2
    assert ranking[0]["confidence"] >= ranking[1]["confidence"]
    assert predict(classifier, "hjælp til cv").get("intent") == ranking[0]


def test_a_loaded_model_answers_like_the_trained_one(storage):
    # The real e5 encoder on both sides: the loaded model builds its own.
    classifier, resource = trained(storage, training_data(), SentenceEncoder())
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "sentence_vectors": True}, storage, resource, context(),
    )
    for text in ("jeg søger arbejde i køge", "mit barn", "hej med dig", "i need a job"):
        assert predict(loaded, text).get("intent_ranking") == predict(classifier, text).get("intent_ranking")


def test_the_sentence_vector_carries_meaning_words_do_not(storage):
    encoder = DirectionEncoder({**meaning_of_every_example(), "qwxz": "ask_family_support", "zzyq": "greet"})
    classifier, _ = trained(storage, training_data(), encoder)
    assert predict(classifier, "qwxz").get("intent")["name"] == "ask_family_support"
    assert predict(classifier, "zzyq").get("intent")["name"] == "greet"


def test_only_messages_the_ngrams_are_unsure_of_get_a_vector(storage):
    encoder = DirectionEncoder(meaning_of_every_example())
    classifier, _ = trained(storage, training_data(), encoder, sure_without_vectors=0.5)
    encoder.texts_seen.clear()
    assert predict(classifier, "jeg søger arbejde").get("intent")["confidence"] >= 0.5
    assert encoder.texts_seen == []
    predict(classifier, "qwxz")
    assert encoder.texts_seen == ["qwxz"]


def test_without_sentence_vectors_no_encoder_is_used(storage):
    classifier, resource = trained(storage, training_data())
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "sentence_vectors": False}, storage, resource, context(),
    )
    assert predict(loaded, "jeg soeger et job").get("intent")["name"] == "ask_job_help"


def test_a_message_without_text_is_left_alone(storage):
    classifier, _ = trained(storage, training_data())
    empty = message("")
    classifier.process([empty])
    assert empty.get("intent") is None


def test_an_untrained_model_classifies_nothing(storage):
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "sentence_vectors": False},
        storage, Resource("never_trained"), context(),
    )
    assert predict(loaded, "hej").get("intent") is None


def test_a_model_from_before_the_ngram_model_classifies_nothing(storage, tmp_path):
    _, resource = trained(storage, training_data())
    for old_part in tmp_path.rglob("ngram_classifier.skops"):
        old_part.unlink()
    loaded = LinearIntentClassifier.load(
        {**LinearIntentClassifier.get_default_config(), "sentence_vectors": False}, storage, resource, context(),
    )
    assert predict(loaded, "jeg søger arbejde").get("intent") is None
