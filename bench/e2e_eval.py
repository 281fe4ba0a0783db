"""End-to-end answer correctness and turn time on the held-out questions.

    .venv/bin/python -m bench.e2e_eval [pipeline ...]

Every held-out question is sent, in a new conversation, to the real Rasa
server and action server serving each pipeline's model. A reply is correct
when it contains the fact ``bench/data/expected_facts.yml`` names for the
question's gold intent (or for the thing it names). Also reports the share of
out-of-scope questions that got the honest fallback, and p50/p95 of one turn.
"""
import json
import statistics
import sys
import uuid
from pathlib import Path
from typing import Dict, List

import yaml

from bench.heldout import Example, examples
from bench.models import CONFIGS, ensure_model
from bench.report import percentile
from bench.stack import serving
from bot.config import PROJECT_ROOT

FACTS = yaml.safe_load((Path(__file__).parent / "data" / "expected_facts.yml").read_text(encoding="utf-8"))
THING_TYPES = ("initiative", "organisation", "housing_area")
RUNS = PROJECT_ROOT / "bench" / ".runs"


def expected_facts(example: Example) -> List[str]:
    how = FACTS["named"].get(example.intent)
    if how:
        for entity_type in THING_TYPES:
            for value in example.entities.get(entity_type, []):
                if value in FACTS["things"]:
                    return FACTS["things"][value][how]
    return FACTS["intents"][example.intent] + FACTS["english"].get(example.intent, [])


def is_correct(reply: str, facts: List[str]) -> bool:
    return any(fact.lower() in reply.lower() for fact in facts)


def evaluate(model: Path, questions: List[Example]) -> Dict:
    wrong, timings, oos_total, oos_honest = [], [], 0, 0
    with serving(model) as client:
        for example in questions[:5]:  # warm-up
            client.turn("warm-up", example.text)
        for example in questions:
            messages, ms = client.turn(uuid.uuid4().hex, example.text)
            timings.append(ms)
            reply = "\n".join(m.get("text", "") for m in messages)
            if example.intent == "out_of_scope":
                oos_total += 1
                oos_honest += is_correct(reply, expected_facts(example))
            if not is_correct(reply, expected_facts(example)):
                wrong.append({"text": example.text, "intent": example.intent, "reply": reply[:160]})
    return {
        "answer_correctness": 1 - len(wrong) / len(questions),
        "out_of_scope_honest": oos_honest / max(oos_total, 1),
        "turn_p50_ms": statistics.median(timings),
        "turn_p95_ms": percentile(timings, 0.95),
        "questions": len(questions),
        "wrong": wrong,
    }


def main(names: List[str]) -> None:
    questions = examples()
    results = {name: evaluate(ensure_model(name), questions) for name in names}
    print(f"\nEnd-to-end on {len(questions)} held-out questions (new conversation each)\n")
    print("| pipeline | answer correctness | out-of-scope honest | turn p50 ms | turn p95 ms |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['answer_correctness']:.3f} | {r['out_of_scope_honest']:.3f} "
              f"| {r['turn_p50_ms']:.0f} | {r['turn_p95_ms']:.0f} |")
    for name, r in results.items():
        print(f"\nWrong answers, {name} ({len(r['wrong'])}):")
        for item in r["wrong"][:40]:
            print(f"  [{item['intent']}] {item['text']!r} → {item['reply']!r}")
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "e2e_eval.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:] or list(CONFIGS))
