"""Whole conversations the way residents write, scored per section.

    .venv/bin/python -m bench.conversations [--baseline REV] [--sets dev blind]

Each conversation of ``tests/heldout/conversations_*.yml`` (written from the
municipality's page and the issue alone, by someone who saw neither the
training data nor the replies; never trained on) is sent turn by turn, in a
conversation of its own, to the real Rasa server and action server. Each
turn says what kind of reply it needs (``expect``); ``check`` decides from
the reply's text whether it got it. Reported per section and per kind, for
ours and, in the same run, for the model and code of an earlier commit.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from bot.config import PROJECT_ROOT

HELDOUT_DIR = PROJECT_ROOT / "tests" / "heldout"
SETS = ("dev", "dev2", "blind", "blind2", "blind3")
CHECKS = yaml.safe_load((Path(__file__).parent / "data" / "conversation_checks.yml").read_text(encoding="utf-8"))
DANGER_KINDS = tuple(CHECKS["danger_numbers"])
RUNS = PROJECT_ROOT / "bench" / ".runs"


@dataclass
class Turn:
    user: str
    expect: str
    facts: List[str] = field(default_factory=list)
    topic: Optional[str] = None
    about: Optional[str] = None


@dataclass
class Conversation:
    id: str
    section: str
    turns: List[Turn]
    source: str = ""


def conversations(names: Iterable[str] = SETS) -> List[Conversation]:
    result = []
    for name in names:
        data = yaml.safe_load((HELDOUT_DIR / f"conversations_{name}.yml").read_text(encoding="utf-8"))
        for c in data["conversations"]:
            turns = [Turn(t["user"], t["expect"], [str(f) for f in t.get("facts") or []], t.get("topic"),
                          t.get("about")) for t in c["turns"]]
            result.append(Conversation(c["id"], c["section"], turns, name))
    return result


def _plain(text: str) -> str:
    # A date is the same fact in Danish and English: "31. august 2025", "31 August 2025".
    return re.sub(r"(\d)\.(?=\s)", r"\1", " ".join(text.lower().split()))


def _has_any(reply: str, needles: Iterable[str]) -> bool:
    plain = _plain(reply)
    return any(_plain(n) in plain for n in needles)


@lru_cache(maxsize=1)
def _entry_sentences() -> Tuple[str, ...]:
    """Sentences of at least five words from every entry's texts: a reply to a
    question outside the plan that contains one states a fact that was not asked for."""
    from bot.knowledge import load_directory

    kb = load_directory(PROJECT_ROOT / "data" / "knowledge")
    sentences = set()
    for entry in kb.entries.values():
        if entry.kind in ("referral", "contact"):
            continue
        for text in (entry.summary, entry.details or ""):
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if len(sentence.split()) >= 5:
                    sentences.add(_plain(sentence.rstrip(".!?")))
    return tuple(sorted(sentences))


def states_unrelated_fact(reply: str) -> bool:
    plain = _plain(reply)
    return any(sentence in plain for sentence in _entry_sentences())


def _callback_questions() -> List[str]:
    """The form's first question, in Danish and in English (a turn asked in English gets it in English)."""
    from actions.phrases import PHRASES

    return [PHRASES.get("ask_name_again", language) for language in ("da", "en")]


def is_danger_reply(reply: str) -> bool:
    return _has_any(reply, CHECKS["danger_markers"])


def check(turn: Turn, reply: str, last_danger: Optional[str]) -> Optional[str]:
    """None when the reply is what the turn needs, else why not."""
    kind = turn.expect
    if not reply.strip():
        return "no reply"
    if kind == "safety_followup":
        kind = last_danger or "acute"
    if kind in DANGER_KINDS:
        missing = [n for n in CHECKS["danger_numbers"][kind] if not _has_any(reply, n)]
        return f"missing {missing}" if missing else None
    if is_danger_reply(reply) and not any(n in f for f in turn.facts for n in ("112", "114")):
        return "false alarm"
    if kind == "callback":
        return None if _has_any(reply, _callback_questions()) else "callback form not started"
    if kind == "outside":
        if states_unrelated_fact(reply):
            return "unrelated fact"
        return None if _has_any(reply, CHECKS["honest"]) else "not honest"
    if kind == "missing_attribute":
        if not _has_any(reply, CHECKS["honest"]):
            return "not honest"
        return None if _has_any(reply, CHECKS["contacts"]) else "no contact"
    if kind == "answer":
        return None if _has_any(reply, turn.facts) else f"missing any of {turn.facts}"
    return None  # "any": something friendly was said


