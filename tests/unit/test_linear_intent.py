"""The intent classifier learns from examples, survives a save and load, and
uses the sentence vector when the pipeline gives one."""
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.linear_intent import LinearIntentClassifier

EXAMPLES = {
    "ask_job_help": ["hjælp til at finde job", "jeg søger arbejde", "hvordan skriver jeg et cv",
                     "kan i hjælpe med jobansøgning", "jeg vil have et fritidsjob"],
    "ask_family_support": ["hjælp til min familie", "mit barn har det svært", "støtte til forældre",
                           "min søn vil ikke i skole", "familierådgivning"],
    "greet": ["hej", "hejsa", "godmorgen", "goddag", "hallo"],
}


def message(text: str, intent: str = None, vector=None) -> Message:
    m = Message(data={TEXT: text, **({"intent": intent} if intent else {})})
    if vector is not None:
        m.add_features(Features(np.asarray(vector, dtype=float).reshape(1, -1), "sentence", TEXT, "e5"))
    return m


def training_data(vectors=None) -> TrainingData:
    return TrainingData([
        message(text, intent, None if vectors is None else vectors[intent])
        for intent, texts in EXAMPLES.items() for text in texts
    ])


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def context():
    return ExecutionContext(graph_schema=None, node_name="linear_intent")


def trained(storage, data, **config):
    resource = Resource("linear_intent")
    classifier = LinearIntentClassifier.create(
        {**LinearIntentClassifier.get_default_config(), **config}, storage, resource, context(),
    )
    classifier.train(data)
    return classifier, resource


def predict(classifier, text, vector=None):
    m = message(text, vector=vector)
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
    classifier, resource = trained(storage, training_data())
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), storage, resource, context(),
    )
    for text in ("jeg søger arbejde i køge", "mit barn", "hej med dig"):
        assert predict(loaded, text).get("intent_ranking") == predict(classifier, text).get("intent_ranking")


def test_the_sentence_vector_carries_meaning_words_do_not(storage):
    # One direction per intent: a message with no shared words is placed by its vector alone.
    vectors = {intent: np.eye(3)[i] for i, intent in enumerate(EXAMPLES)}
    classifier, _ = trained(storage, training_data(vectors))
    assert predict(classifier, "qwxz", vectors["ask_family_support"]).get("intent")["name"] == "ask_family_support"
    assert predict(classifier, "qwxz", vectors["greet"]).get("intent")["name"] == "greet"


def test_a_message_without_text_is_left_alone(storage):
    classifier, _ = trained(storage, training_data())
    empty = message("")
    classifier.process([empty])
    assert empty.get("intent") is None


def test_an_untrained_model_classifies_nothing(storage):
    loaded = LinearIntentClassifier.load(
        LinearIntentClassifier.get_default_config(), storage, Resource("never_trained"), context(),
    )
    assert predict(loaded, "hej").get("intent") is None
