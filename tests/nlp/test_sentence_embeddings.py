"""The sentence encoder gives every text one unit vector that places the
same meaning close together, across Danish and English."""
import numpy as np
import pytest

from bot.nlp.sentence_embeddings import BATCH_SIZE, SentenceEncoder, cpu_has_avx2


@pytest.fixture(scope="module")
def encoder():
    return SentenceEncoder()


def vector(encoder, text):
    return encoder.vectors([text])[0]


def test_one_unit_sentence_vector_per_message(encoder):
    v = vector(encoder, "hvem kan hjælpe mig med at finde et job")
    assert v.shape == (384,)
    assert np.linalg.norm(v) == pytest.approx(1.0, abs=1e-3)


def test_same_meaning_is_closer_than_another_subject(encoder):
    job_da = vector(encoder, "jeg søger hjælp til at finde arbejde")
    job_en = vector(encoder, "i need help finding a job")
    weather = vector(encoder, "bliver det regnvejr i morgen")
    assert job_da @ job_en > job_da @ weather + 0.05


def test_many_texts_in_several_batches_keep_their_order(encoder):
    texts = [f"spørgsmål nummer {i}" for i in range(BATCH_SIZE + 3)]
    vectors = encoder.vectors(texts)
    assert vectors.shape == (BATCH_SIZE + 3, 384)
    assert np.allclose(vectors[BATCH_SIZE + 1], vector(encoder, texts[BATCH_SIZE + 1]), atol=1e-5)


def test_avx2_is_read_from_the_cpu_flags(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n")
    assert cpu_has_avx2(cpuinfo)
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx fma\nbugs\t\t: avx2_fake\n")
    assert not cpu_has_avx2(cpuinfo)
