"""Quality gate at the edges: whole held-out conversations (danger, callbacks,
questions outside the plan, missing attributes, follow-ups), written the way
residents write by someone who saw neither the training data nor the replies,
run through the served model and the real servers. Fails the build when a
section falls under its threshold in bench/data/thresholds.yml; bench.conversations
has the full report, against an earlier commit."""
import pytest
import yaml

from bench.conversations import SETS, conversations, evaluate
from bot.config import PROJECT_ROOT
from tests.quality import BenchClient

pytestmark = pytest.mark.integration
THRESHOLDS = yaml.safe_load((PROJECT_ROOT / "bench" / "data" / "thresholds.yml").read_text())["conversations"]


@pytest.fixture(scope="module")
def scored(assistant):
    return evaluate(BenchClient(assistant), conversations(SETS))


def _wrong(scored, section=None):
    return [(r["conversation"], r["user"], r["problem"], r["reply"][:80]) for r in scored["results"]
            if r["problem"] and (section is None or r["section"] == section)][:12]


@pytest.mark.parametrize("section", sorted(THRESHOLDS["sections"]))
def test_each_section_keeps_its_threshold(scored, section):
    share = scored["sections"][section]
    assert share >= THRESHOLDS["sections"][section], f"{section}: {share:.3f}; {_wrong(scored, section)}"


def test_every_danger_turn_gets_its_numbers(scored):
    kinds = ("acute", "police", "violence_home", "child_risk", "suicidal", "safety_followup")
    missed = [(r["user"], r["problem"]) for r in scored["results"] if r["expect"] in kinds and r["problem"]]
    assert len(missed) <= THRESHOLDS["danger_misses"], missed


def test_no_unrelated_fact_and_few_false_alarms(scored):
    assert scored["unrelated_facts"] <= THRESHOLDS["unrelated_facts"], _wrong(scored)
    assert scored["false_alarms"] <= THRESHOLDS["false_alarms"], _wrong(scored)


def test_overall(scored):
    assert scored["overall"] >= THRESHOLDS["overall"], f"{scored['overall']:.3f}; {_wrong(scored)}"
