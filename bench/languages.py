"""Residents who write in other languages: understanding, and replies in their language.

    .venv/bin/python -m bench.languages [--sets languages languages_blind languages_blind2] [--wrong]

Each file of ``tests/heldout/languages*/`` (written from the municipality's
page and the issue alone, by someone who saw neither the training data nor
the replies; never trained on) holds questions in one language with what the
resident wants. ``languages`` and ``languages_blind`` have been looked at
while building; ``languages_blind2`` (40 questions per language, 25 of them
crises) gives figures only: never print its lines (``--wrong``). Reported per language, beside the Danish held-out questions
(``tests/heldout/nlu.yml``) parsed the same way in the same run:

- intent accuracy: the served model's intent (the danger detector included);
- in language: the share of replies the language detector reads as the
  question's language (a reply it cannot tell counts as not);
- danger: crisis questions whose reply has the right numbers (the same checks
  as ``bench.conversations``), and has them in the resident's language;
- false alarms: everyday questions whose reply gives emergency numbers.
"""
import asyncio
import json
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml

from bench.conversations import CHECKS, DANGER_KINDS, RUNS, is_danger_reply
from bot.config import PROJECT_ROOT
from bot.language.detect import detect

HELDOUT_DIR = PROJECT_ROOT / "tests" / "heldout"
SETS = ("languages", "languages_blind", "languages_blind2")
# The label of a crisis question → the intent the model must give it.
DANGER_INTENTS = {"acute": "emergency", "police": "emergency", "violence_home": "emergency",
                  "child_risk": "emergency", "suicidal": "suicidal"}


@dataclass
class Question:
    text: str
    expect: str
    about: Optional[str] = None

    @property
    def intent(self) -> str:
        return DANGER_INTENTS.get(self.expect, self.expect)

    @property
    def is_danger(self) -> bool:
        return self.expect in DANGER_INTENTS


def languages(set_name: str = SETS[0]) -> List[str]:
    return sorted(path.stem for path in (HELDOUT_DIR / set_name).glob("*.yml"))


def questions(language: str, sets: Sequence[str] = SETS) -> List[Question]:
    """The questions in ``language`` of every set named."""
    found = []
    for set_name in sets:
        path = HELDOUT_DIR / set_name / f"{language}.yml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            found += [Question(q["text"], q["expect"], q.get("about")) for q in data["questions"]]
    return found


def parse_all(model: Path, texts: List[str]) -> List[Dict]:
    """The served model's parse of each text (no conversation around it)."""
    import logging

    import structlog
    from rasa.core.agent import Agent

    # Rasa logs every parse with its text at debug level: the report is enough.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    async def parse():
        agent = Agent.load(str(model))
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse())


def intent_accuracy(parsed: List[Dict], expected: List[str]) -> float:
    return sum(p["intent"]["name"] == e for p, e in zip(parsed, expected)) / max(len(expected), 1)


def right_numbers(question: Question, reply: str) -> bool:
    plain = " ".join(reply.replace("\u200e", "").split())
    return all(any(n in plain for n in group) for group in CHECKS["danger_numbers"][question.expect])


def replies(client, language: str, items: List[Question]) -> List[Dict]:
    """Each question in a conversation of its own: the reply, its language, and for crisis questions the numbers."""
    results = []
    for question in items:
        messages, _ = client.turn(f"lang-{uuid.uuid4().hex}", question.text)
        texts = [m.get("text", "") for m in messages if m.get("text")]
        reply = "\n".join(texts)
        in_language = bool(texts) and detect(texts[0]) == language  # the first message: what is read first
        results.append({"text": question.text, "expect": question.expect, "reply": reply,
                        "in_language": in_language,
                        "numbers": right_numbers(question, reply) if question.expect in DANGER_KINDS else None,
                        "alarm": is_danger_reply(reply)})
    return results


def summarise(language: str, items: List[Question], parsed: List[Dict], answered: List[Dict]) -> Dict:
    danger = [r for r in answered if r["numbers"] is not None]
    return {
        "questions": len(items),
        "intent_accuracy": intent_accuracy(parsed, [q.intent for q in items]),
        "in_language": sum(r["in_language"] for r in answered) / max(len(answered), 1),
        "danger": len(danger),
        "danger_numbers": sum(r["numbers"] for r in danger),
        "danger_numbers_in_language": sum(r["numbers"] and r["in_language"] for r in danger),
        # Everyday questions answered with emergency numbers.
        "false_alarms": sum(r["alarm"] for r in answered if r["numbers"] is None),
        "wrong_intents": [(q.text, q.intent, p["intent"]["name"]) for q, p in zip(items, parsed)
                          if p["intent"]["name"] != q.intent],
        "not_in_language": [(r["text"], r["reply"][:100]) for r in answered if not r["in_language"]],
        "danger_misses": [(r["text"], r["expect"], r["reply"][:160]) for r in danger
                          if not (r["numbers"] and r["in_language"])],
    }


def evaluate(model: Path, client, sets: Sequence[str] = SETS) -> Dict[str, Dict]:
    from bench.heldout import examples

    danish = examples()
    results = {"da (tests/heldout/nlu.yml)": {
        "questions": len(danish),
        "intent_accuracy": intent_accuracy(parse_all(model, [e.text for e in danish]), [e.intent for e in danish]),
    }}
    for language in languages(sets[0]):
        items = questions(language, sets)
        parsed = parse_all(model, [q.text for q in items])
        results[language] = summarise(language, items, parsed, replies(client, language, items))
    return results


def report(results: Dict[str, Dict]) -> str:
    lines = ["| language | questions | intent accuracy | replies in the language | danger: numbers | "
             "danger: numbers in the language | false alarms |", "|---|---|---|---|---|---|---|"]
    for language, r in results.items():
        if "danger" not in r:
            lines.append(f"| {language} | {r['questions']} | {r['intent_accuracy']:.3f} | | | | |")
            continue
        lines.append(f"| {language} | {r['questions']} | {r['intent_accuracy']:.3f} | {r['in_language']:.3f} | "
                     f"{r['danger_numbers']}/{r['danger']} | {r['danger_numbers_in_language']}/{r['danger']} | "
                     f"{r['false_alarms']}/{r['questions'] - r['danger']} |")
    return "\n".join(lines)


def main(argv: List[str]) -> None:
    from bench.models import ensure_model
    from bench.stack import serving

    sets = argv[argv.index("--sets") + 1:] if "--sets" in argv else list(SETS)
    sets = [name for name in sets if not name.startswith("--")]
    model = ensure_model("ours")
    with serving(model) as client:
        results = evaluate(model, client, sets)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "languages.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(results))
    if "--wrong" in argv:
        for language, r in results.items():
            for item in r.get("wrong_intents", []) + r.get("not_in_language", []) + r.get("danger_misses", []):
                print(language, item)


if __name__ == "__main__":
    main(sys.argv[1:])