def evaluate(client, convs: List[Conversation]) -> Dict:
    results = []
    for conv in convs:
        sender = f"conv-{uuid.uuid4().hex}"
        last_danger = None
        for index, turn in enumerate(conv.turns):
            messages, _ = client.turn(sender, turn.user)
            reply = "\n".join(m.get("text", "") for m in messages)
            problem = check(turn, reply, last_danger)
            if turn.expect in DANGER_KINDS:
                last_danger = turn.expect
            results.append({"conversation": conv.id, "set": conv.source, "section": conv.section,
                            "turn": index, "expect": turn.expect, "user": turn.user,
                            "reply": reply, "problem": problem})
    return summarise(results)


def summarise(results: List[Dict]) -> Dict:
    by_section, by_kind = defaultdict(list), defaultdict(list)
    for r in results:
        by_section[r["section"]].append(r["problem"] is None)
        by_kind[r["expect"]].append(r["problem"] is None)
    return {
        "overall": sum(r["problem"] is None for r in results) / len(results),
        "turns": len(results),
        "sections": {k: sum(v) / len(v) for k, v in sorted(by_section.items())},
        "kinds": {k: sum(v) / len(v) for k, v in sorted(by_kind.items())},
        "unrelated_facts": sum(r["problem"] == "unrelated fact" for r in results),
        "false_alarms": sum(r["problem"] == "false alarm" for r in results),
        "reply_lix": reply_lix(r["reply"] for r in results),
        "results": results,
    }


def reply_lix(replies: Iterable[str]) -> Dict[str, float]:
    """How plain the Danish replies are: LIX median, 90th percentile, share above 40."""
    from bot.language.detect import detect
    from bot.language.lix import summary

    return summary(reply for reply in replies if detect(reply) in ("da", None))


def baseline_checkout(rev: str) -> Path:
    """A work tree of ``rev`` with its model trained, beside ours."""
    sha = subprocess.run(["git", "rev-parse", "--short", rev], cwd=PROJECT_ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    tree = RUNS / f"baseline-{sha}"
    if not tree.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), sha], cwd=PROJECT_ROOT, check=True)
        (tree / ".cache").mkdir(exist_ok=True)
        (tree / ".cache" / "spacy-da").symlink_to(PROJECT_ROOT / ".cache" / "spacy-da")
    model = tree / "models" / "koege.tar.gz"
    if not model.exists():
        subprocess.run([str(PROJECT_ROOT / ".venv" / "bin" / "rasa"), "train", "--data", "data/nlu", "data/rules.yml",
                        "data/stories.yml", "--out", "models", "--fixed-model-name", "koege"],
                       cwd=tree, env=_tree_env(tree), check=True)
    return tree


def _tree_env(tree: Path) -> Dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def main(argv: List[str]) -> None:
    from bench.stack import serving
    from bench.models import ensure_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="HEAD~1", help="the earlier commit to compare with ('' for none)")
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    args = parser.parse_args(argv)
    convs = conversations(args.sets)
    systems = {"ours": (ensure_model("ours"), PROJECT_ROOT)}
    if args.baseline:
        tree = baseline_checkout(args.baseline)
        systems[f"previous ({args.baseline})"] = (tree / "models" / "koege.tar.gz", tree)
    results = {}
    for name, (model, root) in systems.items():
        with serving(model, root=root) as client:
            results[name] = evaluate(client, convs)
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "conversations.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(report(results))


def report(results: Dict[str, Dict]) -> str:
    names = list(results)
    sections = sorted({s for r in results.values() for s in r["sections"]})
    kinds = sorted({k for r in results.values() for k in r["kinds"]})
    first = results[names[0]]
    lines = [f"\nConversations: {first['turns']} turns\n", "| | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]
    for label, key in [("overall", None)] + [(f"section {s}", ("sections", s)) for s in sections] \
            + [(f"kind {k}", ("kinds", k)) for k in kinds]:
        cells = [results[n]["overall"] if key is None else results[n][key[0]].get(key[1], float("nan")) for n in names]
        lines.append(f"| {label} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    for label in ("unrelated_facts", "false_alarms"):
        lines.append(f"| {label.replace('_', ' ')} | " + " | ".join(str(results[n][label]) for n in names) + " |")
    for label, key in (("reply LIX median", "median"), ("reply LIX p90", "p90"), ("replies above LIX 40", "above_40")):
        lines.append(f"| {label} | " + " | ".join(f"{results[n].get('reply_lix', {}).get(key, float('nan')):.2f}"
                                                  for n in names) + " |")
    for name in names:
        wrong = [r for r in results[name]["results"] if r["problem"]]
        lines.append(f"\nNot right, {name} ({len(wrong)}):")
        for r in wrong[:300]:
            lines.append(f"- [{r['conversation']}#{r['turn']} {r['expect']}] {r['user']!r}: {r['problem']}"
                         f" → {r['reply'][:140]!r}")
    return "\n".join(lines)


if __name__ == "__main__":
    main(sys.argv[1:])
