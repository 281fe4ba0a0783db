"""The gazetteer learns entity spellings from annotations and synonyms and
marks the tokens that spell one, exactly or one typo away, for the CRF."""
import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.gazetteer import Gazetteer, GazetteerFeaturizer

TRAINING = """
version: "3.1"
nlu:
- intent: ask_initiative
  examples: |
    - hvad er [mentorindsatsen](initiative)
    - fortæl om [fælles fremtid]{"entity": "initiative", "value": "faelles_fremtid"}
- intent: ask_contact
  examples: |
    - hvad er [telefonnummeret]{"entity": "contact_attribute", "value": "telefon"}
- intent: select
  examples: |
    - hvad med [nr 2]{"entity": "ordinal", "value": "2"}
- synonym: mentorindsats
  examples: |
    - mentorindsatsen
    - ungementor
- synonym: telefon
  examples: |
    - telefonnummeret
    - tlf.
- synonym: "2"
  examples: |
    - nr 2
    - anden
"""


@pytest.fixture
def data():
    return RasaYAMLReader().reads(TRAINING)


def spans(gazetteer, text):
    words = text.split()
    return [(" ".join(words[a:b]), entity) for a, b, entity in gazetteer.spans(words)]


def test_spellings_come_from_annotations_and_synonyms(data):
    gazetteer = Gazetteer.from_training_data(data)
    assert "ungementor" in gazetteer.spellings["initiative"]  # synonym of an annotated value
    assert "faelles fremtid" in gazetteer.spellings["initiative"]  # annotation, folded
    assert "tlf" in gazetteer.spellings["contact_attribute"]
    assert "anden" in gazetteer.spellings["ordinal"]


def test_exact_joined_and_misspelt_names_are_found(data):
    gazetteer = Gazetteer.from_training_data(data)
    assert spans(gazetteer, "hvad er en ungementor") == [("ungementor", "initiative")]
    assert spans(gazetteer, "hvad kan faellesfremtid goere") == [("faellesfremtid", "initiative")]
    assert spans(gazetteer, "hvad laver mentorindsatsn") == [("mentorindsatsn", "initiative")]
    assert spans(gazetteer, "jeg vil hoere om nr 2") == [("nr 2", "ordinal")]


def test_short_words_need_the_exact_spelling(data):
    gazetteer = Gazetteer.from_training_data(data)
    assert spans(gazetteer, "hvad er tlf") == [("tlf", "contact_attribute")]
    assert spans(gazetteer, "hvad er tlg") == []
    assert spans(gazetteer, "jeg vil gerne have et job") == []


def tokenized(text):
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    return message


def trained_and_loaded(tmp_path, data):
    """Trained, saved and loaded again, as Rasa does between training and serving."""
    storage = LocalModelStorage(tmp_path)
    resource = Resource("gazetteer")
    context = ExecutionContext(graph_schema=None, node_name="gazetteer")
    GazetteerFeaturizer.create({}, storage, resource, context).train(data)
    return GazetteerFeaturizer.load({}, storage, resource, context)


def test_trained_featurizer_marks_tokens_after_a_save_and_load(tmp_path, data):
    loaded = trained_and_loaded(tmp_path, data)

    message = tokenized("kan jeg få ungementor tlf. nummer")
    loaded.process([message])
    marks = {t.text: t.get("pattern") for t in message.get(TOKENS_NAMES[TEXT])}
    assert marks["ungementor"]["gazetteer_initiative"] is True
    assert marks["ungementor"]["gazetteer_contact_attribute"] is False
    assert marks["tlf"]["gazetteer_contact_attribute"] is True
    assert not any(marks["jeg"].values())


def test_regex_patterns_already_on_a_token_are_kept(tmp_path, data):
    featurizer = trained_and_loaded(tmp_path, data)
    message = tokenized("ungementor")
    message.get(TOKENS_NAMES[TEXT])[0].set("pattern", {"housing_area": False})
    featurizer.process([message])
    assert message.get(TOKENS_NAMES[TEXT])[0].get("pattern") == {
        "housing_area": False,
        **{f"gazetteer_{entity}": entity == "initiative" for entity in featurizer.gazetteer.spellings},
    }


def test_untrained_featurizer_marks_nothing(tmp_path):
    storage = LocalModelStorage(tmp_path)
    featurizer = GazetteerFeaturizer.load({}, storage, Resource("missing"), ExecutionContext(None, "g"))
    message = tokenized("hvad er ungementor")
    featurizer.process([message])
    assert all(t.get("pattern") == {} for t in message.get(TOKENS_NAMES[TEXT]))
