"""The held-out questions stay out of training: a figure measured on questions
the model was trained on would say nothing about residents."""
import re

from rasa.shared.nlu.training_data.loading import load_data

from bench.heldout import HELDOUT, TRAINING


_WITHOUT_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def _plain(text: str) -> str:
    # Case, punctuation, spacing and writing æ/ø/å as ae/oe/aa do not make a question new.
    return " ".join(re.findall(r"\w+", text.lower().translate(_WITHOUT_DANISH_LETTERS)))


def test_no_heldout_question_is_a_training_example():
    trained = {_plain(m.get("text")) for m in load_data(str(TRAINING)).intent_examples}
    held_out = [m.get("text") for m in load_data(str(HELDOUT)).intent_examples]
    assert len(held_out) >= 150
    leaked = [text for text in held_out if _plain(text) in trained]
    assert not leaked, f"held-out questions also in data/nlu: {leaked}"
