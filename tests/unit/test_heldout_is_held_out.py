"""The held-out questions stay out of training: a figure measured on questions
the model was trained on would say nothing about residents."""
from rasa.shared.nlu.training_data.loading import load_data

from bench.heldout import HELDOUT, TRAINING
from bot.knowledge.text import fold


def _plain(text: str) -> str:
    # Case, punctuation, spacing and writing æ/ø/å as ae/oe/aa do not make a question new.
    return " ".join(fold(text).split())


def test_no_heldout_question_is_a_training_example():
    trained = {_plain(m.get("text")) for m in load_data(str(TRAINING)).intent_examples}
    held_out = [m.get("text") for m in load_data(str(HELDOUT)).intent_examples]
    assert len(held_out) >= 150
    leaked = [text for text in held_out if _plain(text) in trained]
    assert not leaked, f"held-out questions also in data/nlu: {leaked}"
