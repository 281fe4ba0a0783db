"""The sentence featurizer gives every message with text one unit vector that
places the same meaning close together, across Danish and English."""
import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlp.sentence_embeddings import BATCH_SIZE, E5SentenceFeaturizer, cpu_has_avx2


@pytest.fixture(scope="module")
def featurizer():
    return E5SentenceFeaturizer({**E5SentenceFeaturizer.get_default_config(), "alias": "e5"}, "e5")


def vector(featurizer, text):
    message = Message(data={TEXT: text})
    featurizer.process([message])
    _, sentence = message.get_dense_features(TEXT)
    return sentence.features.reshape(-1)


def test_one_unit_sentence_vector_per_message(featurizer):
    v = vector(featurizer, "hvem kan hjælpe mig med at finde et job")
    assert v.shape == (384,)
    assert np.linalg.norm(v) == pytest.approx(1.0, abs=1e-3)


def test_same_meaning_is_closer_than_another_subject(featurizer):
    job_da = vector(featurizer, "jeg søger hjælp til at finde arbejde")
    job_en = vector(featurizer, "i need help finding a job")
    weather = vector(featurizer, "bliver det regnvejr i morgen")
    assert job_da @ job_en > job_da @ weather + 0.05


def test_training_data_in_several_batches_and_empty_text(featurizer):
    texts = [f"spørgsmål nummer {i}" for i in range(BATCH_SIZE + 3)]
    data = TrainingData([Message(data={TEXT: t}) for t in texts] + [Message(data={TEXT: ""})])
    featurizer.process_training_data(data)
    with_text, empty = data.training_examples[:-1], data.training_examples[-1]
    assert all(m.get_dense_features(TEXT)[1] is not None for m in with_text)
    assert empty.get_dense_features(TEXT)[1] is None


def test_avx2_is_read_from_the_cpu_flags(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n")
    assert cpu_has_avx2(cpuinfo)
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx fma\nbugs\t\t: avx2_fake\n")
    assert not cpu_has_avx2(cpuinfo)
