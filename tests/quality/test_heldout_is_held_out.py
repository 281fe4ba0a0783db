"""The held-out questions and conversations stay out of training: a figure
measured on messages the model was trained on would say nothing about residents."""
from rasa.shared.nlu.training_data.loading import load_data

from bench.conversations import SETS, conversations
from bench.heldout import HELDOUT, TRAINING
from bot.knowledge.text import fold


def _plain(text: str) -> str:
    # Case, punctuation, spacing and writing æ/ø/å as ae/oe/aa do not make a question new.
    return " ".join(fold(text).split())


def _trained() -> set:
    return {_plain(m.get("text")) for m in load_data(str(TRAINING)).intent_examples}


def test_no_heldout_question_is_a_training_example():
    held_out = [m.get("text") for m in load_data(str(HELDOUT)).intent_examples]
    assert len(held_out) >= 150
    trained = _trained()
    leaked = [text for text in held_out if _plain(text) in trained]
    assert not leaked, f"held-out questions also in data/nlu: {leaked}"


def test_no_heldout_conversation_turn_is_a_training_example():
    turns = [turn.user for conv in conversations(SETS) for turn in conv.turns]
    assert len(turns) >= 400
    trained = _trained()
    leaked = [text for text in turns if _plain(text) in trained]
    assert not leaked, f"held-out conversation turns also in data/nlu: {leaked}"


def test_no_heldout_question_in_another_language_is_a_training_example():
    from bench.languages import languages, questions

    texts = [q.text for language in languages() for q in questions(language)]  # every set
    assert len(texts) >= 600
    trained = _trained()
    leaked = [text for text in texts if _plain(text) in trained]
    assert not leaked, f"held-out questions in other languages also in data/nlu: {leaked}"
