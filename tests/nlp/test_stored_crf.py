"""The CRF entity extractor stored trained: after a save and load it extracts
what it extracted when trained, without training again, and it leaves no
training data in the model."""
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor
from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import LexicalSyntacticFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.stored_crf import StoredCRFEntityExtractor

TRAINING = """
version: "3.1"
nlu:
- intent: ask_area
  examples: |
    - bor i [Søparken](housing_area)
    - bor i [Hastrupparken](housing_area)
    - bor i [Ellemarken](housing_area)
    - bor i [Karlemoseparken](housing_area)
    - hvad sker der i [Søparken](housing_area)
    - hvad sker der i [Hastrupparken](housing_area)
    - hvad sker der i [Ellemarken](housing_area)
    - hvad sker der i [Karlemoseparken](housing_area)
    - aktiviteter i [Søparken](housing_area) i dag
    - aktiviteter i [Hastrupparken](housing_area) i dag
    - aktiviteter i [Ellemarken](housing_area) i dag
    - aktiviteter i [Karlemoseparken](housing_area) i dag
    - jeg bor i [Søparken](housing_area)
    - jeg bor i [Hastrupparken](housing_area)
    - jeg bor i [Ellemarken](housing_area)
    - jeg bor i [Karlemoseparken](housing_area)
    - er der noget i [Søparken](housing_area) for børn
    - er der noget i [Hastrupparken](housing_area) for børn
    - er der noget i [Ellemarken](housing_area) for børn
    - er der noget i [Karlemoseparken](housing_area) for børn
- intent: ask_job
  examples: |
    - jeg søger job
    - hjælp til et fritidsjob
    - hvem kan hjælpe mig med arbejde
"""
CONTEXT = ExecutionContext(graph_schema=None, node_name="crf")
TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


@pytest.fixture(scope="module")
def featurizer(tmp_path_factory):
    """Token features: Rasa's CRF reads only messages that have some."""
    return LexicalSyntacticFeaturizer.create(
        LexicalSyntacticFeaturizer.get_default_config(), LocalModelStorage(tmp_path_factory.mktemp("features")),
        Resource("features"), CONTEXT)


@pytest.fixture(scope="module")
def data(featurizer):
    data = TOKENIZER.process_training_data(RasaYAMLReader().reads(TRAINING))
    featurizer.train(data)
    return featurizer.process_training_data(data)


@pytest.fixture
def found(featurizer, data):
    """The entities an extractor finds in a text: (value, entity, extractor); the
    featurizer is trained on ``data`` first."""
    def entities(extractor, text):
        parsed = Message(data={TEXT: text})
        featurizer.process(TOKENIZER.process([parsed]))
        extractor.process([parsed])
        return [(e["value"], e["entity"], e["extractor"]) for e in parsed.get(ENTITIES, [])]
    return entities


@pytest.fixture
def trained(tmp_path, data):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("crf")
    config = StoredCRFEntityExtractor.get_default_config()
    extractor = StoredCRFEntityExtractor.create(config, storage, resource, CONTEXT)
    extractor.train(data)
    return extractor, storage, resource, config


def test_a_loaded_extractor_extracts_what_the_trained_one_did_without_training(trained, found, monkeypatch):
    extractor, storage, resource, config = trained
    monkeypatch.setattr(CRFEntityExtractor, "train_model", lambda *a, **k: pytest.fail("trained again at load"))
    loaded = StoredCRFEntityExtractor.load(config, storage, resource, CONTEXT)
    for text in ("hvad sker der i Søparken", "jeg bor i Hastrupparken", "jeg søger job"):
        assert found(loaded, text) == found(extractor, text)
    # Reported as Rasa's CRF, so `rasa test` and the reports treat it alike.
    assert found(loaded, "hvad sker der i Søparken") == [("Søparken", "housing_area", "CRFEntityExtractor")]
    with storage.read_from(resource) as directory:
        assert not (directory / "crf_dataset.json").exists()


def test_without_a_trained_model_it_extracts_nothing(tmp_path, found):
    storage = LocalModelStorage(tmp_path)
    config = StoredCRFEntityExtractor.get_default_config()
    loaded = StoredCRFEntityExtractor.load(config, storage, Resource("missing"), CONTEXT)
    assert found(loaded, "hvad sker der i Søparken") == []
