"""Quality gate: the served model must keep understanding residents.

Runs the held-out questions (never used for training) through the trained
model and the real servers, and fails the build when intent accuracy or
end-to-end answer correctness drops below the thresholds committed in
bench/data/thresholds.yml. bench/ has the full comparison with Rasa's
default pipeline; this is its quick form for CI.
"""
import asyncio

import pytest
import yaml

from bench.e2e_eval import expected_facts, is_correct
from bench.heldout import examples
from bot.config import PROJECT_ROOT
from tests.conftest import MODEL
from tests.senders import new_sender_id

pytestmark = pytest.mark.integration
THRESHOLDS = yaml.safe_load((PROJECT_ROOT / "bench" / "data" / "thresholds.yml").read_text())


@pytest.fixture(scope="module")
def heldout():
    return examples()


def test_intent_accuracy(heldout):
    from rasa.core.agent import Agent

    async def parse_all():
        agent = Agent.load(str(MODEL))
        return [await agent.parse_message(e.text) for e in heldout]

    parsed = asyncio.run(parse_all())
    right = sum(p["intent"]["name"] == e.intent for p, e in zip(parsed, heldout))
    accuracy = right / len(heldout)
    assert accuracy >= THRESHOLDS["intent_accuracy"], f"intent accuracy {accuracy:.3f}"


def test_answer_correctness_and_honest_fallback(assistant, heldout):
    wrong, out_of_scope, honest = [], 0, 0
    for example in heldout:
        reply = assistant.text(new_sender_id("heldout"), example.text)
        if example.intent == "out_of_scope":
            out_of_scope += 1
            honest += is_correct(reply, expected_facts(example))
        if not is_correct(reply, expected_facts(example)):
            wrong.append((example.text, reply[:80]))
    correctness = 1 - len(wrong) / len(heldout)
    assert correctness >= THRESHOLDS["answer_correctness"], f"{correctness:.3f}; wrong: {wrong[:15]}"
    assert honest / out_of_scope >= THRESHOLDS["out_of_scope_honest"], f"{honest}/{out_of_scope}"
